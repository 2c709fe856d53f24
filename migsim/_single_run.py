"""``migsim replay``, ``shrink`` and ``run``: one run, shown in full.

``replay`` and ``shrink`` take a token printed by ``explore``; the token names its
scenario, so the scenario FILE may be left out when it is in the library.  ``run`` runs one
schedule chosen by the strategy and seed, and prints its whole trace.  A failing run is
explained and its report files are written, as for ``explore``.
"""

from __future__ import annotations

import argparse

import actors
from migsim._campaign import build, replay, replay_command, report_failure, run_once, shrink_run
from migsim._commands import failure_rows, out_dir, overrides_of, replay_overrides
from migsim._errors import Problem, ScenarioError, UsageError
from migsim._library import find_scenario
from migsim._loader import load_scenario
from migsim._output import Printer
from migsim._render_summary import trace_table
from migsim._report import RunReport
from migsim._scenario import Scenario


def _token_scenario(args: argparse.Namespace) -> tuple[Scenario, str]:
    token = actors.Token.parse(args.token)
    file = args.file or str(find_scenario(token.program))
    scenario = load_scenario(file, replay_overrides(args))
    if token.program and token.program != scenario.name:
        raise ScenarioError(file, [_name_problem(token.program, scenario.name)])
    return scenario, file


def _name_problem(expected: str, got: str) -> Problem:
    return Problem(
        "name",
        f'"{expected}" (the scenario the token was found in)',
        f'"{got}"',
        "give the scenario file the token came from",
    )


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay a token: the same run, step for step, with its report."""
    scenario, file = _token_scenario(args)
    result = replay(scenario, args.token)
    return _show_run(args, scenario, file, result, first=None, full_trace=False)


def cmd_shrink(args: argparse.Namespace) -> int:
    """Shrink a failing token to a minimal failing schedule."""
    scenario, file = _token_scenario(args)
    result = replay(scenario, args.token)
    if not result.failed:
        raise UsageError("the token replays to a run that ends ok; there is nothing to shrink")
    shrunk = shrink_run(build(scenario), result, scenario.explore.max_steps)
    return _show_run(args, scenario, file, shrunk, first=result, full_trace=False)


def cmd_run(args: argparse.Namespace) -> int:
    """Run one schedule (chosen by the strategy and --seed) and print its whole trace."""
    scenario = load_scenario(args.file, overrides_of(args))
    result = run_once(scenario)
    return _show_run(args, scenario, args.file, result, first=None, full_trace=True)


def _show_run(
    args: argparse.Namespace,
    scenario: Scenario,
    file: str,
    result: actors.RunResult,
    *,
    first: actors.RunResult | None,
    full_trace: bool,
) -> int:
    sets = replay_overrides(args)
    printer = Printer.for_terminal(as_json=args.json, no_progress=True)
    out = out_dir(args, scenario) if (result.failed or args.out) else None
    found = report_failure(
        scenario.name,
        first or result,
        result,
        out_dir=out,
        replay_hint=lambda t: replay_command(t, file, sets),
    )
    if args.json:
        o = result.outcome
        printer.emit_json(
            {
                "scenario": scenario.name,
                "file": file,
                "outcome": o.kind,
                "invariant": o.code or None,
                "message": o.message,
                "token": result.token,
                "replay": replay_command(result.token, file, sets),
                "steps": result.steps,
                "preemptions": result.preemptions,
                "shrunk_steps": result.steps if first else None,
                "explanation": list(found.explanation.lines),
                "files": [str(p) for p in found.files],
            }
        )
        return 1 if result.failed else 0
    if full_trace:
        report = RunReport(scenario.name, result.trace, result.outcome)
        for line in trace_table(report, set(found.explanation.steps), tail=len(result.trace)):
            printer.line(line)
        printer.line()
    rows = [("scenario", f"{scenario.name} ({file})")]
    if result.failed:
        rows += failure_rows(
            result,
            found.explanation.lines,
            first=first,
            files=found.files,
            replay_line=replay_command(result.token, file, sets),
        )
    else:
        rows += [
            ("result", f"ok: the run ended without a failure ({result.steps} steps)"),
            ("token", result.token),
        ]
    printer.rows(rows)
    return 1 if result.failed else 0
