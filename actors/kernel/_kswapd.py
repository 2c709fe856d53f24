"""kswapd: ``shrink_list`` over the LRU (2.6.16 shape, with V8's migration-cache hook).

For each page: isolate, trylock (skip if busy), cull mlocked pages, and either move a
migration-cache page to swap (if the fallback policy allows it for "vmscan") or skip it;
``add_to_swap`` an anonymous page; ``try_to_unmap`` (VM_LOCKED: back off); page-out I/O in
virtual time; then ``remove_mapping`` frees the page if only the cache and our isolation
hold it.  The page lock is held across the I/O (a simplification: the kernel unlocks at
I/O end and frees on a later pass).
"""

from __future__ import annotations

from collections.abc import Sequence

from actors import reads, writes
from actors.kernel._context import MIGCACHE, SWAP, KernelContext, alloc_key, consult, page_key
from actors.kernel._migrate import MigrationDaemon
from kernel_model import (
    HOLDER_ISOLATE,
    Page,
    add_to_swap,
    delete_from_swap_cache,
    end_writeback,
    page_view,
    pageout,
)


class Kswapd(MigrationDaemon):
    """Reclaim ``pages`` ("MM:PAGE"; empty: the whole LRU) for ``passes`` passes."""

    def __init__(
        self,
        name: str,
        ctx: KernelContext,
        pages: Sequence[str],
        *,
        passes: int = 1,
        at: int = 0,
    ) -> None:
        super().__init__(name, ctx, pages, to_node=0, at=at)
        self.passes = passes

    async def run(self) -> None:
        """Scan the pages ``passes`` times."""
        if self.start:
            await self.sleep(self.start)
        for _ in range(self.passes):
            if self.pages:
                for spec in self.pages:
                    page = await self.resolve(spec, isolate=True)
                    if page is not None:
                        await self._shrink(page)
                continue
            await self.at("scan LRU", writes("lru"))
            for page in [p for p in self.k.pages if p.lru]:
                if await self.isolate(page):
                    await self._shrink(page)

    async def _shrink(self, page: Page) -> None:
        if not await self.trylock_page(page):
            await self.putback(page)
            return
        if await self._reclaim_locked(page):
            return
        await self.unlock_page(page)
        await self.putback(page)

    async def _reclaim_locked(self, page: Page) -> bool:
        """True when the page was freed (and unlocked); False: unlock and put it back."""
        users = [reads("pte", mm, v) for mm, v in self.k.users(page)]
        await self.at(
            "shrink_list: examine", page_key(page.pfn), writes(*SWAP), writes(*MIGCACHE), *users
        )
        if not self.posted:
            self.reap_unused_entry(page)
        if page.mlocked or self._mapped_locked(page):
            page.mlocked = True
            return False
        if page.is_migration():
            # The page has no present pte: its users are the ptes naming its entry, and
            # whether their vmas are VM_LOCKED is what "not-mlocked" must see.
            view = page_view(self.k, page, vm_locked=self.k.used_by_locked_vma(page))
            policy = self.ctx.policies.fallback
            if not consult(
                self,
                self.k,
                policy,
                "fallback",
                view,
                "vmscan",
                allowed=(True, False),
                default=False,
            ):
                return False
            old = self.begin_move_to_swap(page)
            if old is None:
                return False
            await self.finish_move_to_swap(page, old, posted=self.posted)
        elif not page.swapcache and add_to_swap(self.k, page) is None:
            return False
        entry = page.private
        if entry is None or entry.is_migration:
            return False
        if page.mapcount and not await self.try_to_unmap(page, entry, refuse_locked=True):
            return False
        return await self._write_and_free(page)

    def _mapped_locked(self, page: Page) -> bool:
        return any(self.k.mms[mm].vm_locked[v] for mm, v in self.k.mapped_by.get(page.pfn, ()))

    async def _write_and_free(self, page: Page) -> bool:
        if page.mapcount:
            return False
        if page.dirty:
            await self.at("pageout", page_key(page.pfn), writes(*SWAP))
            pageout(self.k, page)
            await self.sleep(self.ctx.io_ticks)
        await self.at("remove_mapping", page_key(page.pfn), writes(*SWAP), alloc_key(page.nid))
        if page.writeback:
            end_writeback(self.k, page)
        if page.refcount != 2 or page.dirty or page.mapcount or not page.swapcache:
            return False
        delete_from_swap_cache(self.k, page)
        self.k.isolated.pop(page.pfn, None)
        await self.unlock_and_put(page, HOLDER_ISOLATE)
        return True
