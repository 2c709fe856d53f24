"""Shrinking: a failing schedule becomes a minimal one, with its own working token."""

from __future__ import annotations

from actors import Budget, RandomWalk, Setup, explore, replay_token, shrink
from tests.runtime.programs import Busy, lost_update


def noisy_lost_update() -> Setup:
    """The lost update among busy bystanders: random runs fail with many preemptions."""
    setup = lost_update(3)
    return Setup([*setup.actors, Busy("noise0", 6), Busy("noise1", 6)], setup.monitors)


def _first_failure(seed: int) -> object:
    found = explore(noisy_lost_update, RandomWalk(seed), Budget(schedules=500))
    assert found.first is not None
    return found.first


def test_shrinking_reaches_the_minimal_preemption_count() -> None:
    # A lost update needs exactly one preemption: between one incrementer's read and write.
    for seed in range(5):
        found = explore(noisy_lost_update, RandomWalk(seed), Budget(schedules=500))
        failing = found.first
        assert failing is not None
        small = shrink(noisy_lost_update, failing)
        assert small.outcome.signature() == failing.outcome.signature() == ("violation", "LOST")
        assert small.preemptions <= 1
        assert small.steps <= failing.steps
        again = replay_token(noisy_lost_update, small.token)
        assert again.trace == small.trace
        assert again.outcome == small.outcome


def test_shrunk_token_is_marked_as_shrunk() -> None:
    found = explore(noisy_lost_update, RandomWalk(1), Budget(schedules=500))
    assert found.first is not None
    small = shrink(noisy_lost_update, found.first)
    assert ":shrunk:" in small.token


def test_shrinking_also_shortens_the_schedule() -> None:
    found = explore(noisy_lost_update, RandomWalk(2), Budget(schedules=500))
    failing = found.first
    assert failing is not None
    small = shrink(noisy_lost_update, failing)
    # The minimal failing run skips every bystander step it can: 3 incrementers x 2 steps,
    # plus at most the bystanders that must run first (none need to).
    assert small.steps <= 6 + 12
    assert small.steps < failing.steps or failing.steps <= 18
