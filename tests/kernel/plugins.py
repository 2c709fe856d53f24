"""Policies that misbehave at run time, named as ``module:attr`` by test_policy_failures."""

from __future__ import annotations

import attrs

from kernel_model import FaultView


@attrs.frozen
class RaisingRetry:
    """A fault-retry policy whose on_miss raises."""

    name: str = "raising"
    kind: str = "fault_retry"
    pte_same: bool = True

    def on_miss(self, fault: FaultView) -> str:
        """Raise, as a buggy plugin would."""
        raise RuntimeError(f"cannot decide for {fault.entry}")

    def after_lock(self, fault: FaultView) -> str:
        """Proceed."""
        return "proceed"


@attrs.frozen
class GarbageRetry(RaisingRetry):
    """A fault-retry policy whose on_miss answers something that is not a decision."""

    name: str = "garbage"

    def on_miss(self, fault: FaultView) -> str:
        """Answer nonsense."""
        return "panic"


RAISING = RaisingRetry()
GARBAGE = GarbageRetry()
