"""``migsim explore``: explore a scenario's interleavings; shrink, explain and report the
first failure, then print the minimal interleaving step by step.

Every exploration writes its report (a clean one a summary with its verdict, which
replaces an older failure's files).  SIGINT or SIGTERM stops it at a schedule boundary
with the verdict that holds so far (see :mod:`migsim.cli._signals`).
"""

from __future__ import annotations

import argparse

from migsim import _pipeline as pipeline
from migsim._result import Result
from migsim.cli._args import (
    exit_status,
    interrupted_status,
    out_dir,
    overrides_of,
    replay_overrides,
    should_stop,
)
from migsim.cli._output import Printer
from migsim.cli._progress import ProgressDisplay, progress_enabled
from migsim.cli._rows import exploration_rows, failure_rows, report_problem
from migsim.report._summary import trace_table
from migsim.scenario import Scenario, load_scenario


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
    show = progress_enabled(args)
    with ProgressDisplay(scenario.name, scenario.explore.schedules, enabled=show) as bar:
        options = pipeline.Options(
            overrides=replay_overrides(args),
            out_dir=out_dir(args, scenario),
            report_ok=True,
            on_progress=bar.update,
            should_stop=should_stop(args),
            reduce=not getattr(args, "no_reduce", False),
            on_reduce=bar.reducing,
            on_shrink=bar.shrinking,
        )
        result = _explore(args, scenario, subject, options)
    if args.json:
        printer.emit_json(result.to_json())
        report_problem(result)
        return exit_status(args, result)
    rows = [("scenario", f"{scenario.name} ({args.file})")]
    rows += exploration_rows(result, timing=printer.rich)
    if result.finding is not None:
        rows += failure_rows(result, result.finding)
        rows += reduced_rows(result)
    elif result.files:
        rows.append(("files", "\n".join(str(p) for p in result.files)))
    printer.rows(rows, title=f"migsim explore {scenario.name}")
    if reduced_replay(result):
        printer.line(reduced_replay(result))
    report = result.report()
    if result.finding is not None:  # the minimal interleaving itself
        printer.line()
        for line in trace_table(report, set(result.finding.explanation.steps)):
            printer.line(line)
    report_problem(result)
    return interrupted_status(args) or exit_status(args, result)


def reduced_rows(result: Result) -> list[tuple[str, str]]:
    """The reduced scenario of a failure: its file and its size before and after (see
    :func:`migsim.reduce_scenario`)."""
    r = result.reduced
    if r is None:
        return []
    b, a = r.before, r.after
    size = ", ".join(f"{k} {b[k]} -> {a[k]}" for k in b if b[k] != a.get(k))
    where = str(r.path) if r.path is not None else "(not written: no report directory)"
    text = f"{where}: {size or 'nothing could be removed'}; {r.run.steps} steps"
    if not r.complete:
        text += " (the reduction budget ran out first)"
    return [("reduced", text)]


def reduced_replay(result: Result) -> str:
    """The line that replays the reduced scenario's token ("" when none was written):
    printed whole after the rows, so that it survives copy and paste."""
    r = result.reduced
    if r is None or r.path is None:
        return ""
    return f"reduced replay: {pipeline.replay_command(r.token, str(r.path), ())}"


def _explore(
    args: argparse.Namespace,
    scenario: Scenario,
    subject: pipeline.Subject,
    options: pipeline.Options,
) -> Result:
    """One process, or ``--workers N`` / ``--dask-scheduler``: the search sharded into
    work units (see :func:`migsim.campaign.explore_parallel`)."""
    workers, scheduler = getattr(args, "workers", 1), getattr(args, "dask_scheduler", None)
    if workers == 1 and not scheduler:
        return pipeline.explore(subject, options)
    from migsim.campaign import explore_parallel

    return explore_parallel(scenario, args.file, options, workers=workers, dask_scheduler=scheduler)
