"""Asking a policy for a decision: one typed helper per decision point, all through
:func:`ask`, which turns a policy that raises, answers something illegal or runs past
its wall budget into P1.

The run then ends at that step with a P1 violation naming the policy, the method and the
asking actor; the ``default`` answer only keeps the actor consistent until then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kernel_actors._context import KernelContext
from kernel_model import FaultView, Kernel, PageView
from policies import (
    LOCKED_ACTIONS,
    MISS_ACTIONS,
    FallbackReason,
    LockedAction,
    MissAction,
    PolicyTimeoutError,
    guarded_call,
)

T = TypeVar("T")

_BOOLS = (True, False)


def ask(
    asker: str,
    kernel: Kernel,
    policy: str,
    method: str,
    decide: Callable[[], T],
    *,
    allowed: tuple[T, ...],
    default: T,
    args: tuple[object, ...] = (),
) -> T:
    """``decide()``, the call ``policy.method(*args)`` under the per-call wall budget
    (:func:`policies.guarded_call`); P1 (and ``default``) if it raises, runs past the
    budget, or answers outside ``allowed``.  An answer must be one of ``allowed`` by type
    as well as value: ``1`` is not ``True``, and a ``str`` subclass is not a decision."""
    try:
        answer = guarded_call(policy, method, args, decide)
    except PolicyTimeoutError as exc:
        kernel.report(
            "P1", f"policy {policy!r}.{method}() {exc} (asked by {asker})", f"policy:{policy}"
        )
        return default
    except Exception as exc:
        kernel.report(
            "P1",
            f"policy {policy!r}.{method}() raised {type(exc).__name__}: {exc} (asked by {asker})",
            f"policy:{policy}",
        )
        return default
    if not any(type(answer) is type(a) and answer == a for a in allowed):
        kernel.report(
            "P1",
            f"policy {policy!r}.{method}() returned {answer!r} ({type(answer).__name__}); "
            f"expected one of {', '.join(map(repr, allowed))} (asked by {asker})",
            f"policy:{policy}",
        )
        return default
    return answer


def after_lock(asker: str, ctx: KernelContext, fault: FaultView) -> LockedAction:
    """The fault-retry policy on a page found and locked (default: refault)."""
    policy = ctx.policies.fault_retry
    return ask(
        asker,
        ctx.kernel,
        policy.name,
        "after_lock",
        lambda: policy.after_lock(fault),
        allowed=LOCKED_ACTIONS,
        default="retry",
        args=(fault,),
    )


def on_miss(asker: str, ctx: KernelContext, fault: FaultView) -> MissAction:
    """The fault-retry policy on a cache-lookup miss (default: OOM)."""
    policy = ctx.policies.fault_retry
    return ask(
        asker,
        ctx.kernel,
        policy.name,
        "on_miss",
        lambda: policy.on_miss(fault),
        allowed=MISS_ACTIONS,
        default="oom",
        args=(fault,),
    )


def may_migrate(asker: str, ctx: KernelContext, page: PageView) -> bool:
    """The mlocked policy: may ``page`` migrate (default: no, -EPERM)?"""
    policy = ctx.policies.mlocked
    return ask(
        asker,
        ctx.kernel,
        policy.name,
        "may_migrate",
        lambda: policy.may_migrate(page),
        allowed=_BOOLS,
        default=False,
        args=(page,),
    )


def fallback(asker: str, ctx: KernelContext, page: PageView, reason: FallbackReason) -> bool:
    """The fallback policy: may ``page`` move from the migration cache to swap (default:
    no)?  ``reason``: "migrate" (no destination page) or "vmscan" (reclaim)."""
    policy = ctx.policies.fallback
    return ask(
        asker,
        ctx.kernel,
        policy.name,
        "fallback",
        lambda: policy.fallback(page, reason),
        allowed=_BOOLS,
        default=False,
        args=(page, reason),
    )
