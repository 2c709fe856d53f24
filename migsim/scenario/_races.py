"""The races of kernel-domain section 3 as data: one :class:`Race` per race, one template.

A race is a base scenario (the smallest machine, address spaces, tasks and daemons that
can show it, and how to search it) plus its *variants*: the labels under which it is built.
A label sets one policy (``fault_retry = "pte-same"``) or, for the races that live in a
kernel's code rather than in a design choice, an era and a policy (``"v8-never"``: the V8
patches as posted, fallback ``never``).  The variant decides the expectation: the labels in
``failing`` expect a violation of the race's invariant, every other label expects ``ok``.

:data:`RACES` is the registry the library, the tests and the benchmarks read; the named
builders (``r1_seed``, ...) are each race's :meth:`Race.scenario`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from migsim.scenario._model import (
    NAME_CHARS,
    Daemon,
    Expect,
    Explore,
    KernelSpec,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
    TaskStep,
)

POSTED = "2.6.16-mm1+v8-posted"
HOTPLUG = "2.6.10-hotplug"
SWAPLESS = "2.6.18-swapless"
CURRENT = "6.1"
NAP = TaskStep("sleep", ticks=1)
SWAPLESS_POLICIES = Policies(fallback_to_swap="never", mlocked="migrate")
READ = TaskStep("read", page=0)
LAZY_PAGE = (MmSpec("A", pages=1, state=("lazy",)),)


@attrs.frozen
class Race:
    """One race of the domain reference and how to build each variant of it.

    - ``base``: the scenario without variant (its ``name`` is the stem of every variant's);
    - ``knob``: the ``[policies]`` key a plain label sets;
    - ``eras``: labels that also pick an era, as ``label -> (era, knob value)``;
    - ``unguarded``: the label the race shows under; ``guards``: labels that close it, the
      first being the one the library proves; ``failing``: every label expecting a violation;
    - ``bound``: the preemption bound of the guarded exhaustive search (None: unbounded);
    - ``unreachable``: guard labels that are not fixes but eras whose kernel cannot produce
      the race at all, each with the reason (their library files prove ``ok`` like any
      guard's).
    """

    id: str
    invariant: str
    doc: str
    base: Scenario
    knob: str
    unguarded: str
    guards: tuple[str, ...]
    failing: tuple[str, ...]
    eras: Mapping[str, tuple[str, str]] = attrs.Factory(dict)
    bound: int | None = None
    unreachable: Mapping[str, str] = attrs.Factory(dict)

    def scenario(self, variant: str | None = None) -> Scenario:
        """The race under ``variant`` (default: unguarded), with the expectation it implies."""
        label = self.unguarded if variant is None else variant
        era, value = self.eras.get(label, (self.base.kernel.era, label))
        policies = attrs.evolve(self.base.policies, **{self.knob: value})
        bad = label in self.failing
        return attrs.evolve(
            self.base,
            name=f"{self.base.name}-{_name_part(label)}",
            kernel=KernelSpec(era),
            policies=policies,
            expect=Expect("violation", self.invariant) if bad else Expect("ok"),
        )


def _name_part(label: str) -> str:
    """``label`` as part of a scenario name (a plugin's ``module:attr`` has a colon)."""
    return "".join(c if c in NAME_CHARS else "-" for c in label)


def _race(**kwargs: object) -> Race:
    return Race(**kwargs)  # type: ignore[arg-type]


_RACES = (
    _race(
        id="R1",
        invariant="K3",
        doc="R1, the seed: an unlocked pte read races migration_move_to_swap in kswapd. Under "
        "none the lookup of the vanished migration entry misses and the fault ends in OOM "
        "(K3); every rechecking policy refaults and finds the swap pte.",
        base=Scenario(
            name="r1-seed",
            description="fault on a migration-cache pte while kswapd moves the page to swap",
            races=("R1",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=2, cpus=1),
            policies=Policies(fallback_to_swap="vmscan-only"),
            mm=LAZY_PAGE,
            task=(Task("T", "A", 0, (READ,)),),
            daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
            explore=Explore(strategy="pct", schedules=2000, depth=4, max_steps=400),
        ),
        knob="fault_retry",
        unguarded="none",
        guards=("pte-same+private", "pte-same", "eagain-refetch", "swapcache-goto"),
        failing=("none",),
    ),
    _race(
        id="R2",
        invariant="K3",
        doc="R2: two threads fault on one migration-cache pte; the first one's map frees the "
        "entry.",
        base=Scenario(
            name="r2-two-faulters",
            description="two threads of one mm fault on the same migration-cache pte",
            races=("R2",),
            machine=Machine(nodes=1, pages_per_node=2, swap_slots=1, cpus=2),
            mm=LAZY_PAGE,
            task=(Task("T1", "A", 0, (READ,)), Task("T2", "A", 1, (READ,))),
            explore=Explore(strategy="pct", schedules=2000, depth=3, max_steps=400),
        ),
        knob="fault_retry",
        unguarded="none",
        guards=("pte-same",),
        failing=("none",),
    ),
    _race(
        id="R3",
        invariant="D3",
        doc="R3: direct migration finds no destination page; the 2005 code detaches the entry "
        "anyway, leaving ptes that name a freed migration-cache id (D3); restoring the ptes "
        "is the guard.",
        base=Scenario(
            name="r3-vanished-entry",
            description="migration with a full target node while a task reads the page",
            races=("R3",),
            machine=Machine(nodes=2, pages_per_node=1, swap_slots=1, cpus=1),
            policies=Policies(fault_retry="pte-same+private"),
            mm=(MmSpec("A", pages=1, node=0), MmSpec("B", pages=1, node=1)),
            task=(Task("T", "A", 0, (READ,)),),
            daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
            explore=Explore(strategy="pct", schedules=500, depth=3, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="hotplug-2005",
        guards=("never",),
        failing=("hotplug-2005",),
        eras={"hotplug-2005": (HOTPLUG, "never")},
    ),
    _race(
        id="R4",
        invariant="Q2",
        doc="R4: the task exits between add_to_migration_cache and try_to_unmap: the entry "
        "keeps counter 0 forever (Q2) unless migration drops unused entries. Only the "
        "2004 hotplug migration, which works from physical memory without mmap_sem, can "
        "run inside an exit; in 2.6.16 exit_mmap/munmap hold mmap_sem for write, and "
        "sys_migrate_pages pins the mm and holds it for read (mbind: write).",
        base=Scenario(
            name="r4-exit-leak",
            description="exit during direct migration leaves a counter-0 migration-cache entry",
            races=("R4",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=1),
            mm=(MmSpec("A", pages=1),),
            task=(Task("T", "A", 0, (TaskStep("exit"),)),),
            daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
            explore=Explore(strategy="pct", schedules=1000, depth=3, max_steps=400),
        ),
        knob="fallback_to_swap",
        unguarded="hotplug-2004",
        guards=("never", "v8-never"),
        failing=("hotplug-2004",),
        eras={"hotplug-2004": (HOTPLUG, "never"), "v8-never": (POSTED, "never")},
        unreachable={
            "v8-never": "the posted V8 code has no cleanup either, but its migration holds "
            "mmap_sem (read for sys_migrate_pages, with the mm pinned) and exit holds it "
            "for write, so no exit runs between add_to_migration_cache and try_to_unmap",
        },
    ),
    _race(
        id="R6",
        invariant="C3",
        doc="R6: a faulter keeps its local copy of an entry across a migration. Without "
        "pte_same it maps the old page and releases the entry a second time (C3, the BUG_ON "
        "of __migration_remove_reference); when the id was already reused for another page "
        "it maps that page's data instead (D1). pte_same under the PTL rejects both.",
        base=Scenario(
            name="r6-stale-entry",
            description="fault vs eager migration of a lazy page, with the id reused at once",
            races=("R6",),
            machine=Machine(nodes=2, pages_per_node=3, swap_slots=1, cpus=1),
            policies=Policies(fallback_to_swap="never"),
            mm=(MmSpec("A", pages=1, state=("lazy",)), MmSpec("B", pages=1)),
            task=(Task("T", "A", 0, (READ,)),),
            daemon=(
                Daemon("migrate", name="eager", pages=("A:0",), to_node=1),
                Daemon("migrate", name="lazy", mode="lazy", pages=("B:0",)),
            ),
            explore=Explore(strategy="pct", schedules=3000, depth=5, max_steps=600),
        ),
        knob="fault_retry",
        unguarded="no-pte-same",
        guards=("pte-same",),
        failing=("no-pte-same",),
        bound=2,
    ),
    _race(
        id="R7",
        invariant="D1",
        doc="R7, Arcangeli's swap-entry ABA: F swaps the page in and T, a thread of the same "
        "mm, waits for its lock with a reference; F maps it and frees the slot, and its "
        "write finds the page locked by T, so do_wp_page copies it; kswapd (no mmap_sem) "
        "gives the freed slot to the copy and unmaps it, so T's pte_same sees the same "
        "swap entry again and maps the stale page (D1). PG_swapcache and private == entry "
        "after lock_page reject it.",
        base=Scenario(
            name="r7-entry-aba",
            description="a swap slot recycled under a faulter by COW and kswapd (same pte)",
            races=("R7",),
            machine=Machine(nodes=1, pages_per_node=3, swap_slots=1, cpus=2),
            policies=Policies(fallback_to_swap="never"),
            mm=(MmSpec("A", pages=1, state=("swapped",)),),
            task=(
                Task("F", "A", 0, (READ, TaskStep("write", page=0))),
                Task("T", "A", 1, (READ,)),
            ),
            daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",), at=2),),
            explore=Explore(strategy="pct", schedules=5000, depth=2, max_steps=800),
        ),
        knob="fault_retry",
        unguarded="pte-same",
        guards=("pte-same+private",),
        failing=("pte-same", "none", "swapcache-goto"),
        bound=2,
    ),
    _race(
        id="R15",
        invariant="K1",
        doc="R15: exit's zap sleeps in lock_page under the PTL (V8 migration_remove_entry) "
        "while kswapd holds the page lock and wants that PTL (K1).",
        base=Scenario(
            name="r15-zap-deadlock",
            description="exit zaps a migration-cache pte while kswapd moves the page to swap",
            races=("R15",),
            machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
            mm=LAZY_PAGE,
            task=(Task("T", "A", 0, (TaskStep("exit"),)),),
            daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
            explore=Explore(strategy="pct", schedules=1000, depth=3, max_steps=400),
        ),
        knob="fallback_to_swap",
        unguarded="v8-vmscan-only",
        guards=("vmscan-only",),
        failing=("v8-vmscan-only",),
        eras={"v8-vmscan-only": (POSTED, "vmscan-only")},
    ),
    _race(
        id="R16",
        invariant="C4",
        doc="R16: the posted update_pte installs swap ptes without swap_duplicate (C4). The "
        "posted migration_move_to_swap starts with page_lock_anon_vma, which is NULL for a "
        "page no pte maps, so reclaim moves only a partly mapped migration-cache page: "
        "here the forked child has faulted the page in while the parent's pte still names "
        "the entry.",
        base=Scenario(
            name="r16-swap-undercount",
            description="kswapd moves a partly mapped migration-cache page to swap",
            races=("R16",),
            machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=2),
            mm=LAZY_PAGE,
            task=(
                Task("P", "A", 0, (TaskStep("fork", child="C"),)),
                Task("C", "C", 1, (READ,)),
            ),
            daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",), at=1),),
            explore=Explore(strategy="random", schedules=500, max_steps=400),
        ),
        knob="fallback_to_swap",
        unguarded="v8-vmscan-only",
        guards=("vmscan-only",),
        failing=("v8-vmscan-only",),
        eras={"v8-vmscan-only": (POSTED, "vmscan-only")},
    ),
    _race(
        id="R20",
        invariant="C3",
        doc="R20: a faulter finds the page inside migration_move_to_swap's window (still in "
        "the migration tree, already swap cache); only pte_same or the private check saves "
        "it.",
        base=Scenario(
            name="r20-move-window",
            description="fault on a migration-cache pte during migration_move_to_swap",
            races=("R20",),
            machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
            policies=Policies(fallback_to_swap="vmscan-only"),
            mm=LAZY_PAGE,
            task=(Task("T", "A", 0, (READ,)),),
            daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
            explore=Explore(strategy="pct", schedules=2000, depth=4, max_steps=400),
        ),
        knob="fault_retry",
        unguarded="no-pte-same",
        guards=("pte-same+private",),
        failing=("no-pte-same",),
    ),
    _race(
        id="R21",
        invariant="K3",
        doc="R21: F reads a migration-cache pte unlocked; T, a thread of the same mm, maps "
        "the page and frees the id; F's lookup misses; sys_migrate_pages (mmap_sem for "
        "read, as both faults) migrates the same page, gets the freed id back from idr and "
        "writes it into the same pte; F's pte_same recheck passes and the fault ends in "
        "OOM (K3), under pte-same, pte-same+private and eagain-refetch alike. Looking the "
        "entry up again under the PTL (a pte naming an entry keeps it alive) closes it.",
        base=Scenario(
            name="r21-relookup-aba",
            description="a freed migration id handed back to the same pte under a missed lookup",
            races=("R21",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=2),
            policies=Policies(fallback_to_swap="never"),
            mm=LAZY_PAGE,
            task=(Task("F", "A", 0, (READ,)), Task("T", "A", 1, (READ,))),
            daemon=(Daemon("migrate", name="eager", pages=("A:0",), to_node=1),),
            explore=Explore(strategy="random", schedules=2000, max_steps=800),
        ),
        knob="fault_retry",
        unguarded="pte-same+private",
        guards=("pte-same+private+relookup",),
        failing=("pte-same+private", "pte-same", "eagain-refetch"),
        bound=1,
    ),
)

_SWAPLESS_RACES = (
    _race(
        id="R10",
        invariant="K3",
        doc="R10, the waiter's pin (ffa65753c431): 2.6.18 migration_entry_wait takes a page "
        "reference while it waits for the migrator, so the migrator's refcount check "
        "fails (-EAGAIN) and it maps the page back, wakes the waiter and unmaps again: the "
        "waiter's pin makes every pass fail while the other mapper's write fault chases "
        "the pte between migration entry and page until its retries run out (K3, the "
        "livelock cut by the fault's retry bound). 6.1 waits without a reference.",
        base=Scenario(
            name="r10-waiter-pin",
            description="two mappers fault while swapless migration retries, one pins the page",
            races=("R10",),
            machine=Machine(nodes=2, pages_per_node=3, swap_slots=1, cpus=2),
            kernel=KernelSpec(SWAPLESS),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1),),
            # The fork is over before the migration starts (both tasks sleep until the
            # daemon's start time): only the waits and the retries interleave.
            task=(
                Task("P", "A", 0, (TaskStep("fork", child="C"), NAP, TaskStep("write", page=0))),
                Task("C", "C", 1, (NAP, TaskStep("write", page=0))),
            ),
            daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1, at=1),),
            explore=Explore(strategy="dfs", schedules=20000, preemption_bound=2, max_steps=800),
        ),
        knob="fallback_to_swap",
        unguarded="2.6.18",
        guards=("6.1",),
        failing=("2.6.18",),
        eras={"2.6.18": (SWAPLESS, "never"), "6.1": (CURRENT, "never")},
        bound=2,
    ),
    _race(
        id="R9",
        invariant="D4",
        doc="R9, fork corruption (Dickins, 26 May 2006): fork copies the WRITE migration "
        "entry of a page being migrated; the code before the fix passed SWP_MIGRATION_READ "
        "where a boolean was expected, so parent and child keep WRITE entries and "
        "remove_migration_ptes maps the new page writable in both (D4: COW broken). The "
        "fixed copy_one_pte makes both READ. In 2.6.18 the migrator holds the mm's mmap_sem "
        "(sys_migrate_pages: read; mbind: write) and dup_mmap holds it for write, so the "
        "copy cannot meet the entry; compaction's migrator (6.1) takes no mmap_sem.",
        base=Scenario(
            name="r9-fork-write-entry",
            description="fork copies a WRITE migration entry while compaction migrates the page",
            races=("R9",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=1),
            kernel=KernelSpec(CURRENT),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1),),
            # The write makes the pte writable before the migration starts, so that
            # try_to_migrate leaves a WRITE entry for the fork to copy.
            task=(
                Task("P", "A", 0, (TaskStep("write", page=0), NAP, TaskStep("fork", child="C"))),
            ),
            daemon=(Daemon("migrate", name="compact", pages=("A:0",), to_node=1, at=1),),
            explore=Explore(strategy="dfs", schedules=20000, preemption_bound=2, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="no-downgrade",
        guards=("6.1",),
        failing=("no-downgrade",),
        eras={"no-downgrade": ("6.1-fork-no-downgrade", "never"), "6.1": (CURRENT, "never")},
        bound=2,
    ),
    _race(
        id="R13",
        invariant="D5",
        doc='R13, swapoff vs. swap-in (2799e77529c2, "swap: fix do_swap_page() race with '
        'swapoff"): F reads a swap pte whose clean page is still in the swap cache; '
        "swapoff's try_to_unuse maps the page under the PTL, frees the entry, and, no "
        "fault having pinned the device, frees the device's state; F goes on into "
        "lookup_swap_cache on the freed device (D5, the use after free). 6.1 pins the "
        "device in do_swap_page (get_swap_device), and swapoff waits for the pins "
        "(percpu_ref_kill, wait_for_completion) before the teardown.",
        base=Scenario(
            name="r13-swapoff",
            description="a fault on a swap pte while swapoff unuses it and frees the device",
            races=("R13",),
            machine=Machine(nodes=1, pages_per_node=2, swap_slots=1, cpus=1),
            kernel=KernelSpec(CURRENT),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1, state=("cached",)),),
            task=(Task("F", "A", 0, (READ,)),),
            daemon=(Daemon("swapoff", name="swapoff"),),
            explore=Explore(strategy="dfs", schedules=5000, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="no-get-swap-device",
        guards=("6.1",),
        failing=("no-get-swap-device",),
        eras={
            "no-get-swap-device": ("6.1-no-get-swap-device", "never"),
            "6.1": (CURRENT, "never"),
        },
    ),
    _race(
        id="R17",
        invariant="D1",
        doc="R17, the lost write in reclaim (the comment above the refcount freeze in 6.1 "
        "mm/vmscan.c __remove_mapping): G pins the page with get_user_pages; kswapd "
        "unmaps it, writes it out and, in the strawman order, finds it clean; the "
        "device's write through G's pin dirties it and G unpins; kswapd then finds only "
        "the swap cache and itself holding the page and frees it, so the next read "
        "swaps in the old data (D1). 6.1 freezes the refcount first: a pin makes the "
        "freeze fail, and a write finished before it has left PG_dirty set.",
        base=Scenario(
            name="r17-pinned-write",
            description="a write through a GUP pin while reclaim frees the unmapped page",
            races=("R17",),
            machine=Machine(nodes=1, pages_per_node=2, swap_slots=1, cpus=1),
            kernel=KernelSpec(CURRENT),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1),),
            task=(Task("G", "A", 0, (TaskStep("gup_write", page=0), READ)),),
            daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
            explore=Explore(strategy="dfs", schedules=5000, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="dirty-first",
        guards=("6.1",),
        failing=("dirty-first",),
        eras={"dirty-first": ("6.1-dirty-before-freeze", "never"), "6.1": (CURRENT, "never")},
    ),
    _race(
        id="R18",
        invariant="L3",
        doc="R18, mlock vs. migration (6.1 unevictable-lru.rst): mlock sets VM_LOCKED and "
        "then walks the present pages; compaction (no mmap_lock) migrates the page in "
        "between, and remove_migration_pte counts the new page for the locked vma; the "
        "walk then counts it again, so mlock_count exceeds the locked vmas (L3) and the "
        "page stays unevictable after munlock. 6.1 sets VM_IO for the length of the walk, "
        "so the remap does not count.",
        base=Scenario(
            name="r18-mlock-count",
            description="mlock walks a page while compaction migrates it",
            races=("R18",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=1),
            kernel=KernelSpec(CURRENT),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1),),
            task=(Task("T", "A", 0, (TaskStep("mlock", page=0),)),),
            daemon=(Daemon("migrate", name="compact", pages=("A:0",), to_node=1),),
            explore=Explore(strategy="pct", schedules=2000, depth=3, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="no-vm-io",
        guards=("6.1",),
        failing=("no-vm-io",),
        eras={"no-vm-io": ("6.1-mlock-no-vm-io", "never"), "6.1": (CURRENT, "never")},
    ),
    _race(
        id="R8",
        invariant="D3",
        doc="R8, Dickins' swapops.h:97 BUG (24 May 2006): A's page, shared with its forked "
        "child B, is migrated (sys_migrate_pages holds A's mmap_sem, not B's) while B "
        "forks C. __anon_vma_link put C at the head of the anon_vma list, so "
        "remove_migration_ptes meets C before B: it finds nothing in C, fork's "
        "copy_one_pte then copies B's migration entry into C, and the walk fixes B. The "
        "migrator unlocks and frees the old page with C's entry still naming it (D3; the "
        "kernel's BUG_ON(!PageLocked) in migration_entry_to_page). Linking new vmas at "
        "the tail makes the walk meet B first, so C copies either the entry before B's "
        "fix (and the walk finds it) or the new pte after it.",
        base=Scenario(
            name="r8-orphan-entry",
            description="fork copies a migration entry past the rmap walk of the remap",
            races=("R8",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=2),
            kernel=KernelSpec(SWAPLESS),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1),),
            # B exists before the migration starts; only B's fork of C races it.
            task=(
                Task("P", "A", 0, (TaskStep("fork", child="B"),)),
                Task("Q", "B", 1, (NAP, TaskStep("fork", child="C"))),
            ),
            daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1, at=1),),
            explore=Explore(strategy="dfs", schedules=2000, preemption_bound=2, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="head-link",
        guards=("2.6.18",),
        failing=("head-link",),
        eras={
            "head-link": ("2.6.18-swapless-head-link", "never"),
            "2.6.18": (SWAPLESS, "never"),
        },
        bound=2,
    ),
    _race(
        id="R11",
        invariant="D3",
        doc="R11, the anon_vma freed under migration (Gorman, 3f6c82728f4e, 2010): "
        "compaction (no mmap_lock) turns the only pte into a migration entry; the task "
        "exits, zaps the entry and unlinks the last vma, which frees the anon_vma; "
        "remove_migration_ptes then follows page->mapping into the freed anon_vma (D3, "
        "the use after free compaction hit). 6.1 takes a reference on the anon_vma "
        "before the unmap and drops it after the remap.",
        base=Scenario(
            name="r11-anon-vma-freed",
            description="the last task exits between the unmap and the remap of a migration",
            races=("R11",),
            machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=1),
            kernel=KernelSpec(CURRENT),
            policies=SWAPLESS_POLICIES,
            mm=(MmSpec("A", pages=1),),
            task=(Task("T", "A", 0, (TaskStep("exit"),)),),
            daemon=(Daemon("migrate", name="compact", pages=("A:0",), to_node=1),),
            explore=Explore(strategy="dfs", schedules=2000, preemption_bound=2, max_steps=600),
        ),
        knob="fallback_to_swap",
        unguarded="no-anon-vma-ref",
        guards=("6.1",),
        failing=("no-anon-vma-ref",),
        eras={"no-anon-vma-ref": ("6.1-no-anon-vma-ref", "never"), "6.1": (CURRENT, "never")},
        bound=2,
    ),
)
"""The races of the swapless eras (2.6.18 and 6.1)."""


def _race_number(race: Race) -> int:
    return int(race.id[1:])


RACES: Mapping[str, Race] = {
    race.id: race for race in sorted((*_RACES, *_SWAPLESS_RACES), key=_race_number)
}
"""Race id -> :class:`Race`, in the order of the domain reference."""

r1_seed = RACES["R1"].scenario
r2_two_faulters = RACES["R2"].scenario
r3_vanished_entry = RACES["R3"].scenario
r4_exit_leak = RACES["R4"].scenario
r6_stale_entry = RACES["R6"].scenario
r7_entry_aba = RACES["R7"].scenario
r15_zap_deadlock = RACES["R15"].scenario
r16_swap_undercount = RACES["R16"].scenario
r10_waiter_pin = RACES["R10"].scenario
r8_orphan_entry = RACES["R8"].scenario
r11_anon_vma_freed = RACES["R11"].scenario
r13_swapoff = RACES["R13"].scenario
r17_pinned_write = RACES["R17"].scenario
r18_mlock_count = RACES["R18"].scenario
r9_fork_write_entry = RACES["R9"].scenario
r20_move_window = RACES["R20"].scenario
r21_relookup_aba = RACES["R21"].scenario
