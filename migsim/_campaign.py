"""Exploring a scenario end to end: build, explore, shrink, explain, report.

This is the engine behind ``migsim explore``, ``replay``, ``shrink``, ``run`` and
``check``, kept apart from argument parsing and printing so that it can be used (and
tested) from Python.  Everything here is deterministic except ``elapsed_s``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

import actors
from migsim._errors import MigsimError
from migsim._explain import Explanation, explain
from migsim._report import RunReport, write_report
from migsim._scenario import Explore, Scenario

ProgressCallback = Callable[[actors.Progress], None]


class BuildError(MigsimError, ValueError):
    """The scenario is valid but cannot be built: a policy that does not resolve, or an
    initial state the kernel model rejects."""


def make_strategy(settings: Explore) -> actors.Strategy:
    """The runtime strategy for ``[explore]`` settings."""
    if settings.strategy == "random":
        return actors.random_walk(settings.seed)
    if settings.strategy == "pct":
        return actors.pct(settings.seed, settings.depth)
    if settings.strategy == "dfs":
        return actors.dfs(dpor=True, preemption_bound=settings.preemption_bound)
    return actors.portfolio(settings.seed)


def build(scenario: Scenario) -> actors.Program:
    """The scenario's program (fresh kernel and actors per call), checked by building once."""
    try:
        from migsim._world import build_program
    except ImportError as exc:  # pragma: no cover - only while the world builder is missing
        raise BuildError(f"the kernel world builder is not available: {exc}") from None
    try:
        program = build_program(scenario)
        program()  # build the initial state once, so that a bad one is reported up front
    except ValueError as exc:  # PolicyError and WorldError are ValueErrors
        raise BuildError(f"scenario {scenario.name!r}: {exc}") from None
    return program


@attrs.frozen
class Found:
    """A failure, shrunk and explained, with its report files."""

    first: actors.RunResult
    shrunk: actors.RunResult
    explanation: Explanation
    files: tuple[Path, ...]
    report: RunReport


@attrs.frozen
class Campaign:
    """The result of exploring one scenario."""

    scenario: Scenario
    exploration: actors.Exploration
    found: Found | None
    elapsed_s: float

    @property
    def outcome(self) -> str:
        """ "ok", or the kind of the failure found."""
        return self.found.shrunk.outcome.kind if self.found else "ok"


def explore_scenario(
    scenario: Scenario,
    *,
    out_dir: Path | None,
    replay_hint: Callable[[str], str],
    on_progress: ProgressCallback | None = None,
    do_shrink: bool = True,
) -> Campaign:
    """Explore ``scenario`` under its ``[explore]`` settings; shrink, explain and report the
    first failure (report files go to ``out_dir`` unless it is None)."""
    program = build(scenario)
    settings = scenario.explore
    budget = actors.Budget(schedules=settings.schedules, max_steps=settings.max_steps)
    start = time.perf_counter()
    exploration = actors.explore(
        program,
        make_strategy(settings),
        budget,
        name=scenario.name,
        on_progress=on_progress,
        progress_every=10,
    )
    found = None
    if exploration.first is not None:
        first = exploration.first
        shrunk = shrink_run(program, first, settings.max_steps) if do_shrink else first
        found = report_failure(
            scenario.name,
            first,
            shrunk,
            out_dir=out_dir,
            replay_hint=replay_hint,
            stats=_stats(exploration),
        )
    return Campaign(scenario, exploration, found, time.perf_counter() - start)


def shrink_run(
    program: actors.Program, failing: actors.RunResult, max_steps: int
) -> actors.RunResult:
    """The minimal failing run (fewest preemptions, then steps) showing the same failure."""
    return actors.shrink(program, failing, max_steps=max_steps)


def report_failure(
    name: str,
    first: actors.RunResult,
    shown: actors.RunResult,
    *,
    out_dir: Path | None,
    replay_hint: Callable[[str], str],
    stats: tuple[tuple[str, str], ...] = (),
) -> Found:
    """Explain ``shown`` and write its report files."""
    explanation = explain(shown.trace, shown.outcome)
    report = RunReport(
        scenario=name,
        trace=shown.trace,
        outcome=shown.outcome,
        token=shown.token,
        replay=replay_hint(shown.token),
        preemptions=shown.preemptions,
        stats=stats,
        explanation=explanation,
    )
    files = write_report(report, out_dir) if out_dir is not None else ()
    return Found(first, shown, explanation, files, report)


def _stats(exploration: actors.Exploration) -> tuple[tuple[str, str], ...]:
    return (
        ("strategy", exploration.strategy),
        ("schedules", str(exploration.schedules)),
        ("explored", f"{exploration.steps} steps, coverage {exploration.coverage}"),
    )


def replay(scenario: Scenario, token: str) -> actors.RunResult:
    """Replay a token against the scenario (ReplayDivergence if the program changed)."""
    return actors.replay_token(build(scenario), token, max_steps=scenario.explore.max_steps)


def run_once(scenario: Scenario) -> actors.RunResult:
    """One schedule chosen by the scenario's strategy and seed."""
    strategy = make_strategy(scenario.explore)
    return actors.run_schedule(
        build(scenario), strategy, max_steps=scenario.explore.max_steps, name=scenario.name
    )


def replay_command(token: str, file: str, overrides: Sequence[str]) -> str:
    """The one-line shell command that replays ``token``."""
    sets = "".join(f" --set {_quote(o)}" for o in overrides)
    return f"migsim replay {token} {_quote(file)}{sets}"


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
