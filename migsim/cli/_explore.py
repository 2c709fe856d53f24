"""``migsim explore``: explore a scenario's interleavings; shrink, explain and report the
first failure, then print the minimal interleaving step by step."""

from __future__ import annotations

import argparse
import sys

from migsim import _pipeline as pipeline
from migsim.cli._args import out_dir, overrides_of, replay_overrides
from migsim.cli._output import Printer
from migsim.cli._progress import ProgressDisplay
from migsim.cli._rows import exploration_rows, failure_rows
from migsim.report._summary import trace_table
from migsim.scenario import load_scenario


def cmd_explore(args: argparse.Namespace) -> int:
    """Explore a scenario; exit 1 when a failure was found, 0 when none."""
    scenario = load_scenario(args.file, overrides_of(args))
    subject = pipeline.Subject.of_scenario(scenario, args.file)
    printer = Printer.for_terminal(as_json=args.json, no_progress=args.no_progress)
    show = not args.json and not args.no_progress and sys.stderr.isatty()
    with ProgressDisplay(scenario.name, scenario.explore.schedules, enabled=show) as bar:
        options = pipeline.Options(
            overrides=replay_overrides(args),
            out_dir=out_dir(args, scenario),
            on_progress=bar.update,
        )
        result = pipeline.explore(subject, options)
    if args.json:
        printer.emit_json(result.to_json())
        return 1 if result.failed else 0
    rows = [("scenario", f"{scenario.name} ({args.file})")]
    rows += exploration_rows(result, timing=printer.rich)
    if result.finding is not None:
        rows += failure_rows(result, result.finding)
    printer.rows(rows, title=f"migsim explore {scenario.name}")
    report = result.report()
    if result.finding is not None and report is not None:  # the minimal interleaving itself
        printer.line()
        for line in trace_table(report, set(result.finding.explanation.steps)):
            printer.line(line)
    return 1 if result.failed else 0
