"""The fault path: ``handle_mm_fault`` -> ``do_swap_page`` / ``do_wp_page`` / anonymous fault.

The pte is first read *without* the PTL (one scheduling point), then the cache is looked
up, the page locked, and the result revalidated as the fault-retry policy says (§2.1 and
§5.3 of the domain reference).  A policy of ``none`` turns a lookup miss into an OOM, which
is reported as K3 because the entry was legitimately changed under the faulter (R1-R3).

A :class:`FaultPath` belongs to one CPU; the CPU calls :meth:`FaultPath.access` for every
read and write of its program (and for mlock's populate).
"""

from __future__ import annotations

from typing import Literal

from actors import reads, writes
from kernel_actors import _ask as ask
from kernel_actors._anon import (
    Result,
    do_anonymous_page,
    do_wp_page,
    do_wp_page_locked,
    touch_data,
)
from kernel_actors._context import MAX_FAULT_RETRIES, MIGCACHE, SWAP, alloc_key, page_key, pte_key
from kernel_actors._migcache import reap_unused_entry
from kernel_actors._ops import KernelOps
from kernel_actors._swapless import migration_entry_wait
from kernel_actors._swapoff import pinned_swap_fault, touch_device
from kernel_model import (
    HOLDER_LRU,
    HOLDER_MAP,
    FaultView,
    Page,
    PageView,
    PteMigCache,
    PteMigration,
    PteNone,
    PtePresent,
    PteSwap,
    SwpEntry,
    add_to_swap_cache,
    delete_from_swap_cache,
    lookup,
    migration_remove_reference,
    page_view,
    read_slot,
    replace_cache_page,
    swap_free,
)


