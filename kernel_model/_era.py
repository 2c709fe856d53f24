"""Kernel eras: which version of the migration-cache code the kernel's actors run.

The 2004-2006 thread argued about *code*, not only about decisions: the V8 patches as
Lee Schermerhorn posted them differ from the code the thread converged on in three places
(R4, R15, R16), and the 2004/2005 memory-hotplug migration cache drops the entry when a
migration fails (R3).  An era is the switch between those code paths; the policies
(``policies``) are the decisions taken inside whichever code runs.  Eras are pure data:
the kernel's actors read them from their context.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen
class Era:
    """One version of the kernel's migration code.

    - ``posted_v8``: run the V8 migration-cache patches exactly as posted: ``update_pte``
      in ``migration_move_to_swap`` without ``swap_duplicate`` (R16), ``lock_page`` under
      the PTL when exit zaps a migration-cache pte (R15), and no cleanup of entries whose
      counter reached 0 (R4).
    - ``detach_on_failure``: when direct migration finds no destination page, detach the
      migration-cache entry anyway instead of restoring the ptes (Ray Bryant's R3).
    - ``source``: where the code of the era comes from.
    - ``migration_mmap_sem``: direct and lazy migration run from a system call and take
      the mm's ``mmap_sem`` (2.6.16 ``do_migrate_pages``: read; ``do_mbind`` with
      MPOL_MF_MOVE: write).  The 2004/2005 hotplug migration works from physical memory
      in a kernel thread and takes none, so it can run inside a fault, a fork or an exit.
    - ``reaps_unused``: a migration-cache entry whose counter reached 0 is detached by the
      page-lock holder (the R4 guard).  Neither the posted V8 code nor the 2004 hotplug
      code has it.
    - ``pg_mlocked``: reclaim culls pages by PG_mlocked and ``try_to_unmap`` marks the
      pages of VM_LOCKED vmas (the unevictable LRU, 2.6.28+).  Before that there is no
      such flag: only ``try_to_unmap_one`` refuses, on VM_LOCKED.
    - ``alloc_before_unmap``: direct migration allocates every destination page before it
      locks or unmaps anything (2.6.16 ``migrate_pages_to``), falling back to another node
      when the target is full (no ``__GFP_THISNODE``); the 2005 hotplug code unmaps first
      and only then finds out that there is no destination (R3).
    - ``swapless``: direct migration replaces the ptes by swapless migration entries
      (2.6.18 mm/migrate.c ``unmap_and_move``: lock, ``try_to_unmap(page, 1)``, copy,
      ``remove_migration_ptes``); there is no migration cache, so no lazy migration and
      no fallback to swap, and a fault on such an entry waits for the page lock and
      refaults (``migration_entry_wait``).
    - ``migration_wait_pins``: ``migration_entry_wait`` takes a page reference while it
      waits (2.6.18 ``get_page`` .. ``put_page``), which makes the migrator's refcount
      check fail (R10); since ffa65753c431 (5.17) the waiter queues under the PTL instead.
    - ``mlock_count``: an mlocked page counts the VM_LOCKED vmas mapping it (5.18+
      ``folio->mlock_count``, L3): mlock's walk, remapping after migration and munlock on
      unmap keep it.
    - ``mlock_walk_vm_io``: ``mlock_vma_pages_range`` sets VM_IO while it walks the pages,
      so that a remap in between does not count the page a second time (R18's guard).
    - ``defaults``: the policies the era's code implies (``policies.<kind>``); a scenario
      of the era must name them.  ``allowed``: per policy kind, the names that mean
      something under this era (a kind missing from it allows every name).
    """

    name: str
    description: str
    posted_v8: bool
    detach_on_failure: bool
    source: str
    migration_mmap_sem: bool = True
    reaps_unused: bool = True
    pg_mlocked: bool = False
    alloc_before_unmap: bool = True
    swapless: bool = False
    migration_wait_pins: bool = False
    mlock_count: bool = False
    mlock_walk_vm_io: bool = False
    defaults: Mapping[str, str] = attrs.field(factory=dict)
    allowed: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def allows(self, kind: str, name: str) -> bool:
        """Whether policy ``name`` of ``kind`` means anything under this era's code (a
        kind the era does not restrict allows every name)."""
        names = self.allowed.get(kind)
        return names is None or name in names


def _registry(*eras: Era) -> Mapping[str, Era]:
    return {era.name: era for era in eras}


ERAS: Mapping[str, Era] = _registry(
    Era(
        name="2.6.16-mm1+v8",
        description="the migration cache with the corrections the thread converged on",
        posted_v8=False,
        detach_on_failure=False,
        source=(
            "Schermerhorn's migration cache V8 on 2.6.16-rc3-mm1 (Feb 2006), with the "
            "fixes of the thread: swap_duplicate in update_pte, counter-0 entries reaped by "
            "the page-lock holder, no lock_page under the PTL in zap_pte_range"
        ),
    ),
    Era(
        name="2.6.16-mm1+v8-posted",
        description="the V8 migration-cache patches exactly as posted",
        posted_v8=True,
        detach_on_failure=False,
        source="Schermerhorn's migration cache V8 patches 1-4 on 2.6.16-rc3-mm1 (Feb 2006)",
        reaps_unused=False,
    ),
    Era(
        name="2.6.10-hotplug",
        description="the 2004/2005 memory-hotplug migration cache (detach on failure)",
        posted_v8=False,
        detach_on_failure=True,
        source=(
            "Tosatti's migration cache in the memory-hotplug tree on 2.6.10 (2004/2005), "
            "as Ray Bryant reported it: a failed migration detaches the entry (R3); "
            "migration from physical memory without mmap_sem, unmapping before it "
            "allocates, and no cleanup of counter-0 entries (R4)"
        ),
        migration_mmap_sem=False,
        reaps_unused=False,
        alloc_before_unmap=False,
    ),
)
"""The kernel eras by name."""

SWAPLESS_DEFAULTS: Mapping[str, str] = {"fallback_to_swap": "never", "mlocked": "migrate"}
"""What swapless migration implies: no fallback to swap (there is no migration cache to
fall back from; the swapless V1 overview drops the fallback), and mlocked pages migrate
(the migration flag of ``try_to_unmap`` bypasses the VM_LOCKED refusal)."""


def _only(defaults: Mapping[str, str]) -> Mapping[str, tuple[str, ...]]:
    return {kind: (name,) for kind, name in defaults.items()}


ERAS = {
    **ERAS,
    **_registry(
        Era(
            name="2.6.18-swapless",
            description="swapless migration entries, no migration cache (mainline 2.6.18)",
            posted_v8=False,
            detach_on_failure=False,
            source=(
                "Lameter's swapless page migration as merged for 2.6.18 (0697212a411c): "
                "mm/migrate.c unmap_and_move, try_to_unmap with migration = 1, "
                "move_to_new_page, remove_migration_ptes; migration_entry_wait takes a "
                "page ref while it waits; copy_one_pte downgrades a WRITE entry on fork "
                "(Dickins' fix of 26 May 2006)"
            ),
            reaps_unused=False,
            swapless=True,
            migration_wait_pins=True,
            defaults=SWAPLESS_DEFAULTS,
            allowed=_only(SWAPLESS_DEFAULTS),
        ),
        Era(
            name="6.1",
            description="swapless migration, unevictable LRU, PG_mlocked and mlock_count",
            posted_v8=False,
            detach_on_failure=False,
            source=(
                "Linux 6.1 (Debian linux-source-6.1): migrate_pages as compaction and "
                "memory offline run it, from physical memory without any mmap_lock; "
                "migration_entry_wait_on_locked without a page ref (ffa65753c431); "
                "folio->mlock_count kept by mlock_folio / munlock_folio, and "
                "mlock_vma_pages_range setting VM_IO during its walk (R18's guard)"
            ),
            migration_mmap_sem=False,
            reaps_unused=False,
            pg_mlocked=True,
            swapless=True,
            mlock_count=True,
            mlock_walk_vm_io=True,
            defaults=SWAPLESS_DEFAULTS,
            allowed=_only(SWAPLESS_DEFAULTS),
        ),
        Era(
            name="6.1-mlock-no-vm-io",
            description=(
                "strawman: 6.1 whose mlock walk does not set VM_IO (what R18's guard protects)"
            ),
            posted_v8=False,
            detach_on_failure=False,
            source=(
                "Linux 6.1 less one detail: mlock_vma_pages_range sets VM_LOCKED without "
                "the temporary VM_IO that unevictable-lru.rst says it needs"
            ),
            migration_mmap_sem=False,
            reaps_unused=False,
            pg_mlocked=True,
            swapless=True,
            mlock_count=True,
            defaults=SWAPLESS_DEFAULTS,
            allowed=_only(SWAPLESS_DEFAULTS),
        ),
    ),
}

DEFAULT_ERA = "2.6.16-mm1+v8"
"""The era a scenario runs unless it names another: the corrected migration cache."""
