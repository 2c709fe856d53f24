"""The stale reads of a trace: who accessed an object, and who changed it before their next
step.

Every step of a trace declares its footprint: the shared objects it reads and writes.  A
race that breaks an invariant almost always has one shape, the *stale read*:

1. actor X reads object k (``cpu0:T read pte A:0``),
2. another actor Y writes k before X's next step (``kswapd rewrote pte A:0``),
3. X goes on acting on what it read, and the invariant breaks at or after that step.

Mailbox traffic is left out: every message is a write to a mailbox, which would drown the
memory race.
"""

from __future__ import annotations

import attrs

from actors import Trace

Key = tuple[str | int, ...]  # an object key of a footprint, e.g. ("pte", "A", 0)


@attrs.frozen
class StaleRead:
    """Actor ``reader`` accessed ``key`` at ``read``; ``writer`` wrote it at ``write``;
    ``reader`` took its next step at ``use``."""

    key: Key
    reader: str
    writer: str
    read: int
    write: int
    use: int
    read_was_write: bool


def find_stale_reads(trace: Trace, end: int) -> list[StaleRead]:
    """Every stale-read triple among steps ``0..end``, in the order their use happened."""
    last: dict[Key, dict[str, tuple[int, bool]]] = {}  # key -> actor -> (step, was write)
    pending: dict[str, dict[Key, tuple[int, bool, str, int]]] = {}
    found: list[StaleRead] = []
    for i in range(end + 1):
        step = trace.step(i)
        for key, (r, was_w, writer, w) in pending.pop(step.actor, {}).items():
            found.append(StaleRead(key, step.actor, writer, r, w, i, was_w))
        for access in step.footprint:
            if access.key[:1] == ("mailbox",):
                continue
            if access.write:
                _mark_others(last, pending, step.actor, access.key, i)
            last.setdefault(access.key, {})[step.actor] = (i, access.write)
    return found


def _mark_others(
    last: dict[Key, dict[str, tuple[int, bool]]],
    pending: dict[str, dict[Key, tuple[int, bool, str, int]]],
    writer: str,
    key: Key,
    index: int,
) -> None:
    """A write of ``key``: every other actor that accessed ``key`` now holds a stale view."""
    for actor, (r, was_w) in last.get(key, {}).items():
        if actor != writer:
            pending.setdefault(actor, {}).setdefault(key, (r, was_w, writer, index))
