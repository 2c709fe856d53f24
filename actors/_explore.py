"""Running programs: one schedule, a whole exploration, or the replay of a token.

Each entry point is written once, as an ``async def`` for use inside a trio run
(``explore_async``, ``replay_token_async``, ``run_schedule_async``); its blocking form
(``explore``, ``replay_token``, ``run_schedule``) is derived by
:func:`~actors.blocking` and runs it in a fresh ``trio.run``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import attrs

from actors._blocking import blocking
from actors._chooser import Chooser
from actors._errors import ActorUsageError, ReplayDivergence
from actors._outcome import Outcome
from actors._replay import ReplayChooser
from actors._scheduler import Program, Run, Setup
from actors._strategy import FinishedRun, Strategy
from actors._token import Token
from actors._trace import Trace


@attrs.frozen
class Budget:
    """Limits of an exploration: schedules to run, steps per schedule, stop at first bug."""

    schedules: int = 1000
    max_steps: int = 10_000
    stop_on_first: bool = True


@attrs.frozen
class RunResult:
    """One run: how it ended, its trace, its choices and its replay token."""

    outcome: Outcome
    trace: Trace
    choices: tuple[int, ...]
    preemptions: int
    pruned: bool = False
    preempted_at: tuple[int, ...] = ()
    state: Hashable | None = attrs.field(default=None, eq=False, repr=False)
    name: str = ""
    strategy: str = ""

    @property
    def token(self) -> str:
        """The replay token (computed on demand: most runs of an exploration never need it)."""
        return Token(self.name, self.strategy, self.trace.fingerprint(), self.choices).encode()

    @property
    def steps(self) -> int:
        """Number of steps taken."""
        return len(self.trace)

    @property
    def failed(self) -> bool:
        """True when the run found something (violation, deadlock, liveness, error)."""
        return self.outcome.failed


@attrs.frozen
class Progress:
    """A snapshot for progress displays."""

    schedules: int
    steps: int
    coverage: int
    violations: int
    budget: int


@attrs.frozen
class Exploration:
    """What an exploration did and found."""

    strategy: str
    schedules: int
    pruned: int
    steps: int
    coverage: int
    distinct_states: int
    max_preemptions: int
    step_bound_hits: int
    exhaustive_complete: bool
    violations: tuple[RunResult, ...]

    @property
    def first(self) -> RunResult | None:
        """The first failing run, if any."""
        return self.violations[0] if self.violations else None


ProgressCallback = Callable[[Progress], None]


async def run_schedule_async(
    program: Program,
    chooser: Chooser | Strategy,
    *,
    max_steps: int = 10_000,
    name: str = "",
    strategy: str = "",
) -> RunResult:
    """Run ``program`` once, every choice made by ``chooser``, and return the run.

    ``chooser`` is a :class:`~actors.Chooser`, or a :class:`~actors.Strategy` whose next
    schedule is run (e.g. ``RandomWalk(seed)``; the strategy learns nothing from it).
    ``name`` is the program name and ``strategy`` the strategy text the run's replay
    token carries (default: the strategy's ``describe()``, or nothing for a bare chooser).
    Raises :class:`~actors.ActorUsageError` when ``program`` does not return a
    :class:`~actors.Setup` or the strategy has no schedule left.
    """
    if isinstance(chooser, Strategy):
        label = strategy or chooser.describe()
        picked = chooser.next_chooser()
        if picked is None:
            raise ActorUsageError(f"strategy {chooser.describe()} has no schedule to run")
        return await _run_chooser(program, picked, max_steps, name, label)
    return await _run_chooser(program, chooser, max_steps, name, strategy)


run_schedule = blocking(run_schedule_async)


async def _run_chooser(
    program: Program, chooser: Chooser, max_steps: int, name: str, label: str
) -> RunResult:
    setup = program()
    if not isinstance(setup, Setup):
        raise ActorUsageError(
            "a program must return actors.Setup(actors=..., monitors=...), "
            f"got {type(setup).__name__}"
        )
    run = Run(setup, chooser, max_steps)
    await run.drive()
    return _result(run, name, label)


def _result(run: Run, name: str, strategy: str) -> RunResult:
    trace = Trace(run.names, tuple(run.trace))
    outcome = run.outcome
    assert outcome is not None
    return RunResult(
        outcome,
        trace,
        tuple(run.choices),
        run.preemptions,
        run.pruned,
        tuple(run.preempted_at),
        run.state_key(),
        name,
        strategy,
    )


class _Stats:
    def __init__(self) -> None:
        self.schedules = self.pruned = self.steps = self.max_preemptions = self.bound_hits = 0
        self.coverage: set[tuple[int, str, str]] = set()
        self.states: set[Hashable] = set()
        self.violations: list[RunResult] = []

    def add(self, result: RunResult) -> None:
        self.steps += result.steps
        if result.pruned:
            self.pruned += 1
            return
        self.schedules += 1
        self.coverage.update((r[0], r[1], r[2]) for r in result.trace.raw)
        self.max_preemptions = max(self.max_preemptions, result.preemptions)
        if result.outcome.code == "step-bound":
            self.bound_hits += 1
        if result.state is not None:
            self.states.add(result.state)
        if result.failed:
            self.violations.append(result)


async def explore_async(
    program: Program,
    strategy: Strategy,
    budget: Budget | None = None,
    *,
    name: str = "",
    on_progress: ProgressCallback | None = None,
    progress_every: int = 50,
) -> Exploration:
    """Explore ``program``: run schedules chosen by ``strategy`` until the budget is spent,
    the strategy is exhausted, or (with ``stop_on_first``) a run fails.

    All schedules run in the current trio run.  ``name`` is the program name the runs'
    replay tokens carry; ``on_progress`` is called every ``progress_every`` runs and once
    at the end.  A systematic strategy that sees the program behave differently on the
    same prefix raises :class:`~actors.ActorUsageError` (the program is not deterministic).
    """
    budget = budget or Budget()
    stats = _Stats()
    runs = 0
    while stats.schedules < budget.schedules:
        result = await run_next(program, strategy, max_steps=budget.max_steps, name=name)
        if result is None:
            break
        stats.add(result)
        runs += 1
        if on_progress is not None and runs % progress_every == 0:
            on_progress(_progress(stats, budget))
        if result.failed and not result.pruned and budget.stop_on_first:
            break
    if on_progress is not None:
        on_progress(_progress(stats, budget))
    return _exploration(stats, strategy, strategy.describe())


async def run_next(
    program: Program, strategy: Strategy, *, max_steps: int, name: str = "", label: str = ""
) -> RunResult | None:
    """Run the strategy's next schedule and feed the run back to it (None: exhausted).

    ``label`` is the strategy name the run's token carries (default: the strategy's own).
    Raises ActorUsageError when a systematic strategy saw the program behave differently
    on the same prefix (the program is not deterministic).
    """
    chooser = strategy.next_chooser()
    if chooser is None:
        return None
    result = await _run_chooser(program, chooser, max_steps, name, label or strategy.describe())
    strategy.finished(
        FinishedRun(result.trace.raw, result.trace.actors, result.choices, result.pruned)
    )
    problem = getattr(strategy, "nondeterminism", None)
    if problem:
        raise ActorUsageError(problem)
    return result


def _progress(stats: _Stats, budget: Budget) -> Progress:
    return Progress(
        stats.schedules, stats.steps, len(stats.coverage), len(stats.violations), budget.schedules
    )


def _exploration(stats: _Stats, strategy: Strategy, desc: str) -> Exploration:
    complete = bool(strategy.exhausted) and stats.bound_hits == 0 and not stats.violations
    return Exploration(
        strategy=desc,
        schedules=stats.schedules,
        pruned=stats.pruned,
        steps=stats.steps,
        coverage=len(stats.coverage),
        distinct_states=len(stats.states),
        max_preemptions=stats.max_preemptions,
        step_bound_hits=stats.bound_hits,
        exhaustive_complete=complete,
        violations=tuple(stats.violations),
    )


explore = blocking(explore_async)


async def run_choices_async(
    program: Program,
    choices: tuple[int, ...] | list[int | None],
    *,
    strict: bool = True,
    max_steps: int = 10_000,
    name: str = "",
    strategy: str = "replay",
) -> RunResult:
    """Run ``program`` following a choice list (strict: raise on divergence)."""
    chooser = ReplayChooser(choices, strict=strict)
    result = await _run_chooser(program, chooser, max_steps, name, strategy)
    if strict:
        chooser.check_complete()
    return result


async def replay_token_async(program: Program, token: str, *, max_steps: int = 10_000) -> RunResult:
    """Replay a token: the same trace, byte for byte, in any process.

    Raises :class:`~actors.TokenError` for a malformed token, and
    :class:`~actors.ReplayDivergence` (the step, what the recording expected and what was
    found) if the program changed since the token was recorded.
    """
    parsed = Token.parse(token)
    result = await run_choices_async(
        program, parsed.choices, max_steps=max_steps, name=parsed.program, strategy=parsed.strategy
    )
    fingerprint = result.trace.fingerprint()
    if fingerprint != parsed.fingerprint:
        raise ReplayDivergence(
            result.steps,
            f"trace fingerprint {parsed.fingerprint}",
            f"{fingerprint}",
            "same choices, different steps: the program or its inputs changed",
        )
    return result


replay_token = blocking(replay_token_async)
