"""kernel_model: the pure state of a simulated Linux MM and its invariants (no trio).

The kernel's actors mutate a :class:`Kernel` through its primitives (and the cache
primitives in this package); :func:`check_step` and :func:`check_quiescence` check the
invariants of the kernel-domain reference, each declared once in :data:`INVARIANTS`.
Which version of the kernel's code runs is an :class:`Era` of :data:`ERAS`.
"""

from __future__ import annotations

from kernel_model._anon_vma import AnonVma, anon_vma_lock_name
from kernel_model._cacheops import (
    add_to_migration_cache,
    add_to_swap,
    add_to_swap_cache,
    delete_from_swap_cache,
    detach_migration_entry,
    end_writeback,
    lookup,
    migration_remove_reference,
    pageout,
    read_slot,
    replace_cache_page,
    swap_duplicate,
    swap_free,
)
from kernel_model._catalog import INVARIANTS, Invariant, invariant
from kernel_model._checker import check_quiescence, check_step
from kernel_model._entry import (
    MAX_SWAPFILES,
    MIGRATION_TYPE,
    SwpEntry,
    migration_entry,
    swap_entry,
)
from kernel_model._era import DEFAULT_ERA, ERAS, Era
from kernel_model._errors import MigsimError
from kernel_model._finding import Finding
from kernel_model._invariants import check_mid, check_page, check_pte, check_slot
from kernel_model._kernel import Kernel
from kernel_model._mlockcount import (
    locked_mappings,
    mlock_folio,
    mlock_on_map,
    munlock_folio,
    munlock_on_unmap,
)
from kernel_model._mm import Mm, mmap_sem_name, ptl_name, vpage_name
from kernel_model._page import (
    HOLDER_ISOLATE,
    HOLDER_LRU,
    HOLDER_MAP,
    HOLDER_MIGCACHE,
    HOLDER_SWAPCACHE,
    Content,
    Page,
)
from kernel_model._pte import (
    PTE_NONE,
    Pte,
    PteMigCache,
    PteMigration,
    PteNone,
    PtePresent,
    PteSwap,
    pte_entry,
)
from kernel_model._rwsem import RwSem
from kernel_model._stores import MigrationCache, SwapDevice
from kernel_model._views import FaultView, KernelView, PageView, PteView, kernel_view, page_view

__all__ = [
    "DEFAULT_ERA",
    "ERAS",
    "HOLDER_ISOLATE",
    "HOLDER_LRU",
    "HOLDER_MAP",
    "HOLDER_MIGCACHE",
    "HOLDER_SWAPCACHE",
    "INVARIANTS",
    "MAX_SWAPFILES",
    "MIGRATION_TYPE",
    "PTE_NONE",
    "AnonVma",
    "Content",
    "Era",
    "FaultView",
    "Finding",
    "Invariant",
    "Kernel",
    "KernelView",
    "MigrationCache",
    "MigsimError",
    "Mm",
    "Page",
    "PageView",
    "Pte",
    "PteMigCache",
    "PteMigration",
    "PteNone",
    "PtePresent",
    "PteSwap",
    "PteView",
    "RwSem",
    "SwapDevice",
    "SwpEntry",
    "add_to_migration_cache",
    "add_to_swap",
    "add_to_swap_cache",
    "anon_vma_lock_name",
    "check_mid",
    "check_page",
    "check_pte",
    "check_quiescence",
    "check_slot",
    "check_step",
    "delete_from_swap_cache",
    "detach_migration_entry",
    "end_writeback",
    "invariant",
    "kernel_view",
    "locked_mappings",
    "lookup",
    "migration_entry",
    "migration_remove_reference",
    "mlock_folio",
    "mlock_on_map",
    "mmap_sem_name",
    "munlock_folio",
    "munlock_on_unmap",
    "page_view",
    "pageout",
    "pte_entry",
    "ptl_name",
    "read_slot",
    "replace_cache_page",
    "swap_duplicate",
    "swap_entry",
    "swap_free",
    "vpage_name",
]
