"""The live progress display of an exploration (a rich progress bar on a terminal).

Only a person at a terminal sees it: it is drawn on stderr, and only when stderr is a TTY
and ``--no-progress`` was not given, so piped and captured output stays plain and
deterministic.  It shows schedules done (of the budget), schedules per second, steps,
coverage (distinct actor x operation pairs) and violations found.
"""

from __future__ import annotations

import time
from types import TracebackType

import actors


class ProgressDisplay:
    """A context manager whose :meth:`update` is the exploration's ``on_progress``."""

    def __init__(self, description: str, total: int, *, enabled: bool) -> None:
        self.enabled = enabled
        self.description = description
        self.total = total
        self._progress: object = None
        self._task: object = None
        self._start = time.perf_counter()

    def __enter__(self) -> ProgressDisplay:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(bar_width=24),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:>7.1f} sched/s"),
                TextColumn("steps {task.fields[steps]}"),
                TextColumn("coverage {task.fields[coverage]}"),
                TextColumn("[red]violations {task.fields[violations]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            progress.start()
            self._task = progress.add_task(
                self.description, total=self.total, rate=0.0, steps=0, coverage=0, violations=0
            )
            self._progress = progress
        self._start = time.perf_counter()
        return self

    def update(self, snapshot: actors.Progress) -> None:
        """Show a progress snapshot from the exploration."""
        if self._progress is None:
            return
        from rich.progress import Progress, TaskID

        assert isinstance(self._progress, Progress)
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        self._progress.update(
            TaskID(int(self._task)),  # type: ignore[call-overload]
            completed=snapshot.schedules,
            rate=snapshot.schedules / elapsed,
            steps=snapshot.steps,
            coverage=snapshot.coverage,
            violations=snapshot.violations,
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            from rich.progress import Progress

            assert isinstance(self._progress, Progress)
            self._progress.stop()
            self._progress = None
