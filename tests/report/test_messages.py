"""Violation messages name the offending objects: which ptes, which id or slot, which
holders disagree."""

from __future__ import annotations

from kernel_model import (
    Kernel,
    PteMigCache,
    PtePresent,
    PteSwap,
    check_mid,
    check_page,
    check_slot,
    migration_entry,
    swap_entry,
)


def test_a_migration_counter_mismatch_names_the_ptes() -> None:
    k = Kernel()
    k.add_mm("A", 2, 0)
    idr = k.migcache.alloc_id()
    k.install_pte("A", 0, PteMigCache(migration_entry(idr)))
    k.install_pte("A", 1, PteMigCache(migration_entry(idr)))
    found = check_mid(k, idr)
    assert found is not None
    assert found.code == "C3"
    assert found.message == f"migration counter({idr}) = 0 but 2 ptes name it (A:0, A:1)"


def test_a_swap_count_mismatch_names_the_ptes() -> None:
    k = Kernel()
    k.add_mm("A", 2, 0)
    slot = k.swap.alloc_slot()
    assert slot is not None
    k.install_pte("A", 0, PteSwap(swap_entry(slot)))
    k.install_pte("A", 1, PteSwap(swap_entry(slot)))
    found = check_slot(k, slot)
    assert found is not None
    assert found.code == "C4"
    assert f"swap_map[{slot}] = 1 but 2 swap ptes (A:0, A:1) name it" in found.message


def test_a_mapcount_mismatch_names_the_ptes_and_the_holders() -> None:
    k = Kernel()
    k.add_mm("B", 1, 0)
    page = k.alloc_page(0, "map")
    assert page is not None
    k.install_pte("B", 0, PtePresent(page.pfn))
    found = check_page(k, page.pfn)
    assert found is not None
    assert found.code == "C2"
    assert found.message.endswith("1 present ptes map it (B:0)")
    assert "[map=1]" in found.message  # the holders of the refcount
    page.holders["lru"] = 1
    found = check_page(k, page.pfn)
    assert found is not None
    assert "refcount 1 != 2, the sum of holders" in found.message
