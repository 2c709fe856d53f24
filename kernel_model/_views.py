"""Read-only snapshots of kernel state, handed to policies.

Policies decide; they never mutate.  A view is a frozen copy of the few fields a decision
may look at, taken at the moment the kernel asks.
"""

from __future__ import annotations

import attrs

from kernel_model._entry import SwpEntry
from kernel_model._kernel import Kernel
from kernel_model._page import Page


@attrs.frozen
class PageView:
    """What a policy may know about a page."""

    pfn: int
    nid: int
    refcount: int
    mapcount: int
    locked: bool
    swapcache: bool
    is_migration: bool
    private: SwpEntry | None
    mlocked: bool
    vm_locked: bool
    dirty: bool
    writeback: bool


@attrs.frozen
class FaultView:
    """A fault in progress: the entry read from the pte, the page found (if any)."""

    mm: str
    vpage: int
    entry: SwpEntry
    page: PageView | None
    write: bool


def page_view(k: Kernel, page: Page, *, vm_locked: bool = False) -> PageView:
    """Snapshot ``page`` (``vm_locked``: is it mapped by a VM_LOCKED vma)."""
    return PageView(
        pfn=page.pfn,
        nid=page.nid,
        refcount=page.refcount,
        mapcount=page.mapcount,
        locked=page.locked_by is not None,
        swapcache=page.swapcache,
        is_migration=page.is_migration(),
        private=page.private,
        mlocked=page.mlocked or vm_locked,
        vm_locked=vm_locked,
        dirty=page.dirty,
        writeback=page.writeback,
    )
