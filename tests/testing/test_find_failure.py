"""find_failure: Hypothesis searches and shrinks schedules outside a test."""

from __future__ import annotations

import pytest

from actors import Setup, replay_token
from actors.testing import HelperUsageError, find_failure
from tests.runtime.programs import Busy, lost_update, two_writers


def noisy_lost_update() -> Setup:
    """Three racing incrementers among busy bystanders."""
    setup = lost_update(3)
    return Setup([*setup.actors, Busy("noise0", 4), Busy("noise1", 4)], setup.monitors)


def test_finds_and_shrinks_the_lost_update_to_one_preemption() -> None:
    found = find_failure(noisy_lost_update, seed=3)
    assert found is not None
    assert found.first.outcome.code == found.minimal.outcome.code == "LOST"
    assert found.minimal.preemptions == 1
    assert found.minimal.steps <= found.first.steps
    assert found.calls >= 2
    again = replay_token(noisy_lost_update, found.minimal.token)
    assert again.trace == found.minimal.trace


def test_the_same_seed_finds_the_same_runs() -> None:
    one = find_failure(noisy_lost_update, seed=5)
    two = find_failure(noisy_lost_update, seed=5)
    assert one is not None
    assert two is not None
    assert (one.first.token, one.minimal.token, one.calls) == (
        two.first.token,
        two.minimal.token,
        two.calls,
    )


def test_a_program_that_cannot_fail_gives_none() -> None:
    assert find_failure(lambda: two_writers(shared=True), max_examples=30) is None


async def test_it_refuses_to_run_inside_a_trio_run() -> None:
    with pytest.raises(HelperUsageError, match="call it from a plain"):
        find_failure(lambda: lost_update(2))
