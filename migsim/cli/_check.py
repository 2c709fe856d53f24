"""``migsim check``: run every scenario's ``[expect]``, like a litmus-test suite.

Each scenario is explored under its own ``[explore]`` settings by the one pipeline (no
shrinking: a check compares ids).  It passes when what the exploration found matches
``[expect]``: nothing for ``outcome = "ok"`` (and, when ``[expect]`` requires a proof,
``proven_bound = B``, a search that proved no failure up to ``B`` preemptions or in any
schedule); a failure whose code is ``invariant`` for ``outcome = "violation"``.  SIGINT or
SIGTERM stops the check at a schedule boundary: the table shows the scenarios checked so
far, the one running as ``interrupted``.  The result is a pass/fail table, and a replay
command for every unexpected failure; ``--json`` gives each scenario's verdict with its
result's JSON.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from migsim import _pipeline as pipeline
from migsim._errors import MigsimError
from migsim._result import Result
from migsim.campaign import portable_result, run_parallel
from migsim.cli._args import interrupted_status, should_stop
from migsim.cli._output import Printer
from migsim.cli._progress import ProgressDisplay, progress_enabled
from migsim.scenario import Scenario, load_scenario, scenario_files
from migsim.scenario._model import ProvenBound


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
    interrupted: bool = False
    result: Result | None = attrs.field(default=None, eq=False, repr=False)

    def to_json(self) -> dict[str, object]:
        """The verdict's keys, then its result's (the one result shape)."""
        own = attrs.asdict(self, filter=lambda a, _v: a.name != "result")
        return own | {"result": self.result.to_json() if self.result else None}


def required_bound(s: Scenario) -> ProvenBound | None:
    """What an ok expectation requires a proof of (``[expect] proven_bound``): a
    preemption bound, ``"all"`` schedules, or None when finding nothing is enough."""
    return s.expect.proven_bound if s.expect.outcome == "ok" else None


def expected_of(s: Scenario) -> str:
    """``[expect]`` as text: "ok", "ok, proven to bound 2", "ok, proven in all schedules"
    or "violation K3"."""
    bound = required_bound(s)
    if bound == "all":
        return "ok, proven in all schedules"
    if bound is not None:
        return f"ok, proven to bound {bound}"
    return s.expect.outcome + (f" {s.expect.invariant}" if s.expect.invariant else "")


def _got_ok(result: Result) -> str:
    search = result.search
    if result.proven == "all":
        return "ok (proven)"
    if search.bound_completed is not None:
        return f"ok (proven to bound {search.bound_completed})"
    return "ok (not proven)"


def proof_enough(result: Result, bound: ProvenBound | None) -> bool:
    """True when ``result`` proves what ``bound`` requires: any search does for None; a
    search that covered every schedule for "all"; one whose preemption bound ``bound``
    (or a higher one) completed for an integer."""
    if bound is None or result.proven == "all":
        return True
    if bound == "all":
        return False
    done = result.search.bound_completed
    return done is not None and done >= bound


def judge(result: Result) -> Verdict:
    """Compare what an exploration found with the scenario's ``[expect]``."""
    s = result.subject.scenario
    assert s is not None
    x = result.exploration
    finding = result.finding
    if result.search.interrupted and finding is None:
        got, passed = "interrupted", False
    elif finding is None:
        got = _got_ok(result)
        passed = s.expect.outcome == "ok" and proof_enough(result, required_bound(s))
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
        interrupted=result.search.interrupted,
        result=result,
    )


def check_file(
    path: Path,
    overrides: list[str],
    should_stop: Callable[[], bool] | None = None,
    *,
    allow_policy_imports: bool = False,
    progress: ProgressDisplay | None = None,
    position: tuple[int, int] = (1, 1),
) -> Verdict:
    """Check one scenario file (an unreadable or unbuildable one is a failed verdict);
    ``progress`` shows it as scenario ``position`` = (i, n) of the check."""
    try:
        scenario = load_scenario(path, overrides, allow_policy_imports=allow_policy_imports)
        subject = pipeline.Subject.of_scenario(scenario, str(path))
        if progress is not None:
            progress.item(scenario.name, scenario.explore.schedules, *position)
        options = pipeline.Options(
            overrides=tuple(overrides),
            shrink=False,
            should_stop=should_stop,
            on_progress=progress.update if progress is not None else None,
        )
        result = pipeline.explore(subject, options)
    except MigsimError as err:
        return Verdict(str(path), path.stem, "-", "-", "error", 0, False, error=str(err))
    return judge(result)


