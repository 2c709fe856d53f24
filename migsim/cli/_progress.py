"""The live progress line of an exploration: how far, how fast, and how long to go.

One line on stderr, redrawn in place on a terminal::

    r6-stale-entry-pte-same [14/22]  1,240/20,000 schedules  412/s  ETA 45s
      bound 2: 1,020 of ~3,400 (estimate)  violations 0

(on one line).  It shows the scenario (and, in ``check``, which of how many), schedules
done of the budget, the rate, the time left if the whole budget is spent (ETA), and for a
systematic search the preemption bound being proven, the schedules run at it and an
*estimate* of its size (:class:`migsim.SearchProgress`: from the search's backtrack frontier
and the growth of the levels before it).

It is for a person at a terminal: drawn only when stderr is a TTY (or ``--progress``
forces it, one line per update), never with ``--no-progress``, and never on stdout, so
``--json`` and piped output stay plain and deterministic.  Its clock is the tool's wall
clock (monotonic), never the simulation's virtual time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

import actors
from migsim._watch import SearchProgress

Clock = Callable[[], float]


def progress_enabled(args: object, stream: TextIO | None = None) -> bool:
    """Whether a command shows progress: not with ``--no-progress``; with ``--progress``
    always; else only when ``stream`` (stderr) is a terminal."""
    if getattr(args, "no_progress", False):
        return False
    if getattr(args, "progress", False):
        return True
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


def duration(seconds: float) -> str:
    """``45s``, ``3m05s``, ``2h10m``: a time left, to the precision that matters."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def progress_line(
    description: str, snapshot: actors.Progress, elapsed: float, item: tuple[int, int] | None
) -> str:
    """The progress text of ``snapshot`` after ``elapsed`` seconds of the tool's clock."""
    where = f" [{item[0]}/{item[1]}]" if item else ""
    done, budget = snapshot.schedules, snapshot.budget
    parts = [f"{description}{where}", f"{done:,}/{budget:,} schedules"]
    if elapsed > 0 and done > 0:
        rate = done / elapsed
        parts.append(f"{rate:,.0f}/s")
        parts.append(f"ETA {duration((budget - done) / rate)}")
    if isinstance(snapshot, SearchProgress) and snapshot.bound is not None:
        level = f"bound {snapshot.bound}: {snapshot.level_schedules:,}"
        if snapshot.level_estimate is not None:
            level += f" of ~{snapshot.level_estimate:,} (estimate)"
        parts.append(level)
    parts.append(f"violations {snapshot.violations}")
    return "  ".join(parts)


class ProgressDisplay:
    """A context manager whose :meth:`update` is the exploration's ``on_progress``.

    ``stream`` is where it draws (stderr); ``clock`` the tool's wall clock (tests give a
    fake one).  On a terminal the line is redrawn in place at most every
    ``min_interval`` seconds and cleared at the end; elsewhere (``--progress`` forced)
    each update is a line of its own, at most one per ``log_interval`` seconds.
    :meth:`item` starts the next of several explorations (``check``).
    """

    def __init__(
        self,
        description: str,
        total: int,
        *,
        enabled: bool,
        stream: TextIO | None = None,
        clock: Clock = time.monotonic,
        min_interval: float = 0.1,
        log_interval: float = 1.0,
    ) -> None:
        self.enabled = enabled
        self.description = description
        self.total = total
        self.stream = stream or sys.stderr
        self.clock = clock
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = min_interval if self.live else log_interval
        self.position: tuple[int, int] | None = None
        self._start = clock()
        self._last: float | None = None
        self._drawn = False

    def __enter__(self) -> ProgressDisplay:
        self._start = self.clock()
        return self

    def item(self, description: str, total: int, index: int, count: int) -> None:
        """Start exploration ``index`` of ``count`` (1-based): its own name, budget and
        clock, so its rate and ETA are its own."""
        self.description, self.total = description, total
        self.position = (index, count)
        self._start, self._last = self.clock(), None
        if self.enabled:
            self._draw(actors.Progress(0, 0, 0, 0, total), force=True)

    def reducing(self, attempt: int, removed: int) -> None:
        """Show the scenario reduction's progress (attempt number, parts removed)."""
        self._phase(f"reducing: attempt {attempt}, {removed} removed")

    def shrinking(self, runs: int, steps: int) -> None:
        """Show the shrinker's progress (attempts run, simulated steps spent of its budget)."""
        self._phase(f"shrinking: {runs:,} runs, {steps:,} of {actors.SHRINK_STEP_BUDGET:,} steps")

    def _phase(self, what: str) -> None:
        """One throttled line for the work after the search: ``NAME  WHAT, ELAPSED``."""
        if not self.enabled:
            return
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        self._write(f"{self.description}  {what}, {duration(now - self._start)}")

    def update(self, snapshot: actors.Progress) -> None:
        """Show a progress snapshot from the exploration."""
        if self.enabled:
            self._draw(snapshot)

    def _draw(self, snapshot: actors.Progress, *, force: bool = False) -> None:
        now = self.clock()
        if not force and self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        self._write(progress_line(self.description, snapshot, now - self._start, self.position))

    def _write(self, text: str) -> None:
        if self.live:
            self.stream.write(f"\r{text}\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._drawn = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._drawn and self.live:  # leave the terminal as it was: the result follows
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self._drawn = False
