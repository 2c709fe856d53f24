"""The ``sim`` fixture's object: explore a scenario or program inside the test's trio run.

::

    @pytest.mark.migsim(strategy="pct", schedules=200)
    async def test_seed_race_is_guarded(sim):
        await sim.check(r1_seed("pte-same+private"))

Settings come, strongest first, from the keyword arguments of a call, the ``migsim``
marker, the scenario's own ``[explore]`` section, and the defaults of
:class:`migsim.Explore`.  A failure is shrunk, then raised as :class:`FailingRunError`
(the invariant, the explanation, the replay token); the plugin attaches its Mermaid
trace to the test report, and the report files are written under the test's tmp dir.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from actors import (
    STRATEGIES,
    Budget,
    Exploration,
    Program,
    RunResult,
    Setup,
    Strategy,
    explore_async,
    make_strategy,
    shrink_async,
)
from actors.testing import HelperUsageError
from migsim.scenario._model import Explore, Scenario
from migsim.testing._budget import SLOW_FACTOR, is_slow
from migsim.testing._failure import FailingRunError

Target = Scenario | Program | str | Path
"""What ``sim`` explores: a scenario, a TOML scenario file, or any actors program."""

SETTINGS = ("strategy", "schedules", "seed", "depth", "preemption_bound", "max_steps")
OPTIONS = (*SETTINGS, "stop_on_first", "shrink")


@attrs.frozen
class Finding:
    """A failing run ``sim`` reported: the program's name, the run, and its rendered
    Mermaid trace (attached to the test report by the plugin)."""

    name: str
    result: RunResult
    mermaid: str
    report_dir: Path | None


def check_options(options: Mapping[str, object], where: str) -> dict[str, object]:
    """Reject unknown or ill-typed settings up front, naming them and what is expected."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise HelperUsageError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}"
        )
    for key, value in options.items():
        problem = _problem(key, value)
        if problem:
            raise HelperUsageError(f"{where}: {key} must be {problem}; got {value!r}")
    return dict(options)


def _problem(key: str, value: object) -> str:
    if key == "strategy":
        return "" if value in STRATEGIES else f"one of {', '.join(STRATEGIES)}"
    if key in ("stop_on_first", "shrink"):
        return "" if isinstance(value, bool) else "True or False"
    if key == "preemption_bound" and value is None:
        return ""
    least = 0 if key in ("seed", "preemption_bound") else 1
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= least
    return "" if ok else f"an integer >= {least}"


class Sim:
    """Explores scenarios and programs; see the module docstring.

    ``options`` are the marker's settings; ``report_root`` (a zero-argument callable giving
    a directory) is where failing runs' report files go.
    """

    def __init__(
        self,
        options: Mapping[str, object] | None = None,
        *,
        report_root: Callable[[], Path] | None = None,
    ) -> None:
        self.options = check_options(options or {}, "@pytest.mark.migsim")
        self.findings: list[Finding] = []
        self._report_root = report_root

    async def explore(self, target: Target, **options: object) -> Exploration:
        """Explore ``target``'s interleavings and return what was found (no assertion)."""
        program, name, settings, rest = self._resolve(target, options)
        budget = Budget(
            schedules=settings.schedules * (SLOW_FACTOR if is_slow() else 1),
            max_steps=settings.max_steps,
            stop_on_first=bool(rest.get("stop_on_first", True)),
        )
        return await explore_async(program, _strategy(settings), budget, name=name)

    async def check(self, target: Target, **options: object) -> Exploration:
        """Explore ``target`` and fail the test (:class:`FailingRunError`) on any failing run."""
        found = await self.explore(target, **options)
        if found.first is not None:
            raise await self._failure(target, found, options)
        return found

    async def expect_violation(
        self, target: Target, invariant: str | None = None, **options: object
    ) -> RunResult:
        """Explore ``target``; fail the test unless a run fails with ``invariant`` (any
        failure when None).  Returns the failing run (shrunk unless ``shrink=False``)."""
        found = await self.explore(target, **options)
        first = found.first
        if first is None:
            want = f"a violation of {invariant}" if invariant else "a failing run"
            raise AssertionError(
                f"expected {want}; {found.schedules} schedules of {found.strategy} found none"
            )
        if invariant is not None and first.outcome.code != invariant:
            expected = f"expected a violation of {invariant}; found another failure:"
            raise await self._failure(target, found, options, before=expected)
        return await self._shrunk(target, first, options)

    async def _failure(
        self,
        target: Target,
        found: Exploration,
        options: Mapping[str, object],
        *,
        before: str = "",
    ) -> FailingRunError:
        assert found.first is not None
        result = await self._shrunk(target, found.first, options)
        name = self._name(target)
        finding = self._record(name, result)
        after = f"found by {found.strategy} after {found.schedules} schedule(s)"
        if finding.report_dir is not None:
            after += f"\nreport files: {finding.report_dir}"
        return FailingRunError(result, program=name, before=before, after=after)

    async def _shrunk(
        self, target: Target, result: RunResult, options: Mapping[str, object]
    ) -> RunResult:
        program, _name, settings, rest = self._resolve(target, options)
        if not rest.get("shrink", True):
            return result
        return await shrink_async(program, result, max_steps=settings.max_steps)

    def _record(self, name: str, result: RunResult) -> Finding:
        from migsim.report._mermaid import render_mermaid
        from migsim.report._report import RunReport, write_report

        report = RunReport(
            name or "program",
            result.trace,
            result.outcome,
            result.token,
            preemptions=result.preemptions,
        )
        folder = None
        if self._report_root is not None:
            folder = self._report_root() / f"{name or 'program'}-{len(self.findings)}"
            write_report(report, folder)
        finding = Finding(name, result, render_mermaid(report), folder)
        self.findings.append(finding)
        return finding

    def _resolve(
        self, target: Target, options: Mapping[str, object]
    ) -> tuple[Program, str, Explore, dict[str, object]]:
        merged = {**self.options, **check_options(options, "sim call")}
        scenario = _scenario(target)
        base = scenario.explore if scenario is not None else Explore()
        picked = {k: v for k, v in merged.items() if k in SETTINGS}
        settings = attrs.evolve(base, **picked)  # type: ignore[arg-type]
        rest = {k: v for k, v in merged.items() if k not in SETTINGS}
        return _program(target, scenario), self._name(target), settings, rest

    @staticmethod
    def _name(target: Target) -> str:
        scenario = _scenario(target)
        if scenario is not None:
            return scenario.name
        return getattr(target, "__name__", "")


def _strategy(settings: Explore) -> Strategy:
    return make_strategy(
        settings.strategy,
        seed=settings.seed,
        depth=settings.depth,
        preemption_bound=settings.preemption_bound,
    )


def _scenario(target: Target) -> Scenario | None:
    if isinstance(target, Scenario):
        return target
    if isinstance(target, str | Path):
        from migsim.scenario._loader import load_scenario

        return load_scenario(target)
    return None


def _program(target: Target, scenario: Scenario | None) -> Program:
    if scenario is None:
        if not callable(target):
            raise HelperUsageError(
                f"sim explores a Scenario, a scenario file or a program (a callable "
                f"returning actors.Setup); got {type(target).__name__}"
            )
        return target
    from migsim._world import build_program

    program: Callable[[], Setup] = build_program(scenario)
    return program
