"""kernel_actors: the simulated kernel's actors, on the runtime's public API only.

One :class:`CpuActor` per task (its program, and the fault path on its behalf), the
:class:`MigrationDaemon` (eager and lazy), :class:`Kswapd`, :class:`Swapoff`, one
:class:`PtlActor` per page-table page, the :class:`PageLockActor` shards, the
:class:`InvariantMonitor` that wraps kernel_model's checks, and the :class:`KernelProbe`
that shows a report the values each step read and wrote.  They share a
:class:`KernelContext` (the model, the kernel era, the policies in force) and call the
same kernel code paths through a :class:`KernelOps` each.  ``migsim._world.build_program``
wires them from a scenario.
"""

from __future__ import annotations

from kernel_actors._ask import ask
from kernel_actors._context import PTL_SHARDS, KernelContext, KernelPolicies
from kernel_actors._cpu import CpuActor, ProgramStep
from kernel_actors._fault import FaultPath
from kernel_actors._kswapd import Kswapd
from kernel_actors._locks import LockActor, PageLockActor, PtlActor
from kernel_actors._messages import Forked, Granted, Handoff, Wait
from kernel_actors._migrate import MigrationDaemon
from kernel_actors._monitor import InvariantMonitor
from kernel_actors._ops import KernelOps
from kernel_actors._probe import (
    CacheEntryValue,
    CacheValue,
    KernelProbe,
    LockValue,
    PageValue,
    PteValue,
)
from kernel_actors._swapoff import Swapoff
from kernel_actors._user_monitor import UserInvariantMonitor

__all__ = [
    "PTL_SHARDS",
    "CacheEntryValue",
    "CacheValue",
    "CpuActor",
    "FaultPath",
    "Forked",
    "Granted",
    "Handoff",
    "InvariantMonitor",
    "KernelContext",
    "KernelOps",
    "KernelPolicies",
    "KernelProbe",
    "Kswapd",
    "LockActor",
    "LockValue",
    "MigrationDaemon",
    "PageLockActor",
    "PageValue",
    "ProgramStep",
    "PteValue",
    "PtlActor",
    "Swapoff",
    "UserInvariantMonitor",
    "Wait",
    "ask",
]
