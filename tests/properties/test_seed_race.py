"""The seed race (R1): Hypothesis finds it under every fault_retry policy that leaves it
open, agrees with exhaustive search about the others, and shrinks it to the minimal
number of preemptions, which is one."""

from __future__ import annotations

import pytest

from actors import DFS, Budget, explore
from actors.testing import assert_trace_matches, find_failure
from migsim import build_program
from migsim.races import r1_seed
from migsim.testing import Sim
from policies import KIND_FAULT_RETRY, builtin_names

MAX_STEPS = r1_seed().explore.max_steps
MINIMAL_PREEMPTIONS = 1
"""The fewest preemptions that show R1 in ``r1_seed("none")`` (proved below by DFS)."""


def exhaustive_codes(fault_retry: str) -> set[str]:
    """Every failure code of the scenario, by a complete DPOR search."""
    program = build_program(r1_seed(fault_retry))
    found = explore(
        program, DFS(), Budget(schedules=20_000, max_steps=MAX_STEPS, stop_on_first=False)
    )
    assert found.exhaustive_complete or found.violations
    return {r.outcome.code for r in found.violations}


@pytest.mark.parametrize("fault_retry", builtin_names(KIND_FAULT_RETRY))
def test_hypothesis_finds_a_violation_exactly_when_exhaustive_search_does(
    fault_retry: str,
) -> None:
    codes = exhaustive_codes(fault_retry)
    program = build_program(r1_seed(fault_retry))
    found = find_failure(program, seed=0, max_examples=300, max_steps=MAX_STEPS)
    if not codes:
        assert found is None, found and found.minimal.outcome.describe()
        return
    assert found is not None, f"exhaustive search finds {codes} under {fault_retry}"
    assert found.minimal.outcome.code in codes


def test_the_unguarded_policy_gives_the_seed_race_itself() -> None:
    assert exhaustive_codes("none") == {"K3"}


def test_r1_needs_exactly_one_preemption() -> None:
    program = build_program(r1_seed("none"))
    bound = MINIMAL_PREEMPTIONS - 1
    below = explore(
        program, DFS(preemption_bound=bound), Budget(schedules=20_000, max_steps=MAX_STEPS)
    )
    assert below.exhaustive_complete
    assert below.violations == ()
    at = explore(program, DFS(preemption_bound=MINIMAL_PREEMPTIONS), Budget(max_steps=MAX_STEPS))
    assert at.first is not None
    assert at.first.outcome.code == "K3"


@pytest.mark.parametrize("seed", range(8))
def test_hypothesis_shrinks_r1_to_the_minimal_preemptions(seed: int) -> None:
    program = build_program(r1_seed("none"))
    found = find_failure(program, seed=seed, max_steps=MAX_STEPS)
    assert found is not None
    shrunk = found.minimal
    assert shrunk.outcome.code == "K3"
    assert shrunk.preemptions == MINIMAL_PREEMPTIONS <= found.first.preemptions
    # The race itself: the unlocked pte read, kswapd's rewrite of that pte, the stale lookup.
    race = [
        ("cpu0:T", "yield", "read pte (unlocked)"),
        ("kswapd", "yield", "update_pte"),
        ("cpu0:T", "yield", "lookup_swap_cache"),
    ]
    assert_trace_matches(shrunk.trace, race)


@pytest.mark.migsim(strategy="pct", schedules=500)
async def test_the_sim_fixture_finds_r1_and_shrinks_it(sim: Sim) -> None:
    run = await sim.expect_violation(r1_seed("none"), "K3")
    assert run.preemptions == MINIMAL_PREEMPTIONS


@pytest.mark.migsim(strategy="dfs")
async def test_the_sim_fixture_proves_the_mainline_guard(sim: Sim) -> None:
    found = await sim.check(r1_seed("pte-same+private"))
    assert found.exhaustive_complete
