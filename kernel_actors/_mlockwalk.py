"""mlock and munlock with ``mlock_count`` (6.1 mm/mlock.c), one virtual page at a time.

``mlock_fixup`` -> ``mlock_vma_pages_range``: the vma's flags are written first (VM_LOCKED
set or cleared, and with the ``mlock_walk_vm_io`` guard VM_IO set for the length of the
walk), then ``mlock_pte_range`` walks the page table under its PTL and counts each present
page up (``mlock_folio``) or down (``munlock_folio``), then VM_IO is cleared again.
``__mm_populate`` faults in what was not present.  VM_IO is what keeps a page migrated
in between from being counted twice: ``remove_migration_pte`` -> ``mlock_vma_folio``
skips a VM_SPECIAL vma, so only the walk counts it (R18).
"""

from __future__ import annotations

from kernel_actors._context import page_key, pte_key
from kernel_actors._fault import FaultPath
from kernel_actors._ops import KernelOps
from kernel_model import PtePresent, mlock_folio, munlock_folio


async def mlock_vma_page_range(
    ops: KernelOps, fault: FaultPath, mm: str, vpage: int, lock: bool
) -> None:
    """``mlock_fixup`` of the one-page vma ``mm:vpage`` (``lock``: mlock, else munlock)."""
    k = ops.k
    space = k.mms[mm]
    await ops.at("mlock_fixup", pte_key(mm, vpage))
    space.vm_locked[vpage] = lock
    space.vm_io[vpage] = lock and ops.ctx.era.mlock_walk_vm_io
    await ops.lock_ptl(mm, vpage)
    pte = k.pte(mm, vpage)  # stable: we hold the PTL
    present = isinstance(pte, PtePresent)
    footprint = [page_key(pte.pfn)] if isinstance(pte, PtePresent) else []
    await ops.at("mlock_pte_range", pte_key(mm, vpage), *footprint)
    if isinstance(pte, PtePresent):
        page = k.pages[pte.pfn]
        if lock:
            mlock_folio(k, page, ops.name)
        else:
            munlock_folio(k, page)
    space.vm_io[vpage] = False
    await ops.unlock_ptl(mm, vpage)
    if lock and not present:
        await fault.access(mm, vpage, False)  # __mm_populate
