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
    - ``fork_downgrades_migration``: fork's ``copy_one_pte`` turns a WRITE migration
      entry of a COW mapping into a READ one in the parent and the child (Dickins, "fix
      fork corruption", 26 May 2006; 6.1 ``copy_nonpresent_pte``).  The code before the
      fix passed SWP_MIGRATION_READ where a boolean was expected, so both stayed WRITE
      (R9).
    - ``anon_vma_tail``: ``anon_vma_link`` adds a forked child's vma at the *tail* of the
      anon_vma list, so an rmap walk meets the parent before the child (Dickins, "fix
      swapops.h:97 BUG", 24 May 2006: ``list_add_tail`` in ``__anon_vma_link``; 6.1's
      interval tree puts an equal-pgoff vma to the right of the parent's, the same
      order).  2.6.16's ``list_add`` puts it at the head: R8.
    - ``migration_anon_vma_ref``: the migrator takes a reference on the page's anon_vma
      before it unmaps and drops it after the remap (``folio_get_anon_vma`` /
      ``put_anon_vma``, Gorman's 3f6c82728f4e, 2.6.34), so a task that exits in between
      cannot free the anon_vma that ``remove_migration_ptes`` walks (R11's guard).
    - ``remap_only_if_mapped``: ``remove_migration_ptes`` runs only when the unmap found
      the page mapped (6.1 ``__unmap_and_move``'s ``page_was_mapped``); 2.6.18's
      ``migrate_page`` calls it whatever the page was.
    - ``freeze_before_dirty``: reclaim's ``remove_mapping`` checks that only the cache
      and reclaim hold the page (2.6.16 ``page_count != 2``; 6.1 ``__remove_mapping``
      freezes the refcount) *before* it tests PG_dirty, so that a pin holder's write
      followed by its put cannot slip between the two tests (R17's guard).
    - ``get_swap_device``: a fault on a swap entry pins the device against swapoff for
      its whole length (6.1 ``do_swap_page``: ``get_swap_device`` .. ``put_swap_device``,
      since 2799e77529c2), and swapoff waits for those pins before it tears the device
      down (R13's guard).
    - ``swapoff``: swapoff (``try_to_unuse``, then the teardown) is modelled: 6.1 and the
      strawmen made from it.  The 2.6.16 code protects itself differently (every access
      revalidates the entry under ``swap_lock``), which the model does not follow.
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
    freeze_before_dirty: bool = True
    get_swap_device: bool = False
    swapoff: bool = False
    fork_downgrades_migration: bool = True
    anon_vma_tail: bool = False
    migration_anon_vma_ref: bool = False
    remap_only_if_mapped: bool = False
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
            anon_vma_tail=True,
            migration_wait_pins=True,
            defaults=SWAPLESS_DEFAULTS,
            allowed=_only(SWAPLESS_DEFAULTS),
        ),
        Era(
            name="2.6.18-swapless-head-link",
            description="swapless migration with forked vmas linked at the anon_vma's head (R8)",
            posted_v8=False,
            detach_on_failure=False,
            source=(
                "Lameter's swapless migration in 2.6.17-rc-mm (May 2006), before Dickins' "
                "fix of 24 May 2006: __anon_vma_link still does list_add, so "
                "remove_anon_migration_ptes meets a forked child before its parent"
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
            anon_vma_tail=True,
            mlock_count=True,
            remap_only_if_mapped=True,
            migration_anon_vma_ref=True,
            mlock_walk_vm_io=True,
            get_swap_device=True,
            swapoff=True,
            defaults=SWAPLESS_DEFAULTS,
            allowed=_only(SWAPLESS_DEFAULTS),
        ),
    ),
}


def _strawman(name: str, description: str, source: str, **guards: bool) -> Era:
    """6.1 with a guard taken out (``guards``: boolean fields of :class:`Era` to change),
    to show what that guard protects; everything else stays 6.1's."""
    base = attrs.evolve(ERAS["6.1"], name=name, description=description, source=source)
    return attrs.evolve(base, **guards)  # type: ignore[arg-type]  # each one a bool field


ERAS = {
    **ERAS,
    **_registry(
        _strawman(
            "6.1-mlock-no-vm-io",
            "strawman: 6.1 whose mlock walk does not set VM_IO (what R18's guard protects)",
            "Linux 6.1 less one detail: mlock_vma_pages_range sets VM_LOCKED without "
            "the temporary VM_IO that unevictable-lru.rst says it needs",
            mlock_walk_vm_io=False,
        ),
        _strawman(
            "6.1-dirty-before-freeze",
            "strawman: 6.1 whose __remove_mapping tests PG_dirty before it freezes the "
            "refcount (what R17's guard protects)",
            "Linux 6.1 less one detail: __remove_mapping in the order its own comment "
            "warns against, PG_dirty first and folio_ref_freeze after",
            freeze_before_dirty=False,
        ),
        _strawman(
            "6.1-no-get-swap-device",
            "strawman: 6.1 whose do_swap_page does not pin the swap device (the code "
            "before 2799e77529c2, what R13's guard protects)",
            "Linux 6.1 less one detail: do_swap_page without get_swap_device / "
            'put_swap_device, as before 2799e77529c2 ("swap: fix do_swap_page() race with '
            'swapoff", 5.14), so swapoff waits for no user of the device',
            get_swap_device=False,
        ),
        _strawman(
            "6.1-fork-no-downgrade",
            "strawman: 6.1 whose fork keeps a WRITE migration entry writable (R9's bug)",
            "Linux 6.1 with copy_nonpresent_pte as swapless migration first had it "
            "(2.6.17-rc-mm, before Dickins' fix of 26 May 2006): the WRITE entry is not "
            "made READ in parent and child.  The pre-fix migrator held mmap_sem, which "
            "fork excludes; 6.1's compaction-style migrator holds none, so the copy can "
            "meet a WRITE entry",
            fork_downgrades_migration=False,
        ),
    ),
}

ERAS = {
    **ERAS,
    **_registry(
        _strawman(
            "6.1-no-anon-vma-ref",
            "strawman: 6.1 whose migrator holds no anon_vma reference (R11's bug)",
            "Linux 6.1 with __unmap_and_move as compaction first ran it (2.6.34-rc, before "
            "Gorman's 3f6c82728f4e): no folio_get_anon_vma before try_to_migrate, so "
            "nothing keeps the anon_vma alive once the last vma is unlinked",
            migration_anon_vma_ref=False,
        ),
    ),
}

DEFAULT_ERA = "2.6.16-mm1+v8"
"""The era a scenario runs unless it names another: the corrected migration cache."""
