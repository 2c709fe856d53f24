"""Swapless page migration (2.6.18 mm/migrate.c, Lameter; the same shape in 6.1).

The migrator keeps the page locked while its ptes hold *migration entries* (a pfn in the
pte, no cache, no count): ``unmap_and_move`` locks the page (trylock in passes 0-2, then
``lock_page``), ``try_to_unmap(page, 1)`` turns every present pte into a migration entry
(WRITE if the pte was writable; no VM_LOCKED refusal: the migration flag bypasses it),
``move_to_new_page`` checks the expected refcount (1, the isolation, for an anonymous
page; 2 with the swap cache's ref, whose slot is repointed), copies, and
``remove_migration_ptes`` maps the new page; on -EAGAIN the old page is mapped back.
Then the page is unlocked and the faulters waiting on it are woken.

A fault on a migration entry calls :func:`migration_entry_wait`: under the PTL it checks
that the pte is still a migration entry, waits until the migrator unlocks the page, and
refaults.  2.6.18 takes a page reference while it waits (``get_page`` before dropping the
PTL), which the migrator's refcount check then sees: -EAGAIN (R10).  6.1 queues on the
page while it still holds the PTL and takes no reference (ffa65753c431).

Waiting is modelled as a wait queue of its own (``pagewait:<pfn>`` on the page's lock
actor), woken by the migrator right after it unlocks the page: a waiter does not take
PG_locked (``wait_on_page_locked``), and only the migrator can unlock a page that has
migration entries (M4), so it is the one that wakes them.  The waiter queues only while
its pte still holds the entry, which is 6.1's rule; 2.6.18, which queues after dropping
the PTL, would also wait on a later holder of the lock, a wait this model leaves out.
"""

from __future__ import annotations

from collections import deque
from typing import Literal

from actors import Access, reads, writes
from kernel_actors._context import MAX_MIGRATE_PASSES, SWAP, alloc_key, page_key, pte_key
from kernel_actors._messages import Handoff, Wait
from kernel_actors._ops import KernelOps
from kernel_actors._rmap import putback, release_isolation
from kernel_model import (
    HOLDER_LRU,
    HOLDER_MAP,
    AnonVma,
    Kernel,
    Page,
    PteMigration,
    PtePresent,
    lookup,
    mlock_on_map,
    munlock_on_unmap,
    replace_cache_page,
)

Rc = Literal["done", "retry", "fail"]
"""``unmap_and_move``'s result: migrated (or freed), -EAGAIN, or a permanent failure."""


def wait_queue(pfn: int) -> str:
    """The name of the queue of faulters waiting for page ``pfn``'s migration."""
    return f"pagewait:{pfn}"


# -- the migrator -----------------------------------------------------------------------
async def migrate_swapless(ops: KernelOps, page: Page, *, to_node: int, new_holder: str) -> None:
    """``migrate_pages`` for one isolated page: up to 10 passes of ``unmap_and_move``;
    retry-exhausted leaves the page where it is."""
    for npass in range(MAX_MIGRATE_PASSES):
        rc = await _unmap_and_move(ops, page, to_node, new_holder, force=npass > 2)
        if rc != "retry":
            return
    await putback(ops, page)


async def _unmap_and_move(
    ops: KernelOps, page: Page, to_node: int, new_holder: str, *, force: bool
) -> Rc:
    """One pass: a destination page per call (``new_page_node``: on the target node,
    __GFP_THISNODE; none: -ENOMEM ends the migration), then lock, unmap, move."""
    await ops.at("alloc destination", alloc_key(to_node))
    new = ops.k.alloc_page(to_node, new_holder)
    if new is None:
        await putback(ops, page)
        return "fail"
    await ops.at("check refcount", page_key(page.pfn))
    if page.refcount == 1:  # freed under us: only our isolation ref is left
        release_isolation(ops, page, keep=False)
        await _free_new(ops, new, new_holder)
        return "done"
    if not await ops.trylock_page(page):
        if not force:
            await _free_new(ops, new, new_holder)
            return "retry"
        await ops.lock_page(page)
    rc = await _locked(ops, page, new, new_holder)
    await ops.unlock_page(page)
    await wake_migration_waiters(ops, page)
    if rc == "done":
        await ops.at("release old page", page_key(page.pfn), alloc_key(page.nid))
        release_isolation(ops, page, keep=False)
        return rc
    await _free_new(ops, new, new_holder)
    if rc == "fail":
        await putback(ops, page)
    return rc


