"""Traces: the frozen record of one run, step by step.

The scheduler records each step as a plain tuple in its hot path (building attrs objects per
step would double the step cost); :class:`Trace` turns them into :class:`Step` values only
when somebody looks: a report, a renderer, a replay check.

A trace may also carry the *state* of what each step touched: for every key of the step's
footprint that the program's state probe knows, its value before and after the step
(:class:`KeyState`).  Exploration never records it; replaying a run for its report does
(:func:`actors.replay_with_state`), so that a report can say "pte A:0: mig:1 -> swp0:0".
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Iterator, Sequence

import attrs

from actors._footprint import Access, Footprint, Key

# Operation names that appear in Step.op.
OP_START = "start"
OP_SEND = "send"
OP_RECEIVE = "receive"
OP_YIELD = "yield"
OP_SLEEP = "sleep"
OP_CHOOSE = "choose"
OP_FINISH = "finish"

# One raw step as the scheduler records it:
# (actor id, op, label, footprint, virtual time, peer id or -1, msg id or -1, detail),
# where detail is the message sent or received, the value chosen, or None; it is rendered
# to text only when a Step is built.
RawStep = tuple[int, str, str, Footprint, int, int, int, object]


@attrs.frozen
class KeyState:
    """The value of the object ``key`` before and after one step, as the state probe saw it.

    Values are frozen and printable (the probe's choice: text, or a small frozen value
    with a ``__str__``); ``before == after`` for an object the step only read.
    """

    key: Key
    before: Hashable
    after: Hashable

    @property
    def changed(self) -> bool:
        """True when the step changed the object."""
        return self.before != self.after

    @property
    def name(self) -> str:
        """The key as text: ``pte/A/0``."""
        return "/".join(map(str, self.key))

    def __str__(self) -> str:
        if self.changed:
            return f"{self.name}: {self.before} -> {self.after}"
        return f"{self.name} = {self.before}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict: the key as text, the values as their text."""
        return {"key": self.name, "before": str(self.before), "after": str(self.after)}


StepState = tuple[KeyState, ...]


@attrs.frozen
class Step:
    """One step of a run: ``actor`` performed ``op`` at virtual ``time``.

    - ``label``: the message class for send/receive, the label of a yield point or choice.
    - ``footprint``: the shared objects the step touched (see :mod:`actors._footprint`).
    - ``peer``: the destination of a send, the sender of a received message, else None.
    - ``msg_id``: pairs a send with the receive of the same message (None otherwise).
    - ``detail``: a short human-readable text (the message, the value chosen).
    - ``state``: the values of the footprint's objects before and after the step, when the
      trace was recorded with state (empty otherwise).
    """

    index: int
    actor: str
    op: str
    label: str
    footprint: Footprint
    time: int
    peer: str | None = None
    msg_id: int | None = None
    detail: str = ""
    state: StepState = ()

    def value(self, key: Key) -> KeyState | None:
        """The recorded state of ``key`` at this step, if any."""
        for found in self.state:
            if found.key == key:
                return found
        return None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict of this step (footprint accesses as "R:key" / "W:key", the
        recorded state as ``{"key", "before", "after"}`` objects)."""
        return {
            "index": self.index,
            "actor": self.actor,
            "op": self.op,
            "label": self.label,
            "footprint": [str(a) for a in self.footprint],
            "time": self.time,
            "peer": self.peer,
            "msg_id": self.msg_id,
            "detail": self.detail,
            "state": [k.as_dict() for k in self.state],
        }


@attrs.frozen
class Trace:
    """The steps of one run, with the names of its actors (index = actor id).

    ``states`` holds one :data:`StepState` per step when the run was recorded with state
    (None otherwise); it does not take part in equality, since it describes the same run.
    """

    actors: tuple[str, ...]
    raw: tuple[RawStep, ...] = attrs.field(repr=False)
    states: tuple[StepState, ...] | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def has_state(self) -> bool:
        """True when the steps carry their objects' values (see :class:`KeyState`)."""
        return self.states is not None

    def __len__(self) -> int:
        return len(self.raw)

    def __iter__(self) -> Iterator[Step]:
        return (self.step(i) for i in range(len(self.raw)))

    def step(self, index: int) -> Step:
        """The ``index``-th step as a frozen :class:`Step`."""
        aid, op, label, fp, time, peer, msg, detail = self.raw[index]
        return Step(
            index=index,
            actor=self.actors[aid],
            op=op,
            label=label,
            footprint=fp,
            time=time,
            peer=self.actors[peer] if peer >= 0 else None,
            msg_id=msg if msg >= 0 else None,
            detail=_detail_text(detail),
            state=self.states[index] if self.states is not None else (),
        )

    @property
    def steps(self) -> tuple[Step, ...]:
        """All steps as frozen values."""
        return tuple(self)

    def actor_sequence(self) -> tuple[str, ...]:
        """Which actor ran each step, in order."""
        return tuple(self.actors[r[0]] for r in self.raw)

    def fingerprint(self) -> str:
        """An 8-hex-digit digest of who did what, stable across processes and hash seeds."""
        crc = 0
        for aid, op, label, fp, time, peer, _msg, _detail in self.raw:
            line = f"{aid}|{op}|{label}|{','.join(map(str, fp))}|{time}|{peer}\n"
            crc = zlib.crc32(line.encode(), crc)
        return f"{crc:08x}"

    def tail(self, n: int) -> Sequence[Step]:
        """The last ``n`` steps."""
        start = max(0, len(self.raw) - n)
        return [self.step(i) for i in range(start, len(self.raw))]


def _detail_text(detail: object) -> str:
    if detail is None:
        return ""
    if isinstance(detail, int | str):
        return str(detail)
    return repr(detail)


def make_access_text(footprint: Footprint) -> str:
    """Render a footprint for humans: ``W:pte/A/0 R:page/3``."""
    return " ".join(str(a) for a in footprint)


__all__ = ["Access", "KeyState", "RawStep", "Step", "StepState", "Trace"]
