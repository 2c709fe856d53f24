"""Watching a search as it runs: where it is, for a progress display, and stopping it.

The runtime's :class:`actors.Progress` counts schedules, steps and violations.  A person
waiting on a systematic search also wants to know how far it is through the preemption
bound it is proving: :class:`Watched` wraps the strategy, notes the size of every bound
level that completes, and :func:`search_progress` adds to each snapshot the current bound,
the schedules run at it and an *estimate* of how many that level holds
(:func:`level_estimate`).  The same wrapper stops handing out schedules once
``should_stop()`` says so (SIGINT, SIGTERM).

Nothing here changes which schedules run or in what order: the wrapper only passes the
strategy's answers on, so tokens and traces are the same with or without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

import actors


@attrs.frozen
class SearchProgress(actors.Progress):
    """A progress snapshot with the systematic search's position.

    - ``bound``: the preemption bound being searched (None: not a bounded search, or the
      unbounded probe of the iterative search);
    - ``level_schedules``: schedules run at that bound so far;
    - ``level_estimate``: an *estimate* of the schedules that bound holds in all (None:
      nothing to estimate from); see :func:`level_estimate`;
    - ``levels``: the sizes of the bound levels completed so far, lowest first.
    """

    bound: int | None = None
    level_schedules: int = 0
    level_estimate: int | None = None
    levels: tuple[int, ...] = ()


def level_estimate(done: int, pending: int, levels: tuple[int, ...]) -> int | None:
    """Estimate the schedules of the current bound level.

    ``done``: schedules run at this level; ``pending``: untried alternatives on the
    search's backtrack frontier (each is at least one more schedule); ``levels``: the
    sizes of the lower levels.  With two lower levels, the level is guessed to grow by
    the same factor as the last one did (``n[k-1]**2 / n[k-2]``); the frontier gives a
    floor (``done + pending``).  Either way it is an estimate, never a promise.
    """
    floor = done + pending
    if len(levels) >= 2 and levels[-2] > 0:
        grown = levels[-1] * levels[-1] // levels[-2]
        return max(floor, grown)
    if pending == 0 and done == 0:
        return None
    return floor


class Watched:
    """A strategy that reports where it is and stops once ``should_stop()`` says so."""

    def __init__(
        self, inner: actors.Strategy, should_stop: Callable[[], bool] | None = None
    ) -> None:
        self.inner = inner
        self.should_stop = should_stop
        self.stopped = False
        self.levels: list[int] = []
        self.handed_out = 0

    @property
    def exhausted(self) -> bool:
        return not self.stopped and self.inner.exhausted

    @property
    def nondeterminism(self) -> str | None:
        return getattr(self.inner, "nondeterminism", None)

    def describe(self) -> str:
        return self.inner.describe()

    def next_chooser(self) -> actors.Chooser | None:
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
            return None
        before, done = self._level_key(), self._level_schedules()
        chooser = self.inner.next_chooser()
        if self._level_key() != before and before is not None and not before[1]:
            self.levels.append(done)  # a bound level completed with ``done`` schedules
        self.handed_out += chooser is not None
        return chooser

    def finished(self, run: actors.FinishedRun) -> None:
        self.inner.finished(run)

    def _level_key(self) -> tuple[int, bool] | None:
        """(bound, probing) of a bounded search, None for any other strategy."""
        bound = getattr(self.inner, "bound", None)
        if not isinstance(bound, int) or isinstance(bound, bool):
            return None
        return bound, bool(getattr(self.inner, "probing", False))

    def _level_schedules(self) -> int:
        count = getattr(self.inner, "level_schedules", None)
        return count if isinstance(count, int) else self.handed_out

    def snapshot(self, p: actors.Progress) -> SearchProgress:
        """``p`` with the search's position (see :class:`SearchProgress`)."""
        base = attrs.asdict(p, recurse=False)
        key = self._level_key()
        if key is None or key[1]:
            return SearchProgress(**base, levels=tuple(self.levels))
        done = self._level_schedules()
        estimate = level_estimate(done, _pending(self.inner), tuple(self.levels))
        return SearchProgress(
            **base,
            bound=key[0],
            level_schedules=done,
            level_estimate=estimate,
            levels=tuple(self.levels),
        )


def _pending(strategy: object) -> int:
    """Untried backtrack alternatives on a DFS's stack (the current level's, for the
    iterative search); 0 when the strategy has no such stack."""
    level: Any = getattr(strategy, "level", strategy)
    stack = getattr(level, "stack", None)
    if not isinstance(stack, list):
        return 0
    return sum(sum(1 for c in node.backtrack if c not in node.done) for node in stack)
