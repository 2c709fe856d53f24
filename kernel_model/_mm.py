"""Address spaces: vmas (VM_LOCKED at page granularity) and split page tables.

An mm holds anonymous virtual pages ``0 .. npages-1``.  Its ptes are split into page-table
pages of ``ptes_per_table`` ptes, each with its own PTL (split page-table locks); the model
records which actor holds each PTL so that a pte write without it is caught.  Its
``mmap_sem`` (:class:`~kernel_model.RwSem`) serialises the operations that change the
address space (fork, exit, munmap, mlock, mbind: writers) against faults and
``sys_migrate_pages`` (readers).  Threads share
an mm by naming it; ``fork`` creates a new mm (see :meth:`Kernel.fork_table`).
"""

from __future__ import annotations

from kernel_model._pte import PTE_NONE, Pte
from kernel_model._rwsem import RwSem


class Mm:
    """One address space ``name`` whose pages are allocated on node ``nid``."""

    __slots__ = (
        "alive",
        "anon_vma",
        "mmap_sem",
        "name",
        "nid",
        "npages",
        "ptes",
        "ptes_per_table",
        "ptl_holder",
        "vm_io",
        "vm_locked",
    )

    def __init__(self, name: str, npages: int, nid: int, ptes_per_table: int) -> None:
        self.name = name
        self.npages = npages
        self.nid = nid
        self.ptes_per_table = ptes_per_table
        self.ptes: list[Pte] = [PTE_NONE] * npages
        self.vm_locked: list[bool] = [False] * npages
        # VM_IO, set only while mlock walks the pages (6.1 mlock_vma_pages_range, R18).
        self.vm_io: list[bool] = [False] * npages
        ntables = (npages + ptes_per_table - 1) // ptes_per_table
        self.ptl_holder: list[str | None] = [None] * max(ntables, 1)
        self.alive = True
        self.mmap_sem = RwSem(mmap_sem_name(name))
        self.anon_vma = 0  # set by Kernel.add_mm

    def table_of(self, vpage: int) -> int:
        """The index of the page-table page (and PTL) covering ``vpage``."""
        return vpage // self.ptes_per_table

    def table_range(self, table: int) -> range:
        """The virtual pages covered by page-table page ``table``."""
        start = table * self.ptes_per_table
        return range(start, min(start + self.ptes_per_table, self.npages))

    @property
    def ntables(self) -> int:
        """How many page-table pages (PTLs) this mm has."""
        return len(self.ptl_holder)


def ptl_name(mm: str, table: int) -> str:
    """The canonical name of a PTL: ``ptl:A:0``."""
    return f"ptl:{mm}:{table}"


def mmap_sem_name(mm: str) -> str:
    """The canonical name of an mm's mmap_sem: ``mmap_sem:A``."""
    return f"mmap_sem:{mm}"


def vpage_name(mm: str, vpage: int) -> str:
    """The canonical name of a virtual page: ``A:0``."""
    return f"{mm}:{vpage}"
