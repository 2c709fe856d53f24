"""The LRU and reverse-map walks shared by the migration daemon and kswapd.

Plain functions over the calling actor's :class:`KernelOps`:

- finding a daemon's page and ``isolate_lru_page`` / ``putback_lru_page``;
- ``try_to_unmap`` (2.6.16 mm/rmap.c): every present pte of a page becomes a cache pte;
- ``remove_migration_ptes`` (2.6.16 ``remove_from_swap``): the cache ptes of an entry map
  the new page again.

Each pte is rewritten in one step under its PTL, together with the counter updates the
kernel does under that PTL, so the counting invariants hold between steps.
"""

from __future__ import annotations

from actors import reads, writes
from kernel_actors._context import MIGCACHE, SWAP, cache_key, page_key, pte_key
from kernel_actors._ops import KernelOps
from kernel_model import (
    HOLDER_ISOLATE,
    HOLDER_LRU,
    HOLDER_MAP,
    Page,
    PteMigCache,
    PtePresent,
    PteSwap,
    SwpEntry,
    delete_from_swap_cache,
    lookup,
    migration_remove_reference,
    swap_duplicate,
    swap_free,
)


def cache_pte(entry: SwpEntry) -> PteMigCache | PteSwap:
    """The pte that names ``entry``."""
    return PteMigCache(entry) if entry.is_migration else PteSwap(entry)


# -- the LRU ----------------------------------------------------------------------------
async def find_and_isolate(ops: KernelOps, spec: str) -> Page | None:
    """The page backing virtual page ``spec`` ("MM:PAGE", through its pte or its cache
    entry), isolated from the LRU in the same step; None if there is none or it is not
    on the LRU (somebody else isolated it)."""
    mm, _, vpage = spec.partition(":")
    await ops.at(
        f"find and isolate page of {spec}",
        reads("pte", mm, int(vpage)),
        writes(*MIGCACHE),
        writes(*SWAP),
        writes("lru"),
    )
    pte = ops.k.pte(mm, int(vpage))
    page = None
    if isinstance(pte, PtePresent):
        page = ops.k.pages[pte.pfn]
    elif isinstance(pte, PteSwap | PteMigCache):
        page = lookup(ops.k, pte.entry)
    if page is None:
        return None
    return page if isolate_now(ops, page) else None


async def isolate(ops: KernelOps, page: Page) -> bool:
    """``isolate_lru_page``: take the page off the LRU (+1 ref, as the LRU's ref moves)."""
    await ops.at("isolate_lru_page", page_key(page.pfn), writes("lru"))
    return isolate_now(ops, page)


def isolate_now(ops: KernelOps, page: Page) -> bool:
    """``isolate_lru_page`` inside the caller's step (footprint: the page, the LRU)."""
    if page.free or not page.lru:
        return False
    page.lru = False
    ops.k.move_ref(page, HOLDER_LRU, HOLDER_ISOLATE)
    ops.k.isolated[page.pfn] = ops.name
    return True


async def putback(ops: KernelOps, page: Page) -> None:
    """``putback_lru_page`` (the isolation ref goes back to the LRU)."""
    await ops.at("putback_lru_page", page_key(page.pfn), writes("lru"))
    release_isolation(ops, page, keep=True)


def release_isolation(ops: KernelOps, page: Page, *, keep: bool) -> None:
    """Put an isolated page back on the LRU (``keep``) or drop the ref (maybe freeing it)."""
    ops.k.isolated.pop(page.pfn, None)
    if keep:
        page.lru = True
        ops.k.move_ref(page, HOLDER_ISOLATE, HOLDER_LRU)
    else:
        ops.k.put_page(page, HOLDER_ISOLATE)


