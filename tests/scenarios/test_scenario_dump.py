"""Dumping scenarios to TOML: every valid scenario round-trips through the loader."""

from __future__ import annotations

import tomllib
from typing import Literal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import migsim
from migsim import dump_scenario, loads_scenario

INVARIANTS = ("K3", "C1", "D1", "Q2", "deadlock")


@st.composite
def scenarios(draw: st.DrawFn) -> migsim.Scenario:
    """Valid scenarios of every shape the format allows (small, so examples stay fast)."""
    nodes = draw(st.integers(1, 3))
    cpus = draw(st.integers(1, 4))
    mms = draw(st.lists(_mm(nodes), max_size=3, unique_by=lambda m: m.name))
    tasks = tuple(draw(_task(mms, cpus, i)) for i in range(draw(st.integers(0, 3)))) if mms else ()
    daemons = (
        tuple(draw(_daemon(mms, nodes, i)) for i in range(draw(st.integers(0, 2)))) if mms else ()
    )
    if not tasks and not daemons:  # a scenario runs something
        daemons = (migsim.Daemon(kind="kswapd"),)
    swapped = sum(1 for m in mms for p in range(m.pages) if m.page_state(p) == "swapped")
    resident = max([sum(m.pages for m in mms if m.node == n) for n in range(nodes)] + [0])
    machine = migsim.Machine(
        nodes=nodes,
        cpus=cpus,
        swap_slots=swapped + draw(st.integers(0, 3)),
        pages_per_node=resident + draw(st.integers(0, 3)),
        ptes_per_table=draw(st.integers(1, 512)),
    )
    outcome: Literal["ok", "violation"] = draw(st.sampled_from(["ok", "violation"]))
    expect = migsim.Expect(outcome, draw(st.sampled_from(INVARIANTS)) if outcome != "ok" else None)
    return migsim.Scenario(
        name=draw(st.from_regex(r"[a-z][a-z0-9_.+-]{0,12}", fullmatch=True)),
        description=draw(st.text(max_size=30)),
        races=tuple(draw(st.lists(st.integers(1, 20).map(lambda i: f"R{i}"), max_size=3))),
        machine=machine,
        policies=migsim.Policies(
            fault_retry=draw(
                st.sampled_from(
                    ["none", "pte-same", "pte-same+private", "eagain-refetch", "my.module:Policy"]
                )
            )
        ),
        mm=tuple(mms),
        task=tasks,
        daemon=daemons,
        explore=draw(_explore()),
        expect=expect,
    )


def _mm(nodes: int) -> st.SearchStrategy[migsim.MmSpec]:
    @st.composite
    def build(draw: st.DrawFn) -> migsim.MmSpec:
        pages = draw(st.integers(1, 4))
        states = st.sampled_from(["present", "swapped", "lazy"])
        state = draw(
            st.one_of(st.just(()), states.map(lambda s: (s,)), st.tuples(*[states] * pages))
        )
        spec = migsim.MmSpec(
            name=draw(st.sampled_from(["A", "B", "C"])),
            pages=pages,
            node=draw(st.integers(0, nodes - 1)),
            state=state,
        )
        resident = [p for p in range(pages) if spec.page_state(p) == "present"]  # L1/L2
        mlocked = draw(st.lists(st.sampled_from(resident), unique=True)) if resident else []
        return attrs.evolve(spec, mlocked=tuple(mlocked))

    return build()


def _step(mm: migsim.MmSpec, index: int) -> st.SearchStrategy[migsim.TaskStep]:
    page = st.integers(0, mm.pages - 1)
    return st.one_of(
        st.builds(
            migsim.TaskStep, op=st.just("read"), page=page, expect=st.none() | st.integers(0, 5)
        ),
        st.builds(migsim.TaskStep, op=st.just("write"), page=page),
        st.builds(migsim.TaskStep, op=st.sampled_from(["mlock", "munlock"]), page=st.none() | page),
        st.just(migsim.TaskStep(op="fork", child=f"child{index}")),
        st.just(migsim.TaskStep(op="exit")),
        st.builds(migsim.TaskStep, op=st.just("sleep"), ticks=st.integers(0, 9)),
    )


@st.composite
def _task(draw: st.DrawFn, mms: list[migsim.MmSpec], cpus: int, i: int) -> migsim.Task:
    mm = draw(st.sampled_from(mms))
    program = draw(st.lists(_step(mm, i), max_size=5))
    return migsim.Task(
        name=f"t{i}", mm=mm.name, cpu=draw(st.integers(0, cpus - 1)), program=tuple(program)
    )


@st.composite
def _daemon(draw: st.DrawFn, mms: list[migsim.MmSpec], nodes: int, i: int) -> migsim.Daemon:
    refs = [f"{m.name}:{p}" for m in mms for p in range(m.pages)]
    name = draw(st.none() | st.just(f"d{i}"))
    at = draw(st.integers(0, 5))
    if draw(st.booleans()):
        pages = tuple(draw(st.lists(st.sampled_from(refs), min_size=1, max_size=3)))
        return migsim.Daemon(
            kind="migrate",
            name=name,
            mode=draw(st.sampled_from(["eager", "lazy"])),
            pages=pages,
            to_node=draw(st.integers(0, nodes - 1)),
            at=at,
        )
    pages = tuple(draw(st.lists(st.sampled_from(refs), max_size=3)))
    return migsim.Daemon(
        kind="kswapd", name=name, pages=pages, passes=draw(st.integers(1, 3)), at=at
    )


def _explore() -> st.SearchStrategy[migsim.Explore]:
    return st.builds(
        migsim.Explore,
        strategy=st.sampled_from(["random", "pct", "dfs", "portfolio"]),
        schedules=st.integers(1, 10**6),
        seed=st.integers(0, 2**64 - 1),
        depth=st.integers(1, 5),
        preemption_bound=st.none() | st.integers(0, 4),
        max_steps=st.integers(1, 10**5),
    )


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_dump_then_load_gives_the_same_scenario(s: migsim.Scenario) -> None:
    assert migsim.validate_scenario(s) == s
    text = dump_scenario(s)
    # the dump of a Python-built scenario is the caller's own: module:attr policies allowed
    assert loads_scenario(text, source="dumped.toml", allow_policy_imports=True) == s
    assert dump_scenario(loads_scenario(text, allow_policy_imports=True)) == text


def test_dump_is_readable_toml_with_sections_in_order() -> None:
    s = migsim.Scenario(
        name="tiny",
        description='quote " and \\ and é',
        mm=(migsim.MmSpec(name="A", pages=2, state=("present", "lazy")),),
        task=(migsim.Task(name="t", mm="A", program=(migsim.TaskStep(op="read", page=1),)),),
        daemon=(migsim.Daemon(kind="kswapd"),),
    )
    text = dump_scenario(s)
    assert text.startswith('name = "tiny"\ndescription = "quote \\" and \\\\ and é"\n')
    assert '    {op = "read", page = 1},\n' in text
    assert 'state = ["present", "lazy"]' in text
    order = [
        text.index(h)
        for h in (
            "[machine]",
            "[policies]",
            "[[mm]]",
            "[[task]]",
            "[[daemon]]",
            "[explore]",
            "[expect]",
        )
    ]
    assert order == sorted(order)
    assert "mode" not in tomllib.loads(text)["daemon"][0]  # kswapd takes no mode
    assert loads_scenario(text) == s
