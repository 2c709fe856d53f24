"""Kernel eras: which code runs is a setting of the kernel, and it changes what breaks.

The same scenario and the same policies give a clean exhaustive search under the
corrected migration cache and the race's violation under the era whose code has it.
"""

from __future__ import annotations

from typing import Literal

import attrs
import pytest

from actors import DFS, Budget, RandomWalk, explore, run_schedule
from kernel_actors import InvariantMonitor
from kernel_model import DEFAULT_ERA, ERAS
from migsim import (
    Daemon,
    KernelSpec,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
    TaskStep,
    build_program,
)

READ = TaskStep("read", page=0)

FULL_TARGET = Scenario(
    name="eager-migration-to-a-full-node",
    machine=Machine(nodes=2, pages_per_node=1, swap_slots=1, cpus=1),
    policies=Policies(fallback_to_swap="never", fault_retry="pte-same+private"),
    mm=(MmSpec("A", pages=1, node=0), MmSpec("B", pages=1, node=1)),
    task=(Task("T", "A", 0, (READ,)),),
    daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
)
"""R3's shape: the destination node has no free page, so the migration fails."""

MOVE_TO_SWAP = Scenario(
    name="kswapd-moves-a-lazy-page-to-swap",
    machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
    policies=Policies(fallback_to_swap="vmscan-only"),
    mm=(MmSpec("A", pages=1, state=("lazy",)),),
    task=(Task("T", "A", 0, (READ,)),),
    daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
)
"""Reclaim meets a fully lazy page while a task reads it: the corrected code moves it to
swap; the posted code never does (page_lock_anon_vma is NULL for an unmapped page)."""


def partly_mapped(*, pages_per_node: int = 2, swapped: bool = False) -> Scenario:
    """R16's shape: the forked child faulted the lazy page in (the parent's pte still
    names the entry), then reclaim moves the page to swap.  ``swapped``: the only swap
    slot is taken by another page (add_to_swap fails)."""
    state: tuple[Literal["present", "swapped", "lazy"], ...] = (
        ("lazy", "swapped") if swapped else ("lazy",)
    )
    return Scenario(
        name="kswapd-moves-a-partly-mapped-page",
        machine=Machine(nodes=1, pages_per_node=pages_per_node, swap_slots=1 if swapped else 2),
        policies=Policies(fallback_to_swap="vmscan-only"),
        mm=(MmSpec("A", pages=len(state), state=state),),
        task=(
            Task("P", "A", 0, (TaskStep("fork", child="C"),)),
            Task("C", "C", 0, (READ,)),
        ),
        daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",), at=1),),
    )


def test_the_eras_of_the_thread_come_first_with_their_code_paths() -> None:
    thread = ["2.6.16-mm1+v8", "2.6.16-mm1+v8-posted", "2.6.10-hotplug"]
    assert list(ERAS)[:3] == thread
    assert DEFAULT_ERA == "2.6.16-mm1+v8"
    assert KernelSpec().era == DEFAULT_ERA
    flags = {
        name: (
            era.posted_v8,
            era.detach_on_failure,
            era.migration_mmap_sem,
            era.reaps_unused,
            era.pg_mlocked,
            era.alloc_before_unmap,
        )
        for name, era in ERAS.items()
        if name in thread
    }
    assert flags == {
        "2.6.16-mm1+v8": (False, False, True, True, False, True),
        "2.6.16-mm1+v8-posted": (True, False, True, False, False, True),
        "2.6.10-hotplug": (False, True, False, False, False, False),
    }
    for name, era in ERAS.items():
        assert era.name == name
        assert era.description
        assert era.source


def _first_violation(scenario: Scenario, era: str) -> str | None:
    program = build_program(attrs.evolve(scenario, kernel=KernelSpec(era=era)))
    found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=600))
    if found.first is None:
        assert found.exhaustive_complete
        return None
    return found.first.outcome.code


@pytest.mark.parametrize(
    ("scenario", "era", "code"),
    [
        (FULL_TARGET, "2.6.16-mm1+v8", None),
        (FULL_TARGET, "2.6.10-hotplug", "D3"),  # the detached entry: R3
        (MOVE_TO_SWAP, "2.6.16-mm1+v8", None),
        (MOVE_TO_SWAP, "2.6.16-mm1+v8-posted", None),  # the lazy page is never moved
        (partly_mapped(), "2.6.16-mm1+v8", None),
        (partly_mapped(), "2.6.16-mm1+v8-posted", "C4"),  # update_pte without swap_duplicate
        # add_to_swap fails (swap full): the posted code returns with the anon_vma lock held.
        (partly_mapped(swapped=True), "2.6.16-mm1+v8", None),
        (partly_mapped(swapped=True), "2.6.16-mm1+v8-posted", "Q1"),
        # no free memory: the posted add_to_swap(GFP_KERNEL) waits under the spinlock.
        (partly_mapped(pages_per_node=1), "2.6.16-mm1+v8-posted", "K1"),
    ],
)
def test_the_era_decides_whether_the_race_is_there(
    scenario: Scenario, era: str, code: str | None
) -> None:
    assert _first_violation(scenario, era) == code


def test_the_posted_move_to_swap_never_touches_a_fully_lazy_page() -> None:
    program = build_program(attrs.evolve(MOVE_TO_SWAP, kernel=KernelSpec("2.6.16-mm1+v8-posted")))
    found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=600))
    assert found.exhaustive_complete
    for seed in range(5):
        labels = {s.label for s in run_schedule(program, RandomWalk(seed), max_steps=600).trace}
        assert "update_pte" not in labels
        assert "move_to_swap: add_to_swap" not in labels


def test_fork_links_the_child_at_the_head_of_the_anon_vma() -> None:
    program = build_program(attrs.evolve(partly_mapped(), kernel=KernelSpec(DEFAULT_ERA)))
    setup = program()
    monitor = setup.monitors[0]
    assert isinstance(monitor, InvariantMonitor)
    k = monitor.kernel
    assert k.anon_vma_of("A").vmas == ["A"]
    result = run_schedule(lambda: setup, RandomWalk(0), max_steps=600)
    assert result.outcome.kind == "ok", result.outcome.describe()
    assert k.anon_vma_of("C") is k.anon_vma_of("A")
    assert k.anon_vma_of("A").vmas == ["C", "A"]
    assert all(p.mapping is None for p in k.pages if p.free)  # cleared when freed


def test_page_lock_anon_vma_is_null_for_a_page_no_pte_maps() -> None:
    setup = build_program(MOVE_TO_SWAP)()
    monitor = setup.monitors[0]
    assert isinstance(monitor, InvariantMonitor)
    k = monitor.kernel
    page = next(p for p in k.pages if not p.free)
    assert page.mapping == k.mms["A"].anon_vma  # named by the lazy pte's entry
    assert k.page_lock_anon_vma(page) is None
    page.mapcount = 1
    assert k.page_lock_anon_vma(page) is k.anon_vma_of("A")