async def _locked(ops: KernelOps, page: Page, new: Page, new_holder: str) -> Rc:
    """With the page locked: unmap into migration entries, move, or map it back."""
    await ops.at("unmap_and_move: examine", page_key(page.pfn), *_anon_vma_key(ops, page))
    if page.writeback:
        return "retry"  # not force: skipped; force: the wait is left out (kswapd ends it)
    # 6.1 folio_get_anon_vma (R11's guard): only a mapped page's anon_vma is pinned.
    anon_vma = _anon_vma(ops, page) if ops.ctx.era.migration_anon_vma_ref else None
    if anon_vma is not None:
        anon_vma.get()
    remap = bool(page.mapcount) or not ops.ctx.era.remap_only_if_mapped
    if page.mapcount:
        await try_to_migrate(ops, page)
    rc: Rc = "retry"
    if not page.mapcount:
        rc = await _move_to_new_page(ops, page, new, new_holder, remap=remap)
    if rc != "done" and remap:
        await remove_migration_ptes(ops, page, page)
    if anon_vma is not None:
        await ops.at("put_anon_vma", writes("lock", anon_vma.lock_name))
        anon_vma.put()
    return rc


def _anon_vma(ops: KernelOps, page: Page) -> AnonVma | None:
    """``folio_get_anon_vma``'s lookup (the caller's step reads the page): the anon_vma
    of a mapped page, None for an unmapped one."""
    if page.mapping is None or not page.mapcount:
        return None
    return ops.k.anon_vmas.get(page.mapping)


def _anon_vma_key(ops: KernelOps, page: Page) -> tuple[Access, ...]:
    """What ``folio_get_anon_vma`` touches, if the era takes it: the anon_vma's refcount,
    modelled as its lock word, which exit's unlink writes too (so the two are ordered)."""
    anon_vma = _anon_vma(ops, page) if ops.ctx.era.migration_anon_vma_ref else None
    return () if anon_vma is None else (writes("lock", anon_vma.lock_name),)


async def _move_to_new_page(
    ops: KernelOps, page: Page, new: Page, new_holder: str, *, remap: bool
) -> Rc:
    """``move_to_new_page`` -> ``migrate_page``: the expected refcount (isolation, plus
    the swap cache's ref for a swap-cache page, whose slot is repointed under the tree
    lock), the copy, then (``remap``) ``remove_migration_ptes`` onto ``new``."""
    k = ops.k
    ops.own_new_page_lock(new)
    await ops.at("migrate_page_move_mapping", page_key(page.pfn), page_key(new.pfn), writes(*SWAP))
    entry = page.private if page.swapcache else None
    expected = 2 if entry is not None else 1
    if page.refcount != expected or (entry is not None and lookup(k, entry) is not page):
        await ops.unlock_page(new)
        return "retry"  # -EAGAIN: somebody holds an extra reference
    if entry is not None:
        replace_cache_page(k, entry, page, new)
    k.copy_data(page, new, ops.name)
    if remap:
        await remove_migration_ptes(ops, page, new)
    await ops.at("finish migration", page_key(new.pfn))
    new.lru = True
    k.move_ref(new, new_holder, HOLDER_LRU)
    await ops.unlock_page(new)
    return "done"


async def _free_new(ops: KernelOps, new: Page, new_holder: str) -> None:
    await ops.at("free unused destination", page_key(new.pfn), alloc_key(new.nid))
    ops.k.put_page(new, new_holder)


# -- the reverse-map walks --------------------------------------------------------------
async def try_to_migrate(ops: KernelOps, page: Page) -> None:
    """``try_to_unmap(page, 1)``: every present pte of ``page`` becomes a migration entry
    under its PTL (WRITE if it was writable); the dirty bit moves into the page, and a
    VM_LOCKED vma munlocks the page (6.1 ``page_remove_rmap``)."""
    k = ops.k
    for mm, vpage in list(k.mapped_by.get(page.pfn, ())):
        await ops.lock_ptl(mm, vpage)
        await ops.at("try_to_unmap_one (migration)", pte_key(mm, vpage), page_key(page.pfn))
        pte = k.pte(mm, vpage)
        if isinstance(pte, PtePresent) and pte.pfn == page.pfn:
            page.dirty = page.dirty or pte.dirty
            k.set_pte(mm, vpage, PteMigration(page.pfn, write=pte.writable), ops.name)
            k.remove_rmap(page)
            k.put_page(page, HOLDER_MAP)
            if ops.ctx.era.mlock_count:
                munlock_on_unmap(k, page, mm, vpage)
        await ops.unlock_ptl(mm, vpage)


async def remove_migration_ptes(ops: KernelOps, old: Page, new: Page) -> None:
    """``remove_anon_migration_ptes`` (2.6.18 mm/migrate.c): under the anon_vma lock, for
    each vma of ``old``'s anon_vma *in list order*, ``remove_migration_pte``: under the
    PTL of the page's address in that vma, a migration entry for ``old`` maps ``new``
    (``old`` itself when the move failed), writable only from a WRITE entry.

    The address is the page's index, the same in every vma of the list (forked children
    map it where the parent does), so it is taken once, before the walk.  A fork copies
    the parent's entry into a child without the anon_vma lock (``copy_one_pte`` runs
    under the PTL only); a walk that met the child before the copy and the parent after
    it leaves the child's entry behind (R8): the list order decides
    (``Era.anon_vma_tail``)."""
    k = ops.k
    anon_vma = None if old.mapping is None else k.anon_vmas.get(old.mapping)
    if anon_vma is None:
        return
    vpages = sorted({vpage for _, vpage in k.migration_entries.get(old.pfn, ())})
    await ops.lock_anon_vma(anon_vma, page_key(old.pfn))
    if anon_vma.freed:
        # Without R11's reference the last vma's exit freed it: page->mapping dangles.
        k.report(
            "D3",
            f"remove_migration_ptes walks freed {anon_vma.lock_name.replace(':', ' ')} "
            f"(page {old.pfn}'s mapping)",
            anon_vma.lock_name,
        )
        await ops.unlock_anon_vma(anon_vma)
        return
    for mm in list(anon_vma.vmas):
        for vpage in vpages:
            await _remove_migration_pte(ops, mm, vpage, old, new)
    await ops.unlock_anon_vma(anon_vma)


