"""The controlled scheduler: one run of a program, one actor runnable at a time.

There is no central scheduler task.  At every scheduling point the running actor:

1. finishes its previous step (step monitors run here),
2. records what it wants to do next (its *pending* operation and footprint),
3. asks the chooser which enabled actor goes next,
4. executes that actor's pending operation on its behalf (deliver a message, take one from
   a mailbox, pick a value) and records it as a step,
5. continues at once if it chose itself, else wakes the chosen task with
   ``trio.lowlevel.reschedule`` and parks with ``wait_task_rescheduled``.

So trio's run queue never holds more than one of our tasks, and trio's own scheduling
order never matters.  The enabled set is kept sorted by actor id (canonical order); the
virtual clock is a heap keyed by ``(time, seq)``.
"""

from __future__ import annotations

import bisect
import gc
import heapq
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import attrs
import outcome
import trio
from trio.lowlevel import Abort, Task, current_task, reschedule, wait_task_rescheduled

from actors._actor import Actor, Matcher
from actors._chooser import PRUNE, Chooser, data_choice
from actors._ending import (
    error_outcome,
    final_outcome,
    monitor_name,
    outcome_of_monitor,
    step_bound_outcome,
)
from actors._errors import ActorUsageError
from actors._footprint import Access, Footprint
from actors._message import Envelope
from actors._monitor import MonitorHooks
from actors._outcome import OK, BlockedActor, Outcome
from actors._trace import (
    OP_CHOOSE,
    OP_RECEIVE,
    OP_SEND,
    OP_SLEEP,
    OP_YIELD,
    RawStep,
)

_NO_FOOTPRINT: Footprint = ()
_NEW, _PARKED, _RUNNING, _DONE = 0, 1, 2, 3
_YOUNG_THRESHOLD = 50_000  # allocations between young collections during a run


@attrs.frozen
class Setup:
    """What a program builds for one run: fresh actors, and the monitors that watch them."""

    actors: Sequence[Actor]
    monitors: Sequence[object] = ()


Program = Callable[[], Setup]


class RunOver(BaseException):
    """Thrown into parked actors when the run is over, so that they unwind."""


def _abort(_: Any) -> Abort:
    return Abort.SUCCEEDED


