"""The testing packages' public faces: every name importable and documented, errors in place,
and each name in one place only (generic in actors.testing, kernel-specific in migsim.testing)."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import actors
import migsim
from actors import testing as actors_testing
from migsim import testing

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", [actors_testing, testing], ids=lambda p: p.__name__)
def test_every_public_name_is_importable_and_documented(package: object) -> None:
    name_of = package.__name__  # type: ignore[attr-defined]
    assert inspect.getdoc(package), f"{name_of} has no docstring"
    for name in package.__all__:  # type: ignore[attr-defined]
        obj = getattr(package, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert doc.strip(), f"{name_of}.{name} has no docstring"
            assert obj.__module__.startswith(name_of), name


def test_one_import_path_per_name() -> None:
    assert set(actors_testing.__all__).isdisjoint(testing.__all__)


def test_errors_share_their_packages_root_and_the_nearest_builtin() -> None:
    assert issubclass(testing.FailingRunError, migsim.MigsimError)
    assert issubclass(testing.FailingRunError, AssertionError)
    assert issubclass(actors_testing.TraceMismatchError, AssertionError)
    assert issubclass(actors_testing.TraceMismatchError, actors.ActorsError)
    assert issubclass(actors_testing.HelperUsageError, ValueError)
    assert issubclass(actors_testing.HelperUsageError, actors.ActorUsageError)


ABOVE_THE_RUNTIME = ("migsim", "kernel_model", "policies", "kernel_actors", "actors.kernel")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_actors_testing_knows_nothing_above_the_runtime() -> None:
    bad = [
        f"{path.name} imports {name}"
        for path in sorted((ROOT / "actors" / "testing").glob("*.py"))
        for name in _imports(path)
        if any(name == up or name.startswith(f"{up}.") for up in ABOVE_THE_RUNTIME)
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("package", "testing_module"), [("migsim", "migsim.testing"), ("actors", "actors.testing")]
)
def test_importing_the_package_does_not_import_the_testing_tools(
    package: str, testing_module: str
) -> None:
    code = (
        f"import sys, {package}; "
        f"print({testing_module!r} in sys.modules, 'hypothesis' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["False", "False"]
