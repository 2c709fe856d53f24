"""Swap entries (``swp_entry_t``) and the reserved migration type.

An entry is a (type, offset) pair.  Types ``0 .. MIGRATION_TYPE - 1`` are real swap devices
and the offset is a slot; type ``MIGRATION_TYPE`` (31, taken from the 32 swap type codes by
the 2004-2006 migration cache) marks a migration-cache entry whose offset is an idr id >= 1.
"""

from __future__ import annotations

import attrs

MAX_SWAPFILES_SHIFT = 5
MAX_SWAPFILES = 1 << MAX_SWAPFILES_SHIFT
MIGRATION_TYPE = MAX_SWAPFILES - 1


@attrs.frozen(slots=True)
class SwpEntry:
    """A ``swp_entry_t``: ``type`` (swap device, or MIGRATION_TYPE) and ``offset``."""

    type: int
    offset: int

    @property
    def is_migration(self) -> bool:
        """True for a migration-cache entry (type MIGRATION_TYPE)."""
        return self.type == MIGRATION_TYPE

    def __str__(self) -> str:
        kind = "mig" if self.is_migration else f"swp{self.type}"
        return f"{kind}:{self.offset}"


def swap_entry(offset: int, device: int = 0) -> SwpEntry:
    """The entry of slot ``offset`` on swap device ``device``."""
    return SwpEntry(device, offset)


def migration_entry(idr_id: int) -> SwpEntry:
    """The migration-cache entry with idr id ``idr_id``."""
    return SwpEntry(MIGRATION_TYPE, idr_id)
