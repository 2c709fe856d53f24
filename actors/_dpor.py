"""Race analysis for DPOR over one run's trace.

Happens-before is program order plus the order of dependent steps (same object, one
writes; a send and the receive of the same mailbox always touch the same object).  Vector
clocks turn "happens before" into a comparison.

A *race* is a pair of steps ``(i, j)`` of different actors that are dependent, with ``i``
not ordered before ``j`` by anything but their own conflict: the two could have run in the
other order.  For each race the search must also try, at the state before ``i``, some actor
that can start a run in which ``j``'s actor overtakes ``i``.  Following source-DPOR
(Abdulla, Aronis, Jonsson and Sagonas, POPL 2014), those actors are the *initials* of
``notdep(i).p``: the steps after ``i`` that do not depend on ``i``, then ``j``; an actor is
an initial when its first step there depends on none of the steps before it.  (Adding only
``j``'s own actor, as the original Flanagan-Godefroid rule does, loses interleavings once
sleep sets prune: a race whose reversal needs a third actor to go first is then never
tried.  tests/runtime/test_dpor_properties.py checks this against plain DFS.)
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from actors._footprint import Footprint, Key
from actors._trace import RawStep


@attrs.frozen
class Analysis:
    """The races of a run, and the vector clock of every step."""

    races: tuple[tuple[int, int], ...]
    clocks: tuple[tuple[int, ...], ...]


def analyse(raw: Sequence[RawStep], actor_count: int) -> Analysis:
    """Vector clocks and races ``(i, j)`` of a run (see the module docstring)."""
    clocks: list[list[int]] = []
    actor_clock = [[0] * actor_count for _ in range(actor_count)]
    last_write: dict[Key, int] = {}
    reads: dict[Key, list[int]] = {}
    found: list[tuple[int, int]] = []
    for j, step in enumerate(raw):
        aid, fp = step[0], step[3]
        pre = actor_clock[aid]
        clock = list(pre)
        for access in fp:
            w = last_write.get(access.key)
            cands = ([w] if w is not None else []) + (
                reads.get(access.key, []) if access.write else []
            )
            for i in cands:
                _join(clock, clocks[i])
                ai = raw[i][0]
                if ai != aid and clocks[i][ai] > pre[ai]:
                    found.append((i, j))
        clock[aid] = pre[aid] + 1
        clocks.append(clock)
        actor_clock[aid] = clock
        _record(fp, j, last_write, reads)
    return Analysis(tuple(sorted(set(found))), tuple(tuple(c) for c in clocks))


def _record(fp: Footprint, j: int, last_write: dict[Key, int], reads: dict[Key, list[int]]) -> None:
    for access in fp:
        key = access.key
        if access.write:
            last_write[key] = j
            reads.pop(key, None)
        else:
            reads.setdefault(key, []).append(j)


def initials(analysis: Analysis, raw: Sequence[RawStep], i: int, j: int) -> list[int]:
    """Actors that can start ``notdep(i).proc(j)`` at the state before step ``i``."""
    clocks = analysis.clocks
    ai = raw[i][0]
    mark = clocks[i][ai]
    seq = [k for k in range(i + 1, j) if clocks[k][ai] < mark]  # steps not after i
    seq.append(j)
    out: list[int] = []
    seen: set[int] = set()
    for idx, k in enumerate(seq):
        actor = raw[k][0]
        if actor in seen:
            continue
        seen.add(actor)
        ck = clocks[k]
        if not any(clocks[m][raw[m][0]] <= ck[raw[m][0]] for m in seq[:idx]):
            out.append(actor)
    return out


def _join(into: list[int], other: Sequence[int]) -> None:
    for k, v in enumerate(other):
        into[k] = max(into[k], v)
