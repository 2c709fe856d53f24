"""Lock actors: one PTL per page-table page, and the page lock (PG_locked) of every page.

Both are daemons with FIFO waiters.  They record lock state in the shared model so that the
invariant monitor can see it: a pte write by somebody who does not hold its PTL, an unlock
by a non-holder (K2), and a *blocking* lock_page by an actor holding a PTL (K1, the
"sleeping under a spinlock" of R15).
"""

from __future__ import annotations

from collections import deque

from actors import Actor, Envelope
from actors.kernel._messages import GRANTED, REFUSED, LockPage, LockPtl, UnlockPage, UnlockPtl
from kernel_model import Kernel, ptl_name


class PtlActor(Actor):
    """The split page-table lock of page-table page ``table`` of ``mm``."""

    def __init__(self, kernel: Kernel, mm: str, table: int) -> None:
        super().__init__(ptl_name(mm, table), daemon=True)
        self.kernel = kernel
        self.mm = mm
        self.table = table

    async def run(self) -> None:
        """Serve LockPtl / UnlockPtl forever."""
        holder: str | None = None
        waiters: deque[Envelope] = deque()
        while True:
            env = await self.receive(LockPtl, UnlockPtl)
            if isinstance(env.msg, LockPtl):
                if holder is None:
                    holder = env.sender.name
                    self.kernel.ptl_acquired(self.mm, self.table, holder)
                    await self.reply(env, GRANTED)
                else:
                    waiters.append(env)
                continue
            if env.sender.name != holder:
                self.kernel.report(
                    "K2", f"{env.sender.name} unlocked {self.name} held by {holder}", self.name
                )
                continue
            holder = None  # the model already saw the release (in the unlocker's step)
            if waiters:
                nxt = waiters.popleft()
                holder = nxt.sender.name
                self.kernel.ptl_acquired(self.mm, self.table, holder)
                await self.reply(nxt, GRANTED)


class PageLockActor(Actor):
    """PG_locked for every page: lock_page, trylock_page, unlock_page with FIFO waiters."""

    def __init__(self, kernel: Kernel) -> None:
        super().__init__("pagelock", daemon=True)
        self.kernel = kernel

    async def run(self) -> None:
        """Serve LockPage / UnlockPage forever."""
        waiters: dict[int, deque[Envelope]] = {}
        pages = self.kernel.pages
        while True:
            env = await self.receive(LockPage, UnlockPage)
            msg = env.msg
            who = env.sender.name
            if isinstance(msg, LockPage):
                page = pages[msg.pfn]
                if page.locked_by is None:
                    page.locked_by = who
                    self.kernel.touch_page(msg.pfn)
                    await self.reply(env, GRANTED)
                elif msg.trylock:
                    await self.reply(env, REFUSED)
                else:
                    if self.kernel.holds_ptl(who):
                        self.kernel.report(
                            "K1",
                            f"{who} sleeps in lock_page({msg.pfn}) (held by {page.locked_by}) "
                            f"while holding PTL {', '.join(self.kernel.held_ptls[who])}",
                            who,
                            f"page:{msg.pfn}",
                        )
                    waiters.setdefault(msg.pfn, deque()).append(env)
                continue
            assert isinstance(msg, UnlockPage)
            await self._unlock(msg.pfn, who, waiters)

    async def _unlock(self, pfn: int, who: str, waiters: dict[int, deque[Envelope]]) -> None:
        page = self.kernel.pages[pfn]
        if page.locked_by != who:
            self.kernel.report(
                "K2", f"{who} unlocked page {pfn} held by {page.locked_by}", f"page:{pfn}"
            )
            return
        queue = waiters.get(pfn)
        self.kernel.touch_page(pfn)
        if queue:
            nxt = queue.popleft()
            if not queue:
                del waiters[pfn]
            page.locked_by = nxt.sender.name
            await self.reply(nxt, GRANTED)
        else:
            page.locked_by = None
