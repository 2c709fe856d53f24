"""The kernel's state probe: what a footprint key names, as a frozen value for reports.

The runtime asks a program's ``probe`` monitor hook for the value of each object a step
touched, before and after the step, but only when a failing run is replayed for its report
(never while exploring).  :class:`KernelProbe` answers for the kernel's keys:

- ``pte/A/0``: the pte, as the kernel would print it: ``mig:1``, ``swp0:0``, ``pfn 3 ro``,
  ``none`` (:class:`PteValue`);
- ``migcache``, ``swap``: the cache's live entries, each with its counter (the migration
  counter, or ``swap_map``) and the page its tree holds (:class:`CacheValue`);
- ``page/3``: refcount by holder, mapcount, PG flags, ``private`` and the data it holds
  (:class:`PageValue`);
- ``lock/ptl:A:0``, ``lock/page:3``, ``lock/anon_vma:1``, ``lock/mmap_sem:A``: who holds
  the lock (an rwsem's writer or readers) and who waits (:class:`LockValue`);
- ``alloc/0``: node 0's free list, the next frame handed out first; ``lru``: pages on it.

Keys it does not know (mailboxes) are None: the report shows no value for them.
"""

from __future__ import annotations

from collections.abc import Hashable

import attrs

from kernel_model import (
    Kernel,
    Page,
    Pte,
    PteMigCache,
    PteMigration,
    PtePresent,
    PteSwap,
    migration_entry,
    swap_entry,
)

Key = tuple[str | int, ...]
_SHOWN = 6  # list at most this many frames of a free list or the LRU


@attrs.frozen
class PteValue:
    """A pte as text (``mig:1``), and the cache entry it names (None if it names none)."""

    text: str
    entry: str | None = None

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class CacheEntryValue:
    """One live cache entry: its name (``mig:1``, ``swp0:0``), counter and cached page."""

    name: str
    count: int
    pfn: int | None

    def __str__(self) -> str:
        page = "no page" if self.pfn is None else f"page {self.pfn}"
        return f"{self.name} (count {self.count}, {page})"


@attrs.frozen
class CacheValue:
    """The live entries of the migration cache or of the swap device, in id order."""

    entries: tuple[CacheEntryValue, ...]

    def find(self, name: str) -> CacheEntryValue | None:
        """The entry called ``name``, or None when it is not allocated."""
        for entry in self.entries:
            if entry.name == name:
                return entry
        return None

    def __str__(self) -> str:
        return "{" + ", ".join(map(str, self.entries)) + "}"


@attrs.frozen
class PageValue:
    """A page frame's fields as ``(name, text)`` pairs: ``ref 2``, ``holders lru=1 map=1``,
    ``map 1``, ``flags PG_locked(kswapd) PG_lru``, ``private mig:1``, ``data A:0 v1`` (a free
    page has none and prints as ``free``).

    A report that shows a change prints only the fields that changed (see ``fields``).
    """

    fields: tuple[tuple[str, str], ...]
    private: str | None = None

    def __str__(self) -> str:
        return " ".join(f"{name} {text}" for name, text in self.fields) or "free"


@attrs.frozen
class LockValue:
    """Who holds a lock (``holder``: a spinlock's or page lock's owner, an rwsem's writer;
    None: free), an rwsem's ``readers``, and who waits for it, in queue order."""

    holder: str | None
    waiters: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.holder:
            held = f"held by {self.holder}"
        elif self.readers:
            held = f"read-held by {' '.join(self.readers)}"
        else:
            held = "free"
        return f"{held}, waiting {' '.join(self.waiters)}" if self.waiters else held


def pte_value(pte: Pte) -> PteValue:
    """The compact form of ``pte``."""
    if isinstance(pte, PteSwap | PteMigCache):
        return PteValue(str(pte.entry), str(pte.entry))
    if isinstance(pte, PtePresent):
        bits = ("rw" if pte.writable else "ro") + (",dirty" if pte.dirty else "")
        return PteValue(f"pfn {pte.pfn} {bits}")
    if isinstance(pte, PteMigration):
        return PteValue(f"migration pfn {pte.pfn}")
    return PteValue(str(pte))  # PteNone prints as "none"


