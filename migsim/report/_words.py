"""Kernel words for footprint keys and recorded values, shared by the explanation and the
renderers.

A footprint key is a tuple (``("pte", "A", 0)``); people read ``pte A:0``.  Recorded
values (:class:`actors.KeyState`) are whatever the kernel's state probe returned; a value
with ``fields`` (a page) is shown as the fields that changed, so a note stays short.
"""

from __future__ import annotations

from collections.abc import Hashable

from actors import KeyState

Key = tuple[str | int, ...]

DATA_RANK = {"pte": 3, "migcache": 2, "swap": 2, "page": 1}
"""How much a stale view of an object explains, by key kind: a pte read is where a fault
decides, a cache entry is what it looks up, a page's fields come next; any other object of
the program (``alloc``, ``lru``, a test program's cells) ranks 0, and locks and mailboxes
rank below everything (:data:`SYNC_KINDS`)."""

SYNC_KINDS = ("lock", "mailbox")
"""Key kinds of synchronisation, not data: a stale view of a lock is the handoff working."""


def rank(key: Key) -> int:
    """The rank of ``key`` in the explanation's choice of the race (higher explains more)."""
    kind = str(key[0]) if key else ""
    if kind in SYNC_KINDS:
        return -1
    return DATA_RANK.get(kind, 0)


def key_text(key: Key) -> str:
    """``pte A:0``, ``page 3``, ``lock ptl:A:0``, ``the migration cache``; else ``a/b/c``."""
    kind = str(key[0]) if key else ""
    rest = key[1:]
    if kind == "pte" and len(rest) == 2:
        return f"pte {rest[0]}:{rest[1]}"
    if kind in ("page", "lock") and len(rest) == 1:
        return f"{kind} {rest[0]}"
    if kind == "alloc" and len(rest) == 1:
        return f"node {rest[0]}'s free list"
    if kind == "migcache" and not rest:
        return "the migration cache"
    if kind == "swap" and not rest:
        return "the swap cache"
    return "/".join(map(str, key))


def change_text(before: Hashable, after: Hashable) -> str:
    """``mig:1 -> swp0:0``; for values with fields, only the fields that changed."""
    old, new = _fields(before), _fields(after)
    if old is None or new is None or not old or not new:
        return f"{before} -> {after}"
    names = [n for n in dict.fromkeys([*old, *new]) if old.get(n) != new.get(n)]
    return ", ".join(_field_change(n, old.get(n, "-"), new.get(n, "-")) for n in names)


def _field_change(name: str, old: str, new: str) -> str:
    """``ref 3 -> 4``; a field that is a set of words shows the words gained and lost:
    ``flags +PG_dirty -PG_lru``."""
    if " " not in old and " " not in new:
        return f"{name} {old} -> {new}"
    was, now = old.split(), new.split()
    diff = [f"+{w}" for w in now if w not in was and w != "-"]
    diff += [f"-{w}" for w in was if w not in now and w != "-"]
    return f"{name} {' '.join(diff)}"


def state_text(state: KeyState) -> str:
    """``pte A:0: mig:1 -> swp0:0`` for a change, ``pte A:0 = mig:1`` for a read."""
    name = key_text(state.key)
    if state.changed:
        return f"{name}: {change_text(state.before, state.after)}"
    return f"{name} = {state.before}"


def _fields(value: Hashable) -> dict[str, str] | None:
    fields = getattr(value, "fields", None)
    if not isinstance(fields, tuple):
        return None
    return {str(n): str(t) for n, t in fields}
