"""Shrink the workload too: delta-debug a failing scenario down to what the bug needs.

Shrinking a schedule (:func:`actors.shrink_async`) leaves every actor of the scenario in
the trace, however little it has to do with the failure.  :func:`reduce_scenario` then
shrinks the *scenario*: it tries, one at a time and in a fixed order, to drop a daemon, a
task, an address space, a task's program step, a page of a daemon's list, a page of an
address space, or CPUs, and keeps a reduction only when the reduced scenario is valid and
its search (the same ``[explore]`` settings, a bounded budget) still fails with the *same*
invariant.  After each kept reduction it starts over from the smaller scenario; it stops
when no candidate is kept (the result is then 1-minimal: dropping any one more part loses
the failure, within the attempt budget) or when the total budget is spent.

Everything is deterministic: the candidates come in the scenario's own order and every
search is seeded, so the same failing scenario always reduces to the same file.

Budget (:class:`ReduceBudget`): each attempt explores at most ``attempt_schedules``
schedules (by default four times the schedules the original search needed to fail, at
least 100, at most the scenario's own budget); the whole reduction at most
``max_attempts`` attempts and ``max_schedules`` schedules in all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

import actors
from migsim._errors import MigsimError
from migsim.scenario import Daemon, Expect, MmSpec, Scenario, Task, validate_scenario

Candidate = tuple[str, Scenario]


@attrs.frozen
class ReduceBudget:
    """How much work a reduction may do (see the module docstring)."""

    max_attempts: int = 200
    max_schedules: int = 20_000
    min_attempt_schedules: int = 100
    attempt_factor: int = 4

    def attempt_schedules(self, scenario: Scenario, found_at: int) -> int:
        """The schedule budget of one attempt."""
        wanted = max(self.min_attempt_schedules, self.attempt_factor * found_at)
        return min(scenario.explore.schedules, wanted)


@attrs.frozen
class Reduction:
    """A reduced scenario that still fails with ``invariant``.

    - ``scenario``: the reduced scenario (named ``<name>-reduced``, expecting the
      violation);
    - ``removed``: what was dropped, in the order it was, e.g. ``"daemon eager"``,
      ``"task T1 step 2 (read page 0)"``, ``"machine.cpus 3 -> 1"``;
    - ``run``: the reduced scenario's failing run, shrunk; its ``token`` replays it
      against ``scenario``;
    - ``attempts`` / ``schedules``: the work done; ``complete``: no candidate was left
      (False when the budget or a stop request ended the reduction first);
    - ``before`` / ``after``: the workload's size (:func:`size_of`) before and after;
    - ``path``: where the reduced scenario was written, if it was.
    """

    scenario: Scenario
    invariant: str
    removed: tuple[str, ...]
    run: actors.RunResult
    attempts: int
    schedules: int
    complete: bool
    before: dict[str, int] = attrs.field(factory=dict, eq=False)
    after: dict[str, int] = attrs.field(factory=dict, eq=False)
    path: Path | None = None

    @property
    def token(self) -> str:
        """The replay token of the reduced scenario's failing run."""
        return self.run.token


async def reduce_scenario_async(
    scenario: Scenario,
    invariant: str,
    *,
    found_at: int = 1,
    budget: ReduceBudget = ReduceBudget(),
    should_stop: Callable[[], bool] | None = None,
    on_attempt: Callable[[int, int], None] | None = None,
) -> Reduction | None:
    """Reduce ``scenario``, which fails with ``invariant`` after ``found_at`` schedules.

    ``should_stop`` is asked before every attempt (once it answers True the reduction
    ends with what it has); ``on_attempt(attempt, removed)`` is told of each attempt, for
    a progress display.  Returns None when the scenario itself does not fail with
    ``invariant`` within an attempt's budget (nothing to reduce from).
    """
    state = _State(invariant, budget.attempt_schedules(scenario, found_at), budget, should_stop)
    current = attrs.evolve(
        scenario,
        name=_reduced_name(scenario.name),
        description=f"{scenario.name} reduced to what its {invariant} failure needs",
        expect=Expect("violation", invariant),
    )
    run = await state.fails(current)
    if run is None:
        return None
    removed: list[str] = []
    complete = False
    while not complete and state.can_try():
        complete = True
        for label, candidate in candidates(current):
            if not state.can_try():
                complete = False
                break
            if on_attempt is not None:
                on_attempt(state.attempts + 1, len(removed))
            found = await state.fails(candidate)
            if found is not None:
                current, run, complete = candidate, found, False
                removed.append(label)
                break
    shrunk = await _shrink(current, run)
    return Reduction(
        current,
        invariant,
        tuple(removed),
        shrunk,
        state.attempts,
        state.schedules,
        complete,
        size_of(scenario),
        size_of(current),
    )


