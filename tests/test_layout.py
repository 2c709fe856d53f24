"""Layering and public-API rules, checked on the source tree (no exceptions).

- ``actors`` (the generic runtime and its testing helpers) imports nothing of
  ``kernel_model``, ``policies``, ``kernel_actors`` or ``migsim``.
- ``kernel_actors`` uses only the runtime's public API (``from actors import ...``) and
  never ``migsim``.
- ``kernel_model`` imports no trio and no actors; ``policies`` imports no trio and no actors.
- Nothing below the composition root reads the wall clock or unseeded randomness.
- Every public name is importable and documented.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in _modules(package):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def test_runtime_knows_nothing_of_the_kernel() -> None:
    forbidden = ("kernel_model", "policies", "migsim", "kernel_actors")
    assert _violations("actors", forbidden) == []


def test_kernel_actors_use_only_the_public_runtime_api() -> None:
    bad = []
    for path in _modules("kernel_actors"):
        for name in _imports(path):
            if name.startswith(("actors._", "migsim")):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def test_kernel_model_is_pure_state() -> None:
    assert _violations("kernel_model", ("trio", "actors", "migsim", "policies")) == []


def test_policies_are_pure_decisions() -> None:
    assert _violations("policies", ("trio", "actors", "migsim")) == []


@pytest.mark.parametrize("package", ["actors", "kernel_actors", "kernel_model", "policies"])
def test_no_wall_clock_or_unseeded_randomness_below_the_composition_root(package: str) -> None:
    allowed_random = {"_random.py", "_pct.py"}  # seeded strategies of the runtime
    bad = []
    for path in _modules(package):
        for name in _imports(path):
            if name in ("time", "datetime") or (
                name == "random" and path.name not in allowed_random
            ):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


PUBLIC = [
    "actors",
    "actors.testing",
    "kernel_model",
    "kernel_actors",
    "policies",
    "migsim",
    "migsim.cli",
    "migsim.matrix",
    "migsim.races",
    "migsim.report",
    "migsim.scenario",
    "migsim.testing",
]


@pytest.mark.parametrize("package", PUBLIC)
def test_every_public_name_is_importable_and_documented(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__doc__, f"{package} has no module docstring"
    names = getattr(module, "__all__", None)
    assert names, f"{package} defines no __all__"
    undocumented = []
    for name in names:
        obj = getattr(module, name)  # raises if a listed name is missing
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and not inspect.getdoc(obj):
            undocumented.append(name)
    assert undocumented == []


def test_implementation_lives_in_private_modules() -> None:
    public_modules = []
    for package in ("actors", "kernel_actors", "kernel_model", "policies", "migsim"):
        for path in _modules(package):
            if path.name in ("__init__.py", "__main__.py", "races.py"):
                continue  # migsim.races: the public module of the race registry
            if not path.name.startswith("_"):
                public_modules.append(str(path.relative_to(ROOT)))
    assert public_modules == []


def test_migsim_lazy_exports_match_all() -> None:
    import migsim

    assert set(migsim.__all__) == {"__version__", *migsim._EXPORTS}


PRIVATE_IMPORT = ("actors.", "kernel_actors.", "kernel_model.", "policies.", "migsim.")


@pytest.mark.parametrize("tree", ["tests", "benchmarks"])
def test_tests_and_benchmarks_use_public_names_only(tree: str) -> None:
    """The public API is enough: no test or benchmark reaches into a ``_private`` module."""
    bad = []
    for path in _modules(tree):
        for name in _imports(path):
            parts = name.split(".")
            if name.startswith(PRIVATE_IMPORT) and any(p.startswith("_") for p in parts):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert bad == []


def _exported_errors() -> list[tuple[str, type[BaseException]]]:
    found = []
    for package in PUBLIC:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                found.append((f"{package}.{name}", obj))
    return found


def test_errors_have_one_root_per_layer_and_a_builtin_each() -> None:
    """migsim's errors share ``MigsimError``; the generic runtime's share ``ActorsError``;
    each is also the builtin closest to it, and the policy and world errors are exported."""
    import actors
    import migsim

    errors = _exported_errors()
    names = {name for name, _ in errors}
    assert {"migsim.PolicyError", "migsim.WorldError", "migsim.BuildError"} <= names
    for name, cls in errors:
        if name.endswith((".MigsimError", ".ActorsError")):
            continue
        root = actors.ActorsError if name.startswith("actors") else migsim.MigsimError
        assert issubclass(cls, root), f"{name} does not derive from {root.__name__}"
        builtins = [b for b in cls.__mro__[1:] if b.__module__ == "builtins"]
        assert builtins[0] is not Exception, f"{name} is no more specific builtin's subclass"


def test_unknown_attributes_of_migsim_raise_attribute_error() -> None:
    import migsim

    with pytest.raises(AttributeError, match="nonexistent"):
        migsim.nonexistent  # noqa: B018


def test_one_declaration_per_concept_is_what_its_readers_see() -> None:
    """The scenario's [policies] keys and defaults are the policy kinds'; its strategies
    are the runtime registry's; its eras are the kernel model's."""
    import attrs

    import actors
    import kernel_model
    import migsim
    import policies

    fields = attrs.fields(migsim.Policies)
    assert tuple(f.name for f in fields) == policies.KINDS
    assert {f.name: f.default for f in fields} == dict(policies.DEFAULTS)
    strategy = attrs.fields(migsim.Explore).strategy.metadata["check"]
    assert strategy.options == tuple(actors.STRATEGIES)
    era = attrs.fields(migsim.KernelSpec).era.metadata["check"]
    assert era.options == tuple(kernel_model.ERAS)
    assert migsim.KernelSpec().era == kernel_model.DEFAULT_ERA
