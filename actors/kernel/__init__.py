"""actors.kernel: the simulated kernel's actors, on the public runtime API only.

CPUs (task programs and the fault path), one PTL actor per page-table page, the page lock,
the migration daemon (eager and lazy), kswapd, and the invariant monitor that wraps
kernel_model's checks.  ``migsim._world.build_program`` wires them from a scenario.
"""

from __future__ import annotations

from actors.kernel._context import PTL_SHARDS, KernelContext, KernelPolicies, consult
from actors.kernel._cpu import CpuActor
from actors.kernel._kswapd import Kswapd
from actors.kernel._locks import LockActor, PageLockActor, PtlActor
from actors.kernel._messages import Forked, Granted, Handoff, Wait
from actors.kernel._migrate import MigrationDaemon
from actors.kernel._monitor import InvariantMonitor

__all__ = [
    "PTL_SHARDS",
    "CpuActor",
    "Forked",
    "Granted",
    "Handoff",
    "InvariantMonitor",
    "KernelContext",
    "KernelPolicies",
    "Kswapd",
    "LockActor",
    "MigrationDaemon",
    "PageLockActor",
    "PtlActor",
    "Wait",
    "consult",
]
