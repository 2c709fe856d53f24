"""Scenario builders for the races of kernel-domain §3, one function per race.

Each returns a small :class:`~migsim._scenario.Scenario` whose ``expect`` follows from the
policy it is given: the unguarded policy (the default argument) expects a violation of the
race's invariant, the guarded one expects ``ok``.  ``GUARDED`` and ``UNGUARDED`` list the
policy pairs; the explore settings are the budgets the tests rely on.
"""

from __future__ import annotations

from collections.abc import Callable

from migsim._scenario import (
    Daemon,
    Expect,
    Explore,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
    TaskStep,
)

READ = TaskStep("read", page=0)


def _expect(bad: bool, invariant: str) -> Expect:
    return Expect("violation", invariant) if bad else Expect("ok")


def r1_seed(fault_retry: str = "none") -> Scenario:
    """R1, the seed: an unlocked pte read races ``migration_move_to_swap`` in kswapd.

    Under ``none`` the lookup of the vanished migration entry misses and the fault ends in
    OOM (K3); every rechecking policy refaults and finds the swap pte.
    """
    return Scenario(
        name=f"r1-seed-{fault_retry}",
        description="fault on a migration-cache pte while kswapd moves the page to swap",
        races=("R1",),
        machine=Machine(nodes=2, pages_per_node=2, swap_slots=2, cpus=1),
        policies=Policies(fallback_to_swap="vmscan-only", fault_retry=fault_retry),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(Task("T", "A", 0, (READ,)),),
        daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
        explore=Explore(strategy="pct", schedules=2000, depth=4, max_steps=400),
        expect=_expect(fault_retry == "none", "K3"),
    )


def r2_two_faulters(fault_retry: str = "none") -> Scenario:
    """R2: two threads fault on one migration-cache pte; the first one's map frees the entry."""
    return Scenario(
        name=f"r2-two-faulters-{fault_retry}",
        description="two threads of one mm fault on the same migration-cache pte",
        races=("R2",),
        machine=Machine(nodes=1, pages_per_node=2, swap_slots=1, cpus=2),
        policies=Policies(fault_retry=fault_retry),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(Task("T1", "A", 0, (READ,)), Task("T2", "A", 1, (READ,))),
        explore=Explore(strategy="pct", schedules=2000, depth=3, max_steps=400),
        expect=_expect(fault_retry == "none", "K3"),
    )


def r3_vanished_entry(fallback: str = "hotplug-2005") -> Scenario:
    """R3: direct migration finds no destination page; the 2005 code detaches the entry anyway,
    leaving ptes that name a freed migration-cache id (D3); restoring the ptes is the guard."""
    return Scenario(
        name=f"r3-vanished-entry-{fallback}",
        description="migration with a full target node while a task reads the page",
        races=("R3",),
        machine=Machine(nodes=2, pages_per_node=1, swap_slots=1, cpus=1),
        policies=Policies(fallback_to_swap=fallback, fault_retry="pte-same+private"),
        mm=(MmSpec("A", pages=1, node=0), MmSpec("B", pages=1, node=1)),
        task=(Task("T", "A", 0, (READ,)),),
        daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
        explore=Explore(strategy="pct", schedules=500, depth=3, max_steps=600),
        expect=_expect(fallback == "hotplug-2005", "D3"),
    )


def r4_exit_leak(fallback: str = "v8-never") -> Scenario:
    """R4: the task exits between ``add_to_migration_cache`` and ``try_to_unmap``: the entry
    keeps counter 0 forever (Q2) unless migration drops unused entries."""
    return Scenario(
        name=f"r4-exit-leak-{fallback}",
        description="exit during lazy migration leaves a counter-0 migration-cache entry",
        races=("R4",),
        machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=1),
        policies=Policies(fallback_to_swap=fallback),
        mm=(MmSpec("A", pages=1),),
        task=(Task("T", "A", 0, (TaskStep("exit"),)),),
        daemon=(Daemon("migrate", name="lazy", mode="lazy", pages=("A:0",)),),
        explore=Explore(strategy="pct", schedules=1000, depth=3, max_steps=400),
        expect=_expect(fallback.startswith("v8-"), "Q2"),
    )


