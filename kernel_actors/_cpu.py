"""The CPU actor: runs one task's program and the kernel paths on its behalf.

Program steps (any object shaped like :class:`ProgramStep`): read/write a virtual page
(through its :class:`FaultPath`), a write through a GUP pin (``gup_write``), mlock/munlock
(``mlock_fixup``), fork (``copy_pte_range``: copy the address space with COW), exit
(``zap_pte_range``: drop every pte), sleep.  The locks and scheduling points are the
CPU's :class:`KernelOps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from actors import Access, Actor, writes
from kernel_actors._context import MIGCACHE, SWAP, KernelContext, alloc_key, page_key, pte_key
from kernel_actors._fault import FaultPath
from kernel_actors._gup import gup_write
from kernel_actors._messages import Forked
from kernel_actors._migcache import reap_unused_entry
from kernel_actors._mlockwalk import mlock_vma_page_range
from kernel_actors._ops import KernelOps
from kernel_actors._swapless import copy_migration_pte
from kernel_model import (
    HOLDER_MAP,
    PTE_NONE,
    Page,
    Pte,
    PteMigCache,
    PteMigration,
    PtePresent,
    PteSwap,
    delete_from_swap_cache,
    lookup,
    migration_remove_reference,
    swap_duplicate,
    swap_free,
)


class ProgramStep(Protocol):
    """One step of a task's program (``migsim.TaskStep`` has this shape)."""

    @property
    def op(self) -> str:
        """read, write, gup_write, mlock, munlock, fork, exit or sleep."""

    @property
    def page(self) -> int | None:
        """The virtual page of read/write/gup_write/mlock/munlock (None: all, for
        mlock/munlock)."""

    @property
    def expect(self) -> int | None:
        """For read: the version the read must see."""

    @property
    def ticks(self) -> int | None:
        """For sleep: virtual time to wait."""

    @property
    def child(self) -> str | None:
        """For fork: the name of the child address space."""


