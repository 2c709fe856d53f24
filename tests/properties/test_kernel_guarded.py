"""Random workloads under the guarded policies: whatever the workload and the schedule,
every invariant holds.

"Guarded" is the combination that closes every race the kernel model knows: no move from
the migration cache to swap (``fallback_to_swap = never``, 2.6.18's answer), and a fault
path that rechecks after the unlocked pte read (``pte-same+private``: mainline since 2010,
or Lee's ``eagain-refetch``); mlocked pages may be refused or migrated.  The fallbacks that
do move cache pages to swap let kswapd give a VM_LOCKED pte a swap entry while mlock is
still populating it (L1), which Hypothesis finds within a few hundred examples.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors.testing import run_with_hypothesis
from migsim import Scenario, build_program
from migsim.testing import assert_ok, examples, policy_combinations, scenarios

GUARDED = policy_combinations(
    fallback_to_swap=["never"],
    mlocked=["refuse", "migrate"],
    fault_retry=["pte-same+private", "eagain-refetch"],
)

SMALL = scenarios(max_tasks=3, max_steps=3, max_daemons=2, policies=GUARDED)
"""Up to 2 nodes, 2 CPUs, 2 address spaces of up to 2 pages: where races are dense."""

LARGE = scenarios(
    max_cpus=3,
    max_spaces=3,
    max_pages=3,
    max_tasks=4,
    max_steps=4,
    max_daemons=3,
    policies=GUARDED,
)
"""More of everything: longer runs, more actors per page."""


async def holds(scenario: Scenario, data: DataObject) -> None:
    """Run the scenario once, Hypothesis choosing the schedule; fail on any failure."""
    program = build_program(scenario)
    result = await run_with_hypothesis(
        program, data, max_steps=scenario.explore.max_steps, name=scenario.name
    )
    assert_ok(result)


@settings(max_examples=examples(200), deadline=None)
@given(SMALL, st.data())
async def test_every_invariant_holds_in_small_workloads(
    scenario: Scenario, data: DataObject
) -> None:
    await holds(scenario, data)


@settings(max_examples=examples(200), deadline=None)
@given(LARGE, st.data())
async def test_every_invariant_holds_in_larger_workloads(
    scenario: Scenario, data: DataObject
) -> None:
    await holds(scenario, data)
