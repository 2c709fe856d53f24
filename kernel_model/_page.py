"""The page frame (``struct page``) with an explicit ledger of reference holders.

The kernel only keeps a count; the model also records *who* holds each reference, so that
C1 (refcount = mapcount + cache refs + isolation/LRU + transient holders) can be checked and
a ``put_page`` by somebody who holds nothing is caught at the step that does it.

Holder names: ``map`` (one per present pte), ``swapcache``, ``migcache``, ``lru``,
``isolate`` (taken off the LRU by a migrator or reclaim), ``lookup:<actor>`` (a faulter's
cache-lookup ref), ``new:<actor>`` (a migrator's ref on the destination page).
"""

from __future__ import annotations

import attrs

from kernel_model._entry import SwpEntry

HOLDER_MAP = "map"
HOLDER_SWAPCACHE = "swapcache"
HOLDER_MIGCACHE = "migcache"
HOLDER_LRU = "lru"
HOLDER_ISOLATE = "isolate"

Content = tuple[str, int]
"""Page data as (virtual page it belongs to, write version): data loss shows as a mismatch."""


@attrs.define(slots=True, eq=False)
class Page:
    """One physical page frame ``pfn`` on node ``nid``.

    ``locked_by`` is PG_locked (the actor holding it, or None).  ``mapping`` is
    ``page->mapping`` of an anonymous page: the id of its anon_vma (None until a pte of
    some mm maps it or names its cache entry).  ``moving_to_swap`` marks
    the V8 transient state inside ``migration_move_to_swap`` (R20): the page still sits in
    the migration cache's tree while already flagged as a plain swap-cache page.
    ``mlock_count`` is 5.18+ ``folio->mlock_count`` (eras with ``mlock_count``; L3).
    """

    pfn: int
    nid: int
    refcount: int = 0
    holders: dict[str, int] = attrs.field(factory=dict)
    mapcount: int = 0
    locked_by: str | None = None
    swapcache: bool = False
    dirty: bool = False
    uptodate: bool = True
    writeback: bool = False
    lru: bool = False
    mlocked: bool = False
    mlock_count: int = 0
    private: SwpEntry | None = None
    content: Content | None = None
    free: bool = True
    moving_to_swap: bool = False
    mapping: int | None = None

    def held(self, holder: str) -> int:
        """How many references ``holder`` holds on this page."""
        return self.holders.get(holder, 0)

    def is_migration(self) -> bool:
        """``page_is_migration``: PG_swapcache with a migration-type private."""
        return self.swapcache and self.private is not None and self.private.is_migration

    def describe(self) -> str:
        """A one-line summary for violation messages."""
        flags = [
            name
            for name, on in (
                ("locked", self.locked_by is not None),
                ("swapcache", self.swapcache),
                ("dirty", self.dirty),
                ("writeback", self.writeback),
                ("lru", self.lru),
                ("mlocked", self.mlocked),
                ("free", self.free),
            )
            if on
        ]
        holders = ",".join(f"{k}={v}" for k, v in self.holders.items() if v)
        return (
            f"page {self.pfn} (nid {self.nid}, refcount {self.refcount} [{holders}], "
            f"mapcount {self.mapcount}, flags {'|'.join(flags) or '-'}, private {self.private})"
        )
