"""Messages between the kernel's actors (attrs frozen values)."""

from __future__ import annotations

import attrs


@attrs.frozen
class LockPtl:
    """Request: take the PTL (the reply is :data:`GRANTED` once it is ours)."""


@attrs.frozen
class UnlockPtl:
    """Release the PTL (only its holder may)."""


@attrs.frozen
class LockPage:
    """Request: ``lock_page(pfn)`` (``trylock``: answer False instead of waiting)."""

    pfn: int
    trylock: bool = False


@attrs.frozen
class UnlockPage:
    """``unlock_page(pfn)``: wakes the first waiter (FIFO)."""

    pfn: int


@attrs.frozen
class Granted:
    """The answer to a lock request: ``ok`` False only for a failed trylock."""

    ok: bool = True


@attrs.frozen
class Forked:
    """From a forking task to the tasks of the child mm: the address space now exists."""

    mm: str


GRANTED = Granted(True)
REFUSED = Granted(False)
