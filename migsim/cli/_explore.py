"""``migsim explore``: explore a scenario's interleavings; shrink, explain and report the
first failure, then print the minimal interleaving step by step.

Every exploration writes its report (a clean one a summary with its verdict, which
replaces an older failure's files).  SIGINT or SIGTERM stops it at a schedule boundary
with the verdict that holds so far (see :mod:`migsim.cli._signals`).
"""

from __future__ import annotations

import argparse
import sys

from migsim import _pipeline as pipeline
from migsim.cli._args import exit_status, out_dir, overrides_of, replay_overrides, should_stop
from migsim.cli._output import Printer
from migsim.cli._progress import ProgressDisplay
from migsim.cli._rows import exploration_rows, failure_rows, report_problem
from migsim.report._summary import trace_table
from migsim.scenario import load_scenario


def cmd_explore(args: argparse.Namespace) -> int:
    """Explore a scenario; exit 1 when a failure was found, 0 when none (130 / 143 when
    interrupted, 2 when the report could not be written)."""
    scenario = load_scenario(
        args.file,
        overrides_of(args),
        allow_policy_imports=getattr(args, "allow_policy_imports", False),
    )
    subject = pipeline.Subject.of_scenario(scenario, args.file)
    printer = Printer.for_terminal(as_json=args.json, no_progress=args.no_progress)
    show = not args.json and not args.no_progress and sys.stderr.isatty()
    with ProgressDisplay(scenario.name, scenario.explore.schedules, enabled=show) as bar:
        options = pipeline.Options(
            overrides=replay_overrides(args),
            out_dir=out_dir(args, scenario),
            report_ok=True,
            on_progress=bar.update,
            should_stop=should_stop(args),
        )
        result = pipeline.explore(subject, options)
    if args.json:
        printer.emit_json(result.to_json())
        report_problem(result)
        return exit_status(args, result)
    rows = [("scenario", f"{scenario.name} ({args.file})")]
    rows += exploration_rows(result, timing=printer.rich)
    if result.finding is not None:
        rows += failure_rows(result, result.finding)
    elif result.files:
        rows.append(("files", "\n".join(str(p) for p in result.files)))
    printer.rows(rows, title=f"migsim explore {scenario.name}")
    report = result.report()
    if result.finding is not None:  # the minimal interleaving itself
        printer.line()
        for line in trace_table(report, set(result.finding.explanation.steps)):
            printer.line(line)
    report_problem(result)
    return exit_status(args, result)
