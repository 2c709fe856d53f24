"""The built-in policies (kernel-domain §5), each with the kernel or proposal it models."""

from __future__ import annotations

from typing import ClassVar

import attrs

from kernel_model import FaultView, PageView
from policies._protocols import (
    API_VERSION,
    KIND_FALLBACK,
    KIND_FAULT_RETRY,
    KIND_MLOCKED,
    FallbackReason,
    LockedAction,
    MissAction,
)


@attrs.frozen
class Fallback:
    """Fallback to swap: ``always`` / ``never`` / ``vmscan-only`` / ``not-mlocked``.

    - always: 2.6.16 direct migration (swap is the last resort, and reclaim moves
      migration-cache pages to swap).
    - never: 2.6.18 swapless (no cache-to-swap transition; reclaim skips such pages).
    - vmscan-only: Lee's reply of Feb 2006 (reclaim may move them, migration may not).
    - not-mlocked: Christoph's constraint (never for pages of a VM_LOCKED vma).

    The code around the decision (V8 as posted, the 2005 hotplug code) is the kernel era.
    """

    name: str
    mode: str
    kind: str = KIND_FALLBACK
    api_version: ClassVar[int] = API_VERSION

    def fallback(self, page: PageView, reason: FallbackReason) -> bool:
        """True to move ``page`` from the migration cache to swap."""
        if self.mode == "always":
            return True
        if self.mode == "vmscan-only":
            return reason == "vmscan"
        if self.mode == "not-mlocked":
            return not page.mlocked
        return False


@attrs.frozen
class Mlocked:
    """mlocked pages: ``refuse`` (2.6.16 -EPERM) or ``migrate`` (2.6.18+)."""

    name: str
    allow: bool
    kind: str = KIND_MLOCKED
    api_version: ClassVar[int] = API_VERSION

    def may_migrate(self, page: PageView) -> bool:
        """True to migrate ``page`` even when a VM_LOCKED vma maps it."""
        return self.allow or not page.vm_locked


@attrs.frozen
class FaultRetry:
    """Fault revalidation after the unlocked pte read.

    - none: the 2004 prototype: a miss is OOM (a hit is still checked with pte_same).
    - no-pte-same: a strawman without any revalidation of a hit (no pte_same, no
      private check): what the unlocked read would give without the PTL recheck (R6, R20).
    - pte-same: classic do_swap_page, recheck under the PTL only (Christoph's answer).
    - pte-same+private: also PG_swapcache and private == entry after lock_page
      (mainline since 2010; Lee's proposal).
    - eagain-refetch: Lee's -EAGAIN: a miss or a private mismatch refetches the pte.
    - swapcache-goto: 2.6.15-16: !PG_swapcache after lock_page looks the same (stale)
      entry up again, then pte_same (R6).
    - pte-same+relookup, pte-same+private+relookup: a miss takes the PTL, and when the
      pte still names the entry looks it up again under the PTL: a pte that names an
      entry keeps it alive, so a hit means the entry was freed and handed out again
      (R21) and the fault is redone; only a second miss is OOM.
    """

    name: str
    miss: MissAction
    private_check: LockedAction | None
    goto_again: bool = False
    pte_same: bool = True
    kind: str = KIND_FAULT_RETRY
    api_version: ClassVar[int] = API_VERSION

    def on_miss(self, fault: FaultView) -> MissAction:
        """What to do when the cache lookup missed."""
        return self.miss

    def after_lock(self, fault: FaultView) -> LockedAction:
        """What to do once the page found is locked."""
        page = fault.page
        if page is None:
            return "retry"
        if self.goto_again and not page.swapcache:
            return "goto-again"
        if self.private_check is not None and not (page.swapcache and page.private == fault.entry):
            return self.private_check
        return "proceed"


FALLBACK_MODES: tuple[str, ...] = ("always", "never", "vmscan-only", "not-mlocked")

BUILTIN_FALLBACKS: dict[str, Fallback] = {mode: Fallback(mode, mode) for mode in FALLBACK_MODES}
"""The built-in fallback_to_swap policies, by name."""

BUILTIN_MLOCKED: dict[str, Mlocked] = {
    "refuse": Mlocked("refuse", False),
    "migrate": Mlocked("migrate", True),
}
"""The built-in mlocked policies, by name."""

BUILTIN_FAULT_RETRIES: dict[str, FaultRetry] = {
    "none": FaultRetry("none", "oom", None),
    "no-pte-same": FaultRetry("no-pte-same", "recheck", None, pte_same=False),
    "pte-same": FaultRetry("pte-same", "recheck", None),
    "pte-same+private": FaultRetry("pte-same+private", "recheck", "retry"),
    "eagain-refetch": FaultRetry("eagain-refetch", "refetch", "retry"),
    "swapcache-goto": FaultRetry("swapcache-goto", "recheck", None, goto_again=True),
    "pte-same+relookup": FaultRetry("pte-same+relookup", "relookup", None),
    "pte-same+private+relookup": FaultRetry("pte-same+private+relookup", "relookup", "retry"),
}
"""The built-in fault_retry policies, by name."""
