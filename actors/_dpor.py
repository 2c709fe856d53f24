"""Race analysis for DPOR (Flanagan and Godefroid, POPL 2005) over one run's trace.

Happens-before is program order plus the order of dependent steps (same object, one
writes; a send and the matching receive always touch the same mailbox).  For every step
``j`` of actor ``p`` we find the latest earlier step ``i`` of another actor that is
dependent with ``j`` and does not happen before ``p``'s position just before ``j``: the two
could have run in the other order, so the search must also try ``p`` at the state before
``i``.  Vector clocks make "happens before" a comparison.
"""

from __future__ import annotations

from collections.abc import Sequence

from actors._footprint import Key
from actors._trace import RawStep


def races(raw: Sequence[RawStep], actor_count: int) -> list[tuple[int, int]]:
    """Pairs ``(i, p)``: at the state before step ``i``, actor ``p`` should also be tried."""
    clocks: list[list[int]] = []
    actor_clock = [[0] * actor_count for _ in range(actor_count)]
    last_write: dict[Key, int] = {}
    reads: dict[Key, list[int]] = {}
    found: list[tuple[int, int]] = []
    for j, step in enumerate(raw):
        aid, fp = step[0], step[3]
        pre = actor_clock[aid]
        best = -1
        clock = list(pre)
        for access in fp:
            key = access.key
            w = last_write.get(key)
            cands = ([w] if w is not None else []) + (reads.get(key, []) if access.write else [])
            for i in cands:
                _join(clock, clocks[i])
                ai = raw[i][0]
                if i > best and ai != aid and clocks[i][ai] > pre[ai]:
                    best = i
        if best >= 0:
            found.append((best, aid))
        clock[aid] = pre[aid] + 1
        clocks.append(clock)
        actor_clock[aid] = clock
        for access in fp:
            if access.write:
                last_write[access.key] = j
                reads.pop(access.key, None)
            else:
                reads.setdefault(access.key, []).append(j)
    return found


def _join(into: list[int], other: list[int]) -> None:
    for k, v in enumerate(other):
        into[k] = max(into[k], v)