def r6_stale_entry(fault_retry: str = "no-pte-same") -> Scenario:
    """R6: a faulter keeps its local copy of an entry across a migration.  Without pte_same it
    maps the old page and releases the entry a second time (C3, the BUG_ON of
    ``__migration_remove_reference``); when the id was already reused for another page it
    maps that page's data instead (D1).  pte_same under the PTL rejects both."""
    return Scenario(
        name=f"r6-stale-entry-{fault_retry}",
        description="fault vs eager migration of a lazy page, with the id reused at once",
        races=("R6",),
        machine=Machine(nodes=2, pages_per_node=3, swap_slots=1, cpus=1),
        policies=Policies(fallback_to_swap="never", fault_retry=fault_retry),
        mm=(MmSpec("A", pages=1, state=("lazy",)), MmSpec("B", pages=1)),
        task=(Task("T", "A", 0, (READ,)),),
        daemon=(
            Daemon("migrate", name="eager", pages=("A:0",), to_node=1),
            Daemon("migrate", name="lazy", mode="lazy", pages=("B:0",)),
        ),
        explore=Explore(strategy="pct", schedules=3000, depth=4, max_steps=600),
        expect=_expect(fault_retry == "no-pte-same", "C3"),
    )


def r7_entry_aba(fault_retry: str = "pte-same") -> Scenario:
    """R7: the pte holds the *same* migration entry again, now naming a different page (the
    id was freed and handed out again): pte_same accepts the stale page (D1); checking
    PG_swapcache and private == entry after lock_page rejects it."""
    return Scenario(
        name=f"r7-entry-aba-{fault_retry}",
        description="fork, COW and lazy migration recycle a migration-cache id under a faulter",
        races=("R7",),
        machine=Machine(nodes=1, pages_per_node=4, swap_slots=1, cpus=3),
        policies=Policies(fallback_to_swap="never", fault_retry=fault_retry),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(
            Task("P", "A", 0, (TaskStep("fork", child="C"), TaskStep("write", page=0))),
            Task("C", "C", 1, (TaskStep("exit"),)),
            Task("F", "A", 2, (READ,)),
        ),
        daemon=(Daemon("migrate", name="lazy", mode="lazy", pages=("A:0",), to_node=0),),
        explore=Explore(strategy="pct", schedules=20000, depth=5, max_steps=800),
        expect=_expect(fault_retry in ("pte-same", "none", "swapcache-goto"), "D1"),
    )


def r15_zap_deadlock(fallback: str = "v8-vmscan-only") -> Scenario:
    """R15: exit's zap sleeps in lock_page under the PTL (V8 ``migration_remove_entry``)
    while kswapd holds the page lock and wants that PTL (K1)."""
    return Scenario(
        name=f"r15-zap-deadlock-{fallback}",
        description="exit zaps a migration-cache pte while kswapd moves the page to swap",
        races=("R15",),
        machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
        policies=Policies(fallback_to_swap=fallback),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(Task("T", "A", 0, (TaskStep("exit"),)),),
        daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
        explore=Explore(strategy="pct", schedules=1000, depth=3, max_steps=400),
        expect=_expect(fallback.startswith("v8-"), "K1"),
    )


def r16_swap_undercount(fallback: str = "v8-vmscan-only") -> Scenario:
    """R16: the posted ``update_pte`` installs swap ptes without ``swap_duplicate`` (C4)."""
    return Scenario(
        name=f"r16-swap-undercount-{fallback}",
        description="kswapd moves a migration-cache page mapped by two ptes to swap",
        races=("R16",),
        machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
        policies=Policies(fallback_to_swap=fallback),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(Task("T", "A", 0, (READ,)),),
        daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
        explore=Explore(strategy="random", schedules=200, max_steps=400),
        expect=_expect(fallback.startswith("v8-"), "C4"),
    )


