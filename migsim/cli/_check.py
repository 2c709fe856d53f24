"""``migsim check``: run every scenario's ``[expect]``, like a litmus-test suite.

Each scenario is explored under its own ``[explore]`` settings by the one pipeline (no
shrinking: a check compares ids).  It passes when what the exploration found matches
``[expect]``: nothing for ``outcome = "ok"``; a failure whose code is ``invariant`` for
``outcome = "violation"``.  The result is a pass/fail table, and a replay command for every
unexpected failure; ``--json`` gives each scenario's verdict with its result's JSON.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import attrs

from migsim import _pipeline as pipeline
from migsim._errors import MigsimError
from migsim._result import Result
from migsim.cli._output import Printer
from migsim.scenario import Scenario, load_scenario, scenario_files


@attrs.frozen
class Verdict:
    """One scenario's check: what was expected, what was found, pass or fail.

    ``result`` is the pipeline's result (None when the file could not be loaded or built:
    then ``error`` says why).
    """

    file: str
    name: str
    races: str
    expected: str
    got: str
    schedules: int
    passed: bool
    token: str | None = None
    error: str = ""
    result: Result | None = attrs.field(default=None, eq=False, repr=False)

    def to_json(self) -> dict[str, object]:
        """The verdict's keys, then its result's (the one result shape)."""
        own = attrs.asdict(self, filter=lambda a, _v: a.name != "result")
        return own | {"result": self.result.to_json() if self.result else None}


def expected_of(s: Scenario) -> str:
    """``[expect]`` as text: "ok" or "violation K3"."""
    return s.expect.outcome + (f" {s.expect.invariant}" if s.expect.invariant else "")


def judge(result: Result) -> Verdict:
    """Compare what an exploration found with the scenario's ``[expect]``."""
    s = result.subject.scenario
    assert s is not None
    x = result.exploration
    finding = result.finding
    if finding is None:
        got = "ok (exhaustive)" if x.exhaustive_complete else "ok"
        passed = s.expect.outcome == "ok"
    else:
        o = finding.shrunk.outcome
        got = f"{o.kind} {o.code}".strip()
        passed = s.expect.outcome == "violation" and o.code == s.expect.invariant
    token = finding.shrunk.token if finding else None
    races = ",".join(s.races) or "-"
    return Verdict(
        result.subject.source,
        s.name,
        races,
        expected_of(s),
        got,
        x.schedules,
        passed,
        token,
        result=result,
    )


def check_file(path: Path, overrides: list[str]) -> Verdict:
    """Check one scenario file (an unreadable or unbuildable one is a failed verdict)."""
    try:
        scenario = load_scenario(path, overrides)
        subject = pipeline.Subject.of_scenario(scenario, str(path))
        result = pipeline.explore(
            subject, pipeline.Options(overrides=tuple(overrides), shrink=False)
        )
    except MigsimError as err:
        return Verdict(str(path), path.stem, "-", "-", "error", 0, False, error=str(err))
    return judge(result)


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
                "scenarios": [v.to_json() for v in verdicts],
                "passed": len(verdicts) - len(failed),
                "failed": len(failed),
                "elapsed_s": round(time.perf_counter() - start, 3),
            }
        )
    else:
        _print_table(printer, verdicts, failed)
    if any(v.error for v in verdicts):
        return 2
    return 1 if failed else 0


def _print_table(printer: Printer, verdicts: list[Verdict], failed: list[Verdict]) -> None:
    body = [
        [v.name, v.races, v.expected, v.got, str(v.schedules), "PASS" if v.passed else "FAIL"]
        for v in verdicts
    ]
    printer.table(["scenario", "races", "expect", "got", "schedules", "result"], body)
    printer.line(f"{len(verdicts) - len(failed)} passed, {len(failed)} failed")
    for v in failed:
        if v.error:
            printer.line(f"{v.file}: {v.error}")
        elif v.result is not None and v.result.replay:
            printer.line(f"{v.name}: {v.result.replay}")
