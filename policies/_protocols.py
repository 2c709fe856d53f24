"""The policy protocols (one per kind) and their legal decisions.

A policy is any object with a ``name``, a ``kind``, an ``api_version`` and the decision
methods of its kind (and, for fault retry, the ``pte_same`` flag); its members are
read-only, so an attrs frozen class, a plain class or a module-level object all qualify.
Decisions are pure functions of a read-only view; the kernel's actors validate every
answer and report an illegal one (or an exception, or a call past its wall budget) as a
P1 policy failure naming the policy.
"""

from __future__ import annotations

from typing import Literal, Protocol, get_args, runtime_checkable

from kernel_model import FaultView, PageView

API_VERSION = 1
"""The version of the policy API (protocols, views, answers) this migsim implements.

A plugin declares the version it was written for as its ``api_version`` attribute; the
registry refuses one that declares none or another version.  It changes only when a
protocol, a view field or an allowed answer changes incompatibly.
"""

FallbackReason = Literal["migrate", "vmscan"]
MissAction = Literal["oom", "recheck", "refetch", "relookup"]
LockedAction = Literal["proceed", "retry", "goto-again"]

KIND_FALLBACK = "fallback_to_swap"
KIND_MLOCKED = "mlocked"
KIND_FAULT_RETRY = "fault_retry"

MISS_ACTIONS: tuple[MissAction, ...] = get_args(MissAction)
LOCKED_ACTIONS: tuple[LockedAction, ...] = get_args(LockedAction)


@runtime_checkable
class FallbackPolicy(Protocol):
    """Whether a migration-cache page may move to swap (``migration_move_to_swap``).

    ``reason`` is "migrate" when direct migration failed for lack of a destination page
    and "vmscan" when reclaim meets a migration-cache page.  Which *code* runs around the
    decision (the V8 patches as posted, the 2005 hotplug code) is the kernel's era
    (``kernel_model.ERAS``), not a policy.
    """

    @property
    def name(self) -> str:
        """The policy's name, as scenarios and reports spell it."""

    @property
    def kind(self) -> str:
        """Always "fallback_to_swap"."""

    @property
    def api_version(self) -> int:
        """The policy API version the policy was written for (:data:`API_VERSION`)."""

    def fallback(self, page: PageView, reason: FallbackReason) -> bool:
        """True to move ``page`` from the migration cache to swap."""
        ...


@runtime_checkable
class MlockedPolicy(Protocol):
    """Whether a page mapped by a VM_LOCKED vma may be migrated at all."""

    @property
    def name(self) -> str:
        """The policy's name, as scenarios and reports spell it."""

    @property
    def kind(self) -> str:
        """Always "mlocked"."""

    @property
    def api_version(self) -> int:
        """The policy API version the policy was written for (:data:`API_VERSION`)."""

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

    @property
    def name(self) -> str:
        """The policy's name, as scenarios and reports spell it."""

    @property
    def kind(self) -> str:
        """Always "fault_retry"."""

    @property
    def api_version(self) -> int:
        """The policy API version the policy was written for (:data:`API_VERSION`)."""

    @property
    def pte_same(self) -> bool:
        """True to recheck the pte under the PTL before mapping the page found."""

    def on_miss(self, fault: FaultView) -> MissAction:
        """What to do when the cache lookup missed."""
        ...

    def after_lock(self, fault: FaultView) -> LockedAction:
        """What to do once the page found is locked."""
        ...
