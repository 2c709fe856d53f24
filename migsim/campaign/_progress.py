"""The one live progress line of a campaign, across all its workers, on stderr.

The driver updates it as each unit is recorded: schedules done (of those planned),
schedules per second, failing schedules, coverage items, units and an ETA.  It is drawn
only for a person at a terminal (stderr a TTY, no ``--json`` / ``--no-progress``), so
piped output stays plain; :func:`progress_line` is the text, testable on its own.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

import attrs


@attrs.frozen
class Snapshot:
    """Where a campaign is: counts so far (this run's rate: ``run_schedules`` in
    ``run_s`` seconds) and what is planned."""

    schedules: int
    planned: int
    failures: int
    coverage: int
    units: int
    units_planned: int
    run_schedules: int
    run_units: int
    run_s: float
    workers: int


def progress_line(s: Snapshot) -> str:
    """``1,200/5,000 schedules  812.3 sched/s  failures 4  coverage 37  units 6/25
    (2 workers)  ETA 5s``.  The ETA is from this run's rate; units when no schedule
    count is known ahead (subtrees of a systematic search)."""
    rate = s.run_schedules / s.run_s if s.run_s > 0 else 0.0
    left_units = s.units_planned - s.units
    if s.planned > s.schedules and rate > 0:
        eta = (s.planned - s.schedules) / rate
    elif s.run_units and left_units > 0:
        eta = left_units * s.run_s / s.run_units
    else:
        eta = 0.0 if left_units <= 0 else -1.0  # -1: no unit finished yet, no rate
    shown_eta = "?" if eta < 0 else _duration(eta)
    return (
        f"{s.schedules:,}/{s.planned:,} schedules  {rate:,.1f} sched/s  "
        f"failures {s.failures}  coverage {s.coverage}  units {s.units}/{s.units_planned} "
        f"({s.workers} workers)  ETA {shown_eta}"
    )


def _duration(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"


class CampaignProgress:
    """A context manager that redraws :func:`progress_line` in place, at most every
    ``every`` seconds (``enabled=False``: draws nothing)."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None, every: float = 0.2):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.every = every
        self._last = 0.0
        self._drawn = False

    @staticmethod
    def wanted(*, as_json: bool, no_progress: bool) -> bool:
        """Whether to draw: a terminal on stderr, and neither flag given."""
        return not as_json and not no_progress and sys.stderr.isatty()

    def __enter__(self) -> CampaignProgress:
        return self

    def update(self, snapshot: Snapshot, *, force: bool = False) -> None:
        """Redraw with ``snapshot`` (throttled unless ``force``)."""
        now = time.perf_counter()
        if not self.enabled or (not force and now - self._last < self.every):
            return
        self._last = now
        self.stream.write("\r" + progress_line(snapshot) + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._drawn:  # leave the last line, end it
            self.stream.write("\n")
            self.stream.flush()