# -- unmap and remap --------------------------------------------------------------------
async def try_to_unmap(
    ops: KernelOps, page: Page, entry: SwpEntry, *, refuse_locked: bool, migration: bool = False
) -> bool:
    """Unmap every present pte of ``page`` into ``entry``; False on a VM_LOCKED vma
    (``refuse_locked``: ``try_to_unmap_one`` backs off, and the page is marked mlocked).

    With ``migration`` a swap entry is used as a migration pte (2.6.16 swap-based
    migration): the slot is marked so that L1 does not mistake it for reclaim.
    """
    k = ops.k
    if migration and not entry.is_migration:
        k.migration_slots[entry.offset] = ops.name
    if page.mapping is None or not page.mapcount:
        return True  # page_lock_anon_vma is NULL for a page that is not mapped
    # try_to_unmap_anon: page_lock_anon_vma, then try_to_unmap_one for each vma of the
    # anon_vma's list in order (2.6.16: children first), until one fails or the page is
    # no longer mapped.  page->mapping is stable while we hold the page lock.
    anon_vma = k.anon_vmas[page.mapping]
    await ops.lock_anon_vma(anon_vma, page_key(page.pfn))
    ok = True
    for mm in list(anon_vma.vmas):
        ok = await _unmap_vma(ops, page, entry, mm, refuse_locked)
        if not ok or not page.mapcount:
            break
    await ops.unlock_anon_vma(anon_vma)
    return ok


async def _unmap_vma(ops: KernelOps, page: Page, entry: SwpEntry, mm: str, refuse: bool) -> bool:
    """``try_to_unmap_one`` for ``mm``'s vma: its ptes that map ``page``, each under its PTL."""
    k = ops.k
    for owner, vpage in [key for key in k.mapped_by.get(page.pfn, ()) if key[0] == mm]:
        await ops.lock_ptl(owner, vpage)
        await ops.at("try_to_unmap_one", pte_key(mm, vpage), page_key(page.pfn), cache_key(entry))
        ok = _unmap_one(ops, page, entry, mm, vpage, refuse=refuse)
        await ops.unlock_ptl(owner, vpage)
        if not ok:
            return False
    return True


def _unmap_one(
    ops: KernelOps, page: Page, entry: SwpEntry, mm: str, vpage: int, *, refuse: bool
) -> bool:
    k = ops.k
    pte = k.pte(mm, vpage)
    if not (isinstance(pte, PtePresent) and pte.pfn == page.pfn):
        return True
    if refuse and k.mms[mm].vm_locked[vpage]:
        # 2.6.28+ marks the page (mlock_vma_page); 2.6.16 has no PG_mlocked.
        page.mlocked = page.mlocked or ops.ctx.era.pg_mlocked
        return False
    page.dirty = page.dirty or pte.dirty
    swap_duplicate(k, entry)
    k.set_pte(mm, vpage, cache_pte(entry), ops.name)
    k.remove_rmap(page)
    k.put_page(page, HOLDER_MAP)
    return True


async def remove_migration_ptes(ops: KernelOps, entry: SwpEntry, new: Page) -> None:
    """``remove_from_swap(new)``: each pte naming ``entry`` maps ``new`` again (and a swap
    entry used for migration leaves the swap cache)."""
    k = ops.k
    index = k.mig_ptes if entry.is_migration else k.swap_ptes
    for mm, vpage in list(index.get(entry.offset, ())):
        await ops.lock_ptl(mm, vpage)
        await ops.at("unuse_pte", pte_key(mm, vpage), page_key(new.pfn), cache_key(entry))
        if k.pte(mm, vpage) == cache_pte(entry):
            _unuse_pte(ops, mm, vpage, entry, new)
        await ops.unlock_ptl(mm, vpage)
    if not entry.is_migration:
        await ops.at("delete_from_swap_cache", page_key(new.pfn), cache_key(entry))
        k.migration_slots.pop(entry.offset, None)
        if new.swapcache and new.private == entry:
            delete_from_swap_cache(k, new)


def _unuse_pte(ops: KernelOps, mm: str, vpage: int, entry: SwpEntry, new: Page) -> None:
    k = ops.k
    k.set_pte(mm, vpage, PtePresent(new.pfn), ops.name)
    k.add_rmap(new)
    k.get_page(new, HOLDER_MAP)
    new.mlocked = new.mlocked or (ops.ctx.era.pg_mlocked and k.mms[mm].vm_locked[vpage])
    if entry.is_migration:
        migration_remove_reference(k, entry)
    else:
        swap_free(k, entry)
