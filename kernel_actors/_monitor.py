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
    """Checks the objects each step touched (on_step), Q1-Q4 at quiescence, K3/K4 (hot)."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def on_step(self, step_index: int, actor: str) -> Violation | None:
        """The first invariant the step broke (flat cost: only touched objects)."""
        return _violation(check_step(self.kernel))

    def on_quiescence(self) -> Violation | None:
        """Q1-Q4 over the whole final state."""
        return _violation(check_step(self.kernel) or check_quiescence(self.kernel))

    def hot(self) -> Violation | None:
        """K3/K4: a fault or a migration still in progress when the run ends."""
        faults = self.kernel.faults
        if faults:
            pending = ", ".join(f"{a} ({w})" for a, w in faults.items())
            return Violation("K3", f"faults not completed: {pending}", tuple(faults))
        migrations = self.kernel.migrations
        if migrations:
            pending = ", ".join(migrations.values())
            return Violation("K4", f"migrations not ended: {pending}", tuple(migrations))
        return None

    def state_key(self) -> Hashable:
        """The final state of every object the run touched (cost: what the run touched)."""
        k = self.kernel
        items: list[tuple[object, ...]] = []
        for key in sorted(k.touched, key=repr):
            kind = key[0]
            if kind == "page":
                p = k.pages[key[1]]  # type: ignore[index]
                items.append((key, p.free, p.refcount, p.content, str(p.private)))
            elif kind == "pte":
                items.append((key, str(k.pte(key[1], key[2]))))  # type: ignore[arg-type, misc]
            elif kind == "slot":
                items.append((key, k.swap.swap_map[key[1]]))  # type: ignore[index]
            else:
                items.append((key, k.migcache.counters.get(key[1])))  # type: ignore[arg-type]
        return tuple(items)
