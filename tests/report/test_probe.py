"""The kernel's state probe: each footprint key's object as a frozen value a report prints."""

from __future__ import annotations

from kernel_actors import CacheEntryValue, CacheValue, KernelProbe, LockValue, PageValue, PteValue
from kernel_model import Kernel, PteMigCache, PtePresent, PteSwap, migration_entry, swap_entry


def test_the_probe_reads_ptes_caches_pages_and_locks() -> None:
    k = Kernel(nodes=1, pages_per_node=4)
    k.add_mm("A", 3, 0)
    probe = KernelProbe(k)
    idr = k.migcache.alloc_id()
    page = k.alloc_page(0, "migcache")
    assert page is not None
    k.migcache.tree[idr] = page.pfn
    k.install_pte("A", 0, PteMigCache(migration_entry(idr)))
    k.migcache.counters[idr] = 1
    slot = k.swap.alloc_slot()
    assert slot is not None
    k.install_pte("A", 1, PteSwap(swap_entry(slot)))
    k.install_pte("A", 2, PtePresent(page.pfn, writable=True))
    page.locked_by = "kswapd"

    assert probe.probe(("pte", "A", 0)) == PteValue(f"mig:{idr}", f"mig:{idr}")
    assert str(probe.probe(("pte", "A", 1))) == f"swp0:{slot}"
    assert str(probe.probe(("pte", "A", 2))) == f"pfn {page.pfn} rw"
    cache = probe.probe(("migcache",))
    assert cache == CacheValue((CacheEntryValue(f"mig:{idr}", 1, page.pfn),))
    assert isinstance(cache, CacheValue)
    assert cache.find(f"mig:{idr}") is not None
    assert cache.find("mig:99") is None
    assert str(probe.probe(("swap",))) == f"{{swp0:{slot} (count 1, no page)}}"
    value = probe.probe(("page", page.pfn))
    assert isinstance(value, PageValue)
    assert dict(value.fields)["holders"] == "migcache=1"
    assert "PG_locked(kswapd)" in dict(value.fields)["flags"]
    assert probe.probe(("lock", f"page:{page.pfn}")) == LockValue("kswapd")
    assert str(probe.probe(("lock", "ptl:A:0"))) == "free"
    free = probe.probe(("alloc", 0))
    assert free == f"pfn {' '.join(map(str, reversed(k.free_lists[0])))} (3)"


def test_keys_the_probe_does_not_know_have_no_value() -> None:
    k = Kernel(nodes=1, pages_per_node=2)
    probe = KernelProbe(k)
    assert probe.probe(("mailbox", "cpu0")) is None
    assert probe.probe(("pte", "nosuchmm", 0)) is None
    assert probe.probe(("lock", "unknown:1")) is None
    assert probe.probe(("page", 99)) is None
