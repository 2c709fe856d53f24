"""The per-object invariant checks (ids in :data:`kernel_model.INVARIANTS`), pure functions
over :class:`Kernel` state.

Step invariants are checked per *object* (a page, a pte, a swap slot, a migration-cache id)
and only for the objects a step touched; quiescence invariants (Q*) scan everything once at
the end of a run.  Every check returns a :class:`Finding` naming its stable id, or None.
"""

from __future__ import annotations

from collections.abc import Iterable

from kernel_model._finding import Finding
from kernel_model._kernel import Kernel
from kernel_model._mm import vpage_name
from kernel_model._page import HOLDER_LRU, HOLDER_MAP, HOLDER_MIGCACHE, HOLDER_SWAPCACHE, Page
from kernel_model._pte import PteMigCache, PteMigration, PtePresent, PteSwap


def _page_name(pfn: int) -> str:
    return f"page:{pfn}"


def _names(keys: Iterable[tuple[str, int]] | None) -> str:
    """The ptes of an index entry, named: ``A:0, C:0`` (``none`` when there are none)."""
    names = [vpage_name(mm, vpage) for mm, vpage in keys or ()]
    return ", ".join(names) or "none"


def check_page(k: Kernel, pfn: int) -> Finding | None:
    """C1, C2, M1, M2 and D3 (for a freed page) for page ``pfn``."""
    page = k.pages[pfn]
    if page.free:
        return _check_free_page(k, page)
    return _check_refs(k, page) or _check_membership(k, page)


def _check_free_page(k: Kernel, page: Page) -> Finding | None:
    name = _page_name(page.pfn)
    if page.refcount != 0:
        return Finding("C1", f"free {page.describe()} has a nonzero refcount", (name,))
    users = k.mapped_by.get(page.pfn) or k.migration_entries.get(page.pfn)
    if users:
        who = ", ".join(vpage_name(*key) for key in users)
        return Finding("D3", f"ptes {who} still name freed page {page.pfn}", (name,))
    return None


def _check_refs(k: Kernel, page: Page) -> Finding | None:
    name = _page_name(page.pfn)
    if page.refcount != sum(page.holders.values()) or any(v < 0 for v in page.holders.values()):
        total = sum(page.holders.values())
        return Finding(
            "C1",
            f"{page.describe()}: refcount {page.refcount} != {total}, the sum of holders",
            (name,),
        )
    ptes = len(k.mapped_by.get(page.pfn, ()))
    if page.mapcount != ptes:
        who = _names(k.mapped_by.get(page.pfn))
        return Finding("C2", f"{page.describe()}: {ptes} present ptes map it ({who})", (name,))
    if page.held(HOLDER_MAP) != ptes:
        return Finding(
            "C1",
            f"{page.describe()}: {ptes} present ptes ({_names(k.mapped_by.get(page.pfn))}) "
            f"but {page.held(HOLDER_MAP)} mapping refs",
            (name,),
        )
    if page.held(HOLDER_LRU) != int(page.lru):
        return Finding(
            "C1",
            f"{page.describe()}: {page.held(HOLDER_LRU)} LRU refs but PG_lru is "
            f"{'set' if page.lru else 'clear'}",
            (name,),
        )
    return None


def _check_membership(k: Kernel, page: Page) -> Finding | None:
    name = _page_name(page.pfn)
    in_swap = page.held(HOLDER_SWAPCACHE)
    in_mig = page.held(HOLDER_MIGCACHE)
    if page.moving_to_swap:
        return None  # R20's transient state: in the migration tree, flagged as swap cache
    if in_swap + in_mig > 1:
        return Finding(
            "M1",
            f"{page.describe()} holds refs of both caches (swapcache={in_swap}, migcache={in_mig})",
            (name,),
        )
    if page.swapcache != bool(in_swap + in_mig) or (page.swapcache and page.private is None):
        return Finding(
            "M1", f"{page.describe()}: PG_swapcache does not match cache membership", (name,)
        )
    if page.private is not None and page.swapcache:
        tree = k.migcache.tree if page.private.is_migration else k.swap.cache
        if tree.get(page.private.offset) != page.pfn:
            code = "M2" if page.private.is_migration else "M1"
            return Finding(
                code,
                f"{page.describe()}: the cache slot {page.private} does not point back at it",
                (name,),
            )
        if page.private.is_migration != bool(in_mig):
            return Finding(
                "M2",
                f"{page.describe()}: page_is_migration disagrees with the cache holding it",
                (name,),
            )
    return None


