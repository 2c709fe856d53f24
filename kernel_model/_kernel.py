"""The whole simulated memory-management state, and its primitive operations.

:class:`Kernel` is plain data plus the primitives the kernel's actors call from inside a
step: allocate and free pages, get/put references (with holders), read and write ptes (the
writer must hold the PTL), read and write page data.  Every primitive marks the objects it
touched in a *dirty set*, so that the invariant checker looks only at those after a step
(flat per-step cost, whatever the number of pages).  Reverse indexes (which ptes name which
page, slot or migration-cache id) are maintained here, independently of the kernel's own
counters (mapcount, swap_map, migration counters), so that the checks compare two
independently kept numbers.

Problems that are events rather than states (a wrong read, a pte write without the PTL, a
policy that raised) are recorded with :meth:`Kernel.report` and picked up by the monitor.
"""

from __future__ import annotations

from collections import deque

from kernel_model._anon_vma import AnonVma
from kernel_model._finding import Finding
from kernel_model._mm import Mm, vpage_name
from kernel_model._page import Content, Page
from kernel_model._pte import Pte, PteMigCache, PteMigration, PtePresent, PteSwap
from kernel_model._stores import MigrationCache, SwapDevice

PteKey = tuple[str, int]
DirtyKey = tuple[str, int] | tuple[str, str, int]


