"""Policies that misbehave at run time, named as ``module:attr`` by test_policy_failures."""

from __future__ import annotations

import time

import attrs

from kernel_model import FaultView, PageView


@attrs.frozen
class RaisingRetry:
    """A fault-retry policy whose on_miss raises."""

    name: str = "raising"
    kind: str = "fault_retry"
    pte_same: bool = True
    api_version: int = 1

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


@attrs.frozen
class LoopingRetry(RaisingRetry):
    """A fault-retry policy whose on_miss never returns (and swallows what it can)."""

    name: str = "looping"

    def on_miss(self, fault: FaultView) -> str:
        """Loop forever, as a buggy plugin would."""
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a plugin's own error handling must not defeat the budget
                continue


@attrs.frozen
class SlowRetry(RaisingRetry):
    """A fault-retry policy that answers right, but slowly."""

    name: str = "slow"
    delay_s: float = 0.02

    def on_miss(self, fault: FaultView) -> str:
        """Take ``delay_s``, then recheck under the PTL."""
        time.sleep(self.delay_s)
        return "recheck"


@attrs.define
class CountingRetry:
    """An impure fault-retry policy: its answer depends on how often it was asked."""

    name: str = "counting"
    kind: str = "fault_retry"
    pte_same: bool = True
    api_version: int = 1
    calls: int = 0

    def on_miss(self, fault: FaultView) -> str:
        """OOM on odd calls, recheck on even ones."""
        self.calls += 1
        return "oom" if self.calls % 2 else "recheck"

    def after_lock(self, fault: FaultView) -> str:
        """Proceed."""
        return "proceed"


@attrs.frozen
class IntFallback:
    """A fallback policy that answers ``1`` (truthy, but not a bool)."""

    name: str = "int-fallback"
    kind: str = "fallback_to_swap"
    api_version: int = 1

    def fallback(self, page: PageView, reason: str) -> bool:
        """Answer 1 instead of True."""
        return 1  # type: ignore[return-value]


RAISING = RaisingRetry()
GARBAGE = GarbageRetry()
LOOPING = LoopingRetry()
SLOW = SlowRetry()
COUNTING = CountingRetry()
INT_FALLBACK = IntFallback()
NO_VERSION = attrs.evolve(GARBAGE, api_version=None)  # type: ignore[arg-type]
FUTURE_VERSION = attrs.evolve(GARBAGE, api_version=2)


@attrs.frozen
class AlwaysRetry(RaisingRetry):
    """Refault after every lock, forever: the fault can never complete (K3)."""

    name: str = "always-retry"

    def on_miss(self, fault: FaultView) -> str:
        """Recheck under the PTL."""
        return "recheck"

    def after_lock(self, fault: FaultView) -> str:
        """Retry, whatever the attempt."""
        return "retry"


@attrs.frozen
class BoundedRetry(AlwaysRetry):
    """Refault after a lock at most ``limit`` times, then proceed: a pure bounded-retry
    rule, written with ``FaultView.attempt``."""

    name: str = "bounded-retry"
    limit: int = 2

    def after_lock(self, fault: FaultView) -> str:
        """Retry on the first ``limit`` attempts, then proceed."""
        return "retry" if fault.attempt < self.limit else "proceed"


ALWAYS_RETRY = AlwaysRetry()
BOUNDED_RETRY = BoundedRetry()
