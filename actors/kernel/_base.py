"""The base of every kernel actor: lock helpers over the lock actors, and footprints."""

from __future__ import annotations

from actors import Access, Actor
from actors.kernel._context import KernelContext
from actors.kernel._messages import Granted, LockPage, LockPtl, UnlockPage, UnlockPtl
from kernel_model import Page, detach_migration_entry


class KernelActor(Actor):
    """An actor that runs kernel code against the shared :class:`KernelContext`."""

    def __init__(self, name: str, ctx: KernelContext, *, daemon: bool = False) -> None:
        super().__init__(name, daemon=daemon)
        self.ctx = ctx
        self.k = ctx.kernel

    async def at(self, label: str, *footprint: Access) -> None:
        """A scheduling point before code touching ``footprint`` (a kernel preemption point)."""
        await self.yield_point(label, *footprint)

    async def lock_ptl(self, mm: str, vpage: int) -> None:
        """``pte_offset_map_lock``: take the PTL of ``mm:vpage``'s page-table page."""
        await self.call(self.ctx.ptl(mm, vpage), LockPtl())

    async def unlock_ptl(self, mm: str, vpage: int) -> None:
        """``pte_unmap_unlock`` (the model sees the release at once; the actor wakes waiters)."""
        space = self.k.mms[mm]
        self.k.ptl_released(mm, space.table_of(vpage), self.name)
        await self.send(self.ctx.ptl(mm, vpage), UnlockPtl())

    async def lock_page(self, page: Page) -> None:
        """``lock_page``: may sleep (K1 if we hold a PTL and it is contended)."""
        await self.call(self.ctx.pagelock, LockPage(page.pfn))

    async def trylock_page(self, page: Page) -> bool:
        """``TestSetPageLocked``: never sleeps."""
        answer = await self.call(self.ctx.pagelock, LockPage(page.pfn, trylock=True))
        assert isinstance(answer, Granted)
        return answer.ok

    async def unlock_page(self, page: Page) -> None:
        """``unlock_page``: wakes the first waiter."""
        await self.send(self.ctx.pagelock, UnlockPage(page.pfn))

    def reap_unused_entry(self, page: Page) -> None:
        """Detach the page's migration entry if no pte names it any more (counter 0).

        Only the page-lock holder may do this: a zap that found the page locked left the
        counter-0 entry behind (corrected code only; V8 as posted has no such cleanup).
        Call it in a step whose footprint covers the page and the migration cache.
        """
        entry = page.private
        if (
            page.locked_by == self.name
            and entry is not None
            and entry.is_migration
            and page.swapcache
            and self.k.migcache.counters.get(entry.offset) == 0
        ):
            detach_migration_entry(self.k, entry)

    def own_new_page_lock(self, page: Page) -> None:
        """Lock a page nobody else can see yet (fresh allocation): no message needed."""
        page.locked_by = self.name
        self.k.touch_page(page.pfn)
