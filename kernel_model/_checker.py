"""Incremental invariant checking: after each step, only what the step touched.

:func:`check_step` first returns any event-type finding recorded during the step (D1, K1,
K2, K3, P1, ...), then checks each dirty object with its per-object invariants, and clears
the dirty set.  Its cost is proportional to the objects the step touched, not to the size of
the machine.  :func:`check_quiescence` scans the whole state once, for the Q* invariants.
"""

from __future__ import annotations

from kernel_model._finding import Finding
from kernel_model._invariants import check_mid, check_page, check_pte, check_slot
from kernel_model._kernel import Kernel
from kernel_model._mm import vpage_name
from kernel_model._page import HOLDER_LRU, HOLDER_MAP, HOLDER_MIGCACHE, HOLDER_SWAPCACHE


def check_step(k: Kernel) -> Finding | None:
    """The first invariant broken by the last step, or None; resets the dirty set."""
    if k.findings:
        finding = k.findings[0]
        k.findings.clear()
        k.dirty.clear()
        return finding
    if not k.dirty:
        return None
    dirty = k.dirty
    k.dirty = {}
    k.touched.update(dirty)
    for key in dirty:
        kind = key[0]
        if kind == "page":
            found = check_page(k, key[1])  # type: ignore[arg-type]
        elif kind == "pte":
            found = check_pte(k, key[1], key[2])  # type: ignore[arg-type, misc]
        elif kind == "slot":
            found = check_slot(k, key[1])  # type: ignore[arg-type]
        else:
            found = check_mid(k, key[1])  # type: ignore[arg-type]
        if found is not None:
            return found
    return None


def check_quiescence(k: Kernel) -> Finding | None:
    """Q1-Q4 over the whole state, once, at the end of a run that quiesced."""
    return _q1(k) or _q2(k) or _q3(k) or _q4(k)


def _q1(k: Kernel) -> Finding | None:
    for page in k.pages:
        if page.locked_by is not None:
            return Finding(
                "Q1", f"page {page.pfn} is still locked by {page.locked_by}", (f"page:{page.pfn}",)
            )
    for pfn, who in k.isolated.items():
        return Finding("Q1", f"page {pfn} is still isolated by {who}", (f"page:{pfn}",))
    for actor, held in k.held_ptls.items():
        if held:
            return Finding(
                "Q1", f"{actor} still holds spinlock {', '.join(held)}", (held[0], actor)
            )
    for name, space in k.mms.items():
        sem = space.mmap_sem
        if sem.writer is not None or sem.readers:
            return Finding("Q1", f"mmap_sem of {name} still held: {sem.describe()}", (sem.name,))
    for pfn, users in k.migration_entries.items():
        names = ", ".join(vpage_name(*u) for u in users)
        return Finding(
            "Q1", f"migration entries for page {pfn} remain in {names}", (f"page:{pfn}",)
        )
    return None


def _q2(k: Kernel) -> Finding | None:
    for idr_id, count in k.migcache.counters.items():
        if count < 1 or not k.mig_ptes.get(idr_id):
            pfn = k.migcache.tree.get(idr_id)
            return Finding(
                "Q2",
                f"migration-cache id {idr_id} (page {pfn}) leaked: counter "
                f"{count} and no pte names it",
                (f"mid:{idr_id}",),
            )
    return None


def _q3(k: Kernel) -> Finding | None:
    for slot, count in enumerate(k.swap.swap_map):
        used = bool(k.swap_ptes.get(slot)) or slot in k.swap.cache
        if (count > 0) != used:
            return Finding(
                "Q3",
                f"swap slot {slot} has count {count} but {'is' if used else 'is not'} referenced",
                (f"slot:{slot}",),
            )
    return None


def _q4(k: Kernel) -> Finding | None:
    for page in k.pages:
        if page.free:
            continue
        expected = (
            page.held(HOLDER_MAP)
            + page.held(HOLDER_SWAPCACHE)
            + page.held(HOLDER_MIGCACHE)
            + page.held(HOLDER_LRU)
        )
        if page.refcount != expected or page.refcount == 0:
            return Finding(
                "Q4",
                f"{page.describe()}: at quiescence refcount should be "
                f"{expected} (mapcount + caches + LRU)",
                (f"page:{page.pfn}",),
            )
    return None
