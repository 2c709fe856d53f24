"""``migsim replay``, ``shrink`` and ``run``: one run, shown in full.

``replay`` and ``shrink`` take a token printed by ``explore``; the token names its
scenario, so the scenario FILE may be left out when it is in the library.  ``run`` runs one
schedule chosen by the strategy and seed, and prints its whole trace.  A failing run is
explained and its report files are written, as for ``explore``.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
from collections.abc import Iterator
from pathlib import Path

import actors
from migsim import _pipeline as pipeline
from migsim._errors import Problem, ScenarioError, UsageError
from migsim._result import Result
from migsim.cli._args import (
    exit_status,
    out_dir,
    overrides_of,
    replay_overrides,
    report_dir_name,
    should_stop,
)
from migsim.cli._output import Printer
from migsim.cli._rows import failure_rows, report_problem
from migsim.report._summary import trace_table
from migsim.scenario import Scenario, find_scenario, load_scenario


def _token_scenario(args: argparse.Namespace) -> tuple[Scenario, str]:
    token = actors.Token.parse(args.token)
    name, digest = pipeline.split_program_name(token.program)
    file = args.file or str(find_scenario(name))
    scenario = load_scenario(
        file,
        replay_overrides(args),
        allow_policy_imports=getattr(args, "allow_policy_imports", False),
    )
    if name and name != scenario.name:
        raise ScenarioError(
            file,
            [
                Problem(
                    "name",
                    f'"{name}" (the scenario the token was found in)',
                    f'"{scenario.name}"',
                    "give the scenario file the token came from",
                )
            ],
        )
    if digest and digest != pipeline.digest(scenario):
        where = _found_with(args, name) or f"another {name!r} scenario file"
        raise UsageError(
            f"the token was found with {where} (content {digest}), not with {file} "
            f"(content {pipeline.digest(scenario)}): give the file the token was found with "
            "and the same --set options, as the replay command printed with it does"
        )
    return scenario, file


def _found_with(args: argparse.Namespace, name: str) -> str:
    """The scenario file the report of this token names (its summary's replay command)."""
    summary = Path(args.out or Path("migsim-out") / report_dir_name(name)) / "summary.txt"
    try:
        text = summary.read_text(encoding="utf-8")
    except (OSError, ValueError):  # ValueError: undecodable, or a NUL in --out
        return ""
    for line in text.splitlines():
        words = line.split(maxsplit=4)
        if words[:1] == ["replay:"] and len(words) >= 4 and words[3] == args.token.strip():
            return shlex.split(line.split(maxsplit=4)[4])[0] if len(words) == 5 else ""
    return ""


def cmd_replay(args: argparse.Namespace) -> int:
    """Replay a token: the same run, step for step, with its report."""
    scenario, file = _token_scenario(args)
    subject = pipeline.Subject.of_scenario(scenario, file)
    with _naming_the_token("" if args.file else file):
        result = pipeline.replay(subject, args.token, _options(args, scenario))
    return _show(args, result, full_trace=False)


def cmd_shrink(args: argparse.Namespace) -> int:
    """Shrink a failing token to a minimal failing schedule."""
    scenario, file = _token_scenario(args)
    subject = pipeline.Subject.of_scenario(scenario, file)
    with _naming_the_token("" if args.file else file):
        result = pipeline.shrink(subject, args.token, _options(args, scenario))
    return _show(args, result, full_trace=False)


@contextlib.contextmanager
def _naming_the_token(found: str) -> Iterator[None]:
    """A replay that diverges says that the token does not fit the file (the runtime's
    message names only the step).  The command's error line adds a FILE it was given;
    ``found`` names the library file the token's name led to (``""`` when FILE was given).
    """
    try:
        yield
    except actors.ReplayDivergence as exc:
        where = f"{found}: " if found else ""
        raise UsageError(
            f"{where}the token does not replay on this file ({exc}); give the file and the "
            "--set options the token was found with"
        ) from None


def cmd_run(args: argparse.Namespace) -> int:
    """Run one schedule (chosen by the strategy and --seed) and print its whole trace."""
    scenario = load_scenario(
        args.file,
        overrides_of(args),
        allow_policy_imports=getattr(args, "allow_policy_imports", False),
    )
    subject = pipeline.Subject.of_scenario(scenario, args.file)
    result = pipeline.run_once(subject, _options(args, scenario))
    return _show(args, result, full_trace=True)


def _options(args: argparse.Namespace, scenario: Scenario) -> pipeline.Options:
    """Every run writes its report, to ``--out`` or the default directory."""
    return pipeline.Options(
        overrides=replay_overrides(args),
        out_dir=out_dir(args, scenario),
        report_ok=True,
        shrink=False,
        should_stop=should_stop(args),
    )


def _show(args: argparse.Namespace, result: Result, *, full_trace: bool) -> int:
    printer = Printer.for_terminal(as_json=args.json, no_progress=True)
    shown = result.shown
    assert shown is not None
    if args.json:
        printer.emit_json(result.to_json())
        report_problem(result)
        return exit_status(args, result)
    report = result.report()
    if full_trace:
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
        if result.files:
            rows.append(("files", "\n".join(str(p) for p in result.files)))
    printer.rows(rows)
    report_problem(result)
    return exit_status(args, result)
