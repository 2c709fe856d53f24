"""Finding a policy by name: built-in, entry point, or ``module:attr``.

Lookup order for a name of kind K: the built-ins of K; then the entry points of group
``migsim.policies`` (unless ``MIGSIM_NO_PLUGINS=1``), where an entry point maps a name to a
policy object; then, for a name containing ``:``, an import of ``module:attr``.  Every
policy is validated when it is resolved, so a typo or a malformed plugin is reported before
any exploration starts.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from typing import Any, TypeVar, overload

from policies._errors import PolicyError
from policies._kinds import KINDS, POLICY_KINDS, PolicyKind
from policies._protocols import API_VERSION

ENTRY_POINT_GROUP = "migsim.policies"
NO_PLUGINS_ENV = "MIGSIM_NO_PLUGINS"

P = TypeVar("P")

_IMPORT_REF = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*"
)


def is_import_ref(name: str) -> bool:
    """Whether ``name`` is spelt as a ``module:attr`` reference: an absolute dotted module
    name and an attribute, ASCII identifiers only (no ``.rel:x``, no ``..:x``)."""
    return _IMPORT_REF.fullmatch(name) is not None


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
    Whoever calls this with a ``module:attr`` name trusts that module: it is imported.
    """
    spec = _kind(kind) if isinstance(kind, str) else kind
    if name in spec.builtins:
        return spec.builtins[name]
    if name in spec.removed:
        raise PolicyError(spec.removed[name].message(spec.name, name))
    found = _from_entry_points(name, spec.name)
    if found is None and ":" in name:
        found = _import(spec.name, name)
    if found is None:
        known = ", ".join(spec.builtins)
        raise PolicyError(
            f"policies.{spec.name}: expected a built-in ({known}), an entry point of group "
            f"{ENTRY_POINT_GROUP!r} or a 'module:attr' reference; got {_shown(name)}, which "
            "is not a built-in (use one of the built-ins or register a plugin)"
        )
    return validate(spec.name, name, found)


def validate(kind: str, name: str, policy: object) -> object:
    """Check that ``policy`` implements ``kind``; return it or raise :class:`PolicyError`.

    Checked: the declared ``kind``, a string ``name``, the declared ``api_version``
    (:data:`API_VERSION`), each decision method (present, and callable with the protocol's
    arguments) and each flag (a bool).
    """
    spec = _kind(kind)
    declared = getattr(policy, "kind", None)
    where, shown = f"policies.{kind}", _shown(name)
    if declared != kind:
        fix = (
            f"use it for policies.{declared} instead"
            if declared in POLICY_KINDS
            else f"set its 'kind' attribute to {kind!r}"
        )
        raise PolicyError(
            f"{where}: expected a policy of kind {kind!r}; got {shown}, which declares kind "
            f"{declared!r} but was given for {kind!r} ({fix})"
        )
    if not isinstance(getattr(policy, "name", None), str):
        raise PolicyError(
            f"{where}: expected a policy with a string 'name' attribute; got {shown} without one"
        )
    _check_api_version(where, shown, getattr(policy, "api_version", None))
    for method in spec.methods:
        _check_method(where, shown, spec, policy, method)
    for flag in spec.flags:
        if not isinstance(getattr(policy, flag, None), bool):
            raise PolicyError(
                f"{where}: expected a policy with a bool attribute {flag!r}; got {shown} "
                "without one"
            )
    return policy


def _check_api_version(where: str, shown: str, declared: object) -> None:
    if type(declared) is int and declared == API_VERSION:
        return
    got = "declares none" if declared is None else f"declares api_version {declared!r}"
    raise PolicyError(
        f"{where}: expected a policy written for policy API version {API_VERSION}; got "
        f"{shown}, which {got} (add 'api_version = {API_VERSION}' once it follows "
        "docs/policies.md for this version)"
    )


def _check_method(
    where: str, shown: str, spec: PolicyKind[Any], policy: object, method: str
) -> None:
    found = getattr(policy, method, None)
    protocol = getattr(spec.protocol, method)
    if not callable(found):
        raise PolicyError(
            f"{where}: expected a policy with a method {method}() (see "
            f"policies.{spec.protocol.__name__}); got {shown} without it"
        )
    wanted = [p for p in inspect.signature(protocol).parameters if p != "self"]
    try:
        inspect.signature(found).bind(*wanted)
    except TypeError:
        raise PolicyError(
            f"{where}: expected {method}({', '.join(wanted)}) as in "
            f"policies.{spec.protocol.__name__}; got {shown} whose {method} takes "
            f"{inspect.signature(found)} (give it exactly those parameters)"
        ) from None
    except ValueError:  # no signature to read (a builtin): trust it
        return


def _shown(name: str, limit: int = 80) -> str:
    """``name`` quoted for a message, cut with an ellipsis and its length when long."""
    if len(name) <= limit:
        return repr(name)
    return f"{name[:limit]!r}... ({len(name)} characters)"


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


def _from_entry_points(name: str, kind: str) -> object | None:
    if os.environ.get(NO_PLUGINS_ENV) == "1":
        return None
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == name:
            return load_entry_point(entry, f"policies.{kind}")
    return None


def load_entry_point(entry: metadata.EntryPoint, where: str) -> object:
    """The object ``entry`` names, or :class:`PolicyError` with the real reason (the
    import error, the missing attribute), ``where`` (the key path) and the fix."""
    try:
        with _stdout_to_stderr():
            loaded: object = entry.load()
    except Exception as exc:
        raise PolicyError(
            f"{where}: plugin {_shown(entry.name)} (entry point {entry.value}) failed to "
            f"load: {type(exc).__name__}: {exc}; fix or reinstall the plugin, or set "
            f"{NO_PLUGINS_ENV}=1 to disable plugins"
        ) from exc
    return loaded


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Plugin code imported for a policy cannot print into stdout (``--json`` promises
    one JSON object there): what it prints goes to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def _import(kind: str, ref: str) -> object:
    where = f"policies.{kind}"
    if not is_import_ref(ref):
        raise PolicyError(
            f"{where}: expected module:attr with a dotted module name and an attribute "
            f"(Python identifiers); got {_shown(ref)}"
        )
    module_name, _, attr = ref.partition(":")
    try:
        with _stdout_to_stderr():
            module = importlib.import_module(module_name)
    except ImportError as exc:
        raise PolicyError(
            f"{where}: expected an importable module:attr; got {_shown(ref)}: cannot import "
            f"module {module_name!r} ({exc}); check the spelling and that it is installed"
        ) from exc
    try:
        return getattr(module, attr)
    except AttributeError:
        raise PolicyError(
            f"{where}: expected an importable module:attr; got {_shown(ref)}: module "
            f"{module_name!r} has no attribute {attr!r}"
        ) from None
