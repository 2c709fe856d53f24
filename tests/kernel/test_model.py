"""kernel_model: primitives, and each invariant caught by its own check."""

from __future__ import annotations

import pytest

from kernel_model import (
    HOLDER_LRU,
    HOLDER_MAP,
    INVARIANTS,
    MIGRATION_TYPE,
    PTE_NONE,
    Kernel,
    PteMigCache,
    PtePresent,
    PteSwap,
    add_to_migration_cache,
    add_to_swap,
    check_quiescence,
    check_step,
    migration_entry,
    migration_remove_reference,
    swap_duplicate,
    swap_entry,
)


def kernel() -> Kernel:
    k = Kernel(nodes=2, pages_per_node=4, swap_slots=3, ptes_per_table=2)
    k.add_mm("A", 4, 0)
    return k


def mapped(k: Kernel, vpage: int = 0) -> int:
    """Map a fresh page at A:vpage the way an anonymous fault does; return its pfn."""
    page = k.alloc_page(0, HOLDER_MAP)
    assert page is not None
    k.get_page(page, HOLDER_LRU)
    page.lru = True
    k.install_pte("A", vpage, PtePresent(page.pfn, writable=True))
    k.add_rmap(page)
    return page.pfn


def code(k: Kernel) -> str | None:
    found = check_step(k)
    return None if found is None else found.code


def test_the_invariant_table_has_every_id_of_the_domain_reference() -> None:
    ids = {"D1", "D2", "D3", "D4", "C1", "C2", "C3", "C4", "M1", "M2", "M3", "L1", "L2"}
    ids |= {"K1", "K2", "K3", "K4", "Q1", "Q2", "Q3", "Q4"}
    assert ids <= set(INVARIANTS)


def test_migration_ids_are_handed_out_lowest_free_first() -> None:
    k = kernel()
    ids = [k.migcache.alloc_id() for _ in range(3)]
    assert ids == [1, 2, 3]
    k.migcache.free_id(2)
    k.migcache.free_id(1)
    assert k.migcache.alloc_id() == 1
    assert k.migcache.alloc_id() == 2
    assert k.migcache.alloc_id() == 4


def test_swap_slots_are_allocated_lowest_first_until_full() -> None:
    k = kernel()
    assert [k.swap.alloc_slot() for _ in range(4)] == [0, 1, 2, None]


def test_entries_and_pte_same() -> None:
    assert migration_entry(3).type == MIGRATION_TYPE == 31
    assert migration_entry(3).is_migration
    assert not swap_entry(3).is_migration
    assert PteMigCache(migration_entry(1)) == PteMigCache(migration_entry(1))
    assert PteMigCache(migration_entry(1)) != PteMigCache(migration_entry(2))
    assert str(PteSwap(swap_entry(1))) == "swap(swp0:1)"


def test_allocation_fails_when_the_node_is_full() -> None:
    k = kernel()
    pages = [k.alloc_page(1, "x") for _ in range(4)]
    assert all(p is not None for p in pages)
    assert k.alloc_page(1, "x") is None


def test_a_consistent_mapping_passes_and_the_dirty_set_is_cleared() -> None:
    k = kernel()
    mapped(k)
    assert code(k) is None
    assert k.dirty == {}


def test_a_pte_write_without_the_ptl_is_k2() -> None:
    k = kernel()
    k.set_pte("A", 0, PTE_NONE, "cpu0")
    assert code(k) == "K2"


def test_a_pte_write_by_the_ptl_holder_is_fine() -> None:
    k = kernel()
    k.ptl_acquired("A", 0, "cpu0")
    k.set_pte("A", 1, PTE_NONE, "cpu0")
    assert code(k) is None


def test_a_put_by_a_holder_without_a_reference_is_c1() -> None:
    k = kernel()
    pfn = mapped(k)
    check_step(k)
    k.put_page(k.pages[pfn], "lookup:cpu0")
    assert code(k) == "C1"


def test_mapcount_out_of_step_with_the_ptes_is_c2() -> None:
    k = kernel()
    pfn = mapped(k)
    check_step(k)
    k.add_rmap(k.pages[pfn])
    assert code(k) == "C2"


def test_a_migration_counter_that_disagrees_with_the_ptes_is_c3() -> None:
    k = kernel()
    page = k.alloc_page(0, HOLDER_LRU)
    assert page is not None
    page.lru = True
    entry = add_to_migration_cache(k, page)
    k.install_pte("A", 0, PteMigCache(entry))
    assert code(k) == "C3"  # counter 0, one pte
    swap_duplicate(k, entry)
    assert code(k) is None


