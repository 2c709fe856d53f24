"""Fuzzing the loader: whatever the document, it returns a scenario or a ScenarioError
with a key path, and never raises anything else."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migsim import Scenario, ScenarioError, loads_scenario
from migsim.scenario import scenario_from_dict

KEYS = [
    "name",
    "description",
    "races",
    "machine",
    "policies",
    "mm",
    "task",
    "daemon",
    "explore",
    "expect",
    "nodes",
    "cpus",
    "pages",
    "state",
    "program",
    "op",
    "page",
    "kind",
    "mode",
    "to_node",
    "passes",
    "at",
    "strategy",
    "schedules",
    "outcome",
    "invariant",
    "fault_retry",
    "ticks",
    "child",
    "expect",
    "mlocked",
    "node",
    "mm",
    "cpu",
    "xyz",
]

scalars = st.one_of(
    st.integers(-3, 10**20),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(["read", "write", "A:0", "A", "lazy", "migrate", "kswapd", "violation"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)
documents = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), values, max_size=8)
SEED_TOML = (Path(__file__).parent / "data" / "seed.toml").read_text()
SEED = tomllib.loads(SEED_TOML)
VALUE_TEXTS = ["1", "-1", "true", "1.5", "[]", "{}", '"x"', '[1, "a"]', "{op = 1}", '"A:9"']


def check(build: Any) -> None:
    """``build()`` returns a Scenario or raises a ScenarioError whose problems all have a key
    path (only a TOML syntax error has none), rendered on one line; nothing else escapes."""
    error: ScenarioError | None = None
    try:
        result = build()
    except ScenarioError as err:
        error = err
    if error is None:
        assert isinstance(result, Scenario)
        return
    assert error.problems
    for problem in error.problems:
        assert problem.path or problem.expected == "valid TOML", str(error)
    assert "\n" not in str(error)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_random_documents(doc: dict[str, Any]) -> None:
    check(lambda: scenario_from_dict(doc, source="fuzz.toml"))


def paths(node: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(SEED)
    for _ in range(draw(st.integers(1, 4))):
        all_paths = paths(doc)
        if not all_paths:
            break
        path = draw(st.sampled_from(all_paths))
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(values)
        else:
            parent.append(draw(values))
    return doc


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_mutated_documents(doc: dict[str, Any]) -> None:
    check(lambda: scenario_from_dict(doc, source="fuzz.toml"))


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    lines = SEED_TOML.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "char", "value"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "char":
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(st.characters(codec="utf-8")) + lines[i][j:]
        elif "=" in lines[i]:
            key = lines[i].split("=")[0]
            lines[i] = f"{key}= {draw(st.sampled_from(VALUE_TEXTS))}"
        if not lines:
            break
    return "\n".join(lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_text())
def test_mutated_toml_text(text: str) -> None:
    check(lambda: loads_scenario(text, source="fuzz.toml"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(max_size=20)
        | st.builds(
            lambda k, v: f"{k}={v}",
            st.sampled_from(
                [
                    "explore.schedules",
                    "task[0].cpu",
                    "task[9].x",
                    "mm[0].state",
                    "a.b.c",
                    "machine",
                    "task",
                    "task[0]",
                    "daemon[1].pages[0]",
                    "name",
                ]
            ),
            st.sampled_from(["1", "x", "[1]", "{a = 1}", '"A:0"', "true", "", "-5"]),
        ),
        max_size=3,
    )
)
def test_random_overrides(overrides: list[str]) -> None:
    check(lambda: loads_scenario(SEED_TOML, source="fuzz.toml", overrides=overrides))
