"""Swap-cache and migration-cache primitives over :class:`Kernel` state.

These are the data-structure halves of the kernel functions of the same names; the actors
supply the locking around them (page lock, PTL, tree ownership).  Each keeps the kernel's own
counters (swap_map, migration counters, page refs) the way the kernel code does, so that a
missing call in an actor (R16's missing ``swap_duplicate``) shows as a counter mismatch.
"""

from __future__ import annotations

from kernel_model._entry import SwpEntry, migration_entry, swap_entry
from kernel_model._kernel import Kernel
from kernel_model._page import HOLDER_MIGCACHE, HOLDER_SWAPCACHE, Page


def lookup(k: Kernel, entry: SwpEntry) -> Page | None:
    """``lookup_swap_cache`` (diverting to ``lookup_migration_cache`` for migration entries)."""
    tree = k.migcache.tree if entry.is_migration else k.swap.cache
    pfn = tree.get(entry.offset)
    return None if pfn is None else k.pages[pfn]


def swap_duplicate(k: Kernel, entry: SwpEntry) -> None:
    """One more pte names ``entry``: swap_map + 1, or [V8] ``migration_duplicate``."""
    if entry.is_migration:
        k.dirty[("mid", entry.offset)] = None
        count = k.migcache.counters.get(entry.offset)
        if count is None:
            k.report(
                "C3", f"migration_duplicate of freed migration entry {entry}", f"mid:{entry.offset}"
            )
            return
        k.migcache.counters[entry.offset] = count + 1
    else:
        k.swap.swap_map[entry.offset] += 1
        k.dirty[("slot", entry.offset)] = None


def swap_free(k: Kernel, entry: SwpEntry) -> None:
    """A pte naming a *swap* entry went away: swap_map - 1 (never below what C4 sees)."""
    k.swap.swap_map[entry.offset] -= 1
    k.swap.release(entry.offset)
    k.dirty[("slot", entry.offset)] = None


def add_to_swap(k: Kernel, page: Page) -> SwpEntry | None:
    """Allocate a slot (count 1, the cache's), insert ``page`` into the swap cache; None if full."""
    slot = k.swap.alloc_slot()
    if slot is None:
        return None
    entry = swap_entry(slot)
    k.swap.cache[slot] = page.pfn
    page.swapcache = True
    page.private = entry
    page.dirty = True
    k.get_page(page, HOLDER_SWAPCACHE)
    k.dirty[("slot", slot)] = None
    return entry


def delete_from_swap_cache(k: Kernel, page: Page) -> None:
    """Remove ``page`` from the swap cache: slot count - 1, flag and private cleared, ref put."""
    assert page.private is not None
    slot = page.private.offset
    del k.swap.cache[slot]
    k.swap.swap_map[slot] -= 1
    k.swap.release(slot)
    k.dirty[("slot", slot)] = None
    page.swapcache = False
    page.private = None
    k.put_page(page, HOLDER_SWAPCACHE)


def add_to_migration_cache(k: Kernel, page: Page) -> SwpEntry:
    """[V8] new idr id (lowest free), counter 0, cache ref, PG_swapcache, private = entry."""
    idr_id = k.migcache.alloc_id()
    entry = migration_entry(idr_id)
    k.migcache.tree[idr_id] = page.pfn
    page.swapcache = True
    page.private = entry
    k.get_page(page, HOLDER_MIGCACHE)
    k.dirty[("mid", idr_id)] = None
    return entry


def migration_remove_reference(
    k: Kernel, entry: SwpEntry, *, clear_page: bool = True, detach: bool = True
) -> None:
    """[V8] ``__migration_remove_reference``: counter - 1; at 0 the id and slot go away.

    With ``clear_page`` the page loses PG_swapcache/private (the normal path); the
    ``migration_move_to_swap`` walk passes False because the page already moved on.
    The cache's page ref is dropped when the entry dies.  ``detach=False`` only counts
    down (a caller without the page lock leaves a counter-0 entry to the lock holder).
    """
    idr_id = entry.offset
    k.dirty[("mid", idr_id)] = None
    count = k.migcache.counters.get(idr_id)
    if count is None:
        k.report(
            "C3", f"migration entry {entry} released but its id is not allocated", f"mid:{idr_id}"
        )
        return
    k.migcache.counters[idr_id] = count - 1
    if count - 1 > 0 or not detach:
        return
    detach_migration_entry(k, entry, clear_page=clear_page)


def detach_migration_entry(k: Kernel, entry: SwpEntry, *, clear_page: bool = True) -> None:
    """Remove id ``entry`` from migration_idr and its page from migration_space; drop the ref."""
    idr_id = entry.offset
    k.dirty[("mid", idr_id)] = None
    k.migcache.free_id(idr_id)
    pfn = k.migcache.tree.pop(idr_id, None)
    if pfn is None:
        return
    page = k.pages[pfn]
    if clear_page and page.private == entry:
        page.swapcache = False
        page.private = None
    k.put_page(page, HOLDER_MIGCACHE)


def replace_cache_page(k: Kernel, entry: SwpEntry, old: Page, new: Page) -> None:
    """Point ``entry``'s cache slot at ``new`` (migration): the cache ref moves old -> new."""
    tree = k.migcache.tree if entry.is_migration else k.swap.cache
    holder = HOLDER_MIGCACHE if entry.is_migration else HOLDER_SWAPCACHE
    tree[entry.offset] = new.pfn
    new.swapcache = True
    new.private = entry
    new.mapping = old.mapping  # migrate_page_copy: the new page joins the same anon_vma
    k.get_page(new, holder)
    old.swapcache = False
    old.private = None
    k.put_page(old, holder)
    k.dirty[("mid" if entry.is_migration else "slot", entry.offset)] = None


def pageout(k: Kernel, page: Page, *, pg_mlocked: bool = False) -> None:
    """Write ``page``'s data to its swap slot (I/O starts: PG_writeback).

    L1 if a present pte of a VM_LOCKED vma still maps the page, or, in an era with
    PG_mlocked (``pg_mlocked``), if the page carries it.  The 2.6.16 eras have no such
    flag: judging by one (which munlock would clear a step after VM_LOCKED) would report
    page-outs the kernel legitimately does."""
    assert page.private is not None
    if (pg_mlocked and page.mlocked) or k.mapped_by_locked_vma(page):
        k.report("L1", f"pageout of mlocked page {page.pfn}", f"page:{page.pfn}")
    k.swap.store[page.private.offset] = page.content
    page.writeback = True
    page.dirty = False
    k.touch_page(page.pfn)


def end_writeback(k: Kernel, page: Page) -> None:
    """Page-out I/O completed."""
    page.writeback = False
    k.touch_page(page.pfn)


def read_slot(k: Kernel, entry: SwpEntry, page: Page) -> None:
    """Swap-in I/O: fill ``page`` from ``entry``'s slot."""
    page.content = k.swap.store.get(entry.offset)
    page.uptodate = True
    k.touch_page(page.pfn)


def add_to_swap_cache(k: Kernel, page: Page, entry: SwpEntry) -> None:
    """Swap-in (``read_swap_cache_async``): insert ``page`` at an allocated slot (count + 1)."""
    k.swap.cache[entry.offset] = page.pfn
    k.swap.swap_map[entry.offset] += 1
    page.swapcache = True
    page.private = entry
    k.get_page(page, HOLDER_SWAPCACHE)
    k.dirty[("slot", entry.offset)] = None
