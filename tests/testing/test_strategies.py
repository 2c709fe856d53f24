"""The scenario strategies: valid by construction, and as configurable as they say."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import migsim
from migsim import Machine, Policies, Scenario, TaskStep, build_program
from migsim.testing import (
    address_spaces,
    daemon_sets,
    machines,
    page_refs,
    policy_combinations,
    scenarios,
    task_programs,
)

FAST = settings(max_examples=60, deadline=None)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_generated_scenario_validates_unchanged(scenario: Scenario) -> None:
    assert migsim.validate_scenario(scenario) == scenario


@FAST
@given(scenarios(max_tasks=3, max_daemons=3, max_pages=3))
def test_every_generated_scenario_builds_a_world(scenario: Scenario) -> None:
    setup = build_program(scenario)()
    names = [a.name for a in setup.actors]
    assert len(names) == len(set(names))
    assert len(setup.actors) >= len(scenario.task) + len(scenario.daemon)


@FAST
@given(
    scenarios(
        max_nodes=1,
        max_cpus=1,
        max_spaces=1,
        max_pages=1,
        max_tasks=1,
        max_steps=2,
        ops=("read", "write"),
        page_states=("present",),
        mlocked=False,
        daemon_kinds=("kswapd",),
        policies=policy_combinations(fault_retry=["none"], mlocked=["refuse"]),
    )
)
def test_sizes_and_choices_are_respected(scenario: Scenario) -> None:
    assert scenario.machine.nodes == scenario.machine.cpus == 1
    assert len(scenario.mm) == 1
    assert scenario.mm[0].pages == 1
    assert scenario.mm[0].state == ()
    assert scenario.mm[0].mlocked == ()
    assert len(scenario.task) == 1
    assert len(scenario.task[0].program) <= 2
    assert {s.op for s in scenario.task[0].program} <= {"read", "write"}
    assert all(d.kind == "kswapd" for d in scenario.daemon)
    assert scenario.policies.fault_retry == "none"
    assert scenario.policies.mlocked == "refuse"


@FAST
@given(machines(max_nodes=3, max_cpus=4))
def test_machines_are_valid_on_their_own(machine: Machine) -> None:
    assert 1 <= machine.nodes <= 3
    assert 1 <= machine.cpus <= 4
    migsim.validate_scenario(Scenario("m", machine=machine, daemon=(migsim.Daemon("kswapd"),)))


@FAST
@given(st.data())
def test_parts_fit_together(data: st.DataObject) -> None:
    mms = data.draw(address_spaces(nodes=2, max_spaces=3, max_pages=3))
    assert [mm.name for mm in mms] == list("ABC"[: len(mms)])
    for mm in mms:
        locked_states = {mm.page_state(p) for p in mm.mlocked}
        assert locked_states <= {"present"}  # never swapped (L1) nor lazy (L2)
    daemons = data.draw(daemon_sets(mms, nodes=2, max_daemons=3))
    for daemon in daemons:
        assert set(daemon.pages) <= set(page_refs(mms))
        assert daemon.kind == "kswapd" or daemon.pages
    program = data.draw(task_programs(pages=mms[0].pages, max_steps=6, child_prefix="X"))
    task = migsim.Task("T", mms[0].name, 0, program)
    machine = Machine(nodes=2, pages_per_node=20, swap_slots=20)
    migsim.validate_scenario(Scenario("p", machine=machine, mm=mms, task=(task,), daemon=daemons))


@FAST
@given(task_programs(pages=2, max_steps=8))
def test_exit_ends_a_program_and_forks_name_new_children(program: tuple[TaskStep, ...]) -> None:
    ops = [s.op for s in program]
    assert "exit" not in ops[:-1]
    children = [s.child for s in program if s.op == "fork"]
    assert len(children) == len(set(children))
    assert all(s.expect is None for s in program)


@FAST
@given(policy_combinations(fallback_to_swap=["never"], fault_retry=["pte-same", "none"]))
def test_policy_combinations_draw_only_the_names_given(policies: Policies) -> None:
    assert policies.fallback_to_swap == "never"
    assert policies.fault_retry in ("pte-same", "none")
    assert policies.mlocked in ("refuse", "migrate")  # every built-in by default


def test_policy_combinations_reject_empty_and_bare_string_lists() -> None:
    with pytest.raises(ValueError, match="fault_retry needs at least one"):
        policy_combinations(fault_retry=[])
    with pytest.raises(TypeError, match=r"write mlocked=\['refuse'\]"):
        policy_combinations(mlocked="refuse")


def test_unknown_names_are_refused_when_the_strategy_is_defined() -> None:
    with pytest.raises(ValueError, match="unknown ops 'jump'; expected some of read, write"):
        task_programs(ops=("jump",))
    with pytest.raises(ValueError, match="unknown page_states 'gone'"):
        scenarios(page_states=("present", "gone"))
    with pytest.raises(ValueError, match="unknown modes 'slow'"):
        daemon_sets((), modes=("slow",))
    with pytest.raises(ValueError, match="states needs at least one"):
        address_spaces(states=())
    with pytest.raises(TypeError, match="got the string 'read'"):
        scenarios(ops="read")
