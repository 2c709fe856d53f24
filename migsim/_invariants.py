"""What each invariant id means, in one line, for reports and the CLI.

Ids are the stable ones of the kernel model (D = data integrity, C = reference counts,
M = cache membership, L = mlock and swap, K = locks and liveness, Q = at quiescence), plus
the runtime's own codes for deadlocks and runs that hit the step bound.
"""

from __future__ import annotations

MEANINGS: dict[str, str] = {
    "D1": "a read returns the value of the last completed write to that virtual page",
    "D2": "a page is only copied while no present writable pte maps the source",
    "D3": "no pte names a freed page, a freed swap slot or a freed migration-cache id",
    "D4": "a COW-shared page is never mapped writable by two address spaces",
    "C1": "a page's refcount equals the sum of its holders (ptes, caches, isolation, lookups)",
    "C2": "a page's mapcount equals the number of present ptes mapping it",
    "C3": "a migration-cache id's counter equals the number of ptes naming it (never negative)",
    "C4": "a swap slot's count equals the swap ptes naming it plus its swap-cache reference",
    "C5": "migration's expected-refcount check holds exactly at the commit point",
    "M1": "PG_swapcache is set iff the page sits in exactly one cache at key private",
    "M2": "a page is a migration-cache page iff its private has the migration type",
    "M3": "no two pages share a cache key, and no key names a free page",
    "M4": "a migration entry exists only while the migrator holds its page lock",
    "L1": "a page mapped by a VM_LOCKED vma is never paged out or given a swap pte by reclaim",
    "L2": "an mlocked page follows the mlocked policy (refused, or never falls back to swap)",
    "L3": "mlock_count never exceeds the VM_LOCKED vmas mapping the page",
    "K1": "locks are taken in order, and nobody sleeps on a page lock while holding a PTL",
    "K2": "each page lock has one holder; PTL holders never block",
    "K3": "every fault completes (maps, SIGBUS or a legitimate OOM) in bounded retries",
    "K4": "a page's migration ends (success or failure) within 10 passes",
    "Q1": "at quiescence no page is locked and nothing is isolated",
    "Q2": "at quiescence every migration-cache id has counter >= 1 (no leaked entry)",
    "Q3": "at quiescence every allocated swap slot is referenced (no slot leak)",
    "Q4": "at quiescence every refcount equals its mapcount plus cache and LRU references",
    "deadlock": "some actor stayed blocked forever with nothing left to wake it",
    "step-bound": "the run did not finish within the step bound (max_steps)",
}


def meaning(code: str) -> str:
    """The one-line meaning of invariant ``code``, or "" for an id migsim does not know."""
    return MEANINGS.get(code, "")
