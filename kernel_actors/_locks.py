"""Lock actors: one per page-table lock (PTL), and page-lock (PG_locked) shards.

Locks work like futexes.  The lock word lives in the model (``Mm.ptl_holder``,
``Page.locked_by``) with a FIFO queue of waiters (``Kernel.lock_waiters``): an uncontended
lock or unlock is one step on the lock's key, with no message at all.  A contended
``lock`` queues the caller in the same step and then sleeps in a :class:`Wait` call to the
lock's actor; the unlocker hands the lock to the first waiter in the model and sends a
:class:`Handoff` to the actor, which wakes that waiter.  So the lock actors are the
wait queues: daemons that own the sleeping and the FIFO wake-ups.
"""

from __future__ import annotations

from actors import Actor, Envelope
from kernel_actors._messages import Granted, Handoff, Wait
from kernel_model import ptl_name


class LockActor(Actor):
    """The wait queue of one or more locks: pairs each Wait with its Handoff, in any order."""

    def __init__(self, name: str) -> None:
        super().__init__(name, daemon=True)

    async def run(self) -> None:
        """Serve Wait / Handoff forever."""
        waiting: dict[tuple[str, str], Envelope] = {}
        handed: dict[tuple[str, str], None] = {}
        while True:
            env = await self.receive(Wait, Handoff)
            msg = env.msg
            if isinstance(msg, Wait):
                key = (msg.lock, env.sender.name)
                if key in handed:
                    del handed[key]
                    await self.reply(env, Granted(msg.lock))
                else:
                    waiting[key] = env
                continue
            assert isinstance(msg, Handoff)
            key = (msg.lock, msg.to)
            request = waiting.pop(key, None)
            if request is None:
                handed[key] = None
            else:
                await self.reply(request, Granted(msg.lock))


class PtlActor(LockActor):
    """The wait queue of the PTL of page-table page ``table`` of ``mm`` (and of the tables
    that hash onto it on machines with more than ``PTL_SHARDS`` tables per mm).  The
    actor of table 0 also queues the waiters of the mm's ``mmap_sem`` and of the anon_vma
    lock of the anon_vma the mm created: a lock actor pairs waits and handoffs by lock
    name, so sharing it costs no extra actor per mm."""

    def __init__(self, mm: str, table: int) -> None:
        super().__init__(ptl_name(mm, table))
        self.mm = mm
        self.table = table


class PageLockActor(LockActor):
    """The wait queue of PG_locked for the pages of shard ``shard``."""

    def __init__(self, shard: int = 0) -> None:
        super().__init__(f"pagelock:{shard}")
