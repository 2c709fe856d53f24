"""The invariant monitor: kernel_model's checks, seen by the runtime as a monitor."""

from __future__ import annotations

from collections.abc import Hashable

from actors import Violation
from kernel_model import Finding, Kernel, check_quiescence, check_step


def _violation(found: Finding | None) -> Violation | None:
    if found is None:
        return None
    return Violation(found.code, found.message, found.objects)


class InvariantMonitor:
    """Checks the objects each step touched (on_step), Q1-Q4 at quiescence, and K3 (hot)."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def on_step(self, step_index: int, actor: str) -> Violation | None:
        """The first invariant the step broke (flat cost: only touched objects)."""
        return _violation(check_step(self.kernel))

    def on_quiescence(self) -> Violation | None:
        """Q1-Q4 over the whole final state."""
        return _violation(check_step(self.kernel) or check_quiescence(self.kernel))

    def hot(self) -> str | None:
        """K3: a fault still in progress when the run ends."""
        faults = self.kernel.faults
        if not faults:
            return None
        return "K3: faults not completed: " + ", ".join(f"{a} ({w})" for a, w in faults.items())

    def state_key(self) -> Hashable:
        """The final state: every pte, and each page's refcount, content and cache key."""
        k = self.kernel
        ptes = tuple((name, tuple(map(str, mm.ptes))) for name, mm in k.mms.items())
        pages = tuple((p.pfn, p.refcount, p.content, str(p.private)) for p in k.pages if not p.free)
        return (ptes, pages, tuple(k.swap.swap_map))
