"""docs/security.md states every limit migsim enforces with its value: read from the
source (without importing private modules), so the page cannot drift from the code."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable

import pytest

from tests.fuzz.cases import ROOT

DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
SOURCES = (
    "migsim/scenario/_limits.py",
    "actors/_token.py",
    "actors/_shrink.py",
)
OPERATORS: dict[type[ast.operator], Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
}


def evaluate(node: ast.expr) -> int:
    """The value of a constant integer expression (``1 << 20``, ``(1 << 64) - 1``)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](evaluate(node.left), evaluate(node.right))
    raise ValueError(f"not a constant integer expression: {ast.unparse(node)}")


def limits(source: str) -> dict[str, int]:
    """The module-level ``MAX_*`` (and ``*_BUDGET``) constants of ``source``."""
    tree = ast.parse((ROOT / source).read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and re.fullmatch(r"MAX_\w+|\w+_BUDGET", target.id):
                found[target.id] = evaluate(node.value)
    return found


ALL = [(source, name, value) for source in SOURCES for name, value in limits(source).items()]


def test_the_limits_module_is_read() -> None:
    names = {name for _, name, _ in ALL}
    assert {"MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS", "MAX_KEY", "MAX_CHOICES"} <= names
    assert "SHRINK_STEP_BUDGET" in names


@pytest.mark.parametrize(("source", "name", "value"), ALL, ids=[n for _, n, _ in ALL])
def test_every_limit_is_documented_with_its_value(source: str, name: str, value: int) -> None:
    row = re.compile(rf"^\| `{name}` \| {value} \|", re.MULTILINE)
    assert row.search(DOC), f"docs/security.md has no row '| `{name}` | {value} |' ({source})"


def test_the_doc_lists_no_limit_the_code_does_not_have() -> None:
    documented = set(re.findall(r"^\| `(MAX_\w+|\w+_BUDGET)` \|", DOC, re.MULTILINE))
    assert documented == {name for _, name, _ in ALL}
