"""The swap device, the swap cache and the migration cache, as plain state.

- :class:`SwapDevice`: ``swap_map[slot]`` counts the swap ptes naming the slot plus 1 when the
  slot is in the swap cache (the 2.6.x convention); ``store`` holds data written by pageout;
  ``cache`` is swapper_space's tree (slot -> pfn).
- :class:`MigrationCache` [V8]: ``counters`` is migration_idr (id -> number of ptes naming
  it; the cache holds no count of its own); ``tree`` is migration_space's radix (id -> pfn).
  Ids are handed out **lowest free first**, starting at 1, as ``idr_get_new_above`` does, so
  a freed id is reused at once (the ABA hazard of R1/R7).
"""

from __future__ import annotations

import heapq

from kernel_model._page import Content


class SwapDevice:
    """Swap device 0: ``capacity`` slots with per-slot counts, backing data and the swap cache."""

    __slots__ = ("_free", "cache", "capacity", "dying", "store", "swap_map", "torn_down", "users")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        # swapoff (R13): ``users`` counts the faults holding the device (6.1
        # ``get_swap_device``: ``si->users``), ``dying`` is that percpu_ref killed (no new
        # user), ``torn_down`` the device's state freed.
        self.users = 0
        self.dying = False
        self.torn_down = False
        self.swap_map: list[int] = [0] * capacity
        self.store: dict[int, Content | None] = {}
        self.cache: dict[int, int] = {}
        self._free: list[int] = list(range(capacity))

    def alloc_slot(self) -> int | None:
        """``get_swap_page``: the lowest free slot with count 1 (the cache's), or None if full.

        Freed slots are pushed back by :meth:`release` (lazily validated here), so the
        cost does not grow with the device."""
        while self._free:
            slot = heapq.heappop(self._free)
            if self.swap_map[slot] == 0 and slot not in self.cache:
                self.swap_map[slot] = 1
                return slot
        return None

    def release(self, slot: int) -> None:
        """Note that ``slot`` may have become free (its count reached 0)."""
        if self.swap_map[slot] == 0 and slot not in self.cache:
            heapq.heappush(self._free, slot)

    def in_use(self, slot: int) -> bool:
        """True when the slot's count is nonzero."""
        return 0 <= slot < self.capacity and self.swap_map[slot] > 0


class MigrationCache:
    """migration_idr (id -> pte counter) and migration_space's radix tree (id -> pfn)."""

    __slots__ = ("_free", "_next", "counters", "tree")

    def __init__(self) -> None:
        self.counters: dict[int, int] = {}
        self.tree: dict[int, int] = {}
        self._free: list[int] = []
        self._next = 1

    def alloc_id(self) -> int:
        """``idr_get_new_above(1)``: the lowest free id >= 1, counter 0."""
        if self._free:
            idr_id = heapq.heappop(self._free)
        else:
            idr_id = self._next
            self._next += 1
        self.counters[idr_id] = 0
        return idr_id

    def free_id(self, idr_id: int) -> None:
        """``idr_remove``: the id becomes the next one handed out if it is the lowest."""
        del self.counters[idr_id]
        heapq.heappush(self._free, idr_id)
