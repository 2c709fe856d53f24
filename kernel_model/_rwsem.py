"""``struct rw_semaphore`` as the 2.6.16 generic rwsem (lib/rwsem-spinlock.c) behaves:
readers share it, a writer excludes everyone, and waiters are served in FIFO order, so
that a waiting writer blocks readers that come after it (no writer starvation).

The lock word lives here, in the model (who holds it, who waits, in order); the actors
only sleep and wake (``kernel_actors`` hands a released semaphore to the waiters this
returns).  ``mmap_sem`` of every :class:`~kernel_model.Mm` is one of these.
"""

from __future__ import annotations

from collections import deque


class RwSem:
    """One reader-writer semaphore ``name``: its holders and its FIFO of waiters."""

    __slots__ = ("name", "readers", "waiters", "writer")

    def __init__(self, name: str) -> None:
        self.name = name
        self.readers: dict[str, int] = {}
        self.writer: str | None = None
        self.waiters: deque[tuple[str, bool]] = deque()

    def try_acquire(self, actor: str, *, write: bool) -> bool:
        """``down_read`` / ``down_write`` without sleeping: True when ``actor`` now holds
        it; otherwise ``actor`` is queued (and will be handed the lock by a release)."""
        free = self.writer is None and not self.waiters
        if free and (not write or not self.readers):
            self._grant(actor, write)
            return True
        self.waiters.append((actor, write))
        return False

    def holds(self, actor: str) -> bool:
        """True when ``actor`` holds the semaphore (for read or for write)."""
        return self.writer == actor or actor in self.readers

    def release(self, actor: str, *, write: bool) -> list[str] | None:
        """``up_read`` / ``up_write``: the waiters that now hold it (``__rwsem_do_wake``:
        the first waiter if it is a writer, else every reader up to the next writer), or
        None when ``actor`` did not hold it that way (nothing changes)."""
        if write:
            if self.writer != actor:
                return None
            self.writer = None
        else:
            count = self.readers.get(actor, 0)
            if not count:
                return None
            if count == 1:
                del self.readers[actor]
            else:
                self.readers[actor] = count - 1
        if self.writer is not None or self.readers:
            return []
        return self._wake()

    def _wake(self) -> list[str]:
        woken: list[str] = []
        while self.waiters:
            actor, write = self.waiters[0]
            if write and woken:
                break
            self.waiters.popleft()
            self._grant(actor, write)
            woken.append(actor)
            if write:
                break
        return woken

    def _grant(self, actor: str, write: bool) -> None:
        if write:
            self.writer = actor
        else:
            self.readers[actor] = self.readers.get(actor, 0) + 1

    def describe(self) -> str:
        """Holders and waiters, for reports."""
        held = f"writer {self.writer}" if self.writer else f"readers {sorted(self.readers)}"
        queue = ", ".join(f"{a} ({'w' if w else 'r'})" for a, w in self.waiters)
        return f"{self.name}: {held}; waiting: {queue or '-'}"
