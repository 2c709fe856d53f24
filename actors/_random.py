"""Random walk: at every choice point, an enabled actor picked uniformly at random."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from actors._chooser import Chooser, RunView

if TYPE_CHECKING:
    from actors._strategy import FinishedRun


class RandomChooser:
    """Uniform choices from a seeded generator."""

    wants_all_points = False

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def begin(self, view: RunView) -> None:
        """Nothing to prepare."""

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """Any enabled actor, uniformly."""
        return enabled[int(self._rng.random() * len(enabled))]

    def value(self, n: int, actor: int) -> int:
        """Any value, uniformly."""
        return int(self._rng.random() * n)


class RandomWalk:
    """``RandomWalk(seed)``: uniform choices from a generator seeded with ``seed``.

    Schedule ``i`` of seed ``s`` is the same in every process.
    """

    exhausted = False

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._rng = random.Random(seed)

    def describe(self) -> str:
        """``random,seed=S``."""
        return f"random,seed={self.seed}"

    def next_chooser(self) -> Chooser:
        """A chooser drawing from the strategy's generator."""
        return RandomChooser(self._rng)

    def finished(self, run: FinishedRun) -> None:
        """Random walk learns nothing."""
