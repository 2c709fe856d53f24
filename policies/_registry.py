"""Finding a policy by name: built-in, entry point, or ``module:attr``.

Lookup order for a name of kind K: the built-ins of K; then the entry points of group
``migsim.policies`` (unless ``MIGSIM_NO_PLUGINS=1``), where an entry point maps a name to a
policy object; then, for a name containing ``:``, an import of ``module:attr``.  Every
policy is validated when it is resolved, so a typo or a malformed plugin is reported before
any exploration starts.
"""

from __future__ import annotations

import importlib
import os
from importlib import metadata

from policies._builtins import BUILTINS
from policies._errors import PolicyError
from policies._protocols import (
    KIND_FALLBACK,
    KIND_FAULT_RETRY,
    KIND_MLOCKED,
    KINDS,
)

ENTRY_POINT_GROUP = "migsim.policies"
NO_PLUGINS_ENV = "MIGSIM_NO_PLUGINS"

_REQUIRED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (methods, attributes)
    KIND_FALLBACK: (("fallback",), ("posted_v8", "detach_on_failure")),
    KIND_MLOCKED: (("may_migrate",), ()),
    KIND_FAULT_RETRY: (("on_miss", "after_lock"), ("pte_same",)),
}


def builtin_names(kind: str) -> tuple[str, ...]:
    """The built-in policy names of ``kind``."""
    _check_kind(kind)
    return tuple(BUILTINS[kind])


def resolve(kind: str, name: str) -> object:
    """The validated policy ``name`` of ``kind`` (raises :class:`PolicyError` if none)."""
    _check_kind(kind)
    if name in BUILTINS[kind]:
        return BUILTINS[kind][name]
    found = _from_entry_points(name)
    if found is None and ":" in name:
        found = _import(kind, name)
    if found is None:
        known = ", ".join(BUILTINS[kind])
        raise PolicyError(
            f"policy {kind} = {name!r} is not a built-in ({known}), not an entry point of "
            f"group {ENTRY_POINT_GROUP!r}, and not a 'module:attr' reference; "
            "use one of the built-ins or register a plugin"
        )
    return validate(kind, name, found)


def validate(kind: str, name: str, policy: object) -> object:
    """Check that ``policy`` implements ``kind``; return it or raise :class:`PolicyError`."""
    _check_kind(kind)
    methods, attributes = _REQUIRED[kind]
    declared = getattr(policy, "kind", None)
    if declared != kind:
        raise PolicyError(
            f"policy {name!r} declares kind {declared!r} but was given for {kind!r}; "
            f"set its 'kind' attribute to {kind!r} or use it for the right policy"
        )
    if not isinstance(getattr(policy, "name", None), str):
        raise PolicyError(f"policy {name!r} must have a string 'name' attribute")
    for method in methods:
        if not callable(getattr(policy, method, None)):
            raise PolicyError(
                f"policy {name!r} of kind {kind!r} must define a method {method}(); "
                f"see policies.{_protocol_name(kind)}"
            )
    for attribute in attributes:
        if not isinstance(getattr(policy, attribute, None), bool):
            raise PolicyError(
                f"policy {name!r} of kind {kind!r} must have a bool attribute {attribute!r}"
            )
    return policy


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise PolicyError(f"unknown policy kind {kind!r}: expected one of {', '.join(KINDS)}")


def _protocol_name(kind: str) -> str:
    return {
        KIND_FALLBACK: "FallbackPolicy",
        KIND_MLOCKED: "MlockedPolicy",
        KIND_FAULT_RETRY: "FaultRetryPolicy",
    }[kind]


def _from_entry_points(name: str) -> object | None:
    if os.environ.get(NO_PLUGINS_ENV) == "1":
        return None
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == name:
            try:
                loaded: object = entry.load()
                return loaded
            except Exception as exc:
                raise PolicyError(
                    f"policy entry point {name!r} ({entry.value}) failed to load: {exc}; "
                    f"fix the plugin or set {NO_PLUGINS_ENV}=1 to disable plugins"
                ) from exc
    return None


def _import(kind: str, ref: str) -> object:
    module_name, _, attr = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise PolicyError(
            f"policy {kind} = {ref!r}: cannot import module {module_name!r} ({exc}); "
            "check the 'module:attr' spelling and that the module is installed"
        ) from exc
    try:
        return getattr(module, attr)
    except AttributeError:
        raise PolicyError(
            f"policy {kind} = {ref!r}: module {module_name!r} has no attribute {attr!r}"
        ) from None
