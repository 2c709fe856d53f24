"""``mlock_count`` (5.18+, the 6.1 unevictable LRU): how many VM_LOCKED vmas map a page.

A page of a VM_LOCKED vma is PG_mlocked and counts the locked vmas that map it:
``mlock_folio`` adds one (mlock's walk over the present pages, and the rmap of a page
mapped into a locked vma, e.g. ``remove_migration_pte``); ``munlock_folio`` takes one away
(munlock, an unmap from a locked vma) and clears PG_mlocked at 0.  The count may err low
(reclaim finds such a page and mlocks it later) but never high: a page counted twice stays
stranded on the unevictable list after the last munlock (R18).  L3 is checked whenever
the count goes up, against the model's own index of the ptes mapping the page.
"""

from __future__ import annotations

from kernel_model._kernel import Kernel
from kernel_model._page import Page


def locked_mappings(k: Kernel, page: Page) -> int:
    """How many present ptes of VM_LOCKED vmas map ``page`` (vmas are per page here)."""
    return sum(1 for mm, v in k.mapped_by.get(page.pfn, ()) if k.mms[mm].vm_locked[v])


def mlock_folio(k: Kernel, page: Page, by: str) -> None:
    """Count one more locked vma mapping ``page``; L3 if that is more than there are."""
    page.mlocked = True
    page.mlock_count += 1
    k.touch_page(page.pfn)
    locked = locked_mappings(k, page)
    if page.mlock_count > locked:
        k.report(
            "L3",
            f"{by} raised mlock_count of page {page.pfn} to {page.mlock_count}, but only "
            f"{locked} VM_LOCKED vma(s) map it",
            f"page:{page.pfn}",
        )


def munlock_folio(k: Kernel, page: Page) -> None:
    """One locked vma fewer maps ``page``; at 0 it leaves the unevictable list."""
    if page.mlock_count:
        page.mlock_count -= 1
    if not page.mlock_count:
        page.mlocked = False
    k.touch_page(page.pfn)


def mlock_on_map(k: Kernel, page: Page, mm: str, vpage: int, by: str) -> None:
    """``mlock_vma_folio`` as the rmap of a new mapping calls it: only a vma that is
    VM_LOCKED and not VM_IO (VM_SPECIAL) counts; mlock's walk sets VM_IO to count the
    page itself."""
    space = k.mms[mm]
    if space.vm_locked[vpage] and not space.vm_io[vpage]:
        mlock_folio(k, page, by)


def munlock_on_unmap(k: Kernel, page: Page, mm: str, vpage: int) -> None:
    """``munlock_vma_folio`` as ``page_remove_rmap`` calls it for a VM_LOCKED vma."""
    if k.mms[mm].vm_locked[vpage]:
        munlock_folio(k, page)
