"""kswapd: ``shrink_list`` over the LRU (2.6.16 mm/vmscan.c, with V8's migration-cache hook).

For each page: isolate, trylock (skip if busy), cull mlocked pages, and either move a
migration-cache page to swap (if the fallback policy allows it for "vmscan") or skip it;
``add_to_swap`` an anonymous page; ``try_to_unmap`` (VM_LOCKED: back off); page-out I/O in
virtual time; then ``remove_mapping`` frees the page if only the cache and our isolation
hold it, testing the refcount before PG_dirty (6.1 ``__remove_mapping``; the era that
reverses the two loses a write through a pin, R17).  The page lock is held across the
I/O (a simplification: the kernel unlocks at I/O end and frees on a later pass).
"""

from __future__ import annotations

from collections.abc import Sequence

from actors import Actor, reads, writes
from kernel_actors import _ask as ask
from kernel_actors._context import MIGCACHE, SWAP, KernelContext, alloc_key, page_key
from kernel_actors._migcache import begin_move_to_swap, finish_move_to_swap, reap_unused_entry
from kernel_actors._ops import KernelOps
from kernel_actors._rmap import find_and_isolate, isolate, putback, try_to_unmap
from kernel_model import (
    HOLDER_ISOLATE,
    Page,
    add_to_swap,
    delete_from_swap_cache,
    end_writeback,
    page_view,
    pageout,
)


class Kswapd(Actor):
    """Reclaim ``pages`` ("MM:PAGE"; empty: the whole LRU) for ``passes`` passes, from
    time ``at``."""

    def __init__(
        self,
        name: str,
        ctx: KernelContext,
        pages: Sequence[str],
        *,
        passes: int = 1,
        at: int = 0,
    ) -> None:
        super().__init__(name)
        self.ctx = ctx
        self.k = ctx.kernel
        self.ops = KernelOps(self, ctx)
        self.at = self.ops.at
        self.pages = tuple(pages)
        self.passes = passes
        self.start = at

    async def run(self) -> None:
        """Scan the pages ``passes`` times."""
        if self.start:
            await self.sleep(self.start)
        for _ in range(self.passes):
            if self.pages:
                for spec in self.pages:
                    page = await find_and_isolate(self.ops, spec)
                    if page is not None:
                        await self._shrink(page)
                continue
            await self.at("scan LRU", writes("lru"))
            for page in [p for p in self.k.pages if p.lru]:
                if await isolate(self.ops, page):
                    await self._shrink(page)

    async def _shrink(self, page: Page) -> None:
        if not await self.ops.trylock_page(page):
            await putback(self.ops, page)
            return
        if await self._reclaim_locked(page):
            return
        await self.ops.unlock_page(page)
        await putback(self.ops, page)

    async def _reclaim_locked(self, page: Page) -> bool:
        """True when the page was freed (and unlocked); False: unlock and put it back."""
        users = [reads("pte", mm, v) for mm, v in self.k.users(page)]
        await self.at(
            "shrink_list: examine", page_key(page.pfn), writes(*SWAP), writes(*MIGCACHE), *users
        )
        reap_unused_entry(self.ops, page)
        if self.ctx.era.pg_mlocked and (page.mlocked or self.k.mapped_by_locked_vma(page)):
            page.mlocked = True  # the unevictable LRU (2.6.28+): cull without unmapping
            return False
        if page.is_migration():
            if not await self._move_to_swap(page):
                return False
        elif not page.swapcache and add_to_swap(self.k, page) is None:
            return False
        entry = page.private
        if entry is None or entry.is_migration:
            return False
        if page.mapcount and not await try_to_unmap(self.ops, page, entry, refuse_locked=True):
            return False
        return await self._write_and_free(page)

    async def _move_to_swap(self, page: Page) -> bool:
        """V8's hook in ``shrink_list``: ask the fallback policy (reason "vmscan"), then run
        ``migration_move_to_swap``, whose first steps happen inside the examine step."""
        # The page has no present pte: its users are the ptes naming its entry, and
        # whether their vmas are VM_LOCKED is what "not-mlocked" must see.
        view = page_view(self.k, page, vm_locked=self.k.used_by_locked_vma(page))
        if not ask.fallback(self.name, self.ctx, view, "vmscan"):
            return False
        if self.ctx.era.posted_v8:
            return await self._posted_move_to_swap(page)
        old = begin_move_to_swap(self.ops, page)
        if old is None:
            return False
        await finish_move_to_swap(self.ops, page, old)
        return True

    async def _posted_move_to_swap(self, page: Page) -> bool:
        """V8 3/4 ``migration_move_to_swap`` as posted: it starts with
        ``page_lock_anon_vma``, which is NULL for a page no pte maps, so a fully lazy page
        is never moved from vmscan; it calls ``add_to_swap(page, GFP_KERNEL)`` under the
        anon_vma spinlock (K1 when the allocation must wait for memory); and it returns
        without ``spin_unlock`` when ``add_to_swap`` fails (the lock leaks: Q1, or a
        deadlock for its next user)."""
        anon_vma = self.k.page_lock_anon_vma(page)
        if anon_vma is None:
            return False
        await self.ops.lock_anon_vma(anon_vma)
        await self.at(
            "move_to_swap: add_to_swap", page_key(page.pfn), writes(*MIGCACHE), writes(*SWAP)
        )
        if not any(self.k.free_lists):
            self.k.report(
                "K1",
                f"{self.name} sleeps in add_to_swap(GFP_KERNEL) for page {page.pfn} while "
                f"holding {anon_vma.lock_name} (no free memory: the allocation waits)",
                self.name,
                anon_vma.lock_name,
            )
        old = begin_move_to_swap(self.ops, page)
        if old is None:
            return False  # as posted: returns with the anon_vma lock still held
        await finish_move_to_swap(self.ops, page, old)
        await self.ops.unlock_anon_vma(anon_vma)
        return True

    async def _write_and_free(self, page: Page) -> bool:
        """``pageout`` (I/O in virtual time) then ``remove_mapping``: free the page if only
        the swap cache and our isolation still hold it."""
        if page.mapcount:
            return False
        if page.dirty:
            await self.at("pageout", page_key(page.pfn), writes(*SWAP))
            pageout(self.k, page, pg_mlocked=self.ctx.era.pg_mlocked)
            await self.sleep(self.ctx.io_ticks)
        await self.at("remove_mapping", page_key(page.pfn), writes(*SWAP), alloc_key(page.nid))
        if page.writeback:
            end_writeback(self.k, page)
        if self.ctx.era.freeze_before_dirty:
            # The freeze: one step, as folio_ref_freeze's cmpxchg orders the dirty test
            # after it, and with the count frozen no new reference (so no write) appears.
            if page.refcount != 2 or page.dirty or page.mapcount or not page.swapcache:
                return False
        elif not await self._dirty_then_refcount(page):
            return False
        delete_from_swap_cache(self.k, page)
        self.k.isolated.pop(page.pfn, None)
        await self.ops.unlock_and_put(page, HOLDER_ISOLATE)
        return True

    async def _dirty_then_refcount(self, page: Page) -> bool:
        """The strawman order of R17: "not dirty", then (a step later) "only the cache and
        we hold it".  A pin holder may write, dirty the page and drop its reference in
        between: the second test passes and the write is freed with the page."""
        if page.dirty:
            return False
        await self.at("remove_mapping: refcount", page_key(page.pfn), writes(*SWAP))
        return page.refcount == 2 and not page.mapcount and page.swapcache