class FaultPath:
    """One CPU's page-fault handling; ``node`` is where its allocations go.

    ``lookup_holder`` is the ledger name of the reference a cache lookup takes.
    """

    def __init__(self, ops: KernelOps, node: int) -> None:
        self.ops = ops
        self.k = ops.k
        self.at = ops.at
        self.node = node
        self.lookup_holder = f"lookup:{ops.name}"
        self.attempt = 0

    async def access(self, mm: str, vpage: int, write: bool) -> Result:
        """Read or write ``mm:vpage``, faulting as needed; K3 if it never completes.

        Returns how the last attempt ended: ``"done"``, ``"oom"`` (a legitimate OOM: the
        caller gives up, as ``faultin_page`` turns VM_FAULT_OOM into -ENOMEM for GUP), or
        ``"retry"`` when the retry bound was hit (K3 is reported)."""
        what = f"{'write' if write else 'read'} of {mm}:{vpage}"
        self.k.faults[self.ops.name] = what
        for attempt in range(MAX_FAULT_RETRIES):
            self.attempt = attempt  # what FaultView.attempt tells the fault-retry policy
            result = await self._attempt(mm, vpage, write)
            if result != "retry":
                self.k.faults.pop(self.ops.name, None)
                return result
        self.k.report(
            "K3",
            f"{self.ops.name}: {what} retried {MAX_FAULT_RETRIES} times without "
            "completing (unbounded retry)",
            self.ops.name,
        )
        return "retry"

    async def _attempt(self, mm: str, vpage: int, write: bool) -> Result:
        await self.at(
            "read pte (unlocked)", pte_key(mm, vpage) if write else reads("pte", mm, vpage)
        )
        pte = self.k.pte(mm, vpage)
        if isinstance(pte, PtePresent):
            if write and not pte.writable:
                return await do_wp_page(self.ops, self.node, mm, vpage, pte)
            touch_data(self.ops, mm, vpage, self.k.pages[pte.pfn], write)
            return "done"
        if isinstance(pte, PteSwap | PteMigCache):
            swap_pte = pte
            return await pinned_swap_fault(
                self.ops,
                pte.entry,
                lambda: self._do_swap_page(mm, vpage, swap_pte, write),
                "retry",
            )
        if isinstance(pte, PteNone):
            return await do_anonymous_page(self.ops, self.node, mm, vpage, write)
        assert isinstance(pte, PteMigration)  # 2.6.18+: wait for the migrator, refault
        return await migration_entry_wait(self.ops, mm, vpage, pte, self.lookup_holder)

    # -- do_swap_page -------------------------------------------------------------------
    async def _do_swap_page(
        self, mm: str, vpage: int, orig: PteSwap | PteMigCache, write: bool
    ) -> Result:
        entry = orig.entry
        for _ in range(MAX_FAULT_RETRIES):
            found = await self._find_page(entry)
            if found is None:
                return await self._on_miss(mm, vpage, orig, write)
            if isinstance(found, str):
                return "oom" if found == "oom" else "retry"
            page = found
            await self.at(
                "validate after lock_page", page_key(page.pfn), writes(*MIGCACHE), writes(*SWAP)
            )
            reap_unused_entry(self.ops, page)
            view = self._view(mm, vpage, entry, page_view(self.k, page), write)
            action = ask.after_lock(self.ops.name, self.ops.ctx, view)
            if action == "proceed":
                page = await self._migrate_on_fault(page, entry)
                return await self._map_swap_page(mm, vpage, orig, page, write)
            await self.ops.unlock_and_put(page, self.lookup_holder)
            if action == "retry":
                return "retry"
        return "retry"

    def _view(
        self, mm: str, vpage: int, entry: SwpEntry, page: PageView | None, write: bool
    ) -> FaultView:
        """The fault-retry policy's view of this fault, with its attempt number."""
        return FaultView(mm, vpage, entry, page, write, self.attempt, MAX_FAULT_RETRIES)

    async def _find_page(self, entry: SwpEntry) -> Page | str | None:
        """Look up (or read in) the page of ``entry``; locked and referenced on success."""
        await self.at("lookup_swap_cache", reads(*(MIGCACHE if entry.is_migration else SWAP)))
        if not entry.is_migration:
            touch_device(self.ops, "lookup_swap_cache")
        page = lookup(self.k, entry)
        if page is not None:
            self.k.get_page(page, self.lookup_holder)
            await self.ops.lock_page(page)
            return page
        if entry.is_migration or not self.k.swap.in_use(entry.offset):
            return None
        return await self._swapin(entry)

    async def _swapin(self, entry: SwpEntry) -> Page | str:
        """``read_swap_cache_async``: a new locked page in the swap cache, read in with
        I/O in virtual time."""
        await self.at("read_swap_cache_async", writes(*SWAP), alloc_key(self.node))
        if entry.offset in self.k.swap.cache or not self.k.swap.in_use(entry.offset):
            return "retry"
        page = self.k.alloc_page(self.node, self.lookup_holder)
        if page is None:
            return "oom"  # a legitimate OOM: no free memory on the node
        self.ops.own_new_page_lock(page)
        add_to_swap_cache(self.k, page, entry)
        page.uptodate = False
        page.lru = True
        self.k.get_page(page, HOLDER_LRU)
        await self.ops.actor.sleep(self.ops.ctx.io_ticks)
        await self.at("swap-in I/O done", page_key(page.pfn), writes(*SWAP))
        touch_device(self.ops, "swap_readpage")
        read_slot(self.k, entry, page)
        return page

    async def _migrate_on_fault(self, page: Page, entry: SwpEntry) -> Page:
        """Lee's migrate-on-fault (§2.3 step 4): a lazily unmapped, misplaced page is copied
        to its target node and the cache slot repointed; we go on with the new page."""
        target = self.k.lazy_target.get(page.pfn)
        if target is None or target == page.nid or not entry.is_migration:
            return page
        await self.at(
            "migrate on fault",
            page_key(page.pfn),
            writes(*MIGCACHE),
            alloc_key(target),
            alloc_key(page.nid),
            writes("lru"),
        )
        expected = 2 + page.lru  # the cache's ref, our lookup ref, the LRU's
        if (
            page.mapcount
            or page.writeback
            or page.refcount != expected
            or (lookup(self.k, entry) is not page)
        ):
            return page
        new = self.k.alloc_page(target, self.lookup_holder)
        if new is None:
            return page
        del self.k.lazy_target[page.pfn]
        self.ops.own_new_page_lock(new)
        replace_cache_page(self.k, entry, page, new)
        self.k.copy_data(page, new, self.ops.name)
        new.lru = True
        self.k.get_page(new, HOLDER_LRU)
        if page.lru:
            page.lru = False
            self.k.put_page(page, HOLDER_LRU)
        await self.ops.unlock_and_put(page, self.lookup_holder)  # frees the old page
        return new

    async def _on_miss(
        self, mm: str, vpage: int, orig: PteSwap | PteMigCache, write: bool
    ) -> Result:
        view = self._view(mm, vpage, orig.entry, None, write)
        action = ask.on_miss(self.ops.name, self.ops.ctx, view)
        if action == "recheck":
            await self.ops.lock_ptl(mm, vpage)
            await self.at("pte_same after miss", reads("pte", mm, vpage))
            same = self.k.pte(mm, vpage) == orig
            await self.ops.unlock_ptl(mm, vpage)
        elif action == "relookup":
            await self.ops.lock_ptl(mm, vpage)
            cache = MIGCACHE if orig.entry.is_migration else SWAP
            await self.at("pte_same + relookup after miss", reads("pte", mm, vpage), reads(*cache))
            same = self.k.pte(mm, vpage) == orig
            # Under the PTL a pte naming the entry keeps it alive: a hit now means the
            # id was freed and handed out again since our lookup (R21); redo the fault.
            found = same and lookup(self.k, orig.entry) is not None
            await self.ops.unlock_ptl(mm, vpage)
            if found:
                return "retry"
        elif action == "refetch":
            await self.at("refetch pte (-EAGAIN)", reads("pte", mm, vpage))
            same = self.k.pte(mm, vpage) == orig
        else:
            same = True
        if not same:
            return "retry"
        now = self.k.pte(mm, vpage)
        self.k.report(
            "K3",
            f"{self.ops.name}: fault on {mm}:{vpage} ended in OOM: lookup of "
            f"{orig.entry} missed (the pte now holds {now})",
            f"{mm}:{vpage}",
        )
        return "oom"

    async def _map_swap_page(
        self, mm: str, vpage: int, orig: PteSwap | PteMigCache, page: Page, write: bool
    ) -> Result:
        await self.ops.lock_ptl(mm, vpage)
        await self.at(
            "map swap page",
            pte_key(mm, vpage),
            page_key(page.pfn),
            writes(*MIGCACHE),
            writes(*SWAP),
        )
        if self.ops.ctx.policies.fault_retry.pte_same and self.k.pte(mm, vpage) != orig:
            await self.ops.unlock_ptl(mm, vpage)
            await self.ops.unlock_and_put(page, self.lookup_holder)
            return "retry"
        result = self._install(mm, vpage, page, orig.entry, write)
        # 2.6.16 do_swap_page: unlock_page under the PTL, then a write that could not
        # share the page goes on into do_wp_page with the PTL still held.
        await self.ops.unlock_page(page)
        if result == "wp":
            result = await do_wp_page_locked(self.ops, self.node, mm, vpage, PtePresent(page.pfn))
        await self.ops.unlock_ptl(mm, vpage)
        return result

    def _install(
        self, mm: str, vpage: int, page: Page, entry: SwpEntry, write: bool
    ) -> Result | Literal["wp"]:
        """Map ``page`` at ``mm:vpage`` in place of the cache pte, drop the entry's count
        (``swap_free`` / ``migration_remove_reference``) and do the access; "wp": a
        write that cannot share the page, mapped read-only for ``do_wp_page``."""
        k = self.k
        k.set_pte(mm, vpage, PtePresent(page.pfn), self.ops.name)
        k.add_rmap(page)
        k.move_ref(page, self.lookup_holder, HOLDER_MAP)
        page.mlocked = page.mlocked or (self.ops.ctx.era.pg_mlocked and k.mms[mm].vm_locked[vpage])
        if entry.is_migration:
            migration_remove_reference(k, entry)
        else:
            swap_free(k, entry)
            only_cache = k.swap.swap_map[entry.offset] == 1
            cached = k.swap.cache.get(entry.offset) == page.pfn
            if only_cache and cached and page.private == entry and not page.writeback:
                delete_from_swap_cache(k, page)
        if not write:
            k.read_data(mm, vpage, page, self.ops.name)
            return "done"
        if page.mapcount == 1 and not page.swapcache:
            k.set_pte(mm, vpage, PtePresent(page.pfn, writable=True, dirty=True), self.ops.name)
            k.write_data(mm, vpage, page)
            return "done"
        return "wp"
