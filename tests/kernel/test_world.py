"""The world builder: fresh state per run, policies resolved up front, errors that teach."""

from __future__ import annotations

import attrs
import pytest

import kernel_actors
import migsim
from actors import RandomWalk, run_schedule
from kernel_model import ERAS, Kernel
from migsim import (
    Daemon,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    ScenarioError,
    Task,
    TaskStep,
    build_program,
)
from migsim.races import r1_seed, workload
from policies import PolicyError


def build_kernel(scenario: Scenario) -> Kernel:
    """The scenario's initial state, as the first call of its program builds it."""
    monitor = build_program(scenario)().monitors[0]
    assert isinstance(monitor, kernel_actors.InvariantMonitor)
    return monitor.kernel


def test_each_call_builds_fresh_actors_and_state() -> None:
    program = build_program(r1_seed("pte-same"))
    one, two = program(), program()
    assert {id(a) for a in one.actors}.isdisjoint(id(a) for a in two.actors)
    first = run_schedule(program, RandomWalk(4))
    second = run_schedule(program, RandomWalk(4))
    assert first.trace.fingerprint() == second.trace.fingerprint()
    assert first.outcome == second.outcome


def test_actor_names_are_unique_and_canonical() -> None:
    setup = build_program(workload())()
    names = [a.name for a in setup.actors]
    assert len(names) == len(set(names))
    assert "cpu0:T1" in names
    assert "ptl:A:0" in names
    assert "kswapd" in names


def test_a_bad_policy_name_is_reported_before_any_run() -> None:
    scenario = attrs.evolve(r1_seed(), policies=Policies(fault_retry="pte-sam"))
    with pytest.raises(ScenarioError, match='did you mean "pte-same"'):
        build_program(scenario)
    plugin = attrs.evolve(r1_seed(), policies=Policies(fault_retry="policies:nothing_here"))
    with pytest.raises(PolicyError, match="nothing_here"):
        build_program(plugin)


def test_too_many_pages_for_a_node_is_a_world_error() -> None:
    scenario = Scenario(
        name="full",
        machine=Machine(nodes=1, pages_per_node=1),
        mm=(MmSpec("A", pages=2),),
        task=(Task("T", "A", 0, (TaskStep("read", page=0),)),),
    )
    with pytest.raises(ScenarioError, match=r"machine\.pages_per_node: expected at least 2"):
        build_kernel(scenario)


def test_initial_states_are_built_consistently() -> None:
    scenario = Scenario(
        name="states",
        machine=Machine(nodes=1, pages_per_node=4, swap_slots=2),
        mm=(MmSpec("A", pages=3, state=("present", "swapped", "lazy"), mlocked=(0,)),),
        task=(Task("T", "A", 0, (TaskStep("fork", child="B"),)),),
    )
    k = build_kernel(scenario)
    assert str(k.pte("A", 0)).startswith("present")
    assert str(k.pte("A", 1)).startswith("swap")
    assert str(k.pte("A", 2)).startswith("migcache")
    assert k.mms["A"].vm_locked == [True, False, False]
    assert not k.mms["B"].alive


def test_a_forked_child_sees_the_parents_data() -> None:
    scenario = Scenario(
        name="fork",
        machine=Machine(nodes=1, pages_per_node=6, swap_slots=2),
        mm=(MmSpec("A", pages=2, state=("present", "lazy")),),
        task=(
            Task(
                "P",
                "A",
                0,
                (TaskStep("write", page=0), TaskStep("fork", child="B"), TaskStep("write", page=1)),
            ),
            Task(
                "C",
                "B",
                0,
                (
                    TaskStep("read", page=0, expect=1),
                    TaskStep("read", page=1),
                    TaskStep("write", page=0),
                    TaskStep("exit"),
                ),
            ),
        ),
    )
    program = build_program(scenario)
    for seed in range(30):
        result = run_schedule(program, RandomWalk(seed))
        assert result.outcome.kind == "ok", result.outcome.describe()


def test_the_kernel_actors_public_names_are_documented() -> None:
    for name in kernel_actors.__all__:
        assert getattr(kernel_actors, name).__doc__, name


def test_a_scenario_is_checked_whole_once_when_it_is_built() -> None:
    """build_program validates a Python-built scenario like a loaded file (key paths)."""
    scenario = Scenario(
        name="oob",
        mm=(MmSpec("A", pages=1),),
        task=(Task("T", "A", 0, (TaskStep("read", page=3),)),),
    )
    with pytest.raises(
        ScenarioError, match=r"task\[0\]\.program\[0\]\.page: expected a page from 0 to 0"
    ):
        build_kernel(scenario)


def test_a_migration_target_outside_the_machine_is_a_scenario_error() -> None:
    scenario = attrs.evolve(r1_seed(), daemon=(Daemon("migrate", pages=("A:0",), to_node=5),))
    with pytest.raises(ScenarioError, match=r"daemon\[0\]\.to_node: expected a number below"):
        build_program(scenario)


def test_the_era_comes_from_the_scenario_and_reaches_every_kernel_actor() -> None:
    posted = attrs.evolve(workload(), kernel=migsim.KernelSpec(era="2.6.16-mm1+v8-posted"))
    for scenario, era in ((workload(), "2.6.16-mm1+v8"), (posted, "2.6.16-mm1+v8-posted")):
        setup = build_program(scenario)()
        contexts = {id(a.ctx) for a in setup.actors if hasattr(a, "ctx")}
        assert len(contexts) == 1
        assert all(a.ctx.era is ERAS[era] for a in setup.actors if hasattr(a, "ctx"))


def test_an_unknown_era_is_a_scenario_error_that_lists_the_eras() -> None:
    scenario = attrs.evolve(r1_seed(), kernel=migsim.KernelSpec(era="2.6.99"))
    with pytest.raises(ScenarioError, match=r"2\.6\.16-mm1\+v8, 2\.6\.16-mm1\+v8-posted"):
        build_program(scenario)
