"""PCT: probabilistic concurrency testing with bug depth ``d`` (Burckhardt et al., 2010).

The variant shipped here:

- Each actor gets a distinct initial priority, a random permutation of ``d .. d+n-1``
  (higher runs first).
- ``d - 1`` change points are drawn uniformly, without repeats, from ``1 .. k``; the i-th
  smallest carries priority ``i`` (below every initial priority).
- Only *choice points* (two or more enabled actors) count as steps, so ``k`` is the number
  of choice points of a run.  ``k`` is learnt: the first schedule runs with no change
  point, then ``k`` is the largest number of choice points seen so far.
- At each choice point the highest-priority enabled actor runs; when the point is the i-th
  change point, the actor that would run drops to priority ``i`` first, and the choice is
  made again.
- Data choices (``choose_int``) are uniform.

One run finds a depth-``d`` bug with probability at least ``1 / (n * k^(d-1))``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from actors._chooser import Chooser, RunView

if TYPE_CHECKING:
    from actors._strategy import FinishedRun


class PCTChooser:
    """One PCT schedule."""

    wants_all_points = False

    def __init__(self, rng: random.Random, depth: int, k: int) -> None:
        self._rng = rng
        self._depth = depth
        self._k = k
        self._priority: list[int] = []
        self._changes: dict[int, int] = {}
        self._count = 0

    def begin(self, view: RunView) -> None:
        """Draw the priorities and the change points."""
        n = len(view.actor_names)
        prios = list(range(self._depth, self._depth + n))
        self._rng.shuffle(prios)
        self._priority = prios
        if self._k > 0 and self._depth > 1:
            points = self._rng.sample(range(1, self._k + 1), min(self._depth - 1, self._k))
            self._changes = {p: i + 1 for i, p in enumerate(sorted(points))}

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """The highest-priority enabled actor, after applying a change point."""
        self._count += 1
        best = max(enabled, key=self._priority.__getitem__)
        drop = self._changes.get(self._count)
        if drop is not None:
            self._priority[best] = drop
            best = max(enabled, key=self._priority.__getitem__)
        return best

    def value(self, n: int, actor: int) -> int:
        """Uniform data choice."""
        return self._rng.randrange(n)

    @property
    def choice_points(self) -> int:
        """How many choice points the run had."""
        return self._count


class PCT:
    """``PCT(seed, depth)``: PCT for bugs of depth ``depth`` (>= 1), seeded with ``seed``.

    See the module docstring for the exact variant.  ``k`` is the current estimate of
    the number of choice points per run.
    """

    exhausted = False

    def __init__(self, seed: int = 0, depth: int = 3) -> None:
        if depth < 1:
            raise ValueError(f"PCT depth must be >= 1 (got {depth})")
        self.seed, self.depth = seed, depth
        self._rng = random.Random(seed)
        self.k = 0
        self._last: PCTChooser | None = None

    def describe(self) -> str:
        """``pct,seed=S,depth=D``."""
        return f"pct,seed={self.seed},depth={self.depth}"

    def next_chooser(self) -> Chooser:
        """A PCT schedule with the current estimate of ``k``."""
        self._last = PCTChooser(self._rng, self.depth, self.k)
        return self._last

    def finished(self, run: FinishedRun) -> None:
        """Learn ``k``: the most choice points any run has had."""
        if self._last is not None:
            self.k = max(self.k, self._last.choice_points)