async def _remove_migration_pte(ops: KernelOps, mm: str, vpage: int, old: Page, new: Page) -> None:
    await ops.lock_ptl(mm, vpage)
    await ops.at("remove_migration_pte", pte_key(mm, vpage), page_key(new.pfn))
    pte = ops.k.pte(mm, vpage)
    if isinstance(pte, PteMigration) and pte.pfn == old.pfn:
        _remap(ops, mm, vpage, new, pte.write)
    await ops.unlock_ptl(mm, vpage)


def _remap(ops: KernelOps, mm: str, vpage: int, new: Page, write: bool) -> None:
    k = ops.k
    k.set_pte(mm, vpage, PtePresent(new.pfn, writable=write), ops.name)
    k.add_rmap(new)
    k.get_page(new, HOLDER_MAP)
    era = ops.ctx.era
    if era.mlock_count:
        mlock_on_map(k, new, mm, vpage, ops.name)  # page_add_anon_rmap -> mlock_vma_folio
    elif era.pg_mlocked and k.mms[mm].vm_locked[vpage]:
        new.mlocked = True


async def wake_migration_waiters(ops: KernelOps, page: Page) -> None:
    """``unlock_page``'s wake-up of the faulters sleeping in ``migration_entry_wait``."""
    name = wait_queue(page.pfn)
    await ops.at(f"wake migration waiters {page.pfn}", writes("lock", name))
    for waiter in ops.k.lock_waiters.pop(name, ()):
        await ops.actor.send(ops.ctx.pagelock(page.pfn), Handoff(name, waiter))


# -- the fault side ---------------------------------------------------------------------
async def migration_entry_wait(
    ops: KernelOps, mm: str, vpage: int, orig: PteMigration, holder: str
) -> Literal["retry"]:
    """``do_swap_page`` on a migration entry: wait for the migrator, then refault.

    Under the PTL the pte must still be ``orig``; 2.6.18 then pins the page
    (``get_page``) and drops the PTL before it waits; 6.1 queues before it drops the PTL
    and pins nothing."""
    k = ops.k
    page = k.pages[orig.pfn]
    pins = ops.ctx.era.migration_wait_pins
    await ops.lock_ptl(mm, vpage)
    queue = writes("lock", wait_queue(page.pfn))
    await ops.at("migration_entry_wait", reads("pte", mm, vpage), page_key(page.pfn), queue)
    still = k.pte(mm, vpage) == orig
    if still and pins:
        k.get_page(page, holder)
    elif still:
        _queue(k, page, ops.name)
    await ops.unlock_ptl(mm, vpage)
    if not still:
        return "retry"
    if pins:
        await ops.at("wait_on_page_locked", reads("pte", mm, vpage), queue)
        if k.pte(mm, vpage) == orig:
            _queue(k, page, ops.name)
            await _sleep(ops, page)
        await ops.at(f"put_page {page.pfn}", page_key(page.pfn), alloc_key(page.nid))
        k.put_page(page, holder)
        return "retry"
    await _sleep(ops, page)
    return "retry"


def _queue(k: Kernel, page: Page, name: str) -> None:
    k.lock_waiters.setdefault(wait_queue(page.pfn), deque()).append(name)


async def _sleep(ops: KernelOps, page: Page) -> None:
    await ops.actor.call(ops.ctx.pagelock(page.pfn), Wait(wait_queue(page.pfn)))


# -- fork and exit ----------------------------------------------------------------------
def copy_migration_pte(
    k: Kernel, parent: str, child: str, vpage: int, by: str, *, downgrade: bool = True
) -> None:
    """``copy_one_pte`` on a migration entry (the caller holds the parent's PTL): a WRITE
    entry of a COW mapping becomes READ in the parent and in the child (Dickins' fix of
    R9; ``downgrade`` False is the code before it, where both stay WRITE), and no page
    reference is taken (the migrator holds the page)."""
    pte = k.pte(parent, vpage)
    assert isinstance(pte, PteMigration)
    if pte.write and downgrade:
        pte = PteMigration(pte.pfn, write=False)
        k.set_pte(parent, vpage, pte, by)
    k.install_pte(child, vpage, pte)
