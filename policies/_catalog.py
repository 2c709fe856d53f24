"""What ``migsim policies`` lists: every policy (and user invariant), where it comes from,
and whether it loads.

Built-ins are described by their settings; each installed entry point is loaded and
validated against the kind it declares, so that a broken plugin is listed with the real
reason it cannot be used (its import error, a wrong kind, a missing method) rather than
discovered in the middle of an exploration.
"""

from __future__ import annotations

import os
from importlib import metadata

import attrs

from policies._errors import PolicyError
from policies._invariants import INVARIANT_GROUP, validate_invariant
from policies._kinds import POLICY_KINDS
from policies._registry import ENTRY_POINT_GROUP, NO_PLUGINS_ENV, load_entry_point, validate


@attrs.frozen
class PolicyInfo:
    """One row of the policy catalogue.

    ``kind`` is "?" for a plugin that did not load; ``source`` is "built-in" or
    "entry point <module:attr>"; ``api_version`` is None when the policy declares none;
    ``status`` is "ok" or the one-line reason it cannot be used.
    """

    kind: str
    name: str
    source: str
    description: str
    api_version: int | None
    status: str

    @property
    def ok(self) -> bool:
        """Whether the policy can be used."""
        return self.status == "ok"


def catalog() -> tuple[PolicyInfo, ...]:
    """The built-ins of every kind, then the installed plugins (sorted by name; none when
    ``MIGSIM_NO_PLUGINS=1``)."""
    rows = [
        _builtin(kind, name, policy)
        for kind, spec in POLICY_KINDS.items()
        for name, policy in spec.builtins.items()
    ]
    return (*rows, *plugins(), *invariant_plugins())


def invariant_plugins() -> tuple[PolicyInfo, ...]:
    """The installed user invariants (group ``migsim.invariants``), kind "invariant",
    named by entry point, each loaded and checked (an id clash is an error)."""
    if os.environ.get(NO_PLUGINS_ENV) == "1":
        return ()
    entries = sorted(metadata.entry_points(group=INVARIANT_GROUP), key=lambda e: e.name)
    return tuple(_invariant(entry) for entry in entries)


def _invariant(entry: metadata.EntryPoint) -> PolicyInfo:
    source = f"entry point {entry.value}"
    try:
        checker = load_entry_point(entry, INVARIANT_GROUP)
        found = validate_invariant(f"{INVARIANT_GROUP}: {entry.name}", checker)
    except PolicyError as exc:
        return PolicyInfo("invariant", entry.name, source, "", None, str(exc))
    described = f"{found.id}: {found.meaning} (checked at {found.at})"
    return PolicyInfo("invariant", entry.name, source, described, found.api_version, "ok")


def plugins() -> tuple[PolicyInfo, ...]:
    """The installed entry points of group ``migsim.policies``, each loaded and checked."""
    if os.environ.get(NO_PLUGINS_ENV) == "1":
        return ()
    entries = sorted(
        metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)
    )
    return tuple(_plugin(entry) for entry in entries)


def _builtin(kind: str, name: str, policy: object) -> PolicyInfo:
    fields = {a.name: getattr(policy, a.name) for a in getattr(policy, "__attrs_attrs__", ())}
    settings = ", ".join(f"{k}={v}" for k, v in fields.items() if k not in ("name", "kind"))
    version = getattr(policy, "api_version", None)
    return PolicyInfo(kind, name, "built-in", settings, version, "ok")


def _plugin(entry: metadata.EntryPoint) -> PolicyInfo:
    source = f"entry point {entry.value}"
    try:
        policy = load_entry_point(entry, ENTRY_POINT_GROUP)
    except PolicyError as exc:
        return PolicyInfo("?", entry.name, source, "", None, str(exc))
    kind = getattr(policy, "kind", None)
    version = getattr(policy, "api_version", None)
    shown_version = version if type(version) is int else None
    described = _description(policy)
    if not isinstance(kind, str) or kind not in POLICY_KINDS:
        reason = (
            f"{ENTRY_POINT_GROUP}: plugin {entry.name!r} (entry point {entry.value}) declares "
            f"kind {kind!r}; expected one of {', '.join(POLICY_KINDS)} (set its 'kind' "
            "attribute)"
        )
        return PolicyInfo("?", entry.name, source, described, shown_version, reason)
    try:
        validate(kind, entry.name, policy)
    except PolicyError as exc:
        return PolicyInfo(kind, entry.name, source, described, shown_version, str(exc))
    return PolicyInfo(kind, entry.name, source, described, shown_version, "ok")


def _description(policy: object) -> str:
    """A plugin's ``description`` attribute, else the first line of its docstring."""
    text = getattr(policy, "description", None)
    if (not isinstance(text, str) or not text.strip()) and type(policy).__module__ != "builtins":
        text = (getattr(type(policy), "__doc__", None) or "").strip()
    if not isinstance(text, str):
        return ""
    return text.splitlines()[0].strip() if text else ""
