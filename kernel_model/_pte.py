"""Page-table entry states.

A pte is an immutable value; comparing two with ``==`` is the kernel's ``pte_same``.

- :data:`PTE_NONE`: never touched, or zapped.
- :class:`PtePresent`: maps ``pfn``; ``writable`` and ``dirty`` are the hardware bits.
- :class:`PteSwap`: a swap pte naming a swap slot.
- :class:`PteMigCache`: a migration-cache pte [V8] naming a migration-cache id.
- :class:`PteMigration`: a swapless migration entry [2.6.18+] naming the pfn being moved.
"""

from __future__ import annotations

import attrs

from kernel_model._entry import SwpEntry


@attrs.frozen(slots=True)
class PteNone:
    """The empty pte."""

    def __str__(self) -> str:
        return "none"


@attrs.frozen(slots=True)
class PtePresent:
    """A present pte mapping ``pfn``."""

    pfn: int
    writable: bool = False
    dirty: bool = False

    def __str__(self) -> str:
        bits = ("w" if self.writable else "r") + ("d" if self.dirty else "")
        return f"present(pfn={self.pfn},{bits})"


@attrs.frozen(slots=True)
class PteSwap:
    """A swap pte naming swap ``entry``."""

    entry: SwpEntry

    def __str__(self) -> str:
        return f"swap({self.entry})"


@attrs.frozen(slots=True)
class PteMigCache:
    """A migration-cache pte [V8] naming migration-cache ``entry``."""

    entry: SwpEntry

    def __str__(self) -> str:
        return f"migcache({self.entry})"


@attrs.frozen(slots=True)
class PteMigration:
    """A swapless migration entry [2.6.18+] for ``pfn`` (READ, or WRITE when ``write``)."""

    pfn: int
    write: bool = False

    def __str__(self) -> str:
        return f"migration({'w' if self.write else 'r'},pfn={self.pfn})"


Pte = PteNone | PtePresent | PteSwap | PteMigCache | PteMigration
PTE_NONE = PteNone()


def pte_entry(pte: Pte) -> SwpEntry | None:
    """The swap or migration-cache entry a pte names, or None."""
    if isinstance(pte, PteSwap | PteMigCache):
        return pte.entry
    return None
