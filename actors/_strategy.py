"""The strategy interface: a source of choosers, one per schedule, that learns from runs."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import attrs

from actors._chooser import Chooser
from actors._trace import RawStep


@attrs.frozen
class FinishedRun:
    """What a strategy learns from a run: its raw steps, actor names and choices."""

    trace: tuple[RawStep, ...]
    actors: tuple[str, ...]
    choices: tuple[int, ...]
    pruned: bool


@runtime_checkable
class Strategy(Protocol):
    """Hands out one :class:`~actors._chooser.Chooser` per schedule.

    - ``describe()``: a short text that goes into replay tokens (``pct,seed=7,depth=3``).
    - ``next_chooser()``: the chooser for the next schedule, or None when there is nothing
      left to explore (then ``exhausted`` says whether the space was covered completely).
    - ``finished(run)``: feedback after each run (DFS/DPOR compute backtrack points here,
      PCT learns the number of steps).

    The built-in strategies are :class:`~actors.RandomWalk`, :class:`~actors.PCT`,
    :class:`~actors.DFS`, :class:`~actors.Portfolio` and :class:`~actors.Replay`; the
    ones that can be picked by name are listed in :data:`~actors.STRATEGIES`.
    """

    @property
    def exhausted(self) -> bool:
        """True once a systematic strategy has covered its whole space."""

    def describe(self) -> str:
        """The strategy and its parameters, for tokens and reports."""

    def next_chooser(self) -> Chooser | None:
        """The chooser for the next schedule (None when done)."""

    def finished(self, run: FinishedRun) -> None:
        """Learn from the run that just ended."""
