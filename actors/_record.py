"""Replay with state: run a recorded schedule again, noting what each step saw and left.

Exploration records only who did what (:mod:`actors._trace`); a report also wants the
values involved ("cpu0 read pte A:0 = mig:1; kswapd rewrote it to swp0:0").  Reading the
program's state at every step would slow every schedule down, so it is done only here:
the failing run's choice list is replayed once more, with the program's state probe (the
``probe`` hook of :mod:`actors._monitor`) asked about each key of each step's footprint,

- *before* the step: right after the scheduler recorded it, before its actor goes on;
- *after* the step: when the step is finished (where step monitors run), ahead of every
  other step monitor, so the step that breaks an invariant has its values too.

The recorder wraps the hooks of that one :class:`~actors._scheduler.Run` object; the
scheduler's code, and so every other run, is untouched: state recording costs nothing
while exploring.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import attrs

from actors._blocking import blocking
from actors._errors import ActorUsageError, ReplayDivergence
from actors._explore import RunResult, _result
from actors._footprint import Footprint, Key, keys
from actors._outcome import Violation
from actors._replay import ReplayChooser
from actors._scheduler import Program, Run, Setup
from actors._trace import KeyState, StepState, Trace

Probe = Callable[[Key], Hashable | None]


class StateRecorder:
    """Notes the before and after values of each step's footprint keys in one run."""

    def __init__(self, run: Run, probe: Probe) -> None:
        self._run = run
        self._probe = probe
        self._before: list[tuple[tuple[Key, Hashable], ...]] = []
        self._after: dict[int, tuple[Hashable, ...]] = {}
        inner = run._execute

        def execute(aid: int) -> object:
            value = inner(aid)
            self._note_before(run.trace[-1][3])
            return value

        run._execute = execute  # type: ignore[method-assign]
        hooks = attrs.evolve(run.hooks, on_step=(self._on_step, *run.hooks.on_step))
        run.hooks, run._on_step = hooks, hooks.on_step

    def _note_before(self, footprint: Footprint) -> None:
        known = []
        for key in keys(footprint):
            value = self._probe(key)
            if value is not None:
                known.append((key, value))
        self._before.append(tuple(known))

    def _on_step(self, step_index: int, actor: str) -> Violation | None:
        """The after-values of the step just finished (never a violation)."""
        self._after[step_index] = tuple(self._probe(k) for k, _ in self._before[step_index])
        return None

    def states(self) -> tuple[StepState, ...]:
        """One :data:`StepState` per step.  A step no monitor saw finish (the run ended
        inside it) gets the state of the end of the run as its after-values."""
        out = []
        for i, before in enumerate(self._before):
            after = self._after.get(i) or tuple(self._probe(k) for k, _ in before)
            out.append(tuple(KeyState(k, b, a) for (k, b), a in zip(before, after, strict=True)))
        return tuple(out)


async def replay_with_state_async(
    program: Program, run: RunResult, *, max_steps: int = 10_000
) -> RunResult:
    """Replay ``run`` (its choice list, strictly) recording the state of every step.

    Returns the same run with a trace that carries :class:`~actors.KeyState` values (see
    :attr:`actors.Step.state`); a program whose monitors define no ``probe`` gets ``run``
    back as it was.  Raises :class:`~actors.ReplayDivergence` if the replay does not
    reproduce ``run`` step for step (the program is not deterministic).
    """
    setup = program()
    if not isinstance(setup, Setup):
        raise ActorUsageError(
            f"a program must return actors.Setup(actors=..., monitors=...), got {type(setup)}"
        )
    chooser = ReplayChooser(run.choices, strict=True)
    replayed = Run(setup, chooser, max_steps)
    probe = replayed.hooks.probe
    if probe is None:
        return run
    recorder = StateRecorder(replayed, probe)
    await replayed.drive()
    chooser.check_complete()
    result = _result(replayed, run.name, run.strategy)
    if result.trace.fingerprint() != run.trace.fingerprint():
        raise ReplayDivergence(
            result.steps,
            f"trace fingerprint {run.trace.fingerprint()}",
            result.trace.fingerprint(),
            "the replay with state took other steps: the program is not deterministic",
        )
    trace = Trace(result.trace.actors, result.trace.raw, recorder.states())
    return attrs.evolve(result, trace=trace)


replay_with_state = blocking(replay_with_state_async)