class Run:
    """The state of one run: actors, mailboxes, clock, trace, choices."""

    def __init__(self, setup: Setup, chooser: Chooser, max_steps: int) -> None:
        self.actors = list(setup.actors)
        self.names = tuple(a.name for a in self.actors)
        self._check_names()
        for aid, actor in enumerate(self.actors):
            actor.id, actor._run = aid, self
            actor._mailbox_fp = (Access(("mailbox", actor.name), True),)
        n = self._n = len(self.actors)
        self.hooks = MonitorHooks.index(setup.monitors)
        self._on_step = self.hooks.on_step
        self.chooser, self.max_steps = chooser, max_steps
        self._wants_all_points = chooser.wants_all_points
        self.now = 0
        self.trace: list[RawStep] = []
        self.choices: list[int] = []
        self.preemptions = 0
        self.preempted_at: list[int] = []
        self.outcome: Outcome | None = None
        self.pruned = False
        self._status = [_NEW] * n
        self._pending: list[tuple[str, str, Footprint, Any]] = [("", "", (), None)] * n
        self._mailbox: list[list[Envelope]] = [[] for _ in range(n)]
        self._tasks: list[Task | None] = [None] * n
        self._waiting = [False] * n  # pending operation declared and not yet executed
        self._enabled: list[int] = []
        self._spinners: list[int] = []
        self._timers: list[tuple[int, int, int]] = []
        self._seq = 0
        self._msg_ids = 0
        self._call_ids = 0
        self._prelude_next = 0
        self._arrived = 0
        self._driver: Task | None = None
        self._step_open = False

    def _check_names(self) -> None:
        seen: set[str] = set()
        for name in self.names:
            if name in seen:
                raise ActorUsageError(f"two actors are named {name!r}: actor names must be unique")
            seen.add(name)

    # ---- RunView for choosers -------------------------------------------------------
    @property
    def step_count(self) -> int:
        return len(self.trace)

    @property
    def actor_names(self) -> Sequence[str]:
        return self.names

    def pending_footprint(self, actor: int) -> Footprint:
        return self._pending[actor][2]

    def new_call_id(self) -> int:
        self._call_ids += 1
        return self._call_ids

    # ---- driving one run ------------------------------------------------------------
    async def drive(self) -> None:
        """Run the program to its end inside the current trio run.

        Every step leaves objects behind (its trace record, the messages), so CPython's
        cyclic collector runs often during a run, and each of its periodic full collections
        rescans the whole heap, the simulated machine included: the cost of a step would grow
        with the machine's size.  For the duration of the run the young-generation threshold
        is raised, so collections come in larger batches and full ones become rare; nothing
        is kept from being collected, and the old threshold is restored at the end.
        """
        threshold = gc.get_threshold()
        gc.set_threshold(max(threshold[0], _YOUNG_THRESHOLD), *threshold[1:])
        try:
            await self._drive()
        finally:
            gc.set_threshold(*threshold)

    async def _drive(self) -> None:
        self.chooser.begin(self)
        if not self.actors:
            self.outcome = OK
            return
        self._driver = current_task()
        async with trio.open_nursery() as nursery:
            for aid in range(len(self.actors)):
                nursery.start_soon(self._actor_main, aid)
            await wait_task_rescheduled(_abort)  # until every task has parked once
            self._wake(0, None)
            await wait_task_rescheduled(_abort)  # until the run is over
            self._unwind()

    async def _actor_main(self, aid: int) -> None:
        self._tasks[aid] = current_task()
        self._status[aid] = _PARKED
        self._arrived += 1
        if self._arrived == len(self.actors):
            reschedule(self._driver_task())
        try:
            await wait_task_rescheduled(_abort)  # woken for the prelude
            self._status[aid] = _RUNNING
            await self.actors[aid].run()
        except RunOver:
            return
        except Exception as exc:  # an actor's bug is a finding, reported with the trace
            self._status[aid] = _DONE
            self._end(error_outcome(self.names[aid], exc, len(self.trace) - 1))
            return
        self._finish(aid)

    def _driver_task(self) -> Task:
        assert self._driver is not None
        return self._driver

    def _unwind(self) -> None:
        for aid, task in enumerate(self._tasks):
            if self._status[aid] == _PARKED and task is not None:
                self._status[aid] = _DONE
                reschedule(task, outcome.Error(RunOver()))

    def _wake(self, aid: int, value: object) -> None:
        self._status[aid] = _RUNNING
        task = self._tasks[aid]
        assert task is not None
        reschedule(task, outcome.Value(value))

    async def _park(self, aid: int) -> Any:
        self._status[aid] = _PARKED
        return await wait_task_rescheduled(_abort)

    # ---- the scheduling point -------------------------------------------------------
    async def point(self, me: int, op: str, label: str, fp: Footprint, arg: Any) -> Any:
        """The scheduling point: every primitive of every actor comes through here.

        This is the hot path of the whole tool; it is written flat on purpose (each extra
        coroutine level costs more than the rest of a step).
        """
        if self.outcome is not None:
            raise RunOver
        if self._on_step and self._step_open and self._check_step(me):
            return await self._park_forever(me)
        self._pending[me] = (op, label, fp, arg)
        self._waiting[me] = True
        if op is OP_SEND:
            bisect.insort(self._enabled, me)
        else:
            self._make_ready(me, op, arg)
        if self._prelude_next < self._n and self._next_prelude():
            return await self._park(me)
        chosen = self._choose(me)
        if chosen < 0:
            return await self._park_forever(me)
        value = self._execute(chosen)
        if chosen == me:
            return value
        self._status[chosen] = _RUNNING
        reschedule(self._tasks[chosen], outcome.Value(value))  # type: ignore[arg-type]
        self._status[me] = _PARKED
        return await wait_task_rescheduled(_abort)

    def _next_prelude(self) -> bool:
        """Starting up: wake the next actor to run to its first point, in id order.

        False once every actor has started: then the caller makes the run's first choice.
        """
        self._prelude_next += 1
        if self._prelude_next < self._n:
            self._wake(self._prelude_next, None)
            return True
        return False

    async def _park_forever(self, me: int) -> Any:
        await self._park(me)
        raise RunOver  # pragma: no cover - woken only with RunOver

    def _make_ready(self, aid: int, op: str, arg: Any) -> None:
        if op == OP_RECEIVE:
            for env in self._mailbox[aid]:
                if arg(env):
                    bisect.insort(self._enabled, aid)
                    break
        elif op == OP_SLEEP:
            self._seq += 1
            heapq.heappush(self._timers, (self.now + arg, self._seq, aid))
        elif op == OP_YIELD and arg:
            self._spinners.append(aid)
        else:
            bisect.insort(self._enabled, aid)

    def _choose(self, me: int) -> int:
        if len(self.trace) >= self.max_steps:
            self._end(self._liveness_at_bound())
            return -1
        enabled = self._enabled
        if not enabled and not self._refill():
            self._end(self._final_outcome())
            return -1
        if len(enabled) == 1 and not self._wants_all_points:
            return enabled[0]
        if not self._step_open:
            me = -1  # the first step of a run preempts nobody
        chosen = self.chooser.pick(enabled, me)
        if chosen == PRUNE:
            self.pruned = True
            self._end(OK)
            return -1
        if len(enabled) > 1:
            self.choices.append(chosen)
            if chosen != me and me >= 0:
                i = bisect.bisect_left(enabled, me)  # inlined _is_enabled: hot path
                if i < len(enabled) and enabled[i] == me:
                    self.preemptions += 1
                    self.preempted_at.append(len(self.choices) - 1)
        return chosen

    def _is_enabled(self, aid: int) -> bool:
        i = bisect.bisect_left(self._enabled, aid)
        return i < len(self._enabled) and self._enabled[i] == aid

    def _refill(self) -> bool:
        """Nothing is enabled: let spinners run again, else advance virtual time."""
        if self._spinners:
            self._release_spinners()
            return True
        if not self._timers:
            return False
        self.now = self._timers[0][0]
        while self._timers and self._timers[0][0] == self.now:
            bisect.insort(self._enabled, heapq.heappop(self._timers)[2])
        return True

    def _release_spinners(self) -> None:
        for aid in self._spinners:
            bisect.insort(self._enabled, aid)
        self._spinners.clear()

    # ---- executing the chosen actor's pending operation ------------------------------
    def _execute(self, aid: int) -> Any:
        del self._enabled[bisect.bisect_left(self._enabled, aid)]
        if self._spinners:  # another actor takes a step: spinners may run again
            self._release_spinners()
        op, label, fp, arg = self._pending[aid]
        self._waiting[aid] = False
        self._step_open = True
        if op is OP_SEND:
            return self._do_send(aid, label, fp, arg)
        if op is OP_RECEIVE:
            return self._do_receive(aid, label, fp, arg)
        if op == OP_CHOOSE:
            return self._do_choose(aid, label, arg)
        self.trace.append((aid, op, label, fp, self.now, -1, -1, None))
        return None

    def _do_send(self, aid: int, label: str, fp: Footprint, arg: Any) -> None:
        to, msg, call_id, reply_to = arg
        self._msg_ids += 1
        env = Envelope(self.actors[aid], msg, self._msg_ids, call_id, reply_to)
        self._mailbox[to].append(env)
        self.trace.append((aid, OP_SEND, label, fp, self.now, to, self._msg_ids, msg))
        if self._waiting[to] and self._pending[to][0] == OP_RECEIVE:
            matcher: Matcher = self._pending[to][3]
            if matcher(env) and not self._is_enabled(to):
                bisect.insort(self._enabled, to)

    def _do_receive(self, aid: int, label: str, fp: Footprint, matcher: Matcher) -> Envelope:
        box = self._mailbox[aid]
        for i, env in enumerate(box):
            if matcher(env):
                del box[i]
                peer = env.sender.id
                self.trace.append((aid, OP_RECEIVE, label, fp, self.now, peer, env.msg_id, env.msg))
                return env
        raise AssertionError("receive was enabled without a matching message")  # pragma: no cover

    def _do_choose(self, aid: int, label: str, n: int) -> int:
        value = self.chooser.value(n, aid) if n > 1 else 0
        if n > 1:
            self.choices.append(data_choice(value))
        self.trace.append((aid, OP_CHOOSE, label, (), self.now, -1, -1, value))
        return value

    # ---- steps, monitors, the end of a run -------------------------------------------
    def _check_step(self, aid: int) -> bool:
        """Run the step monitors on the step ``aid`` just finished; True if the run ended."""
        step = len(self.trace) - 1
        name = self.names[aid]
        for hook in self.hooks.on_step:
            try:
                found = hook(step, name)
            except Exception as exc:  # a broken monitor must be reported, not hidden
                self._end(error_outcome(f"monitor {monitor_name(hook)}", exc, step))
                return True
            if found is not None:
                self._end(outcome_of_monitor("violation", found, step))
                return True
        return False

    def _finish(self, aid: int) -> None:
        self._status[aid] = _DONE
        if self._step_open and self._check_step(aid):
            return
        if self._prelude_next < self._n and self._next_prelude():
            return
        chosen = self._choose(-1)
        if chosen >= 0:
            self._wake(chosen, self._execute(chosen))

    def _end(self, result: Outcome) -> None:
        if self.outcome is None:
            self.outcome = result
        self._wake_driver_if_over()

    def _wake_driver_if_over(self) -> None:
        driver = self._driver
        if driver is not None and self.outcome is not None:
            self._driver = None
            reschedule(driver)

    def _final_outcome(self) -> Outcome:
        return final_outcome(self.hooks, self._blocked(), len(self.trace) - 1)

    def _liveness_at_bound(self) -> Outcome:
        return step_bound_outcome(self.hooks, self.max_steps, len(self.trace) - 1)

    def _blocked(self) -> tuple[BlockedActor, ...]:
        out = []
        for aid, actor in enumerate(self.actors):
            if self._status[aid] == _DONE or actor.daemon:
                continue
            op, label, _fp, _arg = self._pending[aid]
            out.append(BlockedActor(actor.name, f"{op} {label}".strip()))
        return tuple(out)

    def state_key(self) -> Hashable | None:
        """The program's canonical state, if a monitor defines ``state_key``."""
        return self.hooks.state_key() if self.hooks.state_key is not None else None
