"""``migsim check``: run every scenario's ``[expect]``, like a litmus-test suite.

Each scenario is explored under its own ``[explore]`` settings.  It passes when what the
exploration found matches ``[expect]``: nothing for ``outcome = "ok"``; a failure whose
code is ``invariant`` for ``outcome = "violation"``.  The result is a pass/fail table, and
a replay command for every unexpected failure.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import attrs

from migsim._campaign import Campaign, explore_scenario, replay_command
from migsim._errors import MigsimError
from migsim._library import scenario_files
from migsim._loader import load_scenario
from migsim._output import Printer


@attrs.frozen
class Verdict:
    """One scenario's check: what was expected, what was found, pass or fail."""

    file: str
    name: str
    races: str
    expected: str
    got: str
    schedules: int
    passed: bool
    token: str | None = None
    error: str = ""


def judge(campaign: Campaign, file: str) -> Verdict:
    """Compare what an exploration found with the scenario's ``[expect]``."""
    s = campaign.scenario
    expected = s.expect.outcome + (f" {s.expect.invariant}" if s.expect.invariant else "")
    x = campaign.exploration
    if campaign.found is None:
        got = "ok (exhaustive)" if x.exhaustive_complete else "ok"
        passed = s.expect.outcome == "ok"
        token = None
    else:
        o = campaign.found.shrunk.outcome
        got = f"{o.kind} {o.code}".strip()
        passed = s.expect.outcome == "violation" and o.code == s.expect.invariant
        token = campaign.found.shrunk.token
    return Verdict(
        file, s.name, ",".join(s.races) or "-", expected, got, x.schedules, passed, token
    )


def check_file(path: Path, overrides: list[str]) -> Verdict:
    """Check one scenario file (an unreadable or unbuildable one is a failed verdict)."""
    try:
        scenario = load_scenario(path, overrides)
        campaign = explore_scenario(
            scenario, out_dir=None, replay_hint=lambda t: t, do_shrink=False
        )
    except MigsimError as err:
        return Verdict(str(path), path.stem, "-", "-", "error", 0, False, error=str(err))
    return judge(campaign, str(path))


def cmd_check(args: argparse.Namespace) -> int:
    """Check every scenario given; exit 0 when all pass, 1 when one fails, 2 on bad input."""
    start = time.perf_counter()
    files = scenario_files(args.targets)
    verdicts = [check_file(path, list(args.set or [])) for path in files]
    printer = Printer.for_terminal(as_json=args.json, no_progress=args.no_progress)
    failed = [v for v in verdicts if not v.passed]
    if args.json:
        printer.emit_json(
            {
                "scenarios": [attrs.asdict(v) for v in verdicts],
                "passed": len(verdicts) - len(failed),
                "failed": len(failed),
                "elapsed_s": round(time.perf_counter() - start, 3),
            }
        )
    else:
        _print_table(printer, verdicts, failed, list(args.set or []))
    if any(v.error for v in verdicts):
        return 2
    return 1 if failed else 0


def _print_table(
    printer: Printer, verdicts: list[Verdict], failed: list[Verdict], sets: list[str]
) -> None:
    body = [
        [v.name, v.races, v.expected, v.got, str(v.schedules), "PASS" if v.passed else "FAIL"]
        for v in verdicts
    ]
    printer.table(["scenario", "races", "expect", "got", "schedules", "result"], body)
    printer.line(f"{len(verdicts) - len(failed)} passed, {len(failed)} failed")
    for v in failed:
        if v.error:
            printer.line(f"{v.file}: {v.error}")
        elif v.token:
            printer.line(f"{v.name}: {replay_command(v.token, v.file, sets)}")
