"""The invariant catalog: every id the model checks or reports, declared once.

Ids are stable and grouped by letter: D = data integrity, C = reference counts, M = cache
membership, L = mlock and swap, K = locks and liveness, P = policies, Q = at quiescence.
Reports, scenario expectations and tests name invariants by these ids; each entry says
what is checked and when, so that a report can explain a violation in one line.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

EVERY_STEP = "every step"
"""Checked after each step, for the objects the step touched (or as an event of the step)."""

AT_QUIESCENCE = "at quiescence"
"""Checked once over the whole state, when a run ends with nothing left to do."""

AT_RUN_END = "when the run ends (liveness)"
"""Checked when a run ends: something still pending is a liveness failure."""

AT_POLICY_CALL = "at each policy call"
"""Checked whenever the kernel asks a policy for a decision."""


@attrs.frozen
class Invariant:
    """Invariant ``id`` ("C1"): what it requires (``meaning``) and when it is ``checked``."""

    id: str
    meaning: str
    checked: str


def _catalog(*entries: tuple[str, str, str]) -> Mapping[str, Invariant]:
    return {code: Invariant(code, meaning, checked) for code, checked, meaning in entries}


INVARIANTS: Mapping[str, Invariant] = _catalog(
    ("D1", EVERY_STEP, "a read returns the last completed write of that virtual page"),
    ("D2", EVERY_STEP, "a migration copies a page only from an unmapped source it has locked"),
    (
        "D3",
        EVERY_STEP,
        "no pte names a freed page, a free swap slot or a freed migration id, and no rmap "
        "walk follows a freed anon_vma",
    ),
    ("D4", EVERY_STEP, "a page mapped by more than one pte is never mapped writable (COW)"),
    ("D5", EVERY_STEP, "no fault touches a swap device after swapoff has torn it down"),
    (
        "C1",
        EVERY_STEP,
        "a page's refcount equals the sum of its recorded holders (mapping refs = present "
        "ptes, LRU ref = PG_lru); a free page has refcount 0",
    ),
    ("C2", EVERY_STEP, "a page's mapcount equals the number of present ptes mapping it"),
    (
        "C3",
        EVERY_STEP,
        "a migration-cache id's counter equals the number of ptes naming it; a freed id "
        "is never duplicated or released",
    ),
    (
        "C4",
        EVERY_STEP,
        "a swap slot's swap_map count equals the swap ptes naming it, plus 1 if it is in "
        "the swap cache",
    ),
    (
        "M1",
        EVERY_STEP,
        "PG_swapcache is set iff the page is in exactly one cache at key private, and "
        "that cache slot points back at the page",
    ),
    (
        "M2",
        EVERY_STEP,
        "page_is_migration iff the migration cache holds the page at its id (except "
        "inside migration_move_to_swap, R20's own state)",
    ),
    (
        "M3",
        EVERY_STEP,
        "no cache key names a free page; migration idr ids and radix keys match one to one",
    ),
    (
        "L1",
        EVERY_STEP,
        "a pte of a VM_LOCKED vma never becomes a swap pte (but for a migration's own "
        "entry), and an mlocked page is never paged out",
    ),
    (
        "L2",
        EVERY_STEP,
        "under mlocked = refuse a pte of a VM_LOCKED vma never becomes a migration-cache pte",
    ),
    (
        "L3",
        EVERY_STEP,
        "mlock_count never exceeds the VM_LOCKED vmas mapping the page (it may err low, "
        "never high; eras with mlock_count)",
    ),
    (
        "K1",
        EVERY_STEP,
        "nobody sleeps while holding a spinlock (a PTL or an anon_vma lock): no blocking "
        "lock_page, no allocation that must wait for memory",
    ),
    (
        "K2",
        EVERY_STEP,
        "one holder per lock: ptes are written only by their PTL's holder, and a lock is "
        "unlocked only by its holder",
    ),
    (
        "K5",
        EVERY_STEP,
        "lock order: mmap_sem is taken before any page lock or spinlock (mmap_sem, then "
        "PG_locked, then the anon_vma lock and the PTL), and only by a task not already "
        "holding it",
    ),
    (
        "K3",
        f"{EVERY_STEP}, and {AT_RUN_END}",
        "every fault completes (maps its page, or a legitimate OOM) within 8 retries; "
        "none is pending when the run ends",
    ),
    (
        "K4",
        AT_RUN_END,
        "every migration ends (moved, failed, or given up after 10 passes): none pending "
        "when the run ends",
    ),
    ("P1", AT_POLICY_CALL, "a policy answers a legal decision and does not raise"),
    (
        "Q1",
        AT_QUIESCENCE,
        "no page is locked or isolated, no spinlock (PTL, anon_vma lock) or mmap_sem is "
        "still held, and no swapless migration entry remains",
    ),
    (
        "Q2",
        AT_QUIESCENCE,
        "every migration-cache id has counter >= 1 and ptes naming it (no leaked entry)",
    ),
    (
        "Q3",
        AT_QUIESCENCE,
        "a swap slot is in use iff a swap pte or the swap cache names it (no slot leak)",
    ),
    (
        "Q4",
        AT_QUIESCENCE,
        "every live page's refcount equals its mapping, cache and LRU references (never 0)",
    ),
)
"""Every invariant the model checks or reports, by id."""


def invariant(code: str) -> Invariant | None:
    """The invariant with id ``code``, or None for a code the model does not know
    (a runtime code such as "deadlock" or "step-bound", or a test's own)."""
    return INVARIANTS.get(code)
