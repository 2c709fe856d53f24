"""User invariants: checkers installed under the entry-point group ``migsim.invariants``.

A user invariant is an object with a stable ``id`` (such as ``"X1"``: not a built-in id of
:data:`kernel_model.INVARIANTS`), a one-line ``meaning``, ``at`` ("step": after every
step; "quiescence": once, when the run ends), the ``api_version`` it was written for, and
``check(view)``: a pure function of a :class:`kernel_model.KernelView` that returns None
when the invariant holds and a one-line message when it is broken.  The kernel actors run
the checkers as a monitor, so a broken user invariant is reported, shrunk and replayed
exactly as a built-in one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import metadata
from typing import Literal, Protocol, get_args, runtime_checkable

import kernel_model
from kernel_model import KernelView
from policies._errors import PolicyError
from policies._protocols import API_VERSION
from policies._registry import NO_PLUGINS_ENV, load_entry_point

INVARIANT_GROUP = "migsim.invariants"
"""The entry-point group of user invariants."""

CheckAt = Literal["step", "quiescence"]
CHECK_AT: tuple[CheckAt, ...] = get_args(CheckAt)

_ID = re.compile(r"[A-Z][A-Za-z0-9_-]{0,31}")


@runtime_checkable
class InvariantChecker(Protocol):
    """A user invariant (see the module docstring and docs/policies.md)."""

    @property
    def id(self) -> str:
        """The stable id reports use ("X1"); never one of kernel_model.INVARIANTS."""

    @property
    def meaning(self) -> str:
        """What the invariant says, in one line (shown beside the id in reports)."""

    @property
    def at(self) -> CheckAt:
        """When it is checked: "step" (after every step) or "quiescence" (at the end)."""

    @property
    def api_version(self) -> int:
        """The policy API version it was written for (:data:`API_VERSION`)."""

    def check(self, view: KernelView) -> str | None:
        """None when the invariant holds in ``view``, else the one-line violation."""
        ...


def user_invariants() -> tuple[InvariantChecker, ...]:
    """Every installed user invariant, loaded and validated, sorted by id (none when
    ``MIGSIM_NO_PLUGINS=1``); :class:`PolicyError` names the first one that is unusable."""
    if os.environ.get(NO_PLUGINS_ENV) == "1":
        return ()
    found: dict[str, InvariantChecker] = {}
    for entry in sorted(metadata.entry_points(group=INVARIANT_GROUP), key=lambda e: e.name):
        where = f"{INVARIANT_GROUP}: {entry.name}"
        checker = validate_invariant(where, load_entry_point(entry, INVARIANT_GROUP))
        if checker.id in found:
            raise PolicyError(
                f"{where}: expected an invariant id no other plugin uses; got {checker.id!r}, "
                "which another installed invariant also declares (rename one of them)"
            )
        found[checker.id] = checker
    return tuple(found[key] for key in sorted(found))


def validate_invariant(where: str, checker: object) -> InvariantChecker:
    """``checker`` if it is a usable user invariant, else :class:`PolicyError`."""
    ident = getattr(checker, "id", None)
    if not isinstance(ident, str) or _ID.fullmatch(ident) is None:
        raise PolicyError(
            f"{where}: expected an 'id' such as 'X1' (a capital letter, then letters, digits, "
            f"'-' or '_'); got {ident!r}"
        )
    if ident in kernel_model.INVARIANTS:
        raise PolicyError(
            f"{where}: expected an invariant id that is not a built-in; got {ident!r}, which "
            f"is migsim's own ({_meaning(kernel_model.INVARIANTS[ident])}); choose another id"
        )
    meaning = getattr(checker, "meaning", None)
    if not isinstance(meaning, str) or not meaning.strip() or "\n" in meaning:
        raise PolicyError(f"{where}: expected a one-line 'meaning'; got {meaning!r}")
    at = getattr(checker, "at", None)
    if at not in CHECK_AT:
        raise PolicyError(f"{where}: expected 'at' to be one of {CHECK_AT}; got {at!r}")
    version = getattr(checker, "api_version", None)
    if type(version) is not int or version != API_VERSION:
        raise PolicyError(
            f"{where}: expected api_version {API_VERSION}; got {version!r} (add "
            f"'api_version = {API_VERSION}')"
        )
    if not callable(getattr(checker, "check", None)):
        raise PolicyError(f"{where}: expected a method check(view); got {ident!r} without it")
    assert isinstance(checker, InvariantChecker)
    return checker


def user_invariant_meanings() -> Mapping[str, str]:
    """The meaning of every installed user invariant, by id (those that load)."""
    try:
        return {c.id: c.meaning for c in user_invariants()}
    except PolicyError:
        return {}


def _meaning(found: object) -> str:
    return found if isinstance(found, str) else str(getattr(found, "meaning", found))
