"""``migsim replay``, ``shrink`` and ``run``: one run, shown in full.

``replay`` and ``shrink`` take a token printed by ``explore``; the token names its
scenario, so the scenario FILE may be left out when it is in the library.  ``run`` runs one
schedule chosen by the strategy and seed, and prints its whole trace.  A failing run is
explained and its report files are written, as for ``explore``.
"""

from __future__ import annotations

import argparse

import actors
from migsim import _pipeline as pipeline
from migsim._errors import Problem, ScenarioError
from migsim._result import Result
from migsim.cli._args import out_dir, overrides_of, replay_overrides
from migsim.cli._output import Printer
from migsim.cli._rows import failure_rows
from migsim.report._summary import trace_table
from migsim.scenario import Scenario, find_scenario, load_scenario


def _token_scenario(args: argparse.Namespace) -> tuple[Scenario, str]:
    token = actors.Token.parse(args.token)
    file = args.file or str(find_scenario(token.program))
    scenario = load_scenario(file, replay_overrides(args))
    if token.program and token.program != scenario.name:
        raise ScenarioError(
            file,
            [
                Problem(
                    "name",
                    f'"{token.program}" (the scenario the token was found in)',
                    f'"{scenario.name}"',
                    "give the scenario file the token came from",
                )
            ],
        )
    return scenario, file


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay a token: the same run, step for step, with its report."""
    scenario, file = _token_scenario(args)
    subject = pipeline.Subject.of_scenario(scenario, file)
    result = pipeline.replay(subject, args.token, _options(args, scenario))
    return _show(args, result, full_trace=False)


def cmd_shrink(args: argparse.Namespace) -> int:
    """Shrink a failing token to a minimal failing schedule."""
    scenario, file = _token_scenario(args)
    subject = pipeline.Subject.of_scenario(scenario, file)
    result = pipeline.shrink(subject, args.token, _options(args, scenario))
    return _show(args, result, full_trace=False)


def cmd_run(args: argparse.Namespace) -> int:
    """Run one schedule (chosen by the strategy and --seed) and print its whole trace."""
    scenario = load_scenario(args.file, overrides_of(args))
    subject = pipeline.Subject.of_scenario(scenario, args.file)
    result = pipeline.run_once(subject, _options(args, scenario))
    return _show(args, result, full_trace=True)


def _options(args: argparse.Namespace, scenario: Scenario) -> pipeline.Options:
    """A failing run's report goes to ``--out`` or the default directory; an ok run's
    only when ``--out`` asks for it."""
    return pipeline.Options(
        overrides=replay_overrides(args),
        out_dir=out_dir(args, scenario),
        report_ok=bool(args.out),
        shrink=False,
    )


def _show(args: argparse.Namespace, result: Result, *, full_trace: bool) -> int:
    printer = Printer.for_terminal(as_json=args.json, no_progress=True)
    shown = result.shown
    assert shown is not None
    if args.json:
        printer.emit_json(result.to_json())
        return 1 if result.failed else 0
    report = result.report()
    if full_trace and report is not None:
        hot = set(result.finding.explanation.steps) if result.finding else set()
        for line in trace_table(report, hot, tail=len(shown.trace)):
            printer.line(line)
        printer.line()
    rows = [("scenario", f"{result.subject.name} ({result.subject.source})")]
    if result.finding is not None:
        rows += failure_rows(result, result.finding)
    else:
        rows += [
            ("result", f"ok: the run ended without a failure ({shown.steps} steps)"),
            ("token", shown.token),
        ]
    printer.rows(rows)
    return 1 if result.failed else 0
