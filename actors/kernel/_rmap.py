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
    detach_migration_entry,
    migration_remove_reference,
    swap_duplicate,
)


def cache_pte(entry: SwpEntry) -> PteMigCache | PteSwap:
    """The pte that names ``entry``."""
    return PteMigCache(entry) if entry.is_migration else PteSwap(entry)


class RmapOps(KernelActor):
    """Kernel actors that walk the reverse map of a page."""

    async def isolate(self, page: Page) -> bool:
        """``isolate_lru_page``: take the page off the LRU (+1 ref, as the LRU's ref moves)."""
        await self.at("isolate_lru_page", page_key(page.pfn))
        if page.free or not page.lru:
            return False
        page.lru = False
        self.k.move_ref(page, HOLDER_LRU, HOLDER_ISOLATE)
        self.k.isolated[page.pfn] = self.name
        return True

    async def putback(self, page: Page) -> None:
        """``putback_lru_page`` (the isolation ref goes back to the LRU)."""
        await self.at("putback_lru_page", page_key(page.pfn))
        self.release_isolation(page, keep=True)

    def release_isolation(self, page: Page, *, keep: bool) -> None:
        """Put an isolated page back on the LRU (``keep``) or drop the ref (maybe freeing it)."""
        self.k.isolated.pop(page.pfn, None)
        if keep:
            page.lru = True
            self.k.move_ref(page, HOLDER_ISOLATE, HOLDER_LRU)
        else:
            self.k.put_page(page, HOLDER_ISOLATE)

    async def try_to_unmap(self, page: Page, entry: SwpEntry, *, refuse_locked: bool) -> bool:
        """Unmap every present pte of ``page`` into ``entry``; False on a VM_LOCKED vma."""
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
                migration_remove_reference(self.k, entry)
            await self.unlock_ptl(mm, vpage)

    async def drop_unused_entry(self, page: Page) -> None:
        """The R4 guard: an entry whose counter is 0 (no pte was unmapped into it) is dropped."""
        await self.at("detach unused entry", page_key(page.pfn), writes(*MIGCACHE))
        entry = page.private
        if (
            entry is not None
            and entry.is_migration
            and not self.k.migcache.counters.get(entry.offset)
        ):
            detach_migration_entry(self.k, entry)

    async def migration_move_to_swap(self, page: Page, *, posted: bool) -> bool:
        """[V8 patch 3] Move a locked migration-cache page into the swap cache.

        With ``posted`` the new swap ptes are installed without ``swap_duplicate`` (R16).
        Between the first and the last step the page is in the R20 transient state.
        """
        await self.at("move_to_swap: clear private", page_key(page.pfn), writes(*MIGCACHE))
        old = page.private
        if old is None or not old.is_migration:
            return False
        page.private = None
        page.swapcache = False
        page.moving_to_swap = True
        await self.at("move_to_swap: add_to_swap", page_key(page.pfn), writes(*SWAP))
        new = add_to_swap(self.k, page)
        if new is None:
            page.private, page.swapcache, page.moving_to_swap = old, True, False
            return False
        for mm, vpage in list(self.k.mig_ptes.get(old.offset, ())):
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
            await self.unlock_ptl(mm, vpage)
        await self.at("move_to_swap: drop cache ref", page_key(page.pfn), writes(*MIGCACHE))
        if old.offset in self.k.migcache.counters:  # ptes we did not find keep the old id
            detach_migration_entry(self.k, old, clear_page=False)
        page.moving_to_swap = False
        if page.held(HOLDER_MIGCACHE):
            self.k.put_page(page, HOLDER_MIGCACHE)
        return True
