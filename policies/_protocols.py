"""The policy kinds, as ``typing.Protocol`` classes, and their legal decisions.

A policy is any object with a ``name``, a ``kind`` and the decision method of its kind.
Decisions are pure functions of a read-only view; the kernel's actors validate every answer
and report an illegal one (or an exception) as a P1 policy failure naming the policy.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from kernel_model import FaultView, PageView

FallbackReason = Literal["migrate", "vmscan"]
MissAction = Literal["oom", "recheck", "refetch"]
LockedAction = Literal["proceed", "retry", "goto-again"]

KIND_FALLBACK = "fallback_to_swap"
KIND_MLOCKED = "mlocked"
KIND_FAULT_RETRY = "fault_retry"
KINDS: tuple[str, ...] = (KIND_FALLBACK, KIND_MLOCKED, KIND_FAULT_RETRY)

MISS_ACTIONS: tuple[str, ...] = ("oom", "recheck", "refetch")
LOCKED_ACTIONS: tuple[str, ...] = ("proceed", "retry", "goto-again")


@runtime_checkable
class FallbackPolicy(Protocol):
    """Whether a migration-cache page may move to swap (``migration_move_to_swap``).

    ``reason`` is "migrate" when direct migration failed for lack of a destination page
    and "vmscan" when reclaim meets a migration-cache page.  ``posted_v8`` selects the V8
    patch set exactly as posted (R4, R15 and R16 live there) instead of the corrected code;
    ``detach_on_failure`` selects the 2005 hotplug behaviour of dropping the entry (R3).
    """

    name: str
    kind: str
    posted_v8: bool
    detach_on_failure: bool

    def fallback(self, page: PageView, reason: FallbackReason) -> bool:
        """True to move ``page`` from the migration cache to swap."""
        ...


@runtime_checkable
class MlockedPolicy(Protocol):
    """Whether a page mapped by a VM_LOCKED vma may be migrated at all."""

    name: str
    kind: str

    def may_migrate(self, page: PageView) -> bool:
        """True to migrate ``page`` (False: -EPERM, permanent failure)."""
        ...


@runtime_checkable
class FaultRetryPolicy(Protocol):
    """How ``do_swap_page`` revalidates what it read without the PTL.

    - ``on_miss``: the cache lookup found nothing: "oom" (give up), "recheck" (take the
      PTL; a changed pte means retry, an unchanged one is a real OOM) or "refetch" (return
      -EAGAIN: reread the pte without the PTL and retry if it changed).
    - ``after_lock``: the page is locked: "proceed", "retry" (drop it and refault) or
      "goto-again" (look the *same* entry up again, the 2.6.15-16 shape).
    - ``pte_same``: whether the pte is compared with the one read first, under the PTL,
      before mapping.
    """

    name: str
    kind: str
    pte_same: bool

    def on_miss(self, fault: FaultView) -> MissAction:
        """What to do when the cache lookup missed."""
        ...

    def after_lock(self, fault: FaultView) -> LockedAction:
        """What to do once the page found is locked."""
        ...
