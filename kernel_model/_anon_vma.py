"""``struct anon_vma`` (2.6.16 mm/rmap.c): the reverse map of anonymous pages.

An anonymous page's ``page->mapping`` names the anon_vma of the vma that first mapped it
(:attr:`Page.mapping <kernel_model.Page.mapping>`, set by ``page_add_anon_rmap``); the
anon_vma lists every vma that may map the page (the vma of the mm that created it and
those of its forked children), under a spinlock.  The model has one anonymous vma per
mm, so the list holds mm names.  ``fork`` links the child's vma into the parent's
anon_vma with ``anon_vma_link``, which in 2.6.16 adds it at the **head** (``list_add``):
an rmap walk meets the child before the parent (the order R8 is about; 2.6.17 moved new
vmas to the tail).  :meth:`Kernel.page_lock_anon_vma` is the walk's entry point: it
returns None for a page that is not mapped, as 2.6.16's does.

The lock word (:attr:`AnonVma.lock_holder`) lives here; the actors' ``KernelOps`` take
and release it like a PTL (one step uncontended, FIFO waiters).
"""

from __future__ import annotations


class AnonVma:
    """anon_vma ``id``: its vma list (mm names, head first) and its spinlock's holder."""

    __slots__ = ("id", "lock_holder", "root", "vmas")

    def __init__(self, anon_vma_id: int, first: str) -> None:
        self.id = anon_vma_id
        self.root = first  # the mm that created it (its lock's wait queue lives there)
        self.vmas: list[str] = [first]
        self.lock_holder: str | None = None

    @property
    def lock_name(self) -> str:
        """The canonical name of its lock: ``anon_vma:1``."""
        return anon_vma_lock_name(self.id)

    def link(self, mm: str) -> None:
        """``anon_vma_link`` (2.6.16): add ``mm``'s vma at the head of the list."""
        if mm not in self.vmas:
            self.vmas.insert(0, mm)

    def unlink(self, mm: str) -> None:
        """``anon_vma_unlink``: ``mm``'s vma is gone (exit, munmap)."""
        if mm in self.vmas:
            self.vmas.remove(mm)


def anon_vma_lock_name(anon_vma_id: int) -> str:
    """The canonical name of an anon_vma's spinlock."""
    return f"anon_vma:{anon_vma_id}"
