"""Messages between the kernel's actors (attrs frozen values)."""

from __future__ import annotations

import attrs


@attrs.frozen
class Wait:
    """Request to a lock actor: wake me when ``lock`` is handed to me (FIFO)."""

    lock: str


@attrs.frozen
class Handoff:
    """From an unlocker to the lock actor: ``lock`` now belongs to waiter ``to``; wake it."""

    lock: str
    to: str


@attrs.frozen
class Granted:
    """The answer to :class:`Wait`: the lock is yours."""

    lock: str


@attrs.frozen
class Forked:
    """From a forking task to the tasks of the child mm: the address space now exists."""

    mm: str
