"""capture_trace / capture_run: one run's trace, by default, by choices or by token."""

from __future__ import annotations

import pytest

from actors import ReplayDivergence
from actors.testing import assert_trace_matches, capture_run, capture_trace, find_failure
from tests.runtime.programs import lost_update, two_writers


async def test_the_default_schedule_runs_each_actor_until_it_stops() -> None:
    trace = await capture_trace(lambda: two_writers(shared=True))
    assert trace.actor_sequence() == ("a", "a", "b", "b")
    assert_trace_matches(trace, [("a", "yield", "write x #0"), ("b", "yield")])


async def test_choices_steer_the_run() -> None:
    run = await capture_run(lambda: lost_update(2), choices=[0, 1, 1])
    assert run.outcome.code == "LOST"
    assert run.trace.actor_sequence()[:2] == ("inc0", "inc1")


async def test_a_token_replays_strictly() -> None:
    found = await capture_run(lambda: lost_update(2), choices=[0, 1, 1])
    again = await capture_trace(lambda: lost_update(2), token=found.token)
    assert again == found.trace
    with pytest.raises(ReplayDivergence):
        await capture_trace(lambda: lost_update(3), token=found.token)


def test_capture_works_on_runs_found_by_hypothesis() -> None:
    found = find_failure(lambda: lost_update(2), seed=1)
    assert found is not None
    import trio

    trace = trio.run(lambda: capture_trace(lambda: lost_update(2), token=found.minimal.token))
    assert trace == found.minimal.trace
