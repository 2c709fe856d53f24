"""Reverse-map walks shared by the migration daemon and kswapd.

``try_to_unmap`` turns every present pte of a page into a cache pte; ``remove_migration_ptes``
(2.6.16 ``remove_from_swap``) turns cache ptes back into present ptes of the new page;
``migration_move_to_swap`` [V8 patch 3] moves a migration-cache page into the swap cache.
Each pte is rewritten in one step under its PTL, together with the counter updates the
kernel does under that PTL, so the counting invariants hold between steps.
"""

from __future__ import annotations

from actors import writes
from actors.kernel._base import KernelActor
from actors.kernel._context import MIGCACHE, SWAP, cache_key, page_key, pte_key
from kernel_model import (
    HOLDER_ISOLATE,
    HOLDER_LRU,
    HOLDER_MAP,
    HOLDER_MIGCACHE,
    Page,
    PteMigCache,
    PtePresent,
    PteSwap,
    SwpEntry,
    add_to_swap,
    delete_from_swap_cache,
    detach_migration_entry,
    migration_remove_reference,
    swap_duplicate,
    swap_free,
)


def cache_pte(entry: SwpEntry) -> PteMigCache | PteSwap:
    """The pte that names ``entry``."""
    return PteMigCache(entry) if entry.is_migration else PteSwap(entry)


