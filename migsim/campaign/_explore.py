"""``migsim explore --workers N``: one exploration sharded into work units.

The scenario is planned into units as a campaign plans it (seed ranges, or subtrees of
the systematic search), each unit stopping at its first failure.  The units have a fixed
order, the order one process would explore them in, and the answer is the one that order
gives: the first failure is the first failing schedule of the first unit that fails
(later units still running are cancelled once every unit before it has finished), the
schedule count is the schedules up to it.  So the answer is the same with any number of
workers.  That failure is then shrunk, explained and reported by the one pipeline, and
the result is a :class:`~migsim.Result` like a single-process exploration's.

A systematic search split into DPOR subtrees may run more schedules than the unsplit
DPOR search (each subtree's top levels are expanded completely); its verdict is the
same: proven when every subtree completed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import attrs

import actors
from migsim import _pipeline as pipeline
from migsim._errors import ReportError
from migsim._result import Result, Search
from migsim.campaign._plan import Unit, plan_units
from migsim.campaign._runner import run_units
from migsim.campaign._work import UnitFailure, UnitResult
from migsim.report import write_report
from migsim.scenario import Scenario


def explore_parallel(
    scenario: Scenario,
    source: str,
    options: pipeline.Options | None = None,
    *,
    workers: int = 0,
    dask_scheduler: str | None = None,
    unit_size: int = 200,
    split_depth: int = 3,
) -> Result:
    """Explore ``scenario`` (from file ``source``) on ``workers`` local processes or a
    Dask cluster; the same kind of :class:`~migsim.Result` as :func:`migsim.explore`.

    ``options.on_progress`` is called in this process as each unit arrives, and
    ``options.should_stop`` is asked while waiting (True: stop, ``interrupted``)."""
    start = time.perf_counter()
    options = options or pipeline.Options()
    subject = pipeline.Subject.of_scenario(scenario, source)
    units = plan_units(scenario, unit_size=unit_size, split_depth=split_depth, stop_on_first=True)
    watch = _Watch(units, options.should_stop, options.on_progress)
    results = run_units(
        units,
        workers=workers,
        dask_scheduler=dask_scheduler,
        on_result=watch.arrived,
        should_stop=watch.done,
    )
    return _answer(subject, units, results, options, start, interrupted=watch.interrupted())


@attrs.define
class _Watch:
    """Which units have arrived, and whether the deterministic answer is known yet."""

    units: list[Unit]
    user_stop: Callable[[], bool] | None
    on_progress: pipeline.ProgressCallback | None
    arrived_at: dict[int, UnitResult] = attrs.Factory(dict)
    first_failing: int | None = None

    def arrived(self, i: int, r: UnitResult) -> None:
        self.arrived_at[i] = r
        if r.failures and (self.first_failing is None or i < self.first_failing):
            self.first_failing = i
        if self.on_progress is not None:
            self.on_progress(self._snapshot())

    def answered(self) -> bool:
        f = self.first_failing
        return f is not None and all(i in self.arrived_at for i in range(f + 1))

    def interrupted(self) -> bool:
        return bool(self.user_stop and self.user_stop()) and not self.answered()

    def done(self) -> bool:
        return self.answered() or bool(self.user_stop and self.user_stop())

    def _snapshot(self) -> actors.Progress:
        got = self.arrived_at.values()
        n = sum(r.schedules for r in got)
        return actors.Progress(
            n,
            sum(r.steps for r in got),
            len({c for r in got for c in r.coverage}),
            sum(len(r.failures) for r in got),
            sum(u.count for u in self.units) or n,
        )


def _answer(
    subject: pipeline.Subject,
    units: list[Unit],
    results: list[UnitResult | None],
    options: pipeline.Options,
    start: float,
    *,
    interrupted: bool,
) -> Result:
    counted, first = _counted(results)
    exploration = _exploration(subject, units, counted)
    search = _search(subject, units, counted, interrupted=interrupted, failed=first is not None)
    if first is not None and not interrupted:
        quiet = attrs.evolve(options, out_dir=None)
        single = pipeline.shrink if options.shrink else pipeline.replay
        found = single(subject, first.token, quiet)
        x = attrs.evolve(exploration, violations=(found.finding.first,) if found.finding else ())
        result = attrs.evolve(found, mode="explore", exploration=x, search=search)
    else:
        result = Result(subject, "explore", exploration, None, None, (), "", 0.0, search)
    result = attrs.evolve(result, elapsed_s=time.perf_counter() - start)
    return _reported(result, options.out_dir, options.report_ok)


def _counted(
    results: list[UnitResult | None],
) -> tuple[list[UnitResult], UnitFailure | None]:
    """The results that count, in unit order: up to the first failing unit (and its
    first failure), else every result that arrived."""
    counted = []
    for r in results:
        if r is None:
            continue
        counted.append(r)
        if r.failures:
            return counted, r.failures[0]
    return counted, None


def _exploration(
    subject: pipeline.Subject, units: list[Unit], counted: list[UnitResult]
) -> actors.Exploration:
    s = subject.settings
    seed = "" if units and units[0].systematic else f",seed={s.seed}"
    return actors.Exploration(
        strategy=f"{s.strategy}{seed},units={len(units)}",
        schedules=sum(r.schedules for r in counted),
        pruned=sum(r.pruned for r in counted),
        steps=sum(r.steps for r in counted),
        coverage=len({c for r in counted for c in r.coverage}),
        distinct_states=0,  # states are not merged across processes
        max_preemptions=max((r.max_preemptions for r in counted), default=0),
        step_bound_hits=sum(r.step_bound_hits for r in counted),
        exhaustive_complete=_all_exhaustive(units, counted),
        violations=(),
    )


def _all_exhaustive(units: list[Unit], counted: list[UnitResult]) -> bool:
    systematic = bool(units) and units[0].systematic
    return systematic and len(counted) == len(units) and all(r.exhaustive for r in counted)


def _search(
    subject: pipeline.Subject,
    units: list[Unit],
    counted: list[UnitResult],
    *,
    interrupted: bool,
    failed: bool,
) -> Search:
    settings = subject.settings
    if not units or not units[0].systematic:
        return Search(budget=settings.schedules, interrupted=interrupted)
    proven = not failed and not interrupted and _all_exhaustive(units, counted)
    bound = settings.preemption_bound
    return Search(
        budget=settings.schedules,
        complete=proven and bound is None,
        bound_completed=bound if proven else None,
        bound=bound,
        interrupted=interrupted,
    )


def _reported(result: Result, out_dir: Path | None, report_ok: bool) -> Result:
    if out_dir is None or not (result.finding or report_ok):
        return result
    try:
        files = write_report(result.report(), out_dir)
    except ReportError as exc:  # the answer is still worth printing: the caller reports it
        return attrs.evolve(result, report_error=str(exc))
    return attrs.evolve(result, files=files)


@attrs.frozen
class _ScenarioProgram:
    """A scenario's program that can be pickled: built again where it is called."""

    scenario: Scenario

    def __call__(self) -> actors.Setup:
        return _built(self.scenario)()


def _built(scenario: Scenario) -> actors.Program:
    from migsim._world import build_program

    return build_program(scenario)


def portable_result(result: Result) -> Result:
    """``result`` with its program replaced by one that can be pickled (rebuilt from the
    scenario where it is called), so a worker process can hand the result back."""
    scenario = result.subject.scenario
    if scenario is None:
        return result
    subject = attrs.evolve(result.subject, program=_ScenarioProgram(scenario))
    return attrs.evolve(result, subject=subject)