def check_pte(k: Kernel, mm: str, vpage: int) -> Finding | None:
    """D3, D4, L1 and L2 for the pte ``mm:vpage`` (just written)."""
    space = k.mms[mm]
    pte = space.ptes[vpage]
    name = vpage_name(mm, vpage)
    if isinstance(pte, PtePresent | PteMigration):
        page = k.pages[pte.pfn]
        if page.free:
            return Finding("D3", f"pte {name} = {pte} names freed page {pte.pfn}", (name,))
        if isinstance(pte, PtePresent) and pte.writable and page.mapcount > 1:
            return Finding(
                "D4",
                f"pte {name} maps page {pte.pfn} writable while {page.mapcount} ptes share it",
                (name,),
            )
    elif isinstance(pte, PteSwap):
        if not k.swap.in_use(pte.entry.offset):
            return Finding("D3", f"pte {name} = {pte} names a free swap slot", (name,))
        if space.vm_locked[vpage] and pte.entry.offset not in k.migration_slots:
            return Finding("L1", f"pte {name} of a VM_LOCKED vma became {pte}", (name,))
    elif isinstance(pte, PteMigCache):
        if pte.entry.offset not in k.migcache.counters:
            return Finding("D3", f"pte {name} = {pte} names a freed migration-cache id", (name,))
        if space.vm_locked[vpage] and not k.mlock_migrate:
            return Finding(
                "L2",
                f"pte {name} of a VM_LOCKED vma became {pte} although "
                "mlocked pages must not migrate",
                (name,),
            )
    return None


def check_slot(k: Kernel, slot: int) -> Finding | None:
    """C4, D3 and M1/M3 for swap slot ``slot``."""
    name = f"slot:{slot}"
    count = k.swap.swap_map[slot]
    ptes = len(k.swap_ptes.get(slot, ()))
    pfn = k.swap.cache.get(slot)
    if ptes and count <= 0:
        who = _names(k.swap_ptes.get(slot))
        return Finding(
            "D3", f"{ptes} swap ptes ({who}) name slot {slot} whose count is {count}", (name,)
        )
    if count != ptes + (pfn is not None):
        return Finding(
            "C4",
            f"swap_map[{slot}] = {count} but {ptes} swap ptes ({_names(k.swap_ptes.get(slot))}) "
            "name it and it "
            f"is {'' if pfn is not None else 'not '}in the swap cache",
            (name,),
        )
    if pfn is not None:
        page = k.pages[pfn]
        if page.free:
            return Finding("M3", f"swap cache slot {slot} names free page {pfn}", (name,))
        if (
            page.private is None
            or page.private.offset != slot
            or page.private.is_migration
            or not page.swapcache
        ):
            return Finding("M1", f"swap cache slot {slot} holds {page.describe()}", (name,))
    return None


def check_mid(k: Kernel, idr_id: int) -> Finding | None:
    """C3, D3, M2 and M3 for migration-cache id ``idr_id``."""
    name = f"mid:{idr_id}"
    ptes = len(k.mig_ptes.get(idr_id, ()))
    count = k.migcache.counters.get(idr_id)
    pfn = k.migcache.tree.get(idr_id)
    if count is None:
        if ptes:
            who = _names(k.mig_ptes.get(idr_id))
            return Finding(
                "D3", f"{ptes} ptes ({who}) name freed migration-cache id {idr_id}", (name,)
            )
        if pfn is not None:
            return Finding("M3", f"migration radix key {idr_id} has no idr id", (name,))
        return None
    if count != ptes:
        return Finding(
            "C3",
            f"migration counter({idr_id}) = {count} but {ptes} ptes name it "
            f"({_names(k.mig_ptes.get(idr_id))})",
            (name,),
        )
    if pfn is None:
        return Finding("M3", f"migration idr id {idr_id} has no radix slot", (name,))
    page = k.pages[pfn]
    if page.free:
        return Finding("M3", f"migration cache id {idr_id} names free page {pfn}", (name,))
    if not page.moving_to_swap and not (
        page.is_migration() and page.private is not None and page.private.offset == idr_id
    ):
        return Finding("M2", f"migration cache id {idr_id} holds {page.describe()}", (name,))
    return None