class RmapOps(KernelActor):
    """Kernel actors that walk the reverse map of a page."""

    async def isolate(self, page: Page) -> bool:
        """``isolate_lru_page``: take the page off the LRU (+1 ref, as the LRU's ref moves)."""
        await self.at("isolate_lru_page", page_key(page.pfn), writes("lru"))
        return self.isolate_now(page)

    def isolate_now(self, page: Page) -> bool:
        """``isolate_lru_page`` inside the caller's step (footprint: the page, the LRU)."""
        if page.free or not page.lru:
            return False
        page.lru = False
        self.k.move_ref(page, HOLDER_LRU, HOLDER_ISOLATE)
        self.k.isolated[page.pfn] = self.name
        return True

    async def putback(self, page: Page) -> None:
        """``putback_lru_page`` (the isolation ref goes back to the LRU)."""
        await self.at("putback_lru_page", page_key(page.pfn), writes("lru"))
        self.release_isolation(page, keep=True)

    def release_isolation(self, page: Page, *, keep: bool) -> None:
        """Put an isolated page back on the LRU (``keep``) or drop the ref (maybe freeing it)."""
        self.k.isolated.pop(page.pfn, None)
        if keep:
            page.lru = True
            self.k.move_ref(page, HOLDER_ISOLATE, HOLDER_LRU)
        else:
            self.k.put_page(page, HOLDER_ISOLATE)

    async def try_to_unmap(
        self, page: Page, entry: SwpEntry, *, refuse_locked: bool, migration: bool = False
    ) -> bool:
        """Unmap every present pte of ``page`` into ``entry``; False on a VM_LOCKED vma.

        With ``migration`` a swap entry is used as a migration pte (2.6.16 swap-based
        migration): the slot is marked so that L1 does not mistake it for reclaim.
        """
        if migration and not entry.is_migration:
            self.k.migration_slots[entry.offset] = self.name
        for mm, vpage in list(self.k.mapped_by.get(page.pfn, ())):
            await self.lock_ptl(mm, vpage)
            await self.at(
                "try_to_unmap_one", pte_key(mm, vpage), page_key(page.pfn), cache_key(entry)
            )
            ok = self._unmap_one(page, entry, mm, vpage, refuse_locked)
            await self.unlock_ptl(mm, vpage)
            if not ok:
                return False
        return True

    def _unmap_one(self, page: Page, entry: SwpEntry, mm: str, vpage: int, refuse: bool) -> bool:
        pte = self.k.pte(mm, vpage)
        if not (isinstance(pte, PtePresent) and pte.pfn == page.pfn):
            return True
        if refuse and self.k.mms[mm].vm_locked[vpage]:
            page.mlocked = True
            return False
        page.dirty = page.dirty or pte.dirty
        swap_duplicate(self.k, entry)
        self.k.set_pte(mm, vpage, cache_pte(entry), self.name)
        self.k.remove_rmap(page)
        self.k.put_page(page, HOLDER_MAP)
        return True

    async def remove_migration_ptes(self, entry: SwpEntry, new: Page) -> None:
        """``remove_from_swap(new)``: each pte naming ``entry`` maps ``new`` again."""
        index = self.k.mig_ptes if entry.is_migration else self.k.swap_ptes
        for mm, vpage in list(index.get(entry.offset, ())):
            await self.lock_ptl(mm, vpage)
            await self.at("unuse_pte", pte_key(mm, vpage), page_key(new.pfn), cache_key(entry))
            if self.k.pte(mm, vpage) == cache_pte(entry):
                self.k.set_pte(mm, vpage, PtePresent(new.pfn), self.name)
                self.k.add_rmap(new)
                self.k.get_page(new, HOLDER_MAP)
                new.mlocked = new.mlocked or self.k.mms[mm].vm_locked[vpage]
                if entry.is_migration:
                    migration_remove_reference(self.k, entry)
                else:
                    swap_free(self.k, entry)
            await self.unlock_ptl(mm, vpage)
        if not entry.is_migration:
            await self.at("delete_from_swap_cache", page_key(new.pfn), cache_key(entry))
            self.k.migration_slots.pop(entry.offset, None)
            if new.swapcache and new.private == entry:
                delete_from_swap_cache(self.k, new)

    async def drop_unused_entry(self, page: Page) -> None:
        """The R4 guard: an entry whose counter is 0 (no pte was unmapped into it) is dropped."""
        await self.at("detach unused entry", page_key(page.pfn), writes(*MIGCACHE))
        self.reap_unused_entry(page)

    def begin_move_to_swap(self, page: Page) -> SwpEntry | None:
        """[V8 patch 3] steps 2-3, in the caller's step (page locked, footprint page +
        both caches): clear private/PG_swapcache (the R20 window opens: the page is still in
        the migration tree) and ``add_to_swap``.  Returns the old migration entry, or None
        (nothing changed) when the page is not a migration page or swap is full."""
        old = page.private
        if old is None or not old.is_migration:
            return None
        page.private = None
        page.swapcache = False
        page.moving_to_swap = True
        if add_to_swap(self.k, page) is None:
            page.private, page.swapcache, page.moving_to_swap = old, True, False
            return None
        return old

    async def migration_move_to_swap(self, page: Page, *, posted: bool) -> bool:
        """[V8 patch 3] Move a locked migration-cache page into the swap cache.

        Every pte naming the migration entry is rewritten to the new swap entry under its
        PTL; with ``posted`` that happens without ``swap_duplicate`` (R16).  The migration
        cache's ref is dropped with the last pte (the R20 window closes there).
        """
        await self.at(
            "move_to_swap: add_to_swap", page_key(page.pfn), writes(*MIGCACHE), writes(*SWAP)
        )
        old = self.begin_move_to_swap(page)
        if old is None:
            return False
        await self.finish_move_to_swap(page, old, posted=posted)
        return True

    async def finish_move_to_swap(self, page: Page, old: SwpEntry, *, posted: bool) -> None:
        """[V8 patch 3] step 4-5: the ``update_pte`` walk, then drop the cache's ref."""
        new = page.private
        assert new is not None
        users = list(self.k.mig_ptes.get(old.offset, ()))
        for i, (mm, vpage) in enumerate(users):
            await self.lock_ptl(mm, vpage)
            await self.at(
                "update_pte",
                pte_key(mm, vpage),
                writes(*MIGCACHE),
                writes(*SWAP),
                page_key(page.pfn),
            )
            if self.k.pte(mm, vpage) == PteMigCache(old):
                if not posted:
                    swap_duplicate(self.k, new)
                self.k.set_pte(mm, vpage, PteSwap(new), self.name)
                migration_remove_reference(self.k, old, clear_page=False)
            if i == len(users) - 1:
                self._end_move_to_swap(page, old)
            await self.unlock_ptl(mm, vpage)
        if not users:
            await self.at("move_to_swap: drop cache ref", page_key(page.pfn), writes(*MIGCACHE))
            self._end_move_to_swap(page, old)

    def _end_move_to_swap(self, page: Page, old: SwpEntry) -> None:
        if old.offset in self.k.migcache.counters:  # ptes we did not find keep the old id
            detach_migration_entry(self.k, old, clear_page=False)
        page.moving_to_swap = False
        if page.held(HOLDER_MIGCACHE):
            self.k.put_page(page, HOLDER_MIGCACHE)
        self.k.touch_page(page.pfn)
