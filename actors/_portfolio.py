"""Portfolio: rotate several strategies, one schedule each in turn.

No single strategy is best: random walk finds shallow bugs fast, PCT finds deep ones with
a guarantee, and which depth matters is unknown in advance.  The default portfolio rotates
random walk and PCT at depths 1, 2 and 3, each with its own seed derived from the
portfolio's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from actors._chooser import Chooser
from actors._pct import PCT
from actors._random import RandomWalk
from actors._strategy import Strategy

if TYPE_CHECKING:
    from actors._strategy import FinishedRun


class Portfolio:
    """Round-robin over ``strategies``; by default the rotation of the module docstring.

    ``Portfolio(seed)`` rotates ``RandomWalk(seed)`` and ``PCT(seed + 1, 1)``,
    ``PCT(seed + 2, 2)``, ``PCT(seed + 3, 3)``; pass ``strategies`` for another rotation
    (``seed`` then only names the portfolio in tokens).
    """

    exhausted = False

    def __init__(self, seed: int = 0, *, strategies: Sequence[Strategy] | None = None) -> None:
        if strategies is None:
            strategies = [RandomWalk(seed), PCT(seed + 1, 1), PCT(seed + 2, 2), PCT(seed + 3, 3)]
        if not strategies:
            raise ValueError("a portfolio needs at least one strategy")
        self.strategies = list(strategies)
        self.seed = seed
        self._turn = 0
        self._last: Strategy | None = None

    def describe(self) -> str:
        """``portfolio,seed=S``."""
        return f"portfolio,seed={self.seed}"

    def next_chooser(self) -> Chooser | None:
        """The next strategy's chooser (skipping exhausted ones)."""
        for _ in range(len(self.strategies)):
            strategy = self.strategies[self._turn % len(self.strategies)]
            self._turn += 1
            chooser = strategy.next_chooser()
            if chooser is not None:
                self._last = strategy
                return chooser
        return None

    def finished(self, run: FinishedRun) -> None:
        """Feed the run back to the strategy that chose it."""
        if self._last is not None:
            self._last.finished(run)