class Kernel:
    """The MM state of one simulated machine (fresh for every schedule)."""

    def __init__(
        self,
        *,
        nodes: int = 2,
        pages_per_node: int = 8,
        swap_slots: int = 8,
        ptes_per_table: int = 512,
        mlock_migrate: bool = False,
    ) -> None:
        self.ptes_per_table = ptes_per_table
        self.mlock_migrate = mlock_migrate
        self.pages: list[Page] = [
            Page(pfn=n * pages_per_node + i, nid=n)
            for n in range(nodes)
            for i in range(pages_per_node)
        ]
        # Free lists are stacks: the most recently freed frame is reused first.
        self.free_lists: list[list[int]] = [
            [n * pages_per_node + i for i in reversed(range(pages_per_node))] for n in range(nodes)
        ]
        self.swap = SwapDevice(swap_slots)
        self.migcache = MigrationCache()
        self.mms: dict[str, Mm] = {}
        self.anon_vmas: dict[int, AnonVma] = {}
        self.expected: dict[PteKey, Content] = {}
        self.mapped_by: dict[int, dict[PteKey, None]] = {}
        self.swap_ptes: dict[int, dict[PteKey, None]] = {}
        self.mig_ptes: dict[int, dict[PteKey, None]] = {}
        self.migration_entries: dict[int, dict[PteKey, None]] = {}
        self.held_ptls: dict[str, list[str]] = {}
        self.held_pagelocks: dict[str, int] = {}
        self.lock_waiters: dict[str, deque[str]] = {}
        self.faults: dict[str, str] = {}
        self.isolated: dict[int, str] = {}
        self.migration_slots: dict[int, str] = {}
        self.lazy_target: dict[int, int] = {}
        self.migrations: dict[str, str] = {}
        self.dirty: dict[DirtyKey, None] = {}
        self.touched: dict[DirtyKey, None] = {}
        self.findings: list[Finding] = []
        self._version = 0

    # -- events -------------------------------------------------------------------------
    def report(self, code: str, message: str, *objects: str) -> None:
        """Record an event-type violation (the monitor reports it after this step)."""
        self.findings.append(Finding(code, message, objects))

    def touch_page(self, pfn: int) -> None:
        """Mark page ``pfn`` for checking after this step."""
        self.dirty[("page", pfn)] = None

    # -- address spaces -----------------------------------------------------------------
    def add_mm(self, name: str, npages: int, nid: int) -> Mm:
        """Create an empty mm ``name`` with ``npages`` virtual pages homed on ``nid``."""
        mm = Mm(name, npages, nid, self.ptes_per_table)
        self.mms[name] = mm
        anon_vma = AnonVma(len(self.anon_vmas) + 1, name)
        self.anon_vmas[anon_vma.id] = anon_vma
        mm.anon_vma = anon_vma.id
        return mm

    def anon_vma_of(self, mm: str) -> AnonVma:
        """The anon_vma of ``mm``'s (one) anonymous vma."""
        return self.anon_vmas[self.mms[mm].anon_vma]

    def anon_vma_link(self, child: str, parent: str, *, tail: bool = False) -> None:
        """``dup_mmap``: the child's vma joins the parent's anon_vma (``anon_vma_link``,
        at the head of its list in 2.6.16, at the tail with ``tail``); the child's own,
        unused one goes away."""
        own = self.anon_vma_of(child)
        own.unlink(child)
        if not own.vmas:
            del self.anon_vmas[own.id]
        shared = self.anon_vma_of(parent)
        shared.link(child, tail=tail)
        self.mms[child].anon_vma = shared.id

    def page_lock_anon_vma(self, page: Page) -> AnonVma | None:
        """2.6.16 ``page_lock_anon_vma`` without the lock (the caller takes it): the
        anon_vma of ``page->mapping``, or None when the page is not mapped
        (``!page_mapped``) or has no anon_vma."""
        if page.mapping is None or page.mapcount == 0:
            return None
        return self.anon_vmas.get(page.mapping)

    def pte(self, mm: str, vpage: int) -> Pte:
        """Read a pte (no lock needed to *read*; the caller declares the access)."""
        return self.mms[mm].ptes[vpage]

    def set_pte(self, mm: str, vpage: int, pte: Pte, by: str) -> None:
        """Write a pte; ``by`` must hold the PTL of its page-table page (else K2 is reported)."""
        space = self.mms[mm]
        table = space.table_of(vpage)
        if space.ptl_holder[table] != by:
            self.report(
                "K2",
                f"{by} wrote pte {vpage_name(mm, vpage)} without holding its PTL "
                f"(held by {space.ptl_holder[table]})",
                vpage_name(mm, vpage),
            )
        key = (mm, vpage)
        self._unindex(key, space.ptes[vpage])
        space.ptes[vpage] = pte
        self._index(key, pte)
        self.dirty[("pte", mm, vpage)] = None

    def install_pte(self, mm: str, vpage: int, pte: Pte) -> None:
        """Write a pte of an mm nobody else can see yet (initial state, a fork's child)."""
        key = (mm, vpage)
        space = self.mms[mm]
        self._unindex(key, space.ptes[vpage])
        space.ptes[vpage] = pte
        self._index(key, pte)
        self.dirty[("pte", mm, vpage)] = None

    def _index_of(self, pte: Pte) -> tuple[dict[int, dict[PteKey, None]], int, str] | None:
        if isinstance(pte, PtePresent):
            return self.mapped_by, pte.pfn, "page"
        if isinstance(pte, PteSwap):
            return self.swap_ptes, pte.entry.offset, "slot"
        if isinstance(pte, PteMigCache):
            return self.mig_ptes, pte.entry.offset, "mid"
        if isinstance(pte, PteMigration):
            return self.migration_entries, pte.pfn, "page"
        return None

    def _index(self, key: PteKey, pte: Pte) -> None:
        found = self._index_of(pte)
        if found is not None:
            index, obj, kind = found
            index.setdefault(obj, {})[key] = None
            self.dirty[(kind, obj)] = None
            if kind == "page":
                self._set_anon_mapping(self.pages[obj], key[0])
            elif kind == "mid" and obj in self.migcache.tree:
                self._set_anon_mapping(self.pages[self.migcache.tree[obj]], key[0])

    def _set_anon_mapping(self, page: Page, mm: str) -> None:
        """``page_add_anon_rmap`` -> ``__page_set_anon_rmap``: a page mapped (or unmapped
        into a cache entry) by a pte of ``mm`` belongs to ``mm``'s anon_vma; the mapping
        stays until the page is freed (2.6.16 never clears it on unmap)."""
        if page.mapping is None:
            page.mapping = self.mms[mm].anon_vma

    def _unindex(self, key: PteKey, pte: Pte) -> None:
        found = self._index_of(pte)
        if found is not None:
            index, obj, kind = found
            names = index.get(obj)
            if names is not None:
                names.pop(key, None)
                if not names:
                    del index[obj]
            self.dirty[(kind, obj)] = None

    def users(self, page: Page) -> list[PteKey]:
        """Every pte that reaches ``page``: present ptes mapping it, and the swap or
        migration-cache ptes naming its cache entry (a lazily migrated page has no present
        pte, yet its users' vmas decide whether it may go to swap)."""
        keys = list(self.mapped_by.get(page.pfn, ()))
        entry = page.private
        if entry is not None:
            index = self.mig_ptes if entry.is_migration else self.swap_ptes
            keys += index.get(entry.offset, ())
        return keys

    def used_by_locked_vma(self, page: Page) -> bool:
        """True when some pte that reaches ``page`` lies in a VM_LOCKED vma."""
        return any(self.mms[mm].vm_locked[v] for mm, v in self.users(page))

    def mapped_by_locked_vma(self, page: Page) -> bool:
        """True when some *present* pte mapping ``page`` lies in a VM_LOCKED vma."""
        return any(self.mms[mm].vm_locked[v] for mm, v in self.mapped_by.get(page.pfn, ()))

    # -- PTL bookkeeping (the PTL actors call these) ------------------------------------
    def ptl_acquired(self, mm: str, table: int, actor: str) -> None:
        """Record that ``actor`` now holds the PTL of ``mm``'s table ``table``."""
        self.mms[mm].ptl_holder[table] = actor
        self.held_ptls.setdefault(actor, []).append(f"{mm}:{table}")

    def ptl_released(self, mm: str, table: int, actor: str) -> None:
        """Record that ``actor`` released the PTL of ``mm``'s table ``table``."""
        self.mms[mm].ptl_holder[table] = None
        held = self.held_ptls.get(actor, [])
        if f"{mm}:{table}" in held:
            held.remove(f"{mm}:{table}")

    def holds_ptl(self, actor: str) -> bool:
        """True when ``actor`` holds any spinlock (a PTL or an anon_vma lock: it must
        not sleep)."""
        return bool(self.held_ptls.get(actor))

    def spin_acquired(self, actor: str, name: str) -> None:
        """Record that ``actor`` now holds spinlock ``name`` (an anon_vma lock)."""
        self.held_ptls.setdefault(actor, []).append(name)

    def spin_released(self, actor: str, name: str) -> None:
        """Record that ``actor`` released spinlock ``name``."""
        held = self.held_ptls.get(actor, [])
        if name in held:
            held.remove(name)

    # -- page-lock bookkeeping (for the lock order: mmap_sem before any page lock) ------
    def pagelock_taken(self, actor: str) -> None:
        """Record that ``actor`` now holds one more page lock."""
        self.held_pagelocks[actor] = self.held_pagelocks.get(actor, 0) + 1

    def pagelock_dropped(self, actor: str) -> None:
        """Record that ``actor`` released (or handed on) one page lock."""
        left = self.held_pagelocks.get(actor, 0) - 1
        if left > 0:
            self.held_pagelocks[actor] = left
        else:
            self.held_pagelocks.pop(actor, None)

    def holds_pagelock(self, actor: str) -> bool:
        """True when ``actor`` holds some page lock."""
        return actor in self.held_pagelocks

    # -- pages and references -----------------------------------------------------------
    def alloc_page(self, nid: int, holder: str) -> Page | None:
        """Allocate a free page on node ``nid`` with one ref for ``holder``; None if full."""
        free = self.free_lists[nid]
        if not free:
            return None
        page = self.pages[free.pop()]
        page.free = False
        page.dirty = False
        page.uptodate = True
        page.content = None
        self.get_page(page, holder)
        return page

    def get_page(self, page: Page, holder: str) -> None:
        """Take a reference on ``page`` for ``holder``."""
        page.refcount += 1
        page.holders[holder] = page.holders.get(holder, 0) + 1
        self.dirty[("page", page.pfn)] = None

    def put_page(self, page: Page, holder: str) -> None:
        """Drop ``holder``'s reference; the page is freed when the count reaches 0."""
        page.refcount -= 1
        left = page.holders.get(holder, 0) - 1
        if left:
            page.holders[holder] = left
        else:
            page.holders.pop(holder, None)
        self.dirty[("page", page.pfn)] = None
        if page.refcount == 0:
            self._free_page(page)

    def move_ref(self, page: Page, old: str, new: str) -> None:
        """Hand a reference from holder ``old`` to holder ``new`` (the count is unchanged)."""
        left = page.holders.get(old, 0) - 1
        if left:
            page.holders[old] = left
        else:
            page.holders.pop(old, None)
        page.holders[new] = page.holders.get(new, 0) + 1
        self.dirty[("page", page.pfn)] = None

    def _free_page(self, page: Page) -> None:
        page.free = True
        page.mapping = None
        page.content = None
        page.lru = False
        page.mlocked = False
        page.mlock_count = 0
        page.dirty = False
        self.free_lists[page.nid].append(page.pfn)

    def add_rmap(self, page: Page) -> None:
        """``page_add_anon_rmap``: one more present pte maps the page."""
        page.mapcount += 1
        self.dirty[("page", page.pfn)] = None

    def remove_rmap(self, page: Page) -> None:
        """``page_remove_rmap``: one present pte fewer maps the page."""
        page.mapcount -= 1
        self.dirty[("page", page.pfn)] = None

    # -- data ---------------------------------------------------------------------------
    def new_content(self, mm: str, vpage: int) -> Content:
        """A fresh, unique content value for a write to ``mm:vpage``."""
        self._version += 1
        return (vpage_name(mm, vpage), self._version)

    def write_data(self, mm: str, vpage: int, page: Page) -> None:
        """Store a new version of ``mm:vpage`` into ``page``; it is what later reads expect."""
        content = self.new_content(mm, vpage)
        page.content = content
        page.dirty = True
        self.expected[(mm, vpage)] = content
        self.dirty[("page", page.pfn)] = None

    def read_data(self, mm: str, vpage: int, page: Page, by: str) -> None:
        """A read of ``mm:vpage`` through ``page``: D1 if it is not the last completed write."""
        want = self.expected.get((mm, vpage))
        if page.content != want:
            self.report(
                "D1",
                f"{by} read {vpage_name(mm, vpage)} through page {page.pfn} and got "
                f"{page.content}, but the last write stored {want}",
                vpage_name(mm, vpage),
                f"page:{page.pfn}",
            )

    def copy_data(self, src: Page, dst: Page, by: str) -> None:
        """``migrate_page_copy``: D2 unless ``src`` is unmapped and locked by ``by``."""
        if src.mapcount != 0 or src.locked_by != by:
            self.report(
                "D2",
                f"{by} copied page {src.pfn} -> {dst.pfn} while the source had mapcount "
                f"{src.mapcount} and PG_locked held by {src.locked_by}",
                f"page:{src.pfn}",
            )
        dst.content = src.content
        dst.dirty = src.dirty
        self.dirty[("page", dst.pfn)] = None
