"""An example migsim plugin: one policy of each kind and one user invariant.

Every decision is a pure function of its view (no state, no clock, no randomness), so a
failure found with these policies replays exactly.  See migsim's docs/policies.md.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from kernel_model import FaultView, KernelView, PageView
from policies import API_VERSION, FallbackReason, LockedAction, MissAction


@attrs.frozen
class BoundedRetry:
    """Fault retry: mainline's checks, and a miss looked up again at most ``limit`` times.

    A miss takes the PTL and looks the entry up again (``relookup``) on the first
    ``limit`` attempts of the access, then gives up (OOM): a bounded-retry rule written
    with ``FaultView.attempt``.
    """

    name: str = "example-bounded-retry"
    limit: int = 2
    kind: ClassVar[str] = "fault_retry"
    api_version: ClassVar[int] = API_VERSION
    pte_same: ClassVar[bool] = True

    def on_miss(self, fault: FaultView) -> MissAction:
        """Relookup while attempts remain, then OOM."""
        return "relookup" if fault.attempt < self.limit else "oom"

    def after_lock(self, fault: FaultView) -> LockedAction:
        """Proceed only with the page the entry still names (PG_swapcache, private)."""
        page = fault.page
        if page is None or not page.swapcache or page.private != fault.entry:
            return "retry"
        return "proceed"


@attrs.frozen
class CleanFallback:
    """Fallback to swap: only for reclaim, and only for pages that are clean and unlocked."""

    name: str = "example-clean-fallback"
    kind: ClassVar[str] = "fallback_to_swap"
    api_version: ClassVar[int] = API_VERSION

    def fallback(self, page: PageView, reason: FallbackReason) -> bool:
        """True for a clean, unlocked page met by reclaim."""
        return reason == "vmscan" and not page.dirty and not page.mlocked


@attrs.frozen
class MigrateIdle:
    """mlocked pages: migrate a page of a VM_LOCKED vma unless it is under writeback."""

    name: str = "example-migrate-idle"
    kind: ClassVar[str] = "mlocked"
    api_version: ClassVar[int] = API_VERSION

    def may_migrate(self, page: PageView) -> bool:
        """True unless the page is being written out."""
        return not page.writeback


@attrs.frozen
class NoPteMapsAFreePage:
    """User invariant EX1: at the end of a run, no present pte maps a free page."""

    id: str = "EX1"
    meaning: str = "no present pte maps a page on the free lists"
    at: str = "quiescence"
    api_version: ClassVar[int] = API_VERSION

    def check(self, view: KernelView) -> str | None:
        """The first pte that maps a free page, or None."""
        for pte in view.ptes:
            if pte.state == "present" and pte.pfn in view.free:
                return f"{pte.mm}:{pte.vpage} maps free page {pte.pfn}"
        return None


BOUNDED_RETRY = BoundedRetry()
CLEAN_FALLBACK = CleanFallback()
MIGRATE_IDLE = MigrateIdle()
NO_PTE_MAPS_A_FREE_PAGE = NoPteMapsAFreePage()

__all__ = [
    "BOUNDED_RETRY",
    "CLEAN_FALLBACK",
    "MIGRATE_IDLE",
    "NO_PTE_MAPS_A_FREE_PAGE",
    "BoundedRetry",
    "CleanFallback",
    "MigrateIdle",
    "NoPteMapsAFreePage",
]
