"""Faults that need no cache (2.6.16 mm/memory.c): ``do_wp_page`` (a write to a read-only
pte: reuse the page or copy it) and ``do_anonymous_page`` (a first touch of a none pte).

Plain functions over the faulting CPU's :class:`KernelOps`; ``node`` is where the CPU's
allocations go.
"""

from __future__ import annotations

from typing import Literal

from kernel_actors._context import alloc_key, page_key, pte_key
from kernel_actors._ops import KernelOps
from kernel_model import HOLDER_LRU, HOLDER_MAP, Page, PteNone, PtePresent

Result = Literal["done", "retry", "oom"]
"""How one fault attempt ended: data accessed, try again, or out of memory."""


def touch_data(ops: KernelOps, mm: str, vpage: int, page: Page, write: bool) -> None:
    """The access itself, once ``page`` is mapped: a write stores a new version, a read
    checks it sees the last one (D1)."""
    if write:
        ops.k.write_data(mm, vpage, page)
    else:
        ops.k.read_data(mm, vpage, page, ops.name)


async def do_wp_page(ops: KernelOps, node: int, mm: str, vpage: int, orig: PtePresent) -> Result:
    """A write to a read-only pte: take the PTL, then :func:`do_wp_page_locked`."""
    await ops.lock_ptl(mm, vpage)
    result = await do_wp_page_locked(ops, node, mm, vpage, orig)
    await ops.unlock_ptl(mm, vpage)
    return result


async def do_wp_page_locked(
    ops: KernelOps, node: int, mm: str, vpage: int, orig: PtePresent
) -> Result:
    """2.6.16 ``do_wp_page``, entered with the PTL held (from ``handle_pte_fault``, or
    from ``do_swap_page`` right after it mapped a page read-only): reuse the page when
    ``TestSetPageLocked`` succeeds and it is mapped once and in no cache, else copy it
    (COW).  A page somebody else has locked is always copied: the trylock fails."""
    await ops.at(
        "do_wp_page",
        pte_key(mm, vpage),
        page_key(orig.pfn),
        alloc_key(node),
        alloc_key(ops.k.pages[orig.pfn].nid),
    )
    return _wp(ops, node, mm, vpage, orig)


def _wp(ops: KernelOps, node: int, mm: str, vpage: int, orig: PtePresent) -> Result:
    k = ops.k
    if k.pte(mm, vpage) != orig:
        return "retry"
    old = k.pages[orig.pfn]
    if old.locked_by is None and old.mapcount == 1 and not old.swapcache:
        k.set_pte(mm, vpage, PtePresent(old.pfn, writable=True, dirty=True), ops.name)
        k.write_data(mm, vpage, old)
        return "done"
    new = k.alloc_page(node, HOLDER_MAP)
    if new is None:
        return "oom"
    new.lru = True
    k.get_page(new, HOLDER_LRU)
    new.content = old.content
    k.set_pte(mm, vpage, PtePresent(new.pfn, writable=True, dirty=True), ops.name)
    k.add_rmap(new)
    k.remove_rmap(old)
    k.put_page(old, HOLDER_MAP)
    k.write_data(mm, vpage, new)
    return "done"


async def do_anonymous_page(ops: KernelOps, node: int, mm: str, vpage: int, write: bool) -> Result:
    """Allocate a zeroed page, then map it under the PTL unless somebody else was first."""
    await ops.at("alloc anon page", alloc_key(node))
    fresh = f"new:{ops.name}"
    k = ops.k
    page = k.alloc_page(node, fresh)
    if page is None:
        return "oom"
    await ops.lock_ptl(mm, vpage)
    await ops.at("map anon page", pte_key(mm, vpage), page_key(page.pfn), alloc_key(page.nid))
    if isinstance(k.pte(mm, vpage), PteNone):
        k.set_pte(mm, vpage, PtePresent(page.pfn, writable=True), ops.name)
        k.add_rmap(page)
        k.move_ref(page, fresh, HOLDER_MAP)
        page.lru = True
        k.get_page(page, HOLDER_LRU)
        touch_data(ops, mm, vpage, page, write)
        result: Result = "done"
    else:
        k.put_page(page, fresh)
        result = "retry"
    await ops.unlock_ptl(mm, vpage)
    return result