def page_value(page: Page) -> PageValue:
    """The fields of ``page`` that races break."""
    if page.free:
        return PageValue(())
    holders = " ".join(f"{h}={n}" for h, n in sorted(page.holders.items()) if n)
    flags = [
        f"PG_locked({page.locked_by})" if page.locked_by else "",
        "PG_swapcache" if page.swapcache else "",
        "PG_dirty" if page.dirty else "",
        "PG_writeback" if page.writeback else "",
        "PG_lru" if page.lru else "",
        "PG_mlocked" if page.mlocked else "",
        "moving_to_swap" if page.moving_to_swap else "",
    ]
    private = str(page.private) if page.private is not None else None
    fields = [
        ("ref", str(page.refcount)),
        ("holders", holders or "-"),
        ("map", str(page.mapcount)),
        ("flags", " ".join(f for f in flags if f) or "-"),
        ("private", private or "-"),
    ]
    if page.content is not None:
        fields.append(("data", f"{page.content[0]} v{page.content[1]}"))
    return PageValue(tuple(fields), private)


class KernelProbe:
    """The ``probe`` monitor hook over one run's :class:`~kernel_model.Kernel`."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def probe(self, key: Key) -> Hashable | None:
        """The value of the object ``key`` names, or None for a key it does not know."""
        kind, rest = key[0], key[1:]
        try:
            if kind == "pte":
                return pte_value(self.kernel.pte(str(rest[0]), int(rest[1])))
            if kind == "page":
                return page_value(self.kernel.pages[int(rest[0])])
            if kind == "migcache":
                return self._migcache()
            if kind == "swap":
                return self._swap()
            if kind == "lock":
                return self._lock(str(rest[0]))
            if kind == "alloc":
                return _frames(list(reversed(self.kernel.free_lists[int(rest[0])])))
            if kind == "lru":
                return _frames([p.pfn for p in self.kernel.pages if p.lru])
        except (KeyError, IndexError, ValueError):
            return None  # a key of a shape this probe does not know
        return None

    def _migcache(self) -> CacheValue:
        cache = self.kernel.migcache
        return CacheValue(
            tuple(
                CacheEntryValue(str(migration_entry(i)), cache.counters[i], cache.tree.get(i))
                for i in sorted(cache.counters)
            )
        )

    def _swap(self) -> CacheValue:
        swap = self.kernel.swap
        slots = sorted({s for s, n in enumerate(swap.swap_map) if n} | set(swap.cache))
        return CacheValue(
            tuple(
                CacheEntryValue(str(swap_entry(s)), swap.swap_map[s], swap.cache.get(s))
                for s in slots
            )
        )

    def _lock(self, name: str) -> LockValue | None:
        k = self.kernel
        waiters = tuple(k.lock_waiters.get(name, ()))
        kind, _, rest = name.partition(":")
        if kind == "page":
            return LockValue(k.pages[int(rest)].locked_by, waiters)
        if kind == "ptl":
            mm, _, table = rest.rpartition(":")
            return LockValue(k.mms[mm].ptl_holder[int(table)], waiters)
        if kind == "anon_vma":
            anon_vma = getattr(k, "anon_vmas", {}).get(int(rest))
            return None if anon_vma is None else LockValue(anon_vma.lock_holder, waiters)
        sem = getattr(k.mms[rest], "mmap_sem", None) if kind == "mmap_sem" else None
        if sem is not None:
            queued = tuple(f"{who}({'w' if w else 'r'})" for who, w in sem.waiters)
            return LockValue(sem.writer, queued, tuple(sorted(sem.readers)))
        return None


def _frames(pfns: list[int]) -> str:
    """``pfn 2 5 6 (3)``, the first listed handed out first; ``empty``."""
    if not pfns:
        return "empty"
    shown = " ".join(map(str, pfns[:_SHOWN])) + (" ..." if len(pfns) > _SHOWN else "")
    return f"pfn {shown} ({len(pfns)})"
