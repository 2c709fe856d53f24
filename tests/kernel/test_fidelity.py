"""The 2.6.16 code paths the model follows, step for step, where an earlier shape of the
model allowed interleavings (or verdicts) no kernel of the era produces."""

from __future__ import annotations

from actors import RandomWalk, run_schedule
from kernel_actors import InvariantMonitor
from kernel_model import (
    HOLDER_LRU,
    HOLDER_SWAPCACHE,
    Kernel,
    PteMigCache,
    PtePresent,
    add_to_swap,
    pageout,
)
from migsim import Daemon, Machine, MmSpec, Policies, Scenario, Task, TaskStep, build_program

READ = TaskStep("read", page=0)


def test_pageout_judges_by_vm_locked_not_by_a_page_flag_in_2_6_16() -> None:
    """munlock clears VM_LOCKED a step before the page flag: a check of the flag would
    report a page-out 2.6.16 legitimately does (it has no PG_mlocked at all)."""
    k = Kernel(nodes=1, pages_per_node=2, swap_slots=1)
    k.add_mm("A", 1, 0)
    page = k.alloc_page(0, HOLDER_LRU)
    assert page is not None
    assert add_to_swap(k, page) is not None
    page.mlocked = True  # a stale flag: no VM_LOCKED pte maps the page
    pageout(k, page)
    assert not k.findings
    pageout(k, page, pg_mlocked=True)  # an era with PG_mlocked (2.6.28+) judges by it
    assert [f.code for f in k.findings] == ["L1"]
    assert page.held(HOLDER_SWAPCACHE) == 1


def _final(scenario: Scenario, seed: int = 0) -> tuple[Kernel, list[str]]:
    setup = build_program(scenario)()
    monitor = setup.monitors[0]
    assert isinstance(monitor, InvariantMonitor)
    result = run_schedule(lambda: setup, RandomWalk(seed), max_steps=800)
    assert result.outcome.kind == "ok", result.outcome.describe()
    return monitor.kernel, [s.label for s in result.trace]


FULL_TARGET_FREE_SOURCE = Scenario(
    name="eager-migration-falls-back-to-another-node",
    machine=Machine(nodes=2, pages_per_node=2, swap_slots=1, cpus=1),
    policies=Policies(fallback_to_swap="never", fault_retry="pte-same+private"),
    mm=(MmSpec("A", pages=1, node=0), MmSpec("B", pages=2, node=1)),
    task=(Task("T", "A", 0, (TaskStep("sleep", ticks=1),)),),
    daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
)


def test_eager_migration_allocates_first_and_falls_back_to_another_node() -> None:
    """2.6.16 migrate_pages_to: alloc_pages_node without __GFP_THISNODE, before any
    lock or unmap; the full target node gives a page of node 0."""
    for seed in range(5):
        k, labels = _final(FULL_TARGET_FREE_SOURCE, seed)
        assert labels.index("alloc destination") < labels.index("add_to_migration_cache")
        pte = k.pte("A", 0)
        assert isinstance(pte, PtePresent)
        assert k.pages[pte.pfn].nid == 0
        assert "unuse_pte" in labels  # it really moved


NOWHERE_TO_GO = Scenario(
    name="eager-migration-with-no-free-page",
    machine=Machine(nodes=2, pages_per_node=1, swap_slots=1, cpus=1),
    policies=Policies(fallback_to_swap="always", fault_retry="pte-same+private"),
    mm=(MmSpec("A", pages=1, node=0), MmSpec("B", pages=1, node=1)),
    task=(Task("T", "A", 0, (READ,)),),
    daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
)


def test_no_free_page_anywhere_leaves_the_page_untouched() -> None:
    """-ENOMEM before anything is locked or unmapped; V8 4/4's move to swap (fallback
    "always") is never reached."""
    for seed in range(5):
        _k, labels = _final(NOWHERE_TO_GO, seed)
        assert "add_to_migration_cache" not in labels
        assert "try_to_unmap_one" not in labels
        assert "move_to_swap: add_to_swap" not in labels


LOCKED_PARENT = Scenario(
    name="eager-migration-meets-vm-locked-in-the-walk",
    machine=Machine(nodes=2, pages_per_node=3, swap_slots=1, cpus=1),
    policies=Policies(fallback_to_swap="never", mlocked="refuse", fault_retry="pte-same+private"),
    mm=(MmSpec("A", pages=1, node=0, mlocked=(0,)),),
    task=(Task("P", "A", 0, (TaskStep("fork", child="C"),)), Task("C", "C", 0, ())),
    daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1, at=1),),
)


def test_vm_locked_is_found_inside_try_to_unmap_after_earlier_vmas() -> None:
    """The child (not VM_LOCKED: dup_mmap clears it) comes first in the anon_vma list, so
    its pte is converted before the parent's VM_LOCKED vma fails the walk (-EPERM): the
    page stays partly mapped, in the migration cache with counter 1."""
    k, labels = _final(LOCKED_PARENT)
    assert labels.count("try_to_unmap_one") == 2
    child, parent = k.pte("C", 0), k.pte("A", 0)
    assert isinstance(child, PteMigCache)
    assert isinstance(parent, PtePresent)
    assert k.migcache.counters[child.entry.offset] == 1
