"""``struct anon_vma`` (2.6.16 mm/rmap.c): the reverse map of anonymous pages.

An anonymous page's ``page->mapping`` names the anon_vma of the vma that first mapped it
(:attr:`Page.mapping <kernel_model.Page.mapping>`, set by ``page_add_anon_rmap``); the
anon_vma lists every vma that may map the page (the vma of the mm that created it and
those of its forked children), under a spinlock.  The model has one anonymous vma per
mm, so the list holds mm names.  ``fork`` links the child's vma into the parent's
anon_vma with ``anon_vma_link``, which in 2.6.16 adds it at the **head** (``list_add``):
an rmap walk meets the child before the parent (the order R8 is about; Dickins' fix of
24 May 2006 moved new vmas to the tail: ``Era.anon_vma_tail``).
:meth:`Kernel.page_lock_anon_vma` is the walk's entry point: it returns None for a page
that is not mapped, as 2.6.16's does.

When its last vma goes and nobody holds a reference (:meth:`AnonVma.get`, 6.1
migration's ``folio_get_anon_vma``), it is freed: :attr:`AnonVma.freed` marks it, as a
page's ``mapping`` may still point at it (R11).

The lock word (:attr:`AnonVma.lock_holder`) lives here; the actors' ``KernelOps`` take
and release it like a PTL (one step uncontended, FIFO waiters).
"""

from __future__ import annotations


class AnonVma:
    """anon_vma ``id``: its vma list (mm names, head first) and its spinlock's holder."""

    __slots__ = ("freed", "id", "lock_holder", "refs", "root", "vmas")

    def __init__(self, anon_vma_id: int, first: str) -> None:
        self.id = anon_vma_id
        self.root = first  # the mm that created it (its lock's wait queue lives there)
        self.vmas: list[str] = [first]
        self.lock_holder: str | None = None
        self.refs = 0  # get_anon_vma references beyond the vmas' (6.1 migration, R11)
        self.freed = False

    @property
    def lock_name(self) -> str:
        """The canonical name of its lock: ``anon_vma:1``."""
        return anon_vma_lock_name(self.id)

    def link(self, mm: str, *, tail: bool = False) -> None:
        """``anon_vma_link``: add ``mm``'s vma at the head of the list (2.6.16
        ``list_add``) or, with ``tail``, at its tail (``list_add_tail``, R8's guard)."""
        if mm not in self.vmas:
            self.vmas.insert(len(self.vmas) if tail else 0, mm)

    def unlink(self, mm: str) -> None:
        """``anon_vma_unlink``: ``mm``'s vma is gone (exit, munmap); the last one frees
        the anon_vma unless somebody holds a reference (``put_anon_vma`` then does)."""
        if mm in self.vmas:
            self.vmas.remove(mm)
        self._free_if_unused()

    def get(self) -> None:
        """``folio_get_anon_vma`` (6.1): keep the anon_vma alive without a vma (R11's guard)."""
        self.refs += 1

    def put(self) -> None:
        """``put_anon_vma``: drop a reference; the last one frees an anon_vma with no vmas."""
        self.refs -= 1
        self._free_if_unused()

    def _free_if_unused(self) -> None:
        # The object stays reachable through page->mapping: freed marks it, so a walk
        # that still follows the pointer is caught (R11) rather than silently ignored.
        self.freed = self.freed or (not self.vmas and self.refs == 0)


def anon_vma_lock_name(anon_vma_id: int) -> str:
    """The canonical name of an anon_vma's spinlock."""
    return f"anon_vma:{anon_vma_id}"
