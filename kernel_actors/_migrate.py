"""The migration daemon: eager direct migration (2.6.16 mm/vmscan.c ``migrate_pages``,
V8 patch 4) and lazy migration into the migration cache (Lee's 2006 design).

Eager, per page: isolate; allocate the destination first (2.6.16 ``migrate_pages_to``:
any node when the target is full; no page anywhere: give up untouched); up to 10 passes
(trylock in passes 0-2, lock_page later); the page enters the migration cache;
expected-refcount check (-EAGAIN); ``try_to_unmap`` (VM_LOCKED + mlocked=refuse: -EPERM,
permanent); in the ``2.6.10-hotplug`` era only now the destination is allocated (failure:
the entry is detached anyway, R3, or the fallback policy decides between moving the page
to swap and restoring the ptes); refcount check under the tree
lock; replace the cache slot; copy; ``remove_from_swap``; unlock both.  Lazy: isolate,
lock, add to the migration cache, ``try_to_unmap``, unlock, put back: the copy is left to
migrate-on-fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from actors import Access, Actor, reads, writes
from kernel_actors import _ask as ask
from kernel_actors._context import MAX_MIGRATE_PASSES, MIGCACHE, KernelContext, alloc_key, page_key
from kernel_actors._migcache import drop_unused_entry, migration_move_to_swap
from kernel_actors._ops import KernelOps
from kernel_actors._rmap import (
    find_and_isolate,
    putback,
    release_isolation,
    remove_migration_ptes,
    try_to_unmap,
)
from kernel_actors._swapless import migrate_swapless
from kernel_model import (
    HOLDER_LRU,
    Page,
    add_to_migration_cache,
    detach_migration_entry,
    lookup,
    page_view,
    replace_cache_page,
)

Pass = Literal["done", "retry", "fail"]
"""How one pass over a page ended: migrated (or freed), try again, or give up."""


def _by_mm(specs: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Consecutive "MM:PAGE" specs grouped by mm, in order."""
    groups: list[tuple[str, list[str]]] = []
    for spec in specs:
        mm = spec.partition(":")[0]
        if groups and groups[-1][0] == mm:
            groups[-1][1].append(spec)
        else:
            groups.append((mm, [spec]))
    return groups


