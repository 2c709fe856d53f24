"""SIGINT and SIGTERM during a run: stop at the next schedule boundary, keep the answer.

While a command that explores runs (``explore``, ``check``, ``run``, ``replay``,
``shrink``), the first SIGINT (Ctrl-C) or SIGTERM only sets a flag: the exploration
stops before its next schedule, and the command prints and writes what it has, with the
verdict that holds, then exits ``128 + signal number`` (130 for SIGINT, 143 for SIGTERM).
A second signal stops the process at once (same status), without a report.  Outside such
a command a signal interrupts as usual.  Nothing here raises inside a trio run, so a
signal never ends in a trio ``BaseExceptionGroup`` or ``TrioInternalError`` traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequest:
    """Whether the user asked the run to stop, and with which signal."""

    def __init__(self) -> None:
        self.signum = 0
        self.armed = False

    def requested(self) -> bool:
        """True once SIGINT or SIGTERM arrived (the pipeline's ``should_stop``)."""
        return self.signum != 0

    @property
    def status(self) -> int:
        """The exit status of an interrupted command: 128 + the signal number."""
        return 128 + self.signum if self.signum else 0

    @contextlib.contextmanager
    def installed(self, *, armed: bool) -> Iterator[StopRequest]:
        """Handle SIGINT and SIGTERM for the duration (``armed``: stop at a schedule
        boundary; else interrupt at once, as ``KeyboardInterrupt``)."""
        if threading.current_thread() is not threading.main_thread():
            yield self  # signals are delivered to the main thread only
            return
        self.armed = armed
        before = {s: signal.signal(s, self._handle) for s in SIGNALS}
        try:
            yield self
        finally:
            for s, handler in before.items():
                signal.signal(s, handler)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signum:
            os.write(2, b"migsim: interrupted again; stopping now, without a report\n")
            os._exit(128 + signum)
        self.signum = signum
        if not self.armed:
            raise KeyboardInterrupt
        os.write(
            2,
            b"migsim: interrupted; stopping after the current schedule "
            b"(interrupt again to stop at once)\n",
        )
