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

from actors import STRATEGIES, Exploration, Program, RunResult
from actors.testing import HelperUsageError
from migsim import _pipeline as pipeline
from migsim._result import Result
from migsim.report import render_mermaid, write_report
from migsim.scenario import Explore, Scenario, load_scenario
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
        result = await self._run(target, options, shrink=False)
        return result.exploration

    async def check(self, target: Target, **options: object) -> Exploration:
        """Explore ``target`` and fail the test (:class:`FailingRunError`) on any failing run."""
        result = await self._run(target, options)
        if result.finding is not None:
            raise self._failure(result)
        return result.exploration

    async def expect_violation(
        self, target: Target, invariant: str | None = None, **options: object
    ) -> RunResult:
        """Explore ``target``; fail the test unless a run fails with ``invariant`` (any
        failure when None).  Returns the failing run (shrunk unless ``shrink=False``)."""
        result = await self._run(target, options)
        found = result.exploration
        if result.finding is None:
            want = f"a violation of {invariant}" if invariant else "a failing run"
            raise AssertionError(
                f"expected {want}; {found.schedules} schedules of {found.strategy} found none"
            )
        if invariant is not None and result.finding.invariant != invariant:
            expected = f"expected a violation of {invariant}; found another failure:"
            raise self._failure(result, before=expected)
        return result.finding.shrunk

    async def _run(
        self, target: Target, options: Mapping[str, object], *, shrink: bool | None = None
    ) -> Result:
        """The one pipeline, with this test's settings (reports are written on failure)."""
        subject, rest = self._resolve(target, options)
        settings = pipeline.Options(
            shrink=bool(rest.get("shrink", True)) if shrink is None else shrink,
            stop_on_first=bool(rest.get("stop_on_first", True)),
            schedules_factor=SLOW_FACTOR if is_slow() else 1,
        )
        return await pipeline.explore_async(subject, settings)

    def _failure(self, result: Result, *, before: str = "") -> FailingRunError:
        assert result.finding is not None
        finding = self._record(result)
        x = result.exploration
        after = f"found by {x.strategy} after {x.schedules} schedule(s)"
        if finding.report_dir is not None:
            after += f"\nreport files: {finding.report_dir}"
        shrunk = result.finding.shrunk
        return FailingRunError(shrunk, program=result.subject.name, before=before, after=after)

    def _record(self, result: Result) -> Finding:
        report = result.report()
        assert report is not None
        assert result.shown is not None
        name = result.subject.name
        folder = None
        if self._report_root is not None:
            folder = self._report_root() / f"{name or 'program'}-{len(self.findings)}"
            write_report(report, folder)
        finding = Finding(name, result.shown, render_mermaid(report), folder)
        self.findings.append(finding)
        return finding

    def _resolve(
        self, target: Target, options: Mapping[str, object]
    ) -> tuple[pipeline.Subject, dict[str, object]]:
        merged = {**self.options, **check_options(options, "sim call")}
        scenario = _scenario(target)
        base = scenario.explore if scenario is not None else Explore()
        picked = {k: v for k, v in merged.items() if k in SETTINGS}
        settings = attrs.evolve(base, **picked)  # type: ignore[arg-type]
        rest = {k: v for k, v in merged.items() if k not in SETTINGS}
        if scenario is not None:
            subject = pipeline.Subject.of_scenario(attrs.evolve(scenario, explore=settings))
        elif callable(target):
            subject = pipeline.Subject.of_program(target, settings)
        else:
            raise HelperUsageError(
                f"sim explores a Scenario, a scenario file or a program (a callable "
                f"returning actors.Setup); got {type(target).__name__}"
            )
        return subject, rest


def _scenario(target: Target) -> Scenario | None:
    if isinstance(target, Scenario):
        return target
    if isinstance(target, str | Path):
        return load_scenario(target)
    return None
