"""What every kernel actor shares: the model, the lock actors, the policies, the timings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import attrs

from actors import Access, Actor, writes
from kernel_model import Kernel, SwpEntry

if TYPE_CHECKING:
    from actors.kernel._locks import PageLockActor, PtlActor

T = TypeVar("T")

# Coarse footprint keys.  A cache's tree, counters and allocator are one object each: the
# kernel serialises them with one tree_lock / swap_lock, so one key is the faithful grain.
MIGCACHE = ("migcache",)
SWAP = ("swap",)
MAX_FAULT_RETRIES = 8
PTL_SHARDS = 64
MAX_MIGRATE_PASSES = 10


@attrs.define
class KernelPolicies:
    """The resolved policy objects in force (see the ``policies`` package)."""

    fallback: object
    mlocked: object
    fault_retry: object


@attrs.define
class KernelContext:
    """The shared world of one run: model, lock actors, policies and I/O latency.

    ``pagelocks`` are the page-lock shards: small machines get one per page, so that lock
    operations on different pages are independent for DPOR.
    """

    kernel: Kernel
    policies: KernelPolicies
    pagelocks: list[PageLockActor]
    ptls: dict[tuple[str, int], PtlActor] = attrs.field(factory=dict)
    io_ticks: int = 2

    def pagelock(self, pfn: int) -> PageLockActor:
        """The page-lock actor serving page ``pfn`` (pages are spread over the shards)."""
        return self.pagelocks[pfn % len(self.pagelocks)]

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


def consult(
    actor: Actor,
    kernel: Kernel,
    policy: object,
    method: str,
    *args: object,
    allowed: tuple[T, ...],
    default: T,
) -> T:
    """Ask ``policy.method(*args)``; an exception or an illegal answer is reported as P1.

    The run then ends at this step with a P1 violation naming the policy; ``default`` only
    keeps the actor consistent until then.
    """
    name = getattr(policy, "name", type(policy).__name__)
    fn: Callable[..., object] = getattr(policy, method)
    try:
        answer = fn(*args)
    except Exception as exc:
        kernel.report(
            "P1",
            f"policy {name!r}.{method}() raised {type(exc).__name__}: {exc} "
            f"(asked by {actor.name})",
            f"policy:{name}",
        )
        return default
    if answer not in allowed:
        kernel.report(
            "P1",
            f"policy {name!r}.{method}() returned {answer!r}; expected one of "
            f"{', '.join(map(repr, allowed))} (asked by {actor.name})",
            f"policy:{name}",
        )
        return default
    return answer
