"""A write through a GUP pin: ``get_user_pages(FOLL_WRITE)``, the write, the unpin.

A driver doing DMA into user memory (6.1 mm/gup.c ``pin_user_pages`` ..
``unpin_user_pages_dirty_lock``) holds a page reference, not a pte: reclaim may unmap the
page meanwhile, and the data the device writes reaches the page with no pte at all.  The
pin is the only thing telling reclaim that the page is still in use, which is why
``__remove_mapping`` must read the refcount and the dirty bit in the right order (R17).
"""

from __future__ import annotations

from kernel_actors._context import page_key, pte_key
from kernel_actors._fault import FaultPath
from kernel_actors._ops import KernelOps
from kernel_model import Page, PtePresent


def gup_holder(name: str) -> str:
    """The reference holder of ``name``'s pin (``gup:<actor>``)."""
    return f"gup:{name}"


async def gup_write(ops: KernelOps, fault: FaultPath, mm: str, vpage: int) -> None:
    """Pin ``mm:vpage`` for writing, let the device write it through the pin (I/O in
    virtual time), then unpin it dirty.  A fault that cannot complete (OOM, or the retry
    bound) fails the pin, as ``__get_user_pages`` returns the error: nothing is written."""
    await ops.down_read(mm)
    page = await _pin(ops, fault, mm, vpage)
    await ops.up_read(mm)  # the pin, not mmap_lock, keeps the page for the device
    if page is None:
        return
    await ops.actor.sleep(ops.ctx.io_ticks)  # the device's transfer, in virtual time
    await ops.at("write through pin", page_key(page.pfn))
    # The device's write, then unpin_user_pages_dirty_lock's set_page_dirty: one step,
    # since nothing can observe the page between them but a dirty test, which the
    # write alone would not satisfy anyway.
    ops.k.write_data(mm, vpage, page)
    await ops.at("unpin", page_key(page.pfn))
    ops.k.put_page(page, gup_holder(ops.name))


async def _pin(ops: KernelOps, fault: FaultPath, mm: str, vpage: int) -> Page | None:
    """``__get_user_pages``: ``follow_page_pte`` under the PTL takes the reference of a
    present writable pte; anything else faults (``faultin_page``) and looks again, or
    gives up (None) when the fault did not complete."""
    while True:
        await ops.lock_ptl(mm, vpage)
        pte = ops.k.pte(mm, vpage)  # stable: we hold its PTL
        pages = [page_key(pte.pfn)] if isinstance(pte, PtePresent) else []
        await ops.at("follow_page_pte", pte_key(mm, vpage), *pages)
        if isinstance(pte, PtePresent) and pte.writable:
            page = ops.k.pages[pte.pfn]
            ops.k.get_page(page, gup_holder(ops.name))
            await ops.unlock_ptl(mm, vpage)
            return page
        await ops.unlock_ptl(mm, vpage)
        if await fault.access(mm, vpage, True) != "done":
            return None
