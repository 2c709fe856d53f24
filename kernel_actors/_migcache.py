"""The migration cache's own code paths [V8], shared by the daemons, the fault and exit.

- ``migration_move_to_swap`` [V8 patch 3]: move a locked migration-cache page into the
  swap cache, rewriting every pte that names its entry (R1, R16 and R20 live here);
- the R4 guard of the corrected code: an entry whose counter reached 0 is detached by the
  page-lock holder.  V8 as posted and the 2004 hotplug code have no such cleanup: in
  those eras (``Era.reaps_unused`` false) these are no-ops.

Plain functions over the calling actor's :class:`KernelOps`; the era comes from its
context (``ops.ctx.era``).
"""

from __future__ import annotations

from actors import writes
from kernel_actors._context import MIGCACHE, SWAP, page_key, pte_key
from kernel_actors._ops import KernelOps
from kernel_model import (
    HOLDER_MIGCACHE,
    Page,
    PteMigCache,
    PteSwap,
    SwpEntry,
    add_to_swap,
    detach_migration_entry,
    migration_remove_reference,
    swap_duplicate,
)


# -- counter-0 entries (R4) -------------------------------------------------------------
def reap_unused_entry(ops: KernelOps, page: Page) -> None:
    """Detach the page's migration entry if no pte names it any more (counter 0).

    Only the page-lock holder may do this: a zap that found the page locked left the
    counter-0 entry behind (corrected code only; V8 as posted has no such cleanup).
    Call it in a step whose footprint covers the page and the migration cache.
    """
    entry = page.private
    if (
        ops.ctx.era.reaps_unused
        and page.locked_by == ops.name
        and entry is not None
        and entry.is_migration
        and page.swapcache
        and ops.k.migcache.counters.get(entry.offset) == 0
    ):
        detach_migration_entry(ops.k, entry)


async def drop_unused_entry(ops: KernelOps, page: Page) -> None:
    """The R4 guard after an unmap: an entry whose counter is 0 (no pte was unmapped into
    it) is dropped, in a step of its own.  V8 as posted (and the 2004 hotplug code)
    takes no step at all."""
    if not ops.ctx.era.reaps_unused:
        return
    await ops.at("detach unused entry", page_key(page.pfn), writes(*MIGCACHE))
    reap_unused_entry(ops, page)


# -- migration_move_to_swap [V8 patch 3] ------------------------------------------------
async def migration_move_to_swap(ops: KernelOps, page: Page) -> bool:
    """Move a locked migration-cache page into the swap cache, in steps of its own; False
    (nothing changed) when it is not a migration page or swap is full."""
    await ops.at("move_to_swap: add_to_swap", page_key(page.pfn), writes(*MIGCACHE), writes(*SWAP))
    old = begin_move_to_swap(ops, page)
    if old is None:
        return False
    await finish_move_to_swap(ops, page, old)
    return True


def begin_move_to_swap(ops: KernelOps, page: Page) -> SwpEntry | None:
    """Steps 2-3, inside the caller's step (page locked, footprint page + both caches):
    clear private/PG_swapcache (the R20 window opens: the page is still in the migration
    tree) and ``add_to_swap``.  Returns the old migration entry, or None (nothing changed)
    when the page is not a migration page or swap is full."""
    old = page.private
    if old is None or not old.is_migration:
        return None
    page.private = None
    page.swapcache = False
    page.moving_to_swap = True
    if add_to_swap(ops.k, page) is None:
        page.private, page.swapcache, page.moving_to_swap = old, True, False
        return None
    return old


async def finish_move_to_swap(ops: KernelOps, page: Page, old: SwpEntry) -> None:
    """Steps 4-5: the ``update_pte`` walk, each pte under its PTL, then the migration
    cache's ref is dropped with the last pte (the R20 window closes there).  V8 as posted
    rewrites the ptes without ``swap_duplicate`` (R16)."""
    new = page.private
    assert new is not None
    users = list(ops.k.mig_ptes.get(old.offset, ()))
    for i, (mm, vpage) in enumerate(users):
        await ops.lock_ptl(mm, vpage)
        await ops.at(
            "update_pte", pte_key(mm, vpage), writes(*MIGCACHE), writes(*SWAP), page_key(page.pfn)
        )
        _update_pte(ops, mm, vpage, old, new)
        if i == len(users) - 1:
            _end_move_to_swap(ops, page, old)
        await ops.unlock_ptl(mm, vpage)
    if not users:
        await ops.at("move_to_swap: drop cache ref", page_key(page.pfn), writes(*MIGCACHE))
        _end_move_to_swap(ops, page, old)


def _update_pte(ops: KernelOps, mm: str, vpage: int, old: SwpEntry, new: SwpEntry) -> None:
    k = ops.k
    if k.pte(mm, vpage) != PteMigCache(old):
        return
    if not ops.ctx.era.posted_v8:
        swap_duplicate(k, new)
    k.set_pte(mm, vpage, PteSwap(new), ops.name)
    migration_remove_reference(k, old, clear_page=False)


def _end_move_to_swap(ops: KernelOps, page: Page, old: SwpEntry) -> None:
    k = ops.k
    if old.offset in k.migcache.counters:  # ptes we did not find keep the old id
        detach_migration_entry(k, old, clear_page=False)
    page.moving_to_swap = False
    if page.held(HOLDER_MIGCACHE):
        k.put_page(page, HOLDER_MIGCACHE)
    k.touch_page(page.pfn)
