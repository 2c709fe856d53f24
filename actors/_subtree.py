"""Systematic search split into independent subtrees of the choice tree.

A systematic search (:class:`~actors.DFS`) walks one tree: its nodes are the choice points
of a run (a scheduling point with two or more enabled actors, or a data choice), its
edges the choices, its leaves the schedules.  Cutting that tree at a fixed *depth* ``d``
gives independent pieces: every node at depth ``d`` (or every leaf above it) roots one
subtree, named by its **prefix**, the choices that lead to it.  Each schedule lies in
exactly one subtree, so the subtrees can be searched anywhere, in any order, and their
union is the whole search.

- :meth:`SubtreeDFS.split` lists the prefixes, in the order a DFS would visit them
  (the current actor first, then ascending ids; data values ascending).  Choices that a
  preemption bound forbids are left out, as the DFS leaves them out.
- ``SubtreeDFS(prefix, dpor=..., preemption_bound=...)`` is a DFS that follows the
  prefix and then searches the subtree under it.  The nodes of the prefix are never
  backtracked (their siblings are other subtrees), so the top ``d`` levels are expanded
  exactly once across all subtrees.

With ``dpor=False`` the subtrees' schedules are exactly the schedules of the unsplit DFS,
each once.  With DPOR, each subtree is a DPOR search of its own: the top ``d`` levels are
expanded completely instead of by race analysis, so the schedule count may be higher than
the unsplit search's, the states reached are the same (every equivalence class the
unsplit search covers lies in some subtree, which covers it).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from actors._blocking import blocking
from actors._chooser import PRUNE, data_choice, data_value, is_data_choice
from actors._dfs import DFS, _DFSChooser, _Node
from actors._errors import ActorUsageError
from actors._scheduler import Program, Run, Setup
from actors._token import encode_choices


class SubtreeDFS(DFS):
    """``SubtreeDFS(prefix, dpor=True, preemption_bound=None)``: search one subtree.

    ``prefix`` is a choice list (actor ids, data choices encoded as by replay tokens) as
    :meth:`split` returns it; ``()`` is the whole tree.  ``exhausted`` becomes True when
    the subtree is covered.  A program that does not offer the prefix's choices is
    reported like any nondeterminism of a systematic search.
    """

    def __init__(
        self,
        prefix: Sequence[int] = (),
        *,
        dpor: bool = True,
        preemption_bound: int | None = None,
    ) -> None:
        super().__init__(dpor=dpor, preemption_bound=preemption_bound)
        self.prefix = tuple(prefix)
        self.forced = 0  # prefix nodes on the stack (fewer than the prefix at a leaf)

    def describe(self) -> str:
        """``dfs,dpor=1,bound=B,subtree=0.1``."""
        return f"{super().describe()},subtree={encode_choices(self.prefix) or '-'}"

    def _floor(self) -> int:
        """Never backtrack into the prefix: its siblings are other subtrees."""
        return self.forced

    def _chooser(self, prefix: int) -> _DFSChooser:
        return _SubtreeChooser(self, prefix)

    def _add(self, node: _Node, starters: list[int]) -> None:
        if any(node is forced for forced in self.stack[: self.forced]):
            return  # a sibling of a prefix node is another subtree
        super()._add(node, starters)

    @staticmethod
    def split(
        program: Program,
        depth: int,
        *,
        preemption_bound: int | None = None,
        max_steps: int = 10_000,
    ) -> list[tuple[int, ...]]:
        """The prefixes of the subtrees at ``depth`` of ``program``'s choice tree.

        One probe run per inner node above ``depth``.  A branch that ends before
        ``depth`` is one subtree of a single schedule.  Blocking (a fresh trio run).
        """
        return _split(program, depth, preemption_bound, max_steps)


class _SubtreeChooser(_DFSChooser):
    """A DFS chooser that creates the prefix's nodes with the prefix's choices."""

    _dfs: SubtreeDFS

    def _fresh(self, enabled: tuple[int, ...], current: int) -> _Node | None:
        dfs = self._dfs
        k = len(dfs.stack)
        if k >= len(dfs.prefix):
            return super()._fresh(enabled, current)
        want = dfs.prefix[k]
        if is_data_choice(want) or want not in enabled:
            dfs.nondeterminism = _mismatch(k, want, enabled)
            return None
        dfs.forced += 1
        return _Node(
            step=self._step(),
            enabled=enabled,
            values=0,
            current=current,
            preemptions=self._preemptions,
            chosen=want,
            backtrack=[want],
            done=[want],
            sleep=dict(self._sleep),
            footprints={a: self._footprint(a) for a in enabled} if dfs.use_sleep else {},
        )

    def value(self, n: int, actor: int) -> int:
        """Follow the prefix's data choice, then explore as the DFS does."""
        dfs = self._dfs
        k = len(dfs.stack)
        if self._k < self._prefix or k >= len(dfs.prefix):
            return super().value(n, actor)
        want = dfs.prefix[k]
        if not is_data_choice(want) or data_value(want) >= n:
            dfs.nondeterminism = _mismatch(k, want, tuple(data_choice(v) for v in range(n)))
            return 0
        v = data_value(want)
        dfs.stack.append(_Node(self._step(), (), n, actor, self._preemptions, v, [v], [v], {}, {}))
        dfs.forced += 1
        self._k += 1
        self._prefix = self._k
        return v


