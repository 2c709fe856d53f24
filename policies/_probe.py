"""Questions about a policy as a whole, asked with a probe view.

The kernel model needs to know up front whether an mlocked policy ever lets a page of a
VM_LOCKED vma migrate (invariant L2 then allows migration-cache ptes in locked vmas), and
scenario validation needs the same answer to accept a "lazy" initial state for an
mlocked page.  Both ask :func:`lets_mlocked_pages_migrate`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from kernel_model import PageView

MLOCKED_PROBE = PageView(
    pfn=0,
    nid=0,
    refcount=1,
    mapcount=1,
    locked=False,
    swapcache=False,
    is_migration=False,
    private=None,
    mlocked=True,
    vm_locked=True,
    dirty=False,
    writeback=False,
)
"""A plain mapped page of a VM_LOCKED vma: what an mlocked policy is asked about."""


def lets_mlocked_pages_migrate(policy: object) -> bool:
    """True when ``policy.may_migrate`` allows the probe page to migrate.

    A policy that raises here is treated as refusing; the same failure at run time is
    reported as violation P1 at the step where it happens.
    """
    decide: Callable[[PageView], object] | None = getattr(policy, "may_migrate", None)
    if decide is None:
        return False
    try:
        return decide(MLOCKED_PROBE) is True
    except Exception:
        return False
