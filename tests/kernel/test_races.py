"""Bug-finding tests, one per race: the unguarded policy shows the race's invariant and its
replay token reproduces it; the guarded policy survives an exhaustive DPOR search."""

from __future__ import annotations

import pytest

from actors import DFS, PCT, Budget, RandomWalk, explore, replay_token, run_schedule
from migsim import build_program
from migsim.races import RACES

from .found import unguarded

GUARDED_BUDGET = 10_000
"""Schedules the guarded searches may use; each completes well inside it."""


@pytest.mark.parametrize("race", sorted(RACES))
def test_the_unguarded_policy_shows_the_race(race: str) -> None:
    scenario = RACES[race].scenario()
    assert race in scenario.races
    assert scenario.expect.outcome == "violation"
    program, found = unguarded(race)
    assert found.first is not None, f"{race}: no violation in {found.schedules} schedules"
    outcome = found.first.outcome
    assert (outcome.kind, outcome.code) == ("violation", scenario.expect.invariant), (
        outcome.describe()
    )
    again = replay_token(program, found.first.token)
    assert again.outcome == outcome


@pytest.mark.parametrize("race", sorted(RACES))
def test_the_guarded_policy_survives_exhaustive_search(race: str) -> None:
    scenario = RACES[race].scenario(RACES[race].guards[0])
    assert scenario.expect.outcome == "ok"
    program = build_program(scenario)
    search = DFS(dpor=True, preemption_bound=RACES[race].bound)
    budget = Budget(schedules=GUARDED_BUDGET, max_steps=scenario.explore.max_steps)
    found = explore(program, search, budget)
    assert found.first is None, found.first and found.first.outcome.describe()
    assert found.exhaustive_complete, f"{race}: {found.schedules} schedules, not exhausted"


@pytest.mark.parametrize("race", ["R6", "R7"])
def test_the_bound_of_a_bounded_search_still_reaches_the_unguarded_race(race: str) -> None:
    scenario = RACES[race].scenario()
    program = build_program(scenario)
    search = DFS(dpor=True, preemption_bound=RACES[race].bound)
    found = explore(
        program, search, Budget(schedules=GUARDED_BUDGET, max_steps=scenario.explore.max_steps)
    )
    assert found.first is not None
    # R6's stale entry shows as a double release (C3) or, once the id was reused, as
    # another page's data (D1): the bounded search meets the second first.
    assert found.first.outcome.code in {scenario.expect.invariant, "D1"}


def test_r1_is_closed_by_every_rechecking_fault_policy() -> None:
    for retry in RACES["R1"].guards:
        program = build_program(RACES["R1"].scenario(retry))
        found = explore(program, DFS(dpor=True), Budget(schedules=GUARDED_BUDGET, max_steps=400))
        assert found.exhaustive_complete
        assert found.first is None, (retry, found.first and found.first.outcome.describe())


def test_r7_is_the_aba_that_pte_same_alone_lets_through() -> None:
    program = build_program(RACES["R7"].scenario("pte-same"))
    found = explore(program, PCT(0, 5), Budget(schedules=5000, max_steps=800))
    assert found.first is not None
    assert found.first.outcome.code == "D1"
    assert "read A:0" in found.first.outcome.message
    labels = [step.label for step in found.first.trace]
    assert "do_wp_page" in labels  # the COW the faulter's page lock forced


@pytest.mark.parametrize("retry", ["pte-same", "pte-same+private", "eagain-refetch"])
def test_r21_ends_in_oom_under_every_classic_recheck(retry: str) -> None:
    """Both faults and sys_migrate_pages hold mmap_sem for read: R21 stands under it."""
    scenario = RACES["R21"].scenario(retry)
    assert scenario.expect.invariant == "K3"
    found = explore(build_program(scenario), RandomWalk(0), Budget(schedules=3000, max_steps=800))
    assert found.first is not None, retry
    assert found.first.outcome.code == "K3"
    labels = [step.label for step in found.first.trace]
    assert "down_read mmap_sem:A" in labels


def test_r4_cannot_happen_where_migration_holds_mmap_sem() -> None:
    race = RACES["R4"]
    assert set(race.unreachable) <= set(race.guards)
    for label in race.unreachable:
        program = build_program(race.scenario(label))
        found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=400))
        assert found.exhaustive_complete
        assert found.first is None, found.first and found.first.outcome.describe()


def test_an_r1_schedule_stays_short() -> None:
    """Every extra scheduling point multiplies the interleavings: R1 must stay small."""
    program = build_program(RACES["R1"].scenario("pte-same+private"))
    longest = max(
        run_schedule(program, RandomWalk(seed), max_steps=400).steps for seed in range(50)
    )
    assert longest <= 100
