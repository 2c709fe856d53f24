"""The invariant catalog matches the code: every id the model or the kernel's actors can
emit is registered, and every registered id is emitted by some code path."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from kernel_model import INVARIANTS, Invariant, invariant

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"[A-Z][0-9]")
EMITTERS = {"Finding", "report", "Violation"}


def _emitted() -> dict[str, list[str]]:
    """Invariant ids used as values in the source of kernel_model and kernel_actors.

    An id counts when it is the first argument of ``Finding(...)``, ``Kernel.report(...)``
    or ``Violation(...)``, or a branch of a conditional that chooses such an argument
    (``code = "M2" if ... else "M1"``).  Docstrings and comments do not count.
    """
    found: dict[str, list[str]] = {}
    for package in ("kernel_model", "kernel_actors"):
        for path in sorted((ROOT / package).glob("*.py")):
            if path.name == "_catalog.py":
                continue
            for code in _codes(ast.parse(path.read_text(encoding="utf-8"))):
                found.setdefault(code, []).append(f"{package}/{path.name}")
    return found


def _codes(tree: ast.AST) -> list[str]:
    codes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in EMITTERS and node.args:
            codes += _constants(node.args[0])
        elif isinstance(node, ast.Assign) and any(_name(t) == "code" for t in node.targets):
            codes += _constants(node.value)
    return codes


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _constants(node: ast.expr) -> list[str]:
    return [
        sub.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant)
        and isinstance(sub.value, str)
        and CODE.fullmatch(sub.value)
    ]


def test_every_emitted_code_is_registered() -> None:
    emitted = _emitted()
    assert sorted(set(emitted) - set(INVARIANTS)) == []


def test_every_registered_id_is_emitted_by_some_code_path() -> None:
    emitted = _emitted()
    assert sorted(set(INVARIANTS) - set(emitted)) == []


def test_the_catalog_holds_exactly_the_checked_ids() -> None:
    expected = {f"D{i}" for i in range(1, 6)} | {f"C{i}" for i in range(1, 5)}
    expected |= {"M1", "M2", "M3", "L1", "L2", "L3", "K1", "K2", "K3", "K4", "K5", "P1"}
    expected |= {f"Q{i}" for i in range(1, 5)}
    assert set(INVARIANTS) == expected


def test_each_entry_says_what_and_when() -> None:
    for code, entry in INVARIANTS.items():
        assert isinstance(entry, Invariant)
        assert entry.id == code
        assert entry.meaning
        assert entry.checked
        assert invariant(code) is entry
    assert INVARIANTS["Q2"].checked == "at quiescence"
    assert INVARIANTS["P1"].checked == "at each policy call"
    assert "when the run ends" in INVARIANTS["K3"].checked
    assert INVARIANTS["K3"].meaning.startswith("every fault completes")


def test_unknown_codes_have_no_entry() -> None:
    assert invariant("deadlock") is None
    assert invariant("step-bound") is None
    assert invariant("C5") is None
