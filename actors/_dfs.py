"""Systematic search: depth-first over choice points, optionally with DPOR and sleep sets.

The search is stateless: every schedule re-runs the program from the start, replaying the
choices on the current DFS stack and then exploring fresh.  A *node* is a choice point:
a scheduling point with two or more enabled actors, or a data choice.

- Plain DFS (``dpor=False``) tries every enabled actor and every value at every node.
- DPOR (``dpor=True``) starts each node with one actor and adds others only where the
  race analysis (:mod:`actors._dpor`) shows that two dependent steps could have run in the
  other order.  Sleep sets (Godefroid) stop runs that would only commute independent steps
  of runs already explored; such runs are *pruned* and not counted as schedules.
- A preemption bound ``B`` skips choices that would switch away from an actor that could
  have continued once ``B`` such switches have happened.  With DPOR and a bound, every
  race also adds conservative backtrack points in the spirit of Coons, Musuvathi and
  McKinley (OOPSLA 2013): at every earlier choice point where the run switched actors, so
  that a reordering that would cost one preemption too many at the race can start at a
  switch that happens anyway; and sleep sets are switched off, because their pruning is
  not sound within a bound.

``exhausted`` becomes True when the stack empties: every schedule within the bounds has
been covered (up to DPOR's equivalence).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from actors._chooser import PRUNE, Chooser, RunView
from actors._dpor import analyse, initials
from actors._footprint import Footprint, dependent

if TYPE_CHECKING:
    from actors._strategy import FinishedRun


@attrs.define
class _Node:
    """A choice point on the DFS stack."""

    step: int
    enabled: tuple[int, ...]  # scheduling node: enabled actors; data node: ()
    values: int  # data node: number of values; scheduling node: 0
    current: int  # actor that reached the point (-1 if it finished)
    preemptions: int  # preemptions before this node
    chosen: int
    backtrack: list[int]
    done: list[int]
    sleep: dict[int, Footprint]
    footprints: dict[int, Footprint]

    def preempts(self, actor: int) -> bool:
        return self.values == 0 and self.current in self.enabled and actor != self.current


class DFS:
    """``DFS(dpor=True, preemption_bound=None)``: depth-first search over choice points.

    With ``dpor`` (the default) it explores one schedule per equivalence class of
    commuting steps, with sleep sets unless bounded; ``preemption_bound`` limits the
    preemptions per schedule.  See the module docstring.
    """

    def __init__(self, *, dpor: bool = True, preemption_bound: int | None = None) -> None:
        self.dpor = dpor
        self.bound = preemption_bound
        self.use_sleep = dpor and preemption_bound is None
        self.stack: list[_Node] = []
        self._started = False
        self._exhausted = False
        self.nondeterminism: str | None = None

    @property
    def exhausted(self) -> bool:
        """True once every schedule within the bounds has been covered."""
        return self._exhausted

    def describe(self) -> str:
        """``dfs,dpor=1,bound=B``."""
        bound = "none" if self.bound is None else str(self.bound)
        return f"dfs,dpor={int(self.dpor)},bound={bound}"

    def next_chooser(self) -> Chooser | None:
        """Replay the stack up to the deepest node with an unexplored alternative.

        Backtracking stops at :meth:`_floor` nodes (0: the whole tree; a subtree
        search keeps its forced prefix), and each schedule's chooser comes from
        :meth:`_chooser`, so a subclass changes where the search starts, not the loop.
        """
        if not self._started:
            self._started = True
            return self._chooser(0)
        while len(self.stack) > self._floor():
            node = self.stack[-1]
            alt = self._alternative(node)
            if alt is not None:
                node.chosen = alt
                node.done.append(alt)
                return self._chooser(len(self.stack))
            self.stack.pop()
        self._exhausted = True
        return None

    def _floor(self) -> int:
        return 0

    def _chooser(self, prefix: int) -> _DFSChooser:
        return _DFSChooser(self, prefix)

    def _alternative(self, node: _Node) -> int | None:
        for cand in node.backtrack:
            if cand in node.done or (self.use_sleep and cand in node.sleep):
                continue
            if self._over_bound(node, cand):
                continue
            return cand
        return None

    def finished(self, run: FinishedRun) -> None:
        """DPOR: add backtrack points for every race of the run."""
        if not self.dpor:
            return
        by_step = {n.step: k for k, n in enumerate(self.stack) if n.values == 0}
        analysis = analyse(run.trace, len(run.actors))
        for i, j in analysis.races:
            k = by_step.get(i)
            if k is None:
                continue  # a single actor was enabled before step i: nothing to reorder there
            starters = initials(analysis, run.trace, i, j)
            self._add(self.stack[k], starters)
            if self.bound is not None:
                for earlier in self._switch_points(k):
                    self._add(self.stack[earlier], starters)

    def _add(self, node: _Node, starters: list[int]) -> None:
        """Source-DPOR: make sure some initial of the reversed race gets tried at ``node``."""
        usable = [a for a in starters if a in node.enabled]
        if self.bound is not None:
            # Within a bound an initial that would preempt one time too many does not
            # count: try every initial that fits instead.
            for a in usable:
                if a not in node.backtrack and not self._over_bound(node, a):
                    node.backtrack.append(a)
            return
        if not usable or any(a in node.backtrack for a in usable):
            return  # not reversible here, or already scheduled for trying
        awake = [a for a in usable if a not in node.sleep] if self.use_sleep else usable
        node.backtrack.append((awake or usable)[0])

    def _over_bound(self, node: _Node, actor: int) -> bool:
        return self.bound is not None and node.preempts(actor) and node.preemptions >= self.bound

    def _switch_points(self, k: int) -> list[int]:
        """Nodes before ``k`` where the run switched actors (Coons et al.'s extra points).

        Under a preemption bound the reversal at node ``k`` may cost one preemption too
        many; the same reordering may still fit within the bound if it starts at an
        earlier point where the run changed actors anyway.
        """
        return [
            m
            for m in range(k)
            if self.stack[m].values == 0 and self.stack[m].chosen != self.stack[m].current
        ]


class _DFSChooser:
    """One schedule of a :class:`DFS`: replay ``prefix`` nodes, then explore fresh."""

    def __init__(self, dfs: DFS, prefix: int) -> None:
        self._dfs = dfs
        self._prefix = prefix
        self._k = 0
        self._sleep: dict[int, Footprint] = {}
        self._preemptions = 0
        self._view: RunView | None = None
        self.wants_all_points = dfs.use_sleep

    def begin(self, view: RunView) -> None:
        """Remember the run for footprints."""
        self._view = view

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """Replay, or choose fresh (current actor first, then lowest id, skipping sleepers)."""
        assert self._view is not None
        if len(enabled) == 1:
            return self._forced(enabled[0])
        node = self._node_for(enabled, current)
        if node is None:
            return PRUNE
        if node.preempts(node.chosen):
            self._preemptions += 1
        if self._dfs.use_sleep:
            self._advance_sleep(node)
        return node.chosen

    def _forced(self, actor: int) -> int:
        if not self._dfs.use_sleep:
            return actor
        if actor in self._sleep:
            return PRUNE
        self._filter_sleep(self._footprint(actor))
        return actor

    def _node_for(self, enabled: Sequence[int], current: int) -> _Node | None:
        dfs = self._dfs
        if self._k < self._prefix:
            node = dfs.stack[self._k]
            self._k += 1
            if node.values != 0 or node.chosen not in enabled:
                dfs.nondeterminism = (
                    f"choice point {self._k - 1} (step {node.step}) differs between runs "
                    "of the same prefix: the program is not deterministic"
                )
                return None
            return node
        fresh = self._fresh(tuple(enabled), current)
        if fresh is not None:
            dfs.stack.append(fresh)
            self._k += 1
            self._prefix = self._k
        return fresh

    def _fresh(self, enabled: tuple[int, ...], current: int) -> _Node | None:
        dfs = self._dfs
        order = ([current] if current in enabled else []) + [a for a in enabled if a != current]
        over_bound = dfs.bound is not None and self._preemptions >= dfs.bound
        cands = [
            a
            for a in order
            if not (dfs.use_sleep and a in self._sleep)
            and not (over_bound and current in enabled and a != current)
        ]
        if not cands:
            return None
        chosen = cands[0]
        return _Node(
            step=self._step(),
            enabled=enabled,
            values=0,
            current=current,
            preemptions=self._preemptions,
            chosen=chosen,
            backtrack=[chosen] if dfs.dpor else list(order),
            done=[chosen],
            sleep=dict(self._sleep),
            footprints={a: self._footprint(a) for a in enabled} if dfs.use_sleep else {},
        )

    def value(self, n: int, actor: int) -> int:
        """Replay or explore data choices, value 0 first."""
        dfs = self._dfs
        if self._k < self._prefix:
            node = dfs.stack[self._k]
            self._k += 1
            return node.chosen if node.values == n else 0
        node = _Node(self._step(), (), n, actor, self._preemptions, 0, list(range(n)), [0], {}, {})
        dfs.stack.append(node)
        self._k += 1
        self._prefix = self._k
        return 0

    def _advance_sleep(self, node: _Node) -> None:
        asleep = dict(self._sleep)
        for sibling in node.done:
            if sibling != node.chosen:
                asleep[sibling] = node.footprints[sibling]
        self._sleep = asleep
        self._filter_sleep(node.footprints[node.chosen])
        self._sleep.pop(node.chosen, None)

    def _filter_sleep(self, fp: Footprint) -> None:
        if self._sleep:
            self._sleep = {a: f for a, f in self._sleep.items() if not dependent(f, fp)}

    def _footprint(self, actor: int) -> Footprint:
        assert self._view is not None
        return self._view.pending_footprint(actor)

    def _step(self) -> int:
        assert self._view is not None
        return self._view.step_count
