"""The swapless eras: 2.6.18 migration entries and 6.1 (mlock_count), and what each allows.

Swapless migration must actually produce migration entries (a fault meets one and waits
for the migrator), keep the data and the counts right under exhaustive search, and refuse,
in one line, the policies and the lazy mode that only the migration cache gives meaning.
"""

from __future__ import annotations

import attrs
import pytest

from actors import DFS, Budget, RandomWalk, explore, run_schedule
from kernel_model import ERAS
from migsim import (
    Daemon,
    KernelSpec,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    ScenarioError,
    Task,
    TaskStep,
    build_program,
    validate_scenario,
)

READ = TaskStep("read", page=0)
WRITE = TaskStep("write", page=0)
SWAPLESS = Policies(fallback_to_swap="never", mlocked="migrate")


def _scenario(era: str, *programs: tuple[TaskStep, ...]) -> Scenario:
    """One page of mm A migrated to node 1 while tasks of A run ``programs``."""
    return Scenario(
        name="swapless",
        machine=Machine(nodes=2, pages_per_node=3, swap_slots=1, cpus=2),
        kernel=KernelSpec(era),
        policies=SWAPLESS,
        mm=(MmSpec("A", pages=1),),
        task=tuple(Task(f"T{i}", "A", i, program) for i, program in enumerate(programs)),
        daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
    )


def test_the_swapless_eras_state_what_they_run() -> None:
    swapless, current = ERAS["2.6.18-swapless"], ERAS["6.1"]
    assert swapless.swapless
    assert current.swapless
    assert swapless.migration_wait_pins
    assert not current.migration_wait_pins
    assert current.mlock_count
    assert current.mlock_walk_vm_io
    assert current.pg_mlocked
    assert not swapless.mlock_count
    assert not swapless.pg_mlocked
    assert not ERAS["6.1-mlock-no-vm-io"].mlock_walk_vm_io
    for era in (swapless, current):
        assert dict(era.defaults) == {"fallback_to_swap": "never", "mlocked": "migrate"}
        assert era.allows("fallback_to_swap", "never")
        assert not era.allows("fallback_to_swap", "vmscan-only")
        assert era.allows("fault_retry", "pte-same")  # the swap-in path keeps its choice
    assert ERAS["2.6.16-mm1+v8"].allows("fallback_to_swap", "vmscan-only")


def _labels(scenario: Scenario, seeds: range) -> set[str]:
    program = build_program(scenario)
    labels: set[str] = set()
    for seed in seeds:
        result = run_schedule(program, RandomWalk(seed), max_steps=800)
        assert result.outcome.kind == "ok", result.outcome.describe()
        labels |= {step.label for step in result.trace.steps}
    return labels


@pytest.mark.parametrize("era", ["2.6.18-swapless", "6.1"])
def test_a_fault_during_swapless_migration_waits_on_a_migration_entry(era: str) -> None:
    labels = _labels(_scenario(era, (READ,)), range(40))
    assert "try_to_unmap_one (migration)" in labels
    assert "migration_entry_wait" in labels
    assert "remove_migration_pte" in labels


def test_the_migration_cache_era_makes_no_migration_entries() -> None:
    scenario = attrs.evolve(
        _scenario("2.6.16-mm1+v8", (READ,)), policies=Policies(fallback_to_swap="never")
    )
    labels = _labels(scenario, range(40))
    assert "migration_entry_wait" not in labels
    assert "add_to_migration_cache" in labels


@pytest.mark.parametrize(
    ("era", "programs"),
    [
        ("2.6.18-swapless", ((WRITE, READ),)),
        ("2.6.18-swapless", ((READ, TaskStep("exit")),)),
        ("6.1", ((TaskStep("mlock", page=0), WRITE, TaskStep("munlock", page=0)),)),
        ("6.1", ((WRITE, READ),)),
    ],
)
def test_swapless_migration_keeps_every_invariant(
    era: str, programs: tuple[tuple[TaskStep, ...], ...]
) -> None:
    program = build_program(_scenario(era, *programs))
    found = explore(
        program, DFS(dpor=True, preemption_bound=2), Budget(schedules=5000, max_steps=800)
    )
    assert found.first is None, found.first.outcome.describe()
    assert found.exhaustive_complete


def _problem(scenario: Scenario) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(scenario)
    message = str(caught.value)
    assert "\n" not in message.splitlines()[0]
    return message.splitlines()[0]


@pytest.mark.parametrize("era", ["2.6.18-swapless", "6.1"])
def test_a_fallback_to_swap_under_a_swapless_era_is_one_clear_line(era: str) -> None:
    scenario = attrs.evolve(
        _scenario(era, (READ,)), policies=attrs.evolve(SWAPLESS, fallback_to_swap="always")
    )
    line = _problem(scenario)
    assert "policies.fallback_to_swap" in line
    assert era in line
    assert 'set policies.fallback_to_swap = "never"' in line


def test_refusing_mlocked_pages_is_not_a_swapless_choice() -> None:
    scenario = attrs.evolve(
        _scenario("2.6.18-swapless", (READ,)), policies=attrs.evolve(SWAPLESS, mlocked="refuse")
    )
    line = _problem(scenario)
    assert "policies.mlocked" in line
    assert 'set policies.mlocked = "migrate"' in line


def test_lazy_migration_needs_the_migration_cache() -> None:
    base = _scenario("6.1", (READ,))
    lazy_daemon = attrs.evolve(
        base, daemon=(Daemon("migrate", name="lazy", mode="lazy", pages=("A:0",)),)
    )
    line = _problem(lazy_daemon)
    assert "daemon[0].mode" in line
    assert "6.1" in line
    assert "migration cache" in line
    lazy_page = attrs.evolve(base, mm=(MmSpec("A", pages=1, state=("lazy",)),))
    line = _problem(lazy_page)
    assert "mm[0].state" in line
    assert "migration cache" in line


def test_the_default_policies_are_refused_under_a_swapless_era_with_the_fix() -> None:
    scenario = attrs.evolve(_scenario("2.6.18-swapless", (READ,)), policies=Policies())
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(scenario)
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["policies.fallback_to_swap", "policies.mlocked"]
