"""swapoff: bring every swapped page back in, then tear the swap device down (R13).

6.1 mm/swapfile.c ``swapoff``: ``try_to_unuse`` walks every mm (``unuse_mm`` under
``mmap_read_lock``) and, for each swap pte of the device, finds or reads the page into
the swap cache, locks it and, under the PTL, ``unuse_pte``: if the pte is still the same
swap entry, map the page (read-only), ``swap_free`` the entry and drop the now unused
swap-cache copy.  Then ``percpu_ref_kill(&p->users)`` and ``wait_for_completion`` until
every fault that pinned the device with ``get_swap_device`` has put it, and only then is
the device's state freed (``swap_file``, ``swap_map``, the swap address space).

The faults' half lives here too: :func:`pinned_swap_fault` is ``do_swap_page``'s
``get_swap_device`` .. ``put_swap_device`` bracket, and :func:`touch_device` is any use
of the device a fault makes (its swap cache, its I/O): D5 after the teardown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from actors import Actor, reads, writes
from kernel_actors._context import SWAP, KernelContext, alloc_key, page_key, pte_key
from kernel_actors._ops import KernelOps
from kernel_model import (
    HOLDER_LRU,
    HOLDER_MAP,
    Page,
    PtePresent,
    PteSwap,
    SwpEntry,
    add_to_swap_cache,
    delete_from_swap_cache,
    lookup,
    read_slot,
    swap_free,
)

T = TypeVar("T")

MAX_UNUSE_ROUNDS = 8
"""Walks of every mm ``try_to_unuse`` makes at most; swapoff that still finds a swap pte
after them ends without tearing the device down."""


def touch_device(ops: KernelOps, what: str) -> None:
    """A fault uses the swap device (``what``): D5 if swapoff already tore it down."""
    if ops.k.swap.torn_down:
        ops.k.report(
            "D5",
            f"{ops.name}: {what} on swap device 0 after swapoff tore it down "
            "(use after free of the device's state)",
            ops.name,
            "swap",
        )


async def pinned_swap_fault(
    ops: KernelOps, entry: SwpEntry, body: Callable[[], Awaitable[T]], failed: T
) -> T:
    """Run ``do_swap_page``'s ``body`` for ``entry`` holding the device when the era pins
    it (``get_swap_device``); ``failed`` is the answer when swapoff already killed the
    device's users (the pte has been unused by then: the refault finds it mapped)."""
    if entry.is_migration or not ops.ctx.era.get_swap_device:
        return await body()
    await ops.at("get_swap_device", writes(*SWAP))
    swap = ops.k.swap
    if swap.dying:
        return failed
    swap.users += 1
    try:
        return await body()
    finally:
        swap.users -= 1  # put_swap_device: percpu_ref_put, no scheduling point


class Swapoff(Actor):
    """``swapoff`` of swap device 0, from time ``at``."""

    def __init__(self, name: str, ctx: KernelContext, *, at: int = 0) -> None:
        super().__init__(name)
        self.ctx = ctx
        self.k = ctx.kernel
        self.ops = KernelOps(self, ctx)
        self.at = self.ops.at
        self.start = at

    @property
    def holder(self) -> str:
        """The reference swapoff holds on a page while it unuses it."""
        return f"swapoff:{self.name}"

    async def run(self) -> None:
        """``try_to_unuse`` every mm, then kill the users, wait for them, tear down."""
        if self.start:
            await self.sleep(self.start)
        for _ in range(MAX_UNUSE_ROUNDS):  # try_to_unuse: "goto retry" while in use
            for mm in sorted(self.k.mms):
                if self.k.mms[mm].alive:
                    await self._unuse_mm(mm)
            if not self._swap_ptes_left():
                break
        else:
            return  # still in use: the kernel would walk again; the model gives up here
        await self.at("percpu_ref_kill(users)", writes(*SWAP))
        self.k.swap.dying = True
        while self.k.swap.users:  # wait_for_completion(&p->comp), in virtual time
            await self.sleep(1)
        await self.at("swapoff: free the device", writes(*SWAP))
        self.k.swap.torn_down = True

    def _swap_ptes_left(self) -> bool:
        return any(isinstance(pte, PteSwap) for space in self.k.mms.values() for pte in space.ptes)

    async def _unuse_mm(self, mm: str) -> None:
        await self.ops.down_read(mm)
        for vpage in range(self.k.mms[mm].npages):
            await self.at("unuse_pte_range: read pte", reads("pte", mm, vpage))
            pte = self.k.pte(mm, vpage)
            if isinstance(pte, PteSwap):
                await self._unuse(mm, vpage, pte)
        await self.ops.up_read(mm)

    async def _unuse(self, mm: str, vpage: int, orig: PteSwap) -> None:
        """Find or read the page, lock it, and ``unuse_pte`` under the PTL."""
        page = await self._get_page(mm, orig.entry)
        if page is None:
            return
        await self.ops.lock_ptl(mm, vpage)
        await self.at("unuse_pte", pte_key(mm, vpage), page_key(page.pfn), writes(*SWAP))
        if self.k.pte(mm, vpage) != orig:  # somebody else faulted it in
            await self.ops.unlock_ptl(mm, vpage)
            await self.ops.unlock_and_put(page, self.holder)
            return
        self.k.set_pte(mm, vpage, PtePresent(page.pfn), self.name)
        self.k.add_rmap(page)
        self.k.move_ref(page, self.holder, HOLDER_MAP)
        swap_free(self.k, orig.entry)
        if self.k.swap.swap_map[orig.entry.offset] == 1 and not page.writeback:
            delete_from_swap_cache(self.k, page)  # try_to_unuse's folio_free_swap
        await self.ops.unlock_ptl(mm, vpage)
        await self.ops.unlock_page(page)

    async def _get_page(self, mm: str, entry: SwpEntry) -> Page | None:
        """The entry's page, referenced and locked: from the swap cache, or read in
        (None: the entry was freed meanwhile, so the pte no longer names it)."""
        while True:
            await self.at("swap_cache_get_folio", reads(*SWAP))
            page = lookup(self.k, entry)
            if page is not None:
                self.k.get_page(page, self.holder)
                await self.ops.lock_page(page)
                return page
            node = self.k.mms[mm].nid
            await self.at("read_swap_cache_async", writes(*SWAP), alloc_key(node))
            if not self.k.swap.in_use(entry.offset):
                return None
            if entry.offset not in self.k.swap.cache:  # else a fault read it in: look again
                break
        page = self.k.alloc_page(node, self.holder)
        if page is None:
            return None
        self.ops.own_new_page_lock(page)
        add_to_swap_cache(self.k, page, entry)
        page.uptodate = False
        page.lru = True
        self.k.get_page(page, HOLDER_LRU)
        await self.sleep(self.ctx.io_ticks)
        await self.at("swap-in I/O done", page_key(page.pfn), writes(*SWAP))
        read_slot(self.k, entry, page)
        return page
