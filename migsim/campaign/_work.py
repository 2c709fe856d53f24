"""Running one work unit, in any process: a local worker or a Dask worker."""

from __future__ import annotations

import functools

import attrs

import actors
from migsim._pipeline import Subject
from migsim.campaign._plan import Unit
from migsim.scenario import loads_scenario


@attrs.frozen
class UnitResult:
    """What a unit did: counts, its coverage items and its failures (invariant, token)."""

    key: str
    schedules: int
    pruned: int
    steps: int
    exhaustive: bool
    coverage: tuple[str, ...]
    failures: tuple[tuple[str, str], ...]
    first_failure_at: int | None


class _Observed:
    """A strategy whose runs' coverage items are collected (actor/op/label)."""

    def __init__(self, inner: actors.Strategy) -> None:
        self.inner = inner
        self.coverage: set[str] = set()

    @property
    def exhausted(self) -> bool:
        return self.inner.exhausted

    @property
    def nondeterminism(self) -> str | None:
        return getattr(self.inner, "nondeterminism", None)

    def describe(self) -> str:
        return self.inner.describe()

    def next_chooser(self) -> actors.Chooser | None:
        return self.inner.next_chooser()

    def finished(self, run: actors.FinishedRun) -> None:
        if not run.pruned:
            self.coverage.update(f"{run.actors[r[0]]}/{r[1]}/{r[2]}" for r in run.trace)
        self.inner.finished(run)


@functools.lru_cache(maxsize=16)
def _subject(text: str) -> Subject:
    return Subject.of_scenario(loads_scenario(text))


def _strategy(unit: Unit, subject: Subject) -> actors.Strategy:
    s = subject.settings
    if unit.prefix or actors.STRATEGIES[unit.strategy].systematic:
        return actors.SubtreeDFS(unit.prefix, preemption_bound=s.preemption_bound)
    return actors.make_strategy(unit.strategy, seed=unit.seed, depth=s.depth)


def run_unit(unit: Unit) -> UnitResult:
    """Run ``unit`` (blocking, a fresh trio run) and return what it found."""
    subject = _subject(unit.text)
    observed = _Observed(_strategy(unit, subject))
    count = unit.count or subject.settings.schedules
    budget = actors.Budget(count, subject.settings.max_steps, stop_on_first=False)
    x = actors.explore(subject.program, observed, budget, name=subject.program_name)
    first = None
    failures = tuple((r.outcome.code or r.outcome.kind, r.token) for r in x.violations)
    return UnitResult(
        unit.key,
        x.schedules,
        x.pruned,
        x.steps,
        bool(observed.exhausted) and x.step_bound_hits == 0,
        tuple(sorted(observed.coverage)),
        failures,
        first,
    )
