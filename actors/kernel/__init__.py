"""actors.kernel: the simulated kernel's actors, on the public runtime API only.

CPUs (task programs and the fault path), one PTL actor per page-table page, the page lock,
the migration daemon (eager and lazy), kswapd, and the invariant monitor that wraps
kernel_model's checks.  ``migsim._world.build_program`` wires them from a scenario.
"""

from __future__ import annotations

from actors.kernel._context import KernelContext, KernelPolicies, consult
from actors.kernel._cpu import CpuActor
from actors.kernel._kswapd import Kswapd
from actors.kernel._locks import PageLockActor, PtlActor
from actors.kernel._messages import Forked, Granted, LockPage, LockPtl, UnlockPage, UnlockPtl
from actors.kernel._migrate import MigrationDaemon
from actors.kernel._monitor import InvariantMonitor

__all__ = [
    "CpuActor",
    "Forked",
    "Granted",
    "InvariantMonitor",
    "KernelContext",
    "KernelPolicies",
    "Kswapd",
    "LockPage",
    "LockPtl",
    "MigrationDaemon",
    "PageLockActor",
    "PtlActor",
    "UnlockPage",
    "UnlockPtl",
    "consult",
]