reduce_scenario = actors.blocking(reduce_scenario_async)


class _State:
    """The reduction's budget and its one question: does this scenario still fail?"""

    def __init__(
        self,
        invariant: str,
        per_attempt: int,
        budget: ReduceBudget,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        self.invariant = invariant
        self.per_attempt = per_attempt
        self.budget = budget
        self.should_stop = should_stop
        self.attempts = 0
        self.schedules = 0

    def can_try(self) -> bool:
        if self.should_stop is not None and self.should_stop():
            return False
        return (
            self.attempts < self.budget.max_attempts
            and self.schedules + self.per_attempt <= self.budget.max_schedules
        )

    async def fails(self, scenario: Scenario) -> actors.RunResult | None:
        """The first failing run of ``scenario``'s search if it fails with the invariant
        (an invalid or unbuildable candidate does not: it is skipped)."""
        from migsim._pipeline import Subject, make_strategy

        self.attempts += 1
        try:
            subject = Subject.of_scenario(validate_scenario(scenario))
        except (MigsimError, ValueError):
            return None
        settings = scenario.explore
        budget = actors.Budget(schedules=self.per_attempt, max_steps=settings.max_steps)
        exploration = await actors.explore_async(
            subject.program, make_strategy(settings), budget, name=subject.program_name
        )
        self.schedules += exploration.schedules
        first = exploration.first
        return first if first is not None and first.outcome.code == self.invariant else None


async def _shrink(scenario: Scenario, run: actors.RunResult) -> actors.RunResult:
    from migsim._pipeline import Subject

    program = Subject.of_scenario(scenario).program
    max_steps = scenario.explore.max_steps
    shrunk = await actors.shrink_async(program, run, max_steps=max_steps)
    return shrunk if shrunk.outcome.code == run.outcome.code else run


def _reduced_name(name: str) -> str:
    return name if name.endswith("-reduced") else f"{name}-reduced"


def candidates(s: Scenario) -> Iterator[Candidate]:
    """Every one-part reduction of ``s``, coarse ones first (whole daemons and tasks
    before steps and pages), each labelled with what it removes.  Some are invalid (a
    task whose address space came from a dropped fork): the caller skips those."""
    yield from _drop_daemons(s)
    yield from _drop_tasks(s)
    yield from _drop_mms(s)
    yield from _fewer_cpus(s)
    yield from _drop_steps(s)
    yield from _drop_daemon_pages(s)
    yield from _fewer_passes(s)
    yield from _drop_pages(s)


def _drop_daemons(s: Scenario) -> Iterator[Candidate]:
    for i, d in enumerate(s.daemon):
        rest = s.daemon[:i] + s.daemon[i + 1 :]
        yield f"daemon {d.name or f'{d.kind}[{i}]'}", attrs.evolve(s, daemon=rest)


def _drop_tasks(s: Scenario) -> Iterator[Candidate]:
    for i, t in enumerate(s.task):
        yield f"task {t.name}", attrs.evolve(s, task=s.task[:i] + s.task[i + 1 :])


def _drop_mms(s: Scenario) -> Iterator[Candidate]:
    for i, mm in enumerate(s.mm):
        yield f"mm {mm.name}", attrs.evolve(s, mm=s.mm[:i] + s.mm[i + 1 :])


def _fewer_cpus(s: Scenario) -> Iterator[Candidate]:
    """All tasks on one CPU; else the CPUs in use numbered 0..k-1 and no more."""
    cpus = s.machine.cpus
    if cpus > 1:
        one = tuple(attrs.evolve(t, cpu=0) for t in s.task)
        yield (
            f"machine.cpus {cpus} -> 1",
            attrs.evolve(s, machine=attrs.evolve(s.machine, cpus=1), task=one),
        )
    used = sorted({t.cpu for t in s.task})
    if 1 < len(used) < cpus:
        number = {cpu: k for k, cpu in enumerate(used)}
        moved = tuple(attrs.evolve(t, cpu=number[t.cpu]) for t in s.task)
        machine = attrs.evolve(s.machine, cpus=len(used))
        yield f"machine.cpus {cpus} -> {len(used)}", attrs.evolve(s, machine=machine, task=moved)


def _drop_steps(s: Scenario) -> Iterator[Candidate]:
    for i, t in enumerate(s.task):
        for k, step in enumerate(t.program):
            program = t.program[:k] + t.program[k + 1 :]
            task = attrs.evolve(t, program=program)
            what = step.op + ("" if step.page is None else f" page {step.page}")
            yield f"task {t.name} step {k} ({what})", _with_task(s, i, task)


def _with_task(s: Scenario, i: int, task: Task) -> Scenario:
    return attrs.evolve(s, task=(*s.task[:i], task, *s.task[i + 1 :]))


def _drop_daemon_pages(s: Scenario) -> Iterator[Candidate]:
    """One page of a daemon's list (never the last: a migrate daemon needs one, and an
    empty kswapd list means "scan the LRU", not less work)."""
    for i, d in enumerate(s.daemon):
        if len(d.pages) < 2:
            continue
        for k, page in enumerate(d.pages):
            daemon = attrs.evolve(d, pages=d.pages[:k] + d.pages[k + 1 :])
            rest = (*s.daemon[:i], daemon, *s.daemon[i + 1 :])
            yield f"daemon {d.name or f'{d.kind}[{i}]'} page {page}", attrs.evolve(s, daemon=rest)


def _fewer_passes(s: Scenario) -> Iterator[Candidate]:
    for i, d in enumerate(s.daemon):
        if d.passes > 1:
            rest = (*s.daemon[:i], attrs.evolve(d, passes=1), *s.daemon[i + 1 :])
            label = f"daemon {d.name or f'{d.kind}[{i}]'} passes {d.passes} -> 1"
            yield label, attrs.evolve(s, daemon=rest)


def _drop_pages(s: Scenario) -> Iterator[Candidate]:
    """A page no step or daemon names, the pages above it numbered one lower."""
    for i, mm in enumerate(s.mm):
        if mm.pages < 2:
            continue
        family = _family(s, mm.name)
        used = _pages_named(s, family)
        for page in range(mm.pages - 1, -1, -1):  # the last first: it renumbers nothing
            if page not in used:
                yield f"page {mm.name}:{page}", _without_page(s, i, page, family)


def _family(s: Scenario, name: str) -> frozenset[str]:
    """``name`` and the address spaces forked from it (they share its page numbers)."""
    family = {name}
    grew = True
    while grew:
        children = {
            step.child
            for t in s.task
            if t.mm in family
            for step in t.program
            if step.op == "fork" and step.child is not None
        }
        grew = not children <= family
        family |= children
    return frozenset(family)


def _pages_named(s: Scenario, family: frozenset[str]) -> set[int]:
    pages = {st.page for t in s.task if t.mm in family for st in t.program if st.page is not None}
    for d in s.daemon:
        for ref in d.pages:
            mm, _, page = ref.partition(":")
            if mm in family and page.isdigit():
                pages.add(int(page))
    return pages


def _without_page(s: Scenario, i: int, page: int, family: frozenset[str]) -> Scenario:
    def lower(p: int) -> int:
        return p - 1 if p > page else p

    mm = s.mm[i]
    state = mm.state[:page] + mm.state[page + 1 :] if len(mm.state) > 1 else mm.state
    mlocked = tuple(lower(p) for p in mm.mlocked if p != page)
    smaller = MmSpec(mm.name, mm.pages - 1, mm.node, state, mlocked)
    tasks = tuple(
        attrs.evolve(
            t,
            program=tuple(
                attrs.evolve(st, page=lower(st.page)) if st.page is not None else st
                for st in t.program
            ),
        )
        if t.mm in family
        else t
        for t in s.task
    )
    daemons = tuple(_renumber_refs(d, family, lower) for d in s.daemon)
    mms = (*s.mm[:i], smaller, *s.mm[i + 1 :])
    return attrs.evolve(s, mm=mms, task=tasks, daemon=daemons)


def _renumber_refs(d: Daemon, family: frozenset[str], lower: Callable[[int], int]) -> Daemon:
    refs = []
    for ref in d.pages:
        mm, _, page = ref.partition(":")
        refs.append(f"{mm}:{lower(int(page))}" if mm in family and page.isdigit() else ref)
    return attrs.evolve(d, pages=tuple(refs))


def size_of(s: Scenario) -> dict[str, int]:
    """How big a scenario's workload is: tasks, daemons, program steps, pages (of the
    address spaces and the daemons' lists) and CPUs."""
    return {
        "tasks": len(s.task),
        "daemons": len(s.daemon),
        "steps": sum(len(t.program) for t in s.task),
        "pages": sum(mm.pages for mm in s.mm),
        "daemon_pages": sum(len(d.pages) for d in s.daemon),
        "cpus": s.machine.cpus,
    }