def r20_move_window(fault_retry: str = "no-pte-same") -> Scenario:
    """R20: a faulter finds the page inside ``migration_move_to_swap``'s window (still in the
    migration tree, already swap cache); only pte_same or the private check saves it."""
    return Scenario(
        name=f"r20-move-window-{fault_retry}",
        description="fault on a migration-cache pte during migration_move_to_swap",
        races=("R20",),
        machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
        policies=Policies(fallback_to_swap="vmscan-only", fault_retry=fault_retry),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(Task("T", "A", 0, (READ,)),),
        daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
        explore=Explore(strategy="pct", schedules=2000, depth=4, max_steps=400),
        expect=_expect(fault_retry == "no-pte-same", "C3"),
    )


def workload(*, schedules: int = 500) -> Scenario:
    """Several pages, three CPUs, eager and lazy migration and kswapd together (guarded)."""
    return Scenario(
        name="workload-guarded",
        description="multi-page, multi-CPU workload with every daemon running",
        machine=Machine(nodes=2, pages_per_node=10, swap_slots=6, cpus=3, ptes_per_table=2),
        policies=Policies(
            fallback_to_swap="never", mlocked="refuse", fault_retry="pte-same+private"
        ),
        mm=(
            MmSpec("A", pages=4, node=0, mlocked=(3,)),
            MmSpec("B", pages=3, node=0, state=("lazy", "present", "swapped")),
        ),
        task=(
            Task(
                "T1",
                "A",
                0,
                (
                    TaskStep("read", page=0),
                    TaskStep("write", page=1),
                    TaskStep("read", page=2),
                    TaskStep("write", page=0),
                ),
            ),
            Task(
                "T2",
                "A",
                1,
                (TaskStep("write", page=2), TaskStep("read", page=1), TaskStep("read", page=3)),
            ),
            Task(
                "T3",
                "B",
                2,
                (
                    TaskStep("read", page=0),
                    TaskStep("write", page=2),
                    TaskStep("read", page=1),
                    TaskStep("exit"),
                ),
            ),
        ),
        daemon=(
            Daemon("migrate", name="eager", pages=("A:0", "A:1", "A:3", "B:0"), to_node=1),
            Daemon("migrate", name="lazy", mode="lazy", pages=("A:2", "B:1")),
            Daemon("kswapd", name="kswapd", pages=("A:1", "A:2", "B:1", "B:2"), passes=2),
        ),
        explore=Explore(strategy="random", schedules=schedules, max_steps=3000),
    )


RACES: dict[str, Callable[..., Scenario]] = {
    "R1": r1_seed,
    "R2": r2_two_faulters,
    "R3": r3_vanished_entry,
    "R4": r4_exit_leak,
    "R6": r6_stale_entry,
    "R7": r7_entry_aba,
    "R15": r15_zap_deadlock,
    "R16": r16_swap_undercount,
    "R20": r20_move_window,
}
"""Race id -> scenario builder (called with no argument: the unguarded variant)."""

GUARDED: dict[str, str] = {
    "R1": "pte-same+private",
    "R2": "pte-same",
    "R3": "never",
    "R4": "never",
    "R6": "pte-same",
    "R7": "pte-same+private",
    "R15": "vmscan-only",
    "R16": "vmscan-only",
    "R20": "pte-same+private",
}
"""Race id -> the policy name (passed to its builder) that guards it."""

BOUNDS: dict[str, int] = {"R6": 2, "R7": 1}
"""Preemption bound of a race's exhaustive guarded search (absent: unbounded): the
unbounded DPOR search of R6 and R7 does not finish within 20,000 schedules."""

R1_GUARDS: tuple[str, ...] = ("pte-same", "pte-same+private", "eagain-refetch", "swapcache-goto")
"""Every fault-retry policy that survives the seed race."""