def test_releasing_a_freed_migration_entry_is_c3() -> None:
    k = kernel()
    migration_remove_reference(k, migration_entry(7))
    assert code(k) == "C3"


def test_a_swap_map_that_undercounts_the_swap_ptes_is_c4() -> None:
    k = kernel()
    page = k.alloc_page(0, HOLDER_LRU)
    assert page is not None
    page.lru = True
    entry = add_to_swap(k, page)
    assert entry is not None
    k.install_pte("A", 0, PteSwap(entry))  # no swap_duplicate: R16
    assert code(k) == "C4"


def test_a_pte_naming_a_freed_page_is_d3() -> None:
    k = kernel()
    pfn = mapped(k)
    check_step(k)
    page = k.pages[pfn]
    k.put_page(page, HOLDER_LRU)
    k.put_page(page, HOLDER_MAP)
    assert code(k) == "D3"


def test_a_shared_page_mapped_writable_is_d4() -> None:
    k = kernel()
    pfn = mapped(k)
    k.add_mm("B", 4, 0)
    k.install_pte("B", 0, PtePresent(pfn, writable=False))
    k.add_rmap(k.pages[pfn])
    k.get_page(k.pages[pfn], HOLDER_MAP)
    assert code(k) == "D4"  # A still maps it writable


def test_a_read_of_stale_data_is_d1() -> None:
    k = kernel()
    pfn = mapped(k)
    k.write_data("A", 0, k.pages[pfn])
    check_step(k)
    k.pages[pfn].content = ("A:0", 0)
    k.read_data("A", 0, k.pages[pfn], "cpu0")
    assert code(k) == "D1"


def test_pg_swapcache_without_cache_membership_is_m1() -> None:
    k = kernel()
    pfn = mapped(k)
    check_step(k)
    k.pages[pfn].swapcache = True
    k.touch_page(pfn)
    assert code(k) == "M1"


@pytest.mark.parametrize(("locked", "expected"), [(True, "L1"), (False, None)])
def test_a_swap_pte_in_a_vm_locked_vma_is_l1(locked: bool, expected: str | None) -> None:
    k = kernel()
    k.mms["A"].vm_locked[0] = locked
    slot = k.swap.alloc_slot()
    assert slot is not None
    k.swap.swap_map[slot] = 1
    k.install_pte("A", 0, PteSwap(swap_entry(slot)))
    assert code(k) == expected


@pytest.mark.parametrize(("migrate", "expected"), [(False, "L2"), (True, None)])
def test_a_migration_pte_in_a_vm_locked_vma_depends_on_the_mlocked_policy(
    migrate: bool, expected: str | None
) -> None:
    k = Kernel(nodes=1, pages_per_node=2, swap_slots=1, mlock_migrate=migrate)
    k.add_mm("A", 1, 0).vm_locked[0] = True
    page = k.alloc_page(0, HOLDER_LRU)
    assert page is not None
    page.lru = True
    entry = add_to_migration_cache(k, page)
    swap_duplicate(k, entry)
    k.install_pte("A", 0, PteMigCache(entry))
    assert code(k) == expected


def test_checks_are_incremental_untouched_objects_are_not_rechecked() -> None:
    k = kernel()
    pfn = mapped(k)
    check_step(k)
    k.pages[pfn].mapcount = 5  # broken, but not marked touched
    assert code(k) is None
    k.touch_page(pfn)
    assert code(k) == "C2"


def test_quiescence_flags_a_locked_page_q1() -> None:
    k = kernel()
    pfn = mapped(k)
    k.pages[pfn].locked_by = "migrate"
    found = check_quiescence(k)
    assert found is not None
    assert found.code == "Q1"


def test_quiescence_flags_a_counter_zero_entry_q2() -> None:
    k = kernel()
    page = k.alloc_page(0, HOLDER_LRU)
    assert page is not None
    page.lru = True
    add_to_migration_cache(k, page)
    found = check_quiescence(k)
    assert found is not None
    assert found.code == "Q2"


def test_quiescence_flags_a_leaked_slot_q3() -> None:
    k = kernel()
    k.swap.swap_map[1] = 1
    found = check_quiescence(k)
    assert found is not None
    assert found.code == "Q3"


def test_quiescence_flags_a_leftover_transient_holder_q4() -> None:
    k = kernel()
    pfn = mapped(k)
    k.get_page(k.pages[pfn], "lookup:cpu0")
    found = check_quiescence(k)
    assert found is not None
    assert found.code == "Q4"


def test_a_clean_machine_is_quiescent() -> None:
    k = kernel()
    mapped(k)
    assert check_quiescence(k) is None