class CpuActor(Actor):
    """Task ``task`` of address space ``mm``, running ``program`` on a CPU of ``node``.

    ``forked_child`` is set for tasks of an mm created by a fork: they wait for the
    :class:`Forked` message before running.  ``children`` are the actors to notify when
    this task forks.
    """

    def __init__(
        self,
        name: str,
        ctx: KernelContext,
        mm: str,
        program: Sequence[ProgramStep],
        *,
        node: int = 0,
        forked_child: bool = False,
    ) -> None:
        super().__init__(name)
        self.ctx = ctx
        self.k = ctx.kernel
        self.ops = KernelOps(self, ctx)
        self.fault = FaultPath(self.ops, node)
        self.at = self.ops.at
        self.mm = mm
        self.program = tuple(program)
        self.node = node
        self.forked_child = forked_child
        self.children: dict[str, list[Actor]] = {}
        self._deferred: list[Page] = []

    async def run(self) -> None:
        """Run the program step by step."""
        if self.forked_child:
            await self.receive(Forked)
        for step in self.program:
            if await self._run_step(step):
                return

    async def _run_step(self, step: ProgramStep) -> bool:
        """One program step, holding ``mmap_sem`` as 2.6.16 does: a fault for read
        (``do_page_fault`` calls ``handle_mm_fault`` under ``down_read``); mlock/munlock
        (``sys_mlock``), fork (``dup_mmap``) and exit (``exit_mmap``, or ``munmap`` of
        everything: a thread may still share the mm) for write."""
        op = step.op
        if op in ("read", "write"):
            assert step.page is not None
            await self.ops.down_read(self.mm)
            await self.fault.access(self.mm, step.page, op == "write")
            await self.ops.up_read(self.mm)
            if op == "read" and step.expect is not None:
                self._check_expect(step.page, step.expect)
        elif op == "gup_write":
            assert step.page is not None
            await gup_write(self.ops, self.fault, self.mm, step.page)
        elif op in ("mlock", "munlock"):
            await self.ops.down_write(self.mm)
            await self._mlock(step.page, op == "mlock")
            await self.ops.up_write(self.mm)
        elif op == "fork":
            assert step.child is not None
            await self.ops.down_write(self.mm)
            await self._fork(step.child)
            await self.ops.up_write(self.mm)
        elif op == "exit":
            await self.ops.down_write(self.mm)
            await self._zap_all()
            await self.ops.up_write(self.mm)
            return True
        elif op == "sleep":
            await self.sleep(step.ticks or 1)
        return False

    def _check_expect(self, vpage: int, version: int) -> None:
        got = self.k.expected.get((self.mm, vpage))
        if got is None or got[1] != version:
            self.k.report(
                "D1",
                f"{self.name}: read of {self.mm}:{vpage} expected version "
                f"{version}, the page holds {got}",
                f"{self.mm}:{vpage}",
            )

    # -- mlock --------------------------------------------------------------------------
    async def _mlock(self, page: int | None, lock: bool) -> None:
        """``mlock_fixup`` page by page (``page`` None: the whole mm): set or clear
        VM_LOCKED, mark a present page, and fault a missing one in (``make_pages_present``)."""
        space = self.k.mms[self.mm]
        vpages = range(space.npages) if page is None else (page,)
        for vpage in vpages:
            if self.ctx.era.mlock_count:  # 6.1: counted, with the VM_IO walk
                await mlock_vma_page_range(self.ops, self.fault, self.mm, vpage, lock)
                continue
            await self.at("mlock_fixup", pte_key(self.mm, vpage))
            space.vm_locked[vpage] = lock
            pte = space.ptes[vpage]
            if isinstance(pte, PtePresent) and self.ctx.era.pg_mlocked:
                await self.at("mlock page", page_key(pte.pfn))  # mlock_vma_page, 2.6.28+
                self.k.pages[pte.pfn].mlocked = lock
                self.k.touch_page(pte.pfn)
            elif lock:
                await self.fault.access(self.mm, vpage, False)  # __mm_populate

    # -- fork ---------------------------------------------------------------------------
    async def _fork(self, child: str) -> None:
        """``dup_mmap`` (the caller holds the parent's mmap_sem for write) ->
        ``copy_page_range`` -> ``copy_pte_range``: one step per page table under the
        parent's PTL; present ptes turn read-only in both mms (COW), cache ptes are
        duplicated (``swap_duplicate``).  Then the child's tasks may run.

        ``dup_mmap`` also holds the *child's* mmap_sem for write; nobody can see the
        child yet, so that acquisition never waits and is taken without a step."""
        parent = self.k.mms[self.mm]
        target = self.k.mms[child]
        target.mmap_sem.try_acquire(self.name, write=True)
        anon_vma = self.k.anon_vma_of(self.mm)
        await self.ops.lock_anon_vma(anon_vma)
        # At the head of the list (2.6.16 list_add) or at the tail (R8's guard).
        self.k.anon_vma_link(child, self.mm, tail=self.ctx.era.anon_vma_tail)
        await self.ops.unlock_anon_vma(anon_vma)
        for table in range(parent.ntables):
            vpages = parent.table_range(table)
            if not len(vpages):
                continue
            await self.ops.lock_ptl(self.mm, vpages[0])
            await self.at(
                "copy_pte_range",
                *(pte_key(self.mm, v) for v in vpages),
                *self._pages_of(vpages),
                writes(*SWAP),
                writes(*MIGCACHE),
            )
            for vpage in vpages:
                self._copy_one(vpage, child)
            await self.ops.unlock_ptl(self.mm, vpages[0])
        target.alive = True
        target.mmap_sem.release(self.name, write=True)
        for actor in self.children.get(child, ()):
            await self.send(actor, Forked(child))

    def _pages_of(self, vpages: range) -> list[Access]:
        ptes = self.k.mms[self.mm].ptes
        return [page_key(p.pfn) for p in (ptes[v] for v in vpages) if isinstance(p, PtePresent)]

    def _copy_one(self, vpage: int, child: str) -> None:
        k = self.k
        pte = k.pte(self.mm, vpage)
        if isinstance(pte, PtePresent):
            shared = PtePresent(pte.pfn, writable=False, dirty=pte.dirty)
            if pte.writable:
                k.set_pte(self.mm, vpage, shared, self.name)
            page = k.pages[pte.pfn]
            k.add_rmap(page)
            k.get_page(page, HOLDER_MAP)
            k.install_pte(child, vpage, shared)
        elif isinstance(pte, PteSwap | PteMigCache):
            swap_duplicate(k, pte.entry)
            k.install_pte(child, vpage, pte)
        elif isinstance(pte, PteMigration):
            downgrade = self.ctx.era.fork_downgrades_migration
            copy_migration_pte(k, self.mm, child, vpage, self.name, downgrade=downgrade)
        else:
            return
        content = k.expected.get((self.mm, vpage))
        if content is not None:
            k.expected[(child, vpage)] = content

    # -- exit ---------------------------------------------------------------------------
    async def _zap_all(self) -> None:
        """``exit_mmap`` -> ``zap_pte_range``: each page table under its PTL; counter-0
        migration entries left behind are reaped once the PTL is dropped; then
        ``free_pgtables`` unlinks the vma from its anon_vma (under the anon_vma lock)."""
        space = self.k.mms[self.mm]
        for table in range(space.ntables):
            vpages = space.table_range(table)
            if not len(vpages):
                continue
            await self.ops.lock_ptl(self.mm, vpages[0])
            for vpage in vpages:
                await self._zap_one(vpage)
            await self.ops.unlock_ptl(self.mm, vpages[0])
            await self._reap_deferred()
        space.alive = False
        # free_pgtables -> anon_vma_unlink: the vma leaves its anon_vma's list.
        anon_vma = self.k.anon_vma_of(self.mm)
        await self.ops.lock_anon_vma(anon_vma)
        anon_vma.unlink(self.mm)
        await self.ops.unlock_anon_vma(anon_vma)

    async def _reap_deferred(self) -> None:
        """Outside the PTL, lock each page whose entry reached counter 0 and detach it."""
        while self._deferred:
            page = self._deferred.pop(0)
            await self.ops.lock_page(page)
            await self.at(
                "detach unused entry", page_key(page.pfn), writes(*MIGCACHE), alloc_key(page.nid)
            )
            reap_unused_entry(self.ops, page)
            await self.ops.unlock_page(page)

    async def _zap_one(self, vpage: int) -> None:
        k = self.k
        pte: Pte = k.pte(self.mm, vpage)
        if isinstance(pte, PtePresent):
            await self.at(
                "zap present pte",
                pte_key(self.mm, vpage),
                page_key(pte.pfn),
                alloc_key(k.pages[pte.pfn].nid),
            )
            page = k.pages[pte.pfn]
            k.set_pte(self.mm, vpage, PTE_NONE, self.name)
            k.remove_rmap(page)
            k.put_page(page, HOLDER_MAP)
        elif isinstance(pte, PteMigCache):
            await self._zap_migcache(vpage, pte)
        elif isinstance(pte, PteSwap):
            await self._zap_swap(vpage, pte)
        elif isinstance(pte, PteMigration):
            # 2.6.18+: only rss drops; the migrator holds the page and its walk finds
            # no pte here any more.
            await self.at("zap migration entry", pte_key(self.mm, vpage))
            k.set_pte(self.mm, vpage, PTE_NONE, self.name)
        k.expected.pop((self.mm, vpage), None)

    async def _zap_migcache(self, vpage: int, pte: PteMigCache) -> None:
        """Drop a migration-cache pte.  [V8 as posted] ``migration_remove_entry`` sleeps in
        lock_page under the PTL (R15); the corrected code counts down, and only a successful
        trylock may detach a counter-0 entry (else the lock holder cleans it up)."""
        k = self.k
        if self.ctx.era.posted_v8:
            await self.at("lookup for migration_remove_entry", writes(*MIGCACHE))
            page = lookup(k, pte.entry)
            if page is not None:
                await self.ops.lock_page(page)  # K1 when contended: we hold the PTL
            await self.at("zap migration-cache pte", pte_key(self.mm, vpage), writes(*MIGCACHE))
            k.set_pte(self.mm, vpage, PTE_NONE, self.name)
            migration_remove_reference(k, pte.entry)
            if page is not None:
                await self.ops.unlock_page(page)
            return
        await self.at("zap migration-cache pte", pte_key(self.mm, vpage), writes(*MIGCACHE))
        k.set_pte(self.mm, vpage, PTE_NONE, self.name)
        migration_remove_reference(k, pte.entry, detach=False)
        page = lookup(k, pte.entry)
        if k.migcache.counters.get(pte.entry.offset) == 0 and page is not None:
            self._deferred.append(page)

    async def _zap_swap(self, vpage: int, pte: PteSwap) -> None:
        """``free_swap_and_cache``: drop the slot; trylock the cached page to free it too."""
        k = self.k
        await self.at("zap swap pte", pte_key(self.mm, vpage), writes(*SWAP))
        k.set_pte(self.mm, vpage, PTE_NONE, self.name)
        swap_free(k, pte.entry)
        page = lookup(k, pte.entry)
        if page is None or k.swap.swap_map[pte.entry.offset] != 1:
            return
        if await self.ops.trylock_page(page):
            await self.at("free swap cache", page_key(page.pfn), writes(*SWAP))
            if (
                page.private == pte.entry
                and k.swap.swap_map[pte.entry.offset] == 1
                and not page.writeback
                and page.mapcount == 0
            ):
                delete_from_swap_cache(k, page)
            await self.ops.unlock_page(page)
