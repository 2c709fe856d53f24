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
from typing import Any, TypeVar, overload

from policies._errors import PolicyError
from policies._kinds import KINDS, POLICY_KINDS, PolicyKind

ENTRY_POINT_GROUP = "migsim.policies"
NO_PLUGINS_ENV = "MIGSIM_NO_PLUGINS"

P = TypeVar("P")


def builtin_names(kind: str) -> tuple[str, ...]:
    """The built-in policy names of ``kind``."""
    return tuple(_kind(kind).builtins)


@overload
def resolve(kind: PolicyKind[P], name: str) -> P: ...
@overload
def resolve(kind: str, name: str) -> object: ...
def resolve(kind: PolicyKind[Any] | str, name: str) -> object:
    """The validated policy ``name`` of ``kind`` (raises :class:`PolicyError` if none).

    ``kind`` is a kind name ("fault_retry") or a :class:`PolicyKind`; given the latter,
    the result is typed by the kind's protocol (validation has checked its members).
    """
    spec = _kind(kind) if isinstance(kind, str) else kind
    if name in spec.builtins:
        return spec.builtins[name]
    if name in spec.removed:
        raise PolicyError(spec.removed[name].message(spec.name, name))
    found = _from_entry_points(name)
    if found is None and ":" in name:
        found = _import(spec.name, name)
    if found is None:
        known = ", ".join(spec.builtins)
        raise PolicyError(
            f"policy {spec.name} = {name!r} is not a built-in ({known}), not an entry point "
            f"of group {ENTRY_POINT_GROUP!r}, and not a 'module:attr' reference; "
            "use one of the built-ins or register a plugin"
        )
    return validate(spec.name, name, found)


def validate(kind: str, name: str, policy: object) -> object:
    """Check that ``policy`` implements ``kind``; return it or raise :class:`PolicyError`."""
    spec = _kind(kind)
    declared = getattr(policy, "kind", None)
    if declared != kind:
        raise PolicyError(
            f"policy {name!r} declares kind {declared!r} but was given for {kind!r}; "
            f"set its 'kind' attribute to {kind!r} or use it for the right policy"
        )
    if not isinstance(getattr(policy, "name", None), str):
        raise PolicyError(f"policy {name!r} must have a string 'name' attribute")
    for method in spec.methods:
        if not callable(getattr(policy, method, None)):
            raise PolicyError(
                f"policy {name!r} of kind {kind!r} must define a method {method}(); "
                f"see policies.{spec.protocol.__name__}"
            )
    for flag in spec.flags:
        if not isinstance(getattr(policy, flag, None), bool):
            raise PolicyError(
                f"policy {name!r} of kind {kind!r} must have a bool attribute {flag!r}"
            )
    return policy


def _kind(kind: str) -> PolicyKind[Any]:
    spec = POLICY_KINDS.get(kind)
    if spec is None:
        raise PolicyError(f"unknown policy kind {kind!r}: expected one of {', '.join(KINDS)}")
    return spec


def entry_point_names() -> tuple[str, ...]:
    """The names of the installed policy entry points (group ``migsim.policies``), sorted,
    without loading any of them; none when ``MIGSIM_NO_PLUGINS=1``."""
    if os.environ.get(NO_PLUGINS_ENV) == "1":
        return ()
    return tuple(sorted({entry.name for entry in metadata.entry_points(group=ENTRY_POINT_GROUP)}))


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