def _mismatch(k: int, want: int, offered: Sequence[int]) -> str:
    return (
        f"subtree prefix: choice point {k} offers {list(offered)}, the prefix chose {want}: "
        "the prefix is not of this program, or the program is not deterministic"
    )


@attrs.define
class _Probe:
    """Follow ``prefix``, then note the options of the next choice point and stop."""

    prefix: tuple[int, ...]
    bound: int | None
    options: list[int] | None = None
    wants_all_points: bool = False
    _k: int = 0
    _preemptions: int = 0

    def begin(self, view: object) -> None:
        """Nothing to look at: the probe needs only the enabled sets."""

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """Replay the prefix; at the point after it, record the options and prune."""
        if self._k >= len(self.prefix):
            if self.options is None:
                self.options = self._allowed(enabled, current)
            return PRUNE
        chosen = self.prefix[self._k]
        self._k += 1
        if current in enabled and chosen != current:
            self._preemptions += 1
        return chosen

    def value(self, n: int, actor: int) -> int:
        """Replay the prefix's data choice; at the point after it, record the values."""
        if self._k >= len(self.prefix):
            if self.options is None:
                self.options = [data_choice(v) for v in range(n)]
            return 0
        self._k += 1
        return data_value(self.prefix[self._k - 1])

    def _allowed(self, enabled: Sequence[int], current: int) -> list[int]:
        order = ([current] if current in enabled else []) + [a for a in enabled if a != current]
        if self.bound is None or self._preemptions < self.bound or current not in enabled:
            return order
        return [current]


async def _split_async(
    program: Program, depth: int, bound: int | None, max_steps: int
) -> list[tuple[int, ...]]:
    frontier: list[tuple[int, ...]] = [()]
    for level in range(depth):
        deeper: list[tuple[int, ...]] = []
        for prefix in frontier:
            options = None
            if len(prefix) == level:  # shorter: a leaf found at an earlier level
                options = await _probe(program, prefix, bound, max_steps)
            deeper += [prefix] if options is None else [(*prefix, o) for o in options]
        frontier = deeper
    return frontier


async def _probe(
    program: Program, prefix: tuple[int, ...], bound: int | None, max_steps: int
) -> list[int] | None:
    setup = program()
    if not isinstance(setup, Setup):
        raise ActorUsageError(
            f"a program must return actors.Setup(actors=..., monitors=...), "
            f"got {type(setup).__name__}"
        )
    probe = _Probe(prefix, bound)
    await Run(setup, probe, max_steps).drive()
    return probe.options


_split = blocking(_split_async)
