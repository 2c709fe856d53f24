"""Footprints: what a step touches, and whether it reads or writes it.

Every scheduling point declares the shared objects the *next* step of its actor will touch.
Two steps are *dependent* when they touch the same object and at least one writes it; DPOR
explores both orders of dependent steps and only one order of independent ones, and reports
use footprints to name "who read what, who changed it in between".

Object keys are plain tuples of strings and integers (``("pte", "A", 0)``), never object
identities, so that footprints (and therefore exploration) are the same in every process.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

Key = tuple[str | int, ...]


@attrs.frozen(order=True)
class Access:
    """One access to a shared object: its ``key`` and whether it is a ``write``."""

    key: Key
    write: bool = False

    def conflicts(self, other: Access) -> bool:
        """True when both touch the same object and at least one of them writes."""
        return self.key == other.key and (self.write or other.write)

    def __str__(self) -> str:
        return f"{'W' if self.write else 'R'}:{'/'.join(map(str, self.key))}"


Footprint = tuple[Access, ...]


def reads(*key: str | int) -> Access:
    """A read of the object named by ``key`` (``reads("pte", "A", 0)``)."""
    return Access(key, False)


def writes(*key: str | int) -> Access:
    """A write of the object named by ``key`` (``writes("page", 7)``)."""
    return Access(key, True)


def dependent(a: Footprint, b: Footprint) -> bool:
    """True when some access of ``a`` conflicts with some access of ``b``."""
    return any(x.conflicts(y) for x in a for y in b)


def keys(footprint: Iterable[Access]) -> tuple[Key, ...]:
    """The object keys a footprint touches, in order, without repeats."""
    seen: dict[Key, None] = {}
    for access in footprint:
        seen.setdefault(access.key)
    return tuple(seen)