def check_portable(
    path: Path, overrides: list[str], *, allow_policy_imports: bool = False
) -> Verdict:
    """:func:`check_file` in a worker process: the verdict, its result made picklable."""
    v = check_file(path, overrides, allow_policy_imports=allow_policy_imports)
    return attrs.evolve(v, result=portable_result(v.result)) if v.result else v


def _verdicts(
    args: argparse.Namespace, files: list[Path], stop: Callable[[], bool] | None
) -> list[Verdict]:
    """Each file's verdict in the files' order: one after the other, or on ``--workers N``
    processes (a Dask cluster with ``--dask-scheduler``), where a stop leaves the files
    after the first unfinished one unchecked."""
    overrides = list(args.set or [])
    allow = getattr(args, "allow_policy_imports", False)
    workers, scheduler = getattr(args, "workers", 1), getattr(args, "dask_scheduler", None)
    verdicts: list[Verdict] = []
    if workers != 1 or scheduler:
        check = functools.partial(check_portable, overrides=overrides, allow_policy_imports=allow)
        done = run_parallel(
            check, files, workers=workers, dask_scheduler=scheduler, should_stop=stop
        )
        for v in done:
            if v is None:
                break
            verdicts.append(v)
        return verdicts
    with ProgressDisplay("check", 0, enabled=progress_enabled(args)) as bar:
        for i, path in enumerate(files, 1):
            if stop is not None and stop():
                break
            at = (i, len(files))
            verdicts.append(
                check_file(
                    path, overrides, stop, allow_policy_imports=allow, progress=bar, position=at
                )
            )
    return verdicts


def cmd_check(args: argparse.Namespace) -> int:
    """Check every scenario given; exit 0 when all pass, 1 when one fails, 2 on bad input."""
    start = time.perf_counter()
    files = scenario_files(args.targets)
    stop = should_stop(args)
    verdicts = _verdicts(args, files, stop)
    interrupted = interrupted_status(args)
    printer = Printer.for_terminal(as_json=args.json, no_progress=args.no_progress)
    failed = [v for v in verdicts if not v.passed and not v.interrupted]
    if args.json:
        printer.emit_json(
            {
                "scenarios": [v.to_json() for v in verdicts],
                "passed": sum(v.passed for v in verdicts),
                "failed": len(failed),
                "elapsed_s": round(time.perf_counter() - start, 3),
                "interrupted": bool(interrupted),
                "unchecked": [str(p) for p in files[len(verdicts) :]],
            }
        )
    else:
        _print_table(printer, verdicts, failed)
        if interrupted:
            printer.line(
                f"interrupted after {len(verdicts)} of {len(files)} scenarios "
                f"(the last one stopped at a schedule boundary)"
            )
    if interrupted:
        return interrupted
    if any(v.error for v in verdicts):
        return 2
    return 1 if failed else 0


def _mark(v: Verdict) -> str:
    return "STOPPED" if v.interrupted else "PASS" if v.passed else "FAIL"


def _print_table(printer: Printer, verdicts: list[Verdict], failed: list[Verdict]) -> None:
    body = [[v.name, v.races, v.expected, v.got, str(v.schedules), _mark(v)] for v in verdicts]
    printer.table(["scenario", "races", "expect", "got", "schedules", "result"], body)
    passed = sum(v.passed for v in verdicts)
    printer.line(f"{passed} passed, {len(failed)} failed")
    for v in failed:
        if v.error:  # a problem, not a verdict: once, on stderr (the error names the file)
            named = v.error.startswith(v.file)
            print(v.error if named else f"{v.file}: {v.error}", file=sys.stderr)
        elif v.result is not None and v.result.replay:
            printer.line(f"{v.name}: {v.result.replay}")
        elif v.result is not None and v.result.finding is None:  # the proof fell short
            printer.line(f"{v.name}: expected {v.expected}; got: {v.result.verdict}")
