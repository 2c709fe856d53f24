"""Read-only snapshots of kernel state, handed to policies.

Policies decide; they never mutate.  A view is a frozen copy of the few fields a decision
may look at, taken at the moment the kernel asks: changing the kernel afterwards does not
change the view, and a view cannot change the kernel.  Views compare and hash by value, so
two calls with equal views must get equal answers (the purity rule of docs/policies.md).
"""

from __future__ import annotations

from typing import Literal

import attrs

from kernel_model._entry import SwpEntry
from kernel_model._kernel import Kernel
from kernel_model._page import Page
from kernel_model._pte import PteMigCache, PteMigration, PtePresent, PteSwap


@attrs.frozen
class PageView:
    """What a policy may know about a page.

    - ``pfn``: the page frame number (unique per physical page of the machine).
    - ``nid``: the NUMA node the page lives on.
    - ``refcount``: ``page_count``: every holder (maps, caches, the LRU, lookups) counts one.
    - ``mapcount``: how many ptes map it.
    - ``locked``: PG_locked is held (by anyone).
    - ``swapcache``: PG_swapcache: the page is in the swap cache or the migration cache.
    - ``is_migration``: the page is in the migration cache (``private`` is a migration
      entry) rather than the swap cache.
    - ``private``: ``page->private``: the cache entry the page belongs to, or None.
    - ``mlocked``: the page is mlocked: PG_mlocked (2.6.28+ eras) or mapped by a
      VM_LOCKED vma at the moment of asking.
    - ``vm_locked``: a VM_LOCKED vma maps the page (what the mlocked policy asks about).
    - ``dirty``: PG_dirty: the contents differ from the backing copy.
    - ``writeback``: PG_writeback: I/O is writing the page out now.
    """

    pfn: int
    nid: int
    refcount: int
    mapcount: int
    locked: bool
    swapcache: bool
    is_migration: bool
    private: SwpEntry | None
    mlocked: bool
    vm_locked: bool
    dirty: bool
    writeback: bool


@attrs.frozen
class FaultView:
    """A fault in progress: the entry read from the pte, the page found (if any).

    - ``mm``, ``vpage``: the faulting address space and virtual page.
    - ``entry``: the swap or migration entry the pte held when read without the PTL.
    - ``page``: the page the cache lookup found (locked by this fault), or None on a miss.
    - ``write``: a write fault.
    - ``attempt``: how many times this access has faulted before (0 on the first try; a
      "retry" or a changed pte starts the next attempt): what a bounded-retry rule counts.
      The kernel gives up with K3 after ``max_attempts`` attempts.
    - ``max_attempts``: the number of attempts the fault path makes at most.
    """

    mm: str
    vpage: int
    entry: SwpEntry
    page: PageView | None
    write: bool
    attempt: int = 0
    max_attempts: int = 8


def page_view(k: Kernel, page: Page, *, vm_locked: bool = False) -> PageView:
    """Snapshot ``page`` (``vm_locked``: is it mapped by a VM_LOCKED vma)."""
    return PageView(
        pfn=page.pfn,
        nid=page.nid,
        refcount=page.refcount,
        mapcount=page.mapcount,
        locked=page.locked_by is not None,
        swapcache=page.swapcache,
        is_migration=page.is_migration(),
        private=page.private,
        mlocked=page.mlocked or vm_locked,
        vm_locked=vm_locked,
        dirty=page.dirty,
        writeback=page.writeback,
    )


PteState = Literal["none", "present", "swap", "migcache", "migration"]


@attrs.frozen
class PteView:
    """What an invariant may know about one pte.

    - ``mm``, ``vpage``: whose pte.
    - ``state``: "none" (never touched or unmapped), "present" (maps ``pfn``), "swap"
      (names swap ``entry``), "migcache" (names migration-cache ``entry``) or "migration"
      (a swapless migration entry for ``pfn``, 2.6.18+).
    - ``pfn``: the page mapped or being migrated (None otherwise).
    - ``entry``: the swap or migration-cache entry (None otherwise).
    - ``vm_locked``: the pte lies in a VM_LOCKED vma.
    """

    mm: str
    vpage: int
    state: PteState
    pfn: int | None
    entry: SwpEntry | None
    vm_locked: bool


@attrs.frozen
class KernelView:
    """A read-only snapshot of the whole simulated kernel, handed to user invariants.

    - ``pages``: every page in use (free pages are left out), as :class:`PageView`
      (``vm_locked`` is whether a VM_LOCKED vma maps the page now).
    - ``free``: the pfns on the free lists.
    - ``ptes``: every pte of every live mm, in (mm, vpage) order.
    - ``swap_counts``: ``(slot, swap_map count)`` for every swap slot in use.
    - ``swap_cache``: ``(slot, pfn)`` for every page in the swap cache.
    - ``migcache_counters``: ``(id, counter)`` for every migration-cache id [V8].
    - ``migcache``: ``(id, pfn)`` for every page in the migration cache.
    - ``quiescent``: True when the run has ended (every actor idle), False mid-run.
    """

    pages: tuple[PageView, ...]
    free: frozenset[int]
    ptes: tuple[PteView, ...]
    swap_counts: tuple[tuple[int, int], ...]
    swap_cache: tuple[tuple[int, int], ...]
    migcache_counters: tuple[tuple[int, int], ...]
    migcache: tuple[tuple[int, int], ...]
    quiescent: bool


def kernel_view(k: Kernel, *, quiescent: bool = False) -> KernelView:
    """Snapshot ``k`` for user invariants (cost: the whole machine, every call)."""
    ptes = tuple(
        _pte_view(name, vpage, mm.ptes[vpage], mm.vm_locked[vpage])
        for name, mm in sorted(k.mms.items())
        if mm.alive
        for vpage in range(mm.npages)
    )
    locked = {p.pfn for p in ptes if p.vm_locked and p.state == "present"}
    pages = tuple(page_view(k, p, vm_locked=p.pfn in locked) for p in k.pages if not p.free)
    swap = k.swap
    return KernelView(
        pages=pages,
        free=frozenset(p.pfn for p in k.pages if p.free),
        ptes=ptes,
        swap_counts=tuple((s, n) for s, n in enumerate(swap.swap_map) if n),
        swap_cache=tuple(sorted(swap.cache.items())),
        migcache_counters=tuple(sorted(k.migcache.counters.items())),
        migcache=tuple(sorted(k.migcache.tree.items())),
        quiescent=quiescent,
    )


def _pte_view(mm: str, vpage: int, pte: object, vm_locked: bool) -> PteView:
    pfn = getattr(pte, "pfn", None)
    entry = getattr(pte, "entry", None)
    state: PteState = "none"
    if isinstance(pte, PtePresent):
        state = "present"
    elif isinstance(pte, PteSwap):
        state = "swap"
    elif isinstance(pte, PteMigCache):
        state = "migcache"
    elif isinstance(pte, PteMigration):
        state = "migration"
    return PteView(mm, vpage, state, pfn, entry, vm_locked)
