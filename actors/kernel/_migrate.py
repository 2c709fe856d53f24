"""The migration daemon: eager direct migration (2.6.16 shape, V8 patch 4) and lazy
migration into the migration cache (Lee's 2006 design).

Eager, per page: isolate; up to 10 passes (trylock in passes 0-2, lock_page later); the
page enters the migration cache; expected-refcount check (-EAGAIN); ``try_to_unmap``
(VM_LOCKED + mlocked=refuse: -EPERM, permanent); allocate the destination (failure: the
fallback policy decides: move to swap, restore the ptes, or, for ``hotplug-2005``, detach
the entry anyway: R3); refcount check under the tree lock; replace the cache slot; copy;
``remove_from_swap``; unlock both.  Lazy: isolate, lock, add to the migration cache,
``try_to_unmap``, unlock, put back: the copy is left to migrate-on-fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from actors import Access, reads, writes
from actors.kernel._context import (
    MAX_MIGRATE_PASSES,
    MIGCACHE,
    SWAP,
    KernelContext,
    alloc_key,
    consult,
    page_key,
)
from actors.kernel._rmap import RmapOps
from kernel_model import (
    HOLDER_LRU,
    Page,
    PteMigCache,
    PtePresent,
    PteSwap,
    add_to_migration_cache,
    detach_migration_entry,
    lookup,
    page_view,
    replace_cache_page,
)

Pass = Literal["done", "retry", "fail"]


class MigrationDaemon(RmapOps):
    """Migrate ``pages`` ("MM:PAGE") to ``to_node``, ``eager`` or ``lazy``, from time ``at``."""

    def __init__(
        self,
        name: str,
        ctx: KernelContext,
        pages: Sequence[str],
        *,
        to_node: int,
        mode: str = "eager",
        at: int = 0,
    ) -> None:
        super().__init__(name, ctx)
        self.pages = tuple(pages)
        self.to_node = to_node
        self.mode = mode
        self.start = at
        fallback = ctx.policies.fallback
        self.posted = bool(getattr(fallback, "posted_v8", False))
        self.detach = bool(getattr(fallback, "detach_on_failure", False))

    async def run(self) -> None:
        """Migrate each page in turn."""
        if self.start:
            await self.sleep(self.start)
        for spec in self.pages:
            page = await self.resolve(spec, isolate=True)
            if page is None:
                continue
            self.k.migrations[self.name] = f"migration of {spec} (page {page.pfn})"
            if self.mode == "lazy":
                await self._lazy(page)
            else:
                await self._eager(page)
            del self.k.migrations[self.name]

    async def resolve(self, spec: str, *, isolate: bool) -> Page | None:
        """The page backing virtual page ``spec`` (through its pte or cache), isolated from
        the LRU in the same step when ``isolate`` (None if there is none, or not on the LRU).
        """
        mm, _, vpage = spec.partition(":")
        await self.at(
            f"find and isolate page of {spec}",
            reads("pte", mm, int(vpage)),
            writes(*MIGCACHE),
            writes(*SWAP),
            writes("lru"),
        )
        pte = self.k.pte(mm, int(vpage))
        page = None
        if isinstance(pte, PtePresent):
            page = self.k.pages[pte.pfn]
        elif isinstance(pte, PteSwap | PteMigCache):
            page = lookup(self.k, pte.entry)
        if page is None or not isolate:
            return page
        return page if self.isolate_now(page) else None

    def _pte_keys(self, page: Page) -> list[Access]:
        """Read access to the ptes mapping ``page`` (their vmas' VM_LOCKED is consulted)."""
        return [reads("pte", mm, v) for mm, v in self.k.mapped_by.get(page.pfn, ())]

    def _may_migrate(self, page: Page) -> bool:
        vm_locked = any(self.k.mms[mm].vm_locked[v] for mm, v in self.k.mapped_by.get(page.pfn, ()))
        view = page_view(self.k, page, vm_locked=vm_locked or page.mlocked)
        policy = self.ctx.policies.mlocked
        return consult(
            self, self.k, policy, "may_migrate", view, allowed=(True, False), default=False
        )

    # -- lazy ---------------------------------------------------------------------------
    async def _lazy(self, page: Page) -> None:
        await self.lock_page(page)
        await self.at(
            "add_to_migration_cache", page_key(page.pfn), writes(*MIGCACHE), *self._pte_keys(page)
        )
        if self._may_migrate(page):
            if not page.swapcache:
                add_to_migration_cache(self.k, page)
            if page.is_migration() and self.to_node != page.nid:
                self.k.lazy_target[page.pfn] = self.to_node  # mpol_misplaced, for the fault
            entry = page.private
            if entry is not None:
                await self.try_to_unmap(
                    page, entry, refuse_locked=not self.k.mlock_migrate, migration=True
                )
                if not self.posted:
                    await self.drop_unused_entry(page)
        await self.unlock_page(page)
        await self.putback(page)

    # -- eager --------------------------------------------------------------------------
    async def _eager(self, page: Page) -> None:
        for npass in range(MAX_MIGRATE_PASSES):
            result = await self._pass(page, npass)
            if result != "retry":
                return
        await self.putback(page)  # retry-exhausted: the page stays where it is

    async def _pass(self, page: Page, npass: int) -> Pass:
        await self.at("check refcount", page_key(page.pfn))
        if page.refcount == 1:  # freed under us: only our isolation ref is left
            self.release_isolation(page, keep=False)
            return "done"
        if npass < 3:
            if not await self.trylock_page(page):
                return "retry"
        else:
            await self.lock_page(page)
        result = await self._locked_pass(page)
        if result != "done":
            await self.unlock_page(page)
        if result == "fail":
            await self.putback(page)
        return result

    async def _locked_pass(self, page: Page) -> Pass:
        await self.at(
            "add_to_migration_cache", page_key(page.pfn), writes(*MIGCACHE), *self._pte_keys(page)
        )
        if not self._may_migrate(page):
            return "fail"  # -EPERM
        if page.writeback:
            return "retry"
        if not page.swapcache:
            add_to_migration_cache(self.k, page)
        entry = page.private
        if entry is None or page.mapcount + 2 != page.refcount:
            return "retry"  # -EAGAIN: somebody holds an extra reference
        refuse = not self.k.mlock_migrate
        if not await self.try_to_unmap(page, entry, refuse_locked=refuse, migration=True):
            return "fail"
        if page.mapcount:
            return "retry"
        await self.at("alloc destination", alloc_key(self.to_node))
        new = self.k.alloc_page(self.to_node, f"new:{self.name}")
        if new is None:
            return await self._no_destination(page)
        self.own_new_page_lock(new)
        return await self._move(page, new)

    async def _move(self, page: Page, new: Page) -> Pass:
        entry = page.private
        assert entry is not None
        await self.at(
            "migrate_page: replace",
            page_key(page.pfn),
            page_key(new.pfn),
            writes(*MIGCACHE),
            writes("swap"),
        )
        if page.refcount != 2 or lookup(self.k, entry) is not page or page.mapcount:
            await self.unlock_and_put(new, f"new:{self.name}")
            return "retry"
        replace_cache_page(self.k, entry, page, new)
        self.k.copy_data(page, new, self.name)
        await self.remove_migration_ptes(entry, new)
        if not self.posted:
            await self.drop_unused_entry(new)
        await self.at("finish migration", page_key(new.pfn), page_key(page.pfn))
        new.lru = True
        self.k.move_ref(new, f"new:{self.name}", HOLDER_LRU)
        await self.unlock_page(new)
        await self.unlock_page(page)
        await self.at("release old page", page_key(page.pfn), alloc_key(page.nid))
        self.release_isolation(page, keep=False)
        return "done"

    async def _no_destination(self, page: Page) -> Pass:
        """No free page on the target node: fallback policy, restore, or (2005) detach."""
        entry = page.private
        assert entry is not None
        if self.detach and entry.is_migration:
            await self.at("detach_from_migration_cache", page_key(page.pfn), writes(*MIGCACHE))
            detach_migration_entry(self.k, entry)
            return "fail"
        view = page_view(self.k, page, vm_locked=self.k.used_by_locked_vma(page))
        policy = self.ctx.policies.fallback
        if (
            entry.is_migration
            and consult(
                self,
                self.k,
                policy,
                "fallback",
                view,
                "migrate",
                allowed=(True, False),
                default=False,
            )
            and await self.migration_move_to_swap(page, posted=self.posted)
        ):
            return "fail"
        await self.remove_migration_ptes(entry, page)
        if not self.posted:
            await self.drop_unused_entry(page)
        return "fail"
