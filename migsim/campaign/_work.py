"""Running one work unit, in any process: a local worker or a Dask worker.

A unit is deterministic: the same unit gives the same :class:`UnitResult` in any process,
so where it ran, and how often it was retried after a worker died, changes nothing.
The first failure of each invariant in a unit is shrunk there, in the worker, so that
shrinking is spread across the workers too.
"""

from __future__ import annotations

import functools

import attrs

import actors
from migsim._pipeline import Subject
from migsim.campaign._plan import Unit
from migsim.scenario import dump_scenario, loads_scenario


@attrs.frozen
class UnitFailure:
    """One failing schedule of a unit: its invariant (or failure kind), its replay token,
    the minimal token it shrinks to (None: not shrunk, as only the first failure of each
    invariant in a unit is), and ``at``, its index among the unit's schedules."""

    invariant: str
    token: str
    shrunk_token: str | None
    at: int


@attrs.frozen
class UnitResult:
    """What a unit did: counts, its coverage items (actor/op/label) and its failures."""

    key: str
    schedules: int
    pruned: int
    steps: int
    exhaustive: bool
    coverage: tuple[str, ...]
    failures: tuple[UnitFailure, ...]
    strategy: str = ""
    max_preemptions: int = 0
    step_bound_hits: int = 0

    @property
    def first_failure_at(self) -> int | None:
        """The index of the unit's first failing schedule (None: none failed)."""
        return self.failures[0].at if self.failures else None


class _Observed:
    """A strategy whose runs are watched: coverage items, and each schedule's choices."""

    def __init__(self, inner: actors.Strategy) -> None:
        self.inner = inner
        self.coverage: set[str] = set()
        self.order: list[tuple[int, ...]] = []  # each schedule's choices, in run order

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
            self.order.append(run.choices)
            self.coverage.update(f"{run.actors[r[0]]}/{r[1]}/{r[2]}" for r in run.trace)
        self.inner.finished(run)


@functools.lru_cache(maxsize=16)
def _subject(text: str) -> Subject:
    return Subject.of_scenario(loads_scenario(text))


def _strategy(unit: Unit, subject: Subject) -> actors.Strategy:
    s = subject.settings
    if unit.prefix or unit.systematic:
        return actors.SubtreeDFS(unit.prefix, preemption_bound=s.preemption_bound)
    return actors.make_strategy(unit.strategy, seed=unit.seed, depth=s.depth)


def run_unit(unit: Unit) -> UnitResult:
    """Run ``unit`` (blocking, a fresh trio run) and return what it found."""
    subject = _subject(unit.text)
    observed = _Observed(_strategy(unit, subject))
    count = unit.count or subject.settings.schedules
    budget = actors.Budget(count, subject.settings.max_steps, stop_on_first=unit.stop_on_first)
    x = actors.explore(subject.program, observed, budget, name=subject.program_name)
    return UnitResult(
        unit.key,
        x.schedules,
        x.pruned,
        x.steps,
        bool(observed.exhausted) and x.step_bound_hits == 0,
        tuple(sorted(observed.coverage)),
        _failures(subject, x.violations, observed.order),
        x.strategy,
        x.max_preemptions,
        x.step_bound_hits,
    )


def _failures(
    subject: Subject, runs: tuple[actors.RunResult, ...], order: list[tuple[int, ...]]
) -> tuple[UnitFailure, ...]:
    shrunk: dict[str, str] = {}  # invariant -> the shrunk token of its first failure
    found = []
    at = -1
    for run in runs:  # in run order: each is the next schedule with its choices
        at = order.index(run.choices, at + 1)
        invariant = run.outcome.code or run.outcome.kind
        mine = None
        if invariant not in shrunk:
            small = actors.shrink(subject.program, run, max_steps=subject.settings.max_steps)
            mine = shrunk[invariant] = small.token
        found.append(UnitFailure(invariant, run.token, mine, at))
    return tuple(found)


def reduce_failure(job: tuple[str, str, int]) -> str:
    """Reduce a failing scenario (its TOML, the invariant, the schedules it took to fail)
    to what the failure needs (:func:`migsim.reduce_scenario`); the reduced scenario's
    TOML, or "" when it does not reduce (no failure within the reduction's budget)."""
    from migsim import reduce_scenario
    from migsim._errors import MigsimError

    text, invariant, found_at = job
    try:
        r = reduce_scenario(loads_scenario(text), invariant, found_at=max(found_at, 1))
    except MigsimError:
        return ""
    return "" if r is None else dump_scenario(r.scenario)
