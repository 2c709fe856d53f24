"""Shrinking has a deterministic budget: a run that fails only at its step bound has as
many choices as steps, and delta debugging it would cost about ``max_steps ** 2`` steps."""

from __future__ import annotations

from actors import (
    SHRINK_BUDGET_LABEL,
    Budget,
    RandomWalk,
    RunResult,
    Setup,
    explore,
    replay_token,
    shrink,
)
from tests.runtime.programs import Busy

MAX_STEPS = 300


def two_spinners() -> Setup:
    """Two actors that never finish within the step bound: every run fails at it."""
    return Setup([Busy("spin0", 10 * MAX_STEPS), Busy("spin1", 10 * MAX_STEPS)], [])


def _failing() -> RunResult:
    found = explore(two_spinners, RandomWalk(3), Budget(schedules=1, max_steps=MAX_STEPS))
    assert found.first is not None
    assert found.first.outcome.code == "step-bound"
    return found.first


def _shrink(failing: RunResult, budget: int) -> tuple[RunResult, list[tuple[int, int]]]:
    seen: list[tuple[int, int]] = []
    small = shrink(
        two_spinners,
        failing,
        max_steps=MAX_STEPS,
        step_budget=budget,
        on_progress=lambda runs, steps: seen.append((runs, steps)),
    )
    return small, seen


def test_a_step_bound_failure_shrinks_within_its_step_budget() -> None:
    failing = _failing()
    small, seen = _shrink(failing, budget=20 * MAX_STEPS)
    runs, steps = seen[-1]
    assert steps < 20 * MAX_STEPS + 2 * MAX_STEPS  # the last attempt may start under budget
    assert runs == len(seen)
    assert runs <= 21
    assert small.strategy == SHRINK_BUDGET_LABEL
    assert small.outcome.signature() == failing.outcome.signature()
    again = replay_token(two_spinners, small.token, max_steps=MAX_STEPS)
    assert again.trace == small.trace
    assert again.outcome == small.outcome


def test_the_budget_is_deterministic() -> None:
    failing = _failing()
    first, _ = _shrink(failing, budget=15 * MAX_STEPS)
    second, _ = _shrink(failing, budget=15 * MAX_STEPS)
    assert first.token == second.token


def test_a_shrink_that_finishes_under_budget_says_plain_shrunk() -> None:
    failing = _failing()
    small, seen = _shrink(failing, budget=10**9)
    assert small.strategy == "shrunk"
    assert seen[-1][1] > 20 * MAX_STEPS  # the unbudgeted search costs more than the budget
