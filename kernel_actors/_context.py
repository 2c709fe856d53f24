"""What every kernel actor shares: the model, the era, the policies, the lock actors.

Also the footprint keys the kernel's code declares at its scheduling points.  A cache's
tree, counters and allocator are one object each: the kernel serialises them with one
``tree_lock`` / ``swap_lock``, so one key is the faithful grain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from actors import Access, writes
from kernel_model import DEFAULT_ERA, ERAS, Era, Kernel, SwpEntry
from policies import FallbackPolicy, FaultRetryPolicy, MlockedPolicy

if TYPE_CHECKING:
    from kernel_actors._locks import PageLockActor, PtlActor

MIGCACHE = ("migcache",)
SWAP = ("swap",)
MAX_FAULT_RETRIES = 8
PTL_SHARDS = 64
MAX_MIGRATE_PASSES = 10


@attrs.frozen
class KernelPolicies:
    """The resolved policy objects in force (see the ``policies`` package)."""

    fallback: FallbackPolicy
    mlocked: MlockedPolicy
    fault_retry: FaultRetryPolicy


@attrs.define
class KernelContext:
    """The shared world of one run: model, kernel era, policies, lock actors, I/O latency.

    ``era`` selects the version of the kernel's code (``kernel_model.ERAS``).
    ``pagelocks`` are the page-lock shards: small machines get one per page, so that lock
    operations on different pages are independent for DPOR.
    """

    kernel: Kernel
    policies: KernelPolicies
    pagelocks: list[PageLockActor]
    ptls: dict[tuple[str, int], PtlActor] = attrs.field(factory=dict)
    io_ticks: int = 2
    era: Era = ERAS[DEFAULT_ERA]

    def pagelock(self, pfn: int) -> PageLockActor:
        """The page-lock actor serving page ``pfn`` (pages are spread over the shards)."""
        return self.pagelocks[pfn % len(self.pagelocks)]

    def sem(self, mm: str) -> PtlActor:
        """The wait queue of ``mm``'s mmap_sem (and of its anon_vma's lock): the PTL actor
        of its table 0, which pairs waits and handoffs by lock name."""
        return self.ptls[(mm, 0)]

    def ptl(self, mm: str, vpage: int) -> PtlActor:
        """The PTL actor (wait queue) covering ``mm:vpage``: one per page-table page, up to
        :data:`PTL_SHARDS` per mm, beyond which tables share them (hashed, as the kernel
        hashes page waitqueues)."""
        return self.ptls[(mm, self.kernel.mms[mm].table_of(vpage) % PTL_SHARDS)]


def pte_key(mm: str, vpage: int) -> Access:
    """Write access to one pte."""
    return writes("pte", mm, vpage)


def alloc_key(nid: int) -> Access:
    """Write access to node ``nid``'s free list (allocating, or freeing a page of it)."""
    return writes("alloc", nid)


def page_key(pfn: int) -> Access:
    """Write access to one page's fields."""
    return writes("page", pfn)


def cache_key(entry: SwpEntry) -> Access:
    """Write access to the cache (swap or migration) that ``entry`` belongs to."""
    return writes(*MIGCACHE) if entry.is_migration else writes(*SWAP)
