"""What every kernel code path needs from the actor running it: :class:`KernelOps`.

An actor that runs kernel code owns one ``KernelOps``, bound to itself and the run's
:class:`KernelContext`: its name (the ledger name of its page references and lock
holdings), the model, scheduling points, and the futex-style locks of ``_locks``.  The
fault path, the reverse-map walks and the daemons all call through it, so that one lock
implementation serves every actor.
"""

from __future__ import annotations

from collections import deque

from actors import Access, Actor, writes
from kernel_actors._context import KernelContext, page_key
from kernel_actors._messages import Handoff, Wait
from kernel_model import AnonVma, Page, ptl_name


class KernelOps:
    """The kernel primitives of one actor: scheduling points and locks.

    ``at(label, *footprint)`` is the actor's ``yield_point``: a kernel preemption point
    before code touching ``footprint``.
    """

    def __init__(self, actor: Actor, ctx: KernelContext) -> None:
        self.actor = actor
        self.name = actor.name
        self.ctx = ctx
        self.k = ctx.kernel
        self.at = actor.yield_point

    # -- page-table locks ---------------------------------------------------------------
    async def lock_ptl(self, mm: str, vpage: int) -> None:
        """``pte_offset_map_lock``: take the PTL of ``mm:vpage``'s page-table page."""
        space = self.k.mms[mm]
        table = space.table_of(vpage)
        name = ptl_name(mm, table)
        await self.at(f"spin_lock {name}", writes("lock", name))
        if space.ptl_holder[table] is None:
            self.k.ptl_acquired(mm, table, self.name)
            return
        self.k.lock_waiters.setdefault(name, deque()).append(self.name)
        await self.actor.call(self.ctx.ptl(mm, vpage), Wait(name))

    async def unlock_ptl(self, mm: str, vpage: int) -> None:
        """``pte_unmap_unlock``: hand the PTL to the first waiter, if any."""
        space = self.k.mms[mm]
        table = space.table_of(vpage)
        name = ptl_name(mm, table)
        await self.at(f"spin_unlock {name}", writes("lock", name))
        if space.ptl_holder[table] != self.name:
            self.k.report(
                "K2", f"{self.name} unlocked {name} held by {space.ptl_holder[table]}", name
            )
            return
        self.k.ptl_released(mm, table, self.name)
        nxt = self._next_waiter(name)
        if nxt is not None:
            self.k.ptl_acquired(mm, table, nxt)
            await self.actor.send(self.ctx.ptl(mm, vpage), Handoff(name, nxt))

    # -- anon_vma locks -------------------------------------------------------------------
    async def lock_anon_vma(self, anon_vma: AnonVma, *footprint: Access) -> None:
        """``spin_lock(&anon_vma->lock)``: FIFO waiters, like a PTL.  Its wait queue is the
        lock actor of its root mm (a lock actor pairs waits and handoffs by lock name).
        ``footprint``: what else the locking step reads (``page_lock_anon_vma`` reads
        the page)."""
        name = anon_vma.lock_name
        await self.at(f"spin_lock {name}", writes("lock", name), *footprint)
        if anon_vma.lock_holder is None:
            anon_vma.lock_holder = self.name
            self.k.spin_acquired(self.name, name)
            return
        self.k.lock_waiters.setdefault(name, deque()).append(self.name)
        await self.actor.call(self.ctx.sem(anon_vma.root), Wait(name))
        self.k.spin_acquired(self.name, name)

    async def unlock_anon_vma(self, anon_vma: AnonVma) -> None:
        """``spin_unlock(&anon_vma->lock)``: hand it to the first waiter, if any."""
        name = anon_vma.lock_name
        await self.at(f"spin_unlock {name}", writes("lock", name))
        if anon_vma.lock_holder != self.name:
            self.k.report("K2", f"{self.name} unlocked {name} held by {anon_vma.lock_holder}", name)
            return
        self.k.spin_released(self.name, name)
        nxt = self._next_waiter(name)
        anon_vma.lock_holder = nxt
        if nxt is not None:
            await self.actor.send(self.ctx.sem(anon_vma.root), Handoff(name, nxt))

    # -- page locks ---------------------------------------------------------------------
    async def lock_page(self, page: Page) -> None:
        """``lock_page``: may sleep (K1 if it must sleep while we hold a PTL)."""
        await self._lock_page(page, trylock=False)

    async def trylock_page(self, page: Page) -> bool:
        """``TestSetPageLocked``: never sleeps."""
        return await self._lock_page(page, trylock=True)

    async def _lock_page(self, page: Page, *, trylock: bool) -> bool:
        name = f"page:{page.pfn}"
        await self.at(f"{'trylock' if trylock else 'lock'}_page {page.pfn}", writes("lock", name))
        if page.locked_by is None:
            page.locked_by = self.name
            self.k.pagelock_taken(self.name)
            self.k.touch_page(page.pfn)
            return True
        if trylock:
            return False
        if self.k.holds_ptl(self.name):
            self.k.report(
                "K1",
                f"{self.name} sleeps in lock_page({page.pfn}) (held by {page.locked_by}) "
                f"while holding PTL {', '.join(self.k.held_ptls[self.name])}",
                self.name,
                name,
            )
        self.k.lock_waiters.setdefault(name, deque()).append(self.name)
        await self.actor.call(self.ctx.pagelock(page.pfn), Wait(name))
        self.k.pagelock_taken(self.name)
        return True

    async def unlock_page(self, page: Page) -> None:
        """``unlock_page``: hand PG_locked to the first waiter, if any."""
        name = f"page:{page.pfn}"
        await self.at(f"unlock_page {page.pfn}", writes("lock", name))
        if page.locked_by != self.name:
            self.k.report(
                "K2", f"{self.name} unlocked page {page.pfn} held by {page.locked_by}", name
            )
            return
        self.k.touch_page(page.pfn)
        self.k.pagelock_dropped(self.name)
        nxt = self._next_waiter(name)
        page.locked_by = nxt
        if nxt is not None:
            await self.actor.send(self.ctx.pagelock(page.pfn), Handoff(name, nxt))

    async def unlock_and_put(self, page: Page, holder: str) -> None:
        """``unlock_page`` then ``put_page``: in this order, because the put may free the
        page, and a freed page may be allocated (and locked) by somebody else at once."""
        await self.unlock_page(page)
        await self.at(f"put_page {page.pfn}", page_key(page.pfn), writes("alloc", page.nid))
        self.k.put_page(page, holder)

    def own_new_page_lock(self, page: Page) -> None:
        """Lock a page nobody else can see yet (fresh allocation): no message needed."""
        page.locked_by = self.name
        self.k.pagelock_taken(self.name)
        self.k.touch_page(page.pfn)

    # -- mmap_sem -----------------------------------------------------------------------
    async def down_read(self, mm: str) -> None:
        """``down_read(&mm->mmap_sem)``: shared with other readers; sleeps behind a writer
        that holds it or waits for it (FIFO)."""
        await self._down(mm, write=False)

    async def down_write(self, mm: str) -> None:
        """``down_write(&mm->mmap_sem)``: exclusive; sleeps until every holder is gone."""
        await self._down(mm, write=True)

    async def up_read(self, mm: str) -> None:
        """``up_read``: the last reader out hands the semaphore to the waiters."""
        await self._up(mm, write=False)

    async def up_write(self, mm: str) -> None:
        """``up_write``: hand the semaphore to the first writer or the leading readers."""
        await self._up(mm, write=True)

    async def _down(self, mm: str, *, write: bool) -> None:
        sem = self.k.mms[mm].mmap_sem
        how = "down_write" if write else "down_read"
        await self.at(f"{how} {sem.name}", writes("lock", sem.name))
        self._check_sem_order(sem.name, sem.holds(self.name))
        if sem.try_acquire(self.name, write=write):
            return
        await self.actor.call(self.ctx.sem(mm), Wait(sem.name))

    async def _up(self, mm: str, *, write: bool) -> None:
        sem = self.k.mms[mm].mmap_sem
        await self.at(f"{'up_write' if write else 'up_read'} {sem.name}", writes("lock", sem.name))
        woken = sem.release(self.name, write=write)
        if woken is None:
            self.k.report("K2", f"{self.name} released {sem.describe()} it does not hold", sem.name)
            return
        for actor in woken:
            await self.actor.send(self.ctx.sem(mm), Handoff(sem.name, actor))

    def _check_sem_order(self, name: str, recursive: bool) -> None:
        """K5 (lockdep's view): mmap_sem comes before every page lock and spinlock, and a
        task never takes it twice (a second down_read deadlocks behind a waiting writer)."""
        k = self.k
        held = [*k.held_ptls.get(self.name, ())]
        if k.holds_pagelock(self.name):
            held.append("a page lock")
        if recursive:
            held.append(name)
        if held:
            k.report(
                "K5",
                f"{self.name} takes {name} while holding {', '.join(held)} "
                "(lock order: mmap_sem, then page lock, then spinlocks)",
                self.name,
                name,
            )

    def _next_waiter(self, name: str) -> str | None:
        queue = self.k.lock_waiters.get(name)
        if not queue:
            return None
        nxt = queue.popleft()
        if not queue:
            del self.k.lock_waiters[name]
        return nxt