class MigrationDaemon(Actor):
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
        super().__init__(name)
        self.ctx = ctx
        self.k = ctx.kernel
        self.ops = KernelOps(self, ctx)
        self.at = self.ops.at
        self.pages = tuple(pages)
        self.to_node = to_node
        self.mode = mode
        self.start = at
        self.new_holder = f"new:{name}"

    async def run(self) -> None:
        """Migrate each page in turn; K4 watches that each migration ends.

        The pages of one mm that follow each other are one system call, holding that
        mm's mmap_sem throughout: ``sys_migrate_pages`` (eager) for read, ``mbind`` with
        MPOL_MF_MOVE (lazy) for write; the mm is pinned (``get_task_mm``), so its exit
        waits too.  The 2.6.10-hotplug era migrates from physical memory without it."""
        if self.start:
            await self.sleep(self.start)
        for mm, specs in _by_mm(self.pages):
            locked = self.ctx.era.migration_mmap_sem
            write = self.mode == "lazy"
            if locked:
                await (self.ops.down_write(mm) if write else self.ops.down_read(mm))
            for spec in specs:
                await self._migrate_one(spec)
            if locked:
                await (self.ops.up_write(mm) if write else self.ops.up_read(mm))

    async def _migrate_one(self, spec: str) -> None:
        page = await find_and_isolate(self.ops, spec)
        if page is None:
            return
        self.k.migrations[self.name] = f"migration of {spec} (page {page.pfn})"
        if self.ctx.era.swapless:  # 2.6.18+: migration entries, no migration cache
            await migrate_swapless(self.ops, page, to_node=self.to_node, new_holder=self.new_holder)
        elif self.mode == "lazy":
            await self._lazy(page)
        else:
            await self._eager(page)
        del self.k.migrations[self.name]

    def _pte_keys(self, page: Page) -> list[Access]:
        """Read access to the ptes mapping ``page`` (their vmas' VM_LOCKED is consulted)."""
        return [reads("pte", mm, v) for mm, v in self.k.mapped_by.get(page.pfn, ())]

    def _may_migrate(self, page: Page) -> bool:
        vm_locked = self.k.mapped_by_locked_vma(page)
        view = page_view(self.k, page, vm_locked=vm_locked or page.mlocked)
        return ask.may_migrate(self.name, self.ctx, view)

    async def _unmap(self, page: Page) -> bool:
        """``try_to_unmap`` into the page's cache entry, as a migration (VM_LOCKED ptes
        stay, -EPERM, unless the mlocked policy lets mlocked pages migrate)."""
        entry = page.private
        assert entry is not None
        refuse = not self.k.mlock_migrate
        return await try_to_unmap(self.ops, page, entry, refuse_locked=refuse, migration=True)

    # -- lazy ---------------------------------------------------------------------------
    async def _lazy(self, page: Page) -> None:
        await self.ops.lock_page(page)
        await self.at(
            "add_to_migration_cache", page_key(page.pfn), writes(*MIGCACHE), *self._pte_keys(page)
        )
        if self._may_migrate(page):
            if not page.swapcache:
                add_to_migration_cache(self.k, page)
            if page.is_migration() and self.to_node != page.nid:
                self.k.lazy_target[page.pfn] = self.to_node  # mpol_misplaced, for the fault
            if page.private is not None:
                await self._unmap(page)
                await drop_unused_entry(self.ops, page)
        await self.ops.unlock_page(page)
        await putback(self.ops, page)

    # -- eager ----------------------------------------------------------------------------
    async def _eager(self, page: Page) -> None:
        """``migrate_pages_to`` then ``migrate_pages``.  2.6.16 allocates the destination
        before it locks or unmaps anything (falling back to another node when the target
        is full: no ``__GFP_THISNODE``), and gives up at once when no node has a page;
        the 2.6.10-hotplug era allocates only after the unmap."""
        new: Page | None = None
        if self.ctx.era.alloc_before_unmap:
            new = await self._alloc_destination()
            if new is None:
                await putback(self.ops, page)  # -ENOMEM: nothing was touched
                return
        for npass in range(MAX_MIGRATE_PASSES):
            result = await self._pass(page, npass, new)
            if result == "done":
                return
            if result == "fail":
                break
        else:
            await putback(self.ops, page)  # retry-exhausted: the page stays where it is
        if new is not None:
            await self.at("free unused destination", page_key(new.pfn), alloc_key(new.nid))
            self.k.put_page(new, self.new_holder)

    async def _alloc_destination(self) -> Page | None:
        """``alloc_pages_node(to_node, GFP_HIGHUSER)``: the target node, else the other
        nodes in order (the zonelist fallback), else None."""
        nodes = [self.to_node, *(n for n in range(len(self.k.free_lists)) if n != self.to_node)]
        await self.at("alloc destination", *(alloc_key(n) for n in nodes))
        for nid in nodes:
            new = self.k.alloc_page(nid, self.new_holder)
            if new is not None:
                return new
        return None

    async def _pass(self, page: Page, npass: int, new: Page | None) -> Pass:
        await self.at("check refcount", page_key(page.pfn))
        if page.refcount == 1:  # freed under us: only our isolation ref is left
            release_isolation(self.ops, page, keep=False)
            return "done" if new is None else "fail"
        if npass < 3:
            if not await self.ops.trylock_page(page):
                return "retry"
        else:
            await self.ops.lock_page(page)
        result = await self._locked_pass(page, new)
        last = result == "retry" and npass == MAX_MIGRATE_PASSES - 1
        if result == "fail" or last:
            await drop_unused_entry(self.ops, page)  # the corrected code: no counter-0 leak
        if result != "done":
            await self.ops.unlock_page(page)
        if result == "fail":
            await putback(self.ops, page)
        return result

    async def _locked_pass(self, page: Page, new: Page | None) -> Pass:
        await self.at(
            "add_to_migration_cache", page_key(page.pfn), writes(*MIGCACHE), *self._pte_keys(page)
        )
        # No up-front mlock check: 2.6.16 finds VM_LOCKED inside try_to_unmap, after the
        # page entered the cache and maybe after earlier ptes were converted (-EPERM).
        if page.writeback:
            return "retry"
        if not page.swapcache:
            add_to_migration_cache(self.k, page)
        if page.private is None or page.mapcount + 2 != page.refcount:
            return "retry"  # -EAGAIN: somebody holds an extra reference
        if not await self._unmap(page):
            return "fail"
        if page.mapcount:
            return "retry"
        if new is None:
            await self.at("alloc destination", alloc_key(self.to_node))
            new = self.k.alloc_page(self.to_node, self.new_holder)
            if new is None:
                return await self._no_destination(page)
            self.ops.own_new_page_lock(new)
            return await self._move(page, new, owned=False)
        self.ops.own_new_page_lock(new)
        return await self._move(page, new, owned=True)

    async def _move(self, page: Page, new: Page, *, owned: bool) -> Pass:
        """``migrate_page``: under the tree lock, the refcount must be exactly ours (cache
        + isolation); then the slot points at ``new``, the data is copied and the ptes map
        ``new``.  ``owned``: ``new`` was allocated up front and is kept for the next pass
        when this one has to retry."""
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
            if owned:
                await self.ops.unlock_page(new)
            else:
                await self.ops.unlock_and_put(new, self.new_holder)
            return "retry"
        replace_cache_page(self.k, entry, page, new)
        self.k.copy_data(page, new, self.name)
        await remove_migration_ptes(self.ops, entry, new)
        await drop_unused_entry(self.ops, new)
        await self.at("finish migration", page_key(new.pfn), page_key(page.pfn))
        new.lru = True
        self.k.move_ref(new, self.new_holder, HOLDER_LRU)
        await self.ops.unlock_page(new)
        await self.ops.unlock_page(page)
        await self.at("release old page", page_key(page.pfn), alloc_key(page.nid))
        release_isolation(self.ops, page, keep=False)
        return "done"

    async def _no_destination(self, page: Page) -> Pass:
        """No free page on the target node: detach (2.6.10-hotplug era), move the page to
        swap (the fallback policy, reason "migrate"), or restore the ptes."""
        entry = page.private
        assert entry is not None
        if self.ctx.era.detach_on_failure and entry.is_migration:
            await self.at("detach_from_migration_cache", page_key(page.pfn), writes(*MIGCACHE))
            detach_migration_entry(self.k, entry)
            return "fail"
        if (
            entry.is_migration
            and self._fallback_to_swap(page)
            and await migration_move_to_swap(self.ops, page)
        ):
            return "fail"
        await remove_migration_ptes(self.ops, entry, page)
        await drop_unused_entry(self.ops, page)
        return "fail"

    def _fallback_to_swap(self, page: Page) -> bool:
        # The users' vmas, not PG_mlocked, say whether the page is mlocked: see kswapd.
        view = page_view(self.k, page, vm_locked=self.k.used_by_locked_vma(page))
        return ask.fallback(self.name, self.ctx, view, "migrate")
