"""The Actor base class: a trio task whose only blocking operations are scheduling points.

Subclass :class:`Actor` and write ``async def run(self)``.  Inside it, use only the
primitives below to wait or to touch shared state; each is a *scheduling point* where the
controlled scheduler may let another actor run first.  Code between two scheduling points
runs atomically and may touch only what the earlier point declared in its footprint (sends
and receives declare their mailboxes themselves; use :meth:`yield_point` for shared memory).
Code before the first scheduling point may touch only the actor's own fields.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from actors._errors import ActorUsageError
from actors._footprint import Access, Footprint
from actors._message import Envelope
from actors._trace import OP_CHOOSE, OP_RECEIVE, OP_SEND, OP_SLEEP, OP_YIELD

if TYPE_CHECKING:
    from actors._scheduler import Run

Matcher = Callable[[Envelope], bool]


class Actor:
    """A named actor with a mailbox.

    ``daemon=True`` marks a server (a lock, a cache) that may stay blocked in ``receive``
    forever: a run whose non-daemon actors have all returned is *quiescent*, not deadlocked.
    ``id`` is the actor's position in the program's actor list: stable across runs.
    """

    def __init__(self, name: str, *, daemon: bool = False) -> None:
        self.name = name
        self.daemon = daemon
        self.id = -1
        self._run: Run | None = None
        self._mailbox_fp: Footprint = (Access(("mailbox", name), True),)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    async def run(self) -> None:
        """The actor's behaviour. Override it."""
        raise NotImplementedError(f"{type(self).__name__}.run() is not implemented")

    def _sched(self) -> Run:
        run = self._run
        if run is None:
            raise ActorUsageError(
                f"actor {self.name!r} used a runtime primitive outside a run: "
                "actors only run inside explore(), run_schedule() or replay_token()"
            )
        return run

    @property
    def now(self) -> int:
        """The current virtual time."""
        return self._sched().now

    # send, receive and yield_point are plain functions returning the scheduler's coroutine:
    # one coroutine frame less on the hottest path of every run.
    def send(self, to: Actor, msg: object) -> Coroutine[Any, Any, None]:
        """Put ``msg`` in ``to``'s mailbox (never blocks; mailboxes are unbounded)."""
        run = self._sched()
        if to._run is not run:
            raise ActorUsageError(f"actor {self.name!r} sent to {to.name!r}, not in this run")
        return run.point(
            self.id, OP_SEND, type(msg).__name__, to._mailbox_fp, (to.id, msg, None, None)
        )

    def receive(self, *types: type, where: Matcher | None = None) -> Coroutine[Any, Any, Envelope]:
        """Wait for the oldest message that is an instance of one of ``types`` and satisfies
        ``where`` (both optional), take it out of the mailbox and return its envelope.
        Replies to calls are only ever taken by the call that made them."""
        label, matcher = _matcher(types, where)
        return self._sched().point(self.id, OP_RECEIVE, label, self._mailbox_fp, matcher)

    async def call(self, to: Actor, msg: object) -> object:
        """Send ``msg`` to ``to`` as a request and wait for its reply; return the reply message."""
        run = self._sched()
        if to._run is not run:
            raise ActorUsageError(f"actor {self.name!r} called {to.name!r}, not in this run")
        call_id = run.new_call_id()
        name = type(msg).__name__
        await run.point(self.id, OP_SEND, name, to._mailbox_fp, (to.id, msg, call_id, None))

        def is_reply(env: Envelope) -> bool:
            return env.reply_to == call_id

        env: Envelope = await run.point(
            self.id, OP_RECEIVE, f"reply:{name}", self._mailbox_fp, is_reply
        )
        return env.msg

    async def reply(self, request: Envelope, msg: object) -> None:
        """Answer the call that delivered ``request``."""
        if request.call_id is None:
            raise ActorUsageError(
                f"actor {self.name!r} replied to a message that was sent with send(), "
                "not call(): only requests made with call() can be answered"
            )
        to = request.sender
        await self._sched().point(
            self.id,
            OP_SEND,
            type(msg).__name__,
            to._mailbox_fp,
            (to.id, msg, None, request.call_id),
        )

    def yield_point(
        self, label: str, *footprint: Access, spin: bool = False
    ) -> Coroutine[Any, Any, None]:
        """Declare that the code up to the next scheduling point touches ``footprint``.

        ``spin=True`` marks a busy-wait or retry: the actor is not picked again until some
        other actor has taken a step (unless nothing else can run), the fairness that keeps
        retry loops from making exhaustive search infinite.
        """
        return self._sched().point(self.id, OP_YIELD, label, footprint, spin)

    async def sleep(self, ticks: int) -> None:
        """Wait ``ticks`` units of virtual time; time advances only when nothing else can run."""
        if ticks <= 0:
            await self._sched().point(self.id, OP_YIELD, "sleep(0)", (), False)
        else:
            await self._sched().point(self.id, OP_SLEEP, f"sleep({ticks})", (), ticks)

    async def choose_bool(self, label: str = "") -> bool:
        """A controlled coin flip (fault injection): the strategy decides, replay repeats it."""
        value: int = await self._sched().point(self.id, OP_CHOOSE, label or "bool", (), 2)
        return value == 1

    async def choose_int(self, n: int, label: str = "") -> int:
        """A controlled choice of an integer in ``0..n-1``."""
        if n < 1:
            raise ActorUsageError(f"actor {self.name!r}: choose_int(n) needs n >= 1 (got {n})")
        value: int = await self._sched().point(self.id, OP_CHOOSE, label or "int", (), n)
        return value


_MATCHERS: dict[tuple[type, ...], tuple[str, Matcher]] = {}


def _matcher(types: tuple[type, ...], where: Matcher | None) -> tuple[str, Matcher]:
    """The label and the predicate of a receive (cached when there is no ``where``)."""
    if where is None:
        cached = _MATCHERS.get(types)
        if cached is None:
            cached = _MATCHERS[types] = (_label(types), _build_matcher(types, None))
        return cached
    return _label(types), _build_matcher(types, where)


def _label(types: tuple[type, ...]) -> str:
    return "|".join(t.__name__ for t in types) if types else "any"


def _build_matcher(types: tuple[type, ...], where: Matcher | None) -> Matcher:
    if types and where is not None:
        return lambda e: e.reply_to is None and isinstance(e.msg, types) and where(e)
    if types:
        return lambda e: e.reply_to is None and isinstance(e.msg, types)
    if where is not None:
        return lambda e: e.reply_to is None and where(e)
    return lambda e: e.reply_to is None
