"""Random workloads under unguarded policies: Hypothesis finds the race from the workload
up, not from a hand-written scenario.

With a fallback that moves migration-cache pages to swap from reclaim (``always``,
``vmscan-only``), kswapd can give a VM_LOCKED pte a swap entry while mlock is still
populating it (L1).  Hypothesis finds it from scenarios drawn at random, and shrinks the
scenario together with the schedule: one task that mlocks a lazily migrated page, one
kswapd, one preemption.
"""

from __future__ import annotations

import pytest
import trio
from hypothesis import HealthCheck, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors.testing import run_with_hypothesis
from migsim import Scenario, build_program
from migsim.testing import FailingRunError, assert_ok, policy_combinations, scenarios


def shrunk_failure(fallback: str) -> tuple[Scenario, FailingRunError]:
    """The minimal (scenario, failure) Hypothesis ends with, searching mlock workloads."""
    policies = policy_combinations(fallback_to_swap=[fallback], fault_retry=["pte-same+private"])
    workloads = scenarios(
        max_nodes=1,
        max_spaces=1,
        max_tasks=2,
        max_steps=2,
        max_daemons=1,
        max_start=0,
        ops=["mlock", "munlock", "read", "write"],
        page_states=["lazy", "present"],
        daemon_kinds=["kswapd"],
        policies=policies,
    )
    failing: list[Scenario] = []

    @settings(
        database=None,
        derandomize=True,
        # Each program step under mmap_sem is two steps more per mlock and fault, which
        # thins the schedules that preempt at the one racing point.
        max_examples=3000,
        deadline=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
    )
    @given(workloads, st.data())
    def search(scenario: Scenario, data: DataObject) -> None:
        program = build_program(scenario)
        result = trio.run(lambda: run_with_hypothesis(program, data))
        if result.failed:
            failing.append(scenario)
        assert_ok(result)

    with pytest.raises(FailingRunError) as info:
        search()
    return failing[-1], info.value


@pytest.mark.parametrize("fallback", ["always", "vmscan-only"])
def test_reclaim_swaps_a_page_that_mlock_is_populating(fallback: str) -> None:
    scenario, failure = shrunk_failure(fallback)
    assert failure.result.outcome.code == "L1"
    assert failure.result.preemptions == 1
    assert len(scenario.task) == 1
    assert [s.op for s in scenario.task[0].program] == ["mlock"]
    assert [d.kind for d in scenario.daemon] == ["kswapd"]
