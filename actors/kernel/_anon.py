"""Faults that need no cache: ``do_wp_page`` (write to a read-only pte: reuse or COW) and
the anonymous fault on a none pte (``do_anonymous_page``)."""

from __future__ import annotations

from typing import Literal

from actors.kernel._base import KernelActor
from actors.kernel._context import alloc_key, page_key, pte_key
from kernel_model import HOLDER_LRU, HOLDER_MAP, Page, PteNone, PtePresent

Result = Literal["done", "retry", "oom"]
"""How one fault attempt ended: data accessed, try again, or out of memory."""


class AnonFault(KernelActor):
    """The anonymous-page halves of the fault path (``node``: where allocations go)."""

    node: int = 0

    def _touch_data(self, mm: str, vpage: int, page: Page, write: bool) -> None:
        if write:
            self.k.write_data(mm, vpage, page)
        else:
            self.k.read_data(mm, vpage, page, self.name)

    async def _do_wp_page(self, mm: str, vpage: int, orig: PtePresent) -> Result:
        await self.lock_ptl(mm, vpage)
        await self.at(
            "do_wp_page",
            pte_key(mm, vpage),
            page_key(orig.pfn),
            alloc_key(self.node),
            alloc_key(self.k.pages[orig.pfn].nid),
        )
        result = self._wp(mm, vpage, orig)
        await self.unlock_ptl(mm, vpage)
        return result

    def _wp(self, mm: str, vpage: int, orig: PtePresent) -> Result:
        k = self.k
        if k.pte(mm, vpage) != orig:
            return "retry"
        old = k.pages[orig.pfn]
        if old.mapcount == 1 and not old.swapcache:
            k.set_pte(mm, vpage, PtePresent(old.pfn, writable=True, dirty=True), self.name)
            k.write_data(mm, vpage, old)
            return "done"
        new = k.alloc_page(self.node, HOLDER_MAP)
        if new is None:
            return "oom"
        new.lru = True
        k.get_page(new, HOLDER_LRU)
        new.content = old.content
        k.set_pte(mm, vpage, PtePresent(new.pfn, writable=True, dirty=True), self.name)
        k.add_rmap(new)
        k.remove_rmap(old)
        k.put_page(old, HOLDER_MAP)
        k.write_data(mm, vpage, new)
        return "done"

    async def _do_anonymous_page(self, mm: str, vpage: int, write: bool) -> Result:
        await self.at("alloc anon page", alloc_key(self.node))
        fresh = f"new:{self.name}"
        page = self.k.alloc_page(self.node, fresh)
        if page is None:
            return "oom"
        await self.lock_ptl(mm, vpage)
        await self.at("map anon page", pte_key(mm, vpage), page_key(page.pfn), alloc_key(page.nid))
        if isinstance(self.k.pte(mm, vpage), PteNone):
            self.k.set_pte(mm, vpage, PtePresent(page.pfn, writable=True), self.name)
            self.k.add_rmap(page)
            self.k.move_ref(page, fresh, HOLDER_MAP)
            page.lru = True
            self.k.get_page(page, HOLDER_LRU)
            self._touch_data(mm, vpage, page, write)
            result: Result = "done"
        else:
            self.k.put_page(page, fresh)
            result = "retry"
        await self.unlock_ptl(mm, vpage)
        return result
