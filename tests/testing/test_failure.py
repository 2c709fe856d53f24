"""Failing runs worded for test reports: invariant, explanation, replay token."""

from __future__ import annotations

import pytest

from actors import Actor, Setup
from actors.testing import capture_run, find_failure
from migsim import build_program
from migsim.races import r1_seed
from migsim.testing import FailingRunError, assert_ok, describe_failure
from tests.runtime.programs import Waiter, lost_update, two_writers


async def test_ok_runs_pass_through() -> None:
    run = await capture_run(lambda: two_writers(shared=False))
    assert assert_ok(run) is run


async def test_a_violation_names_the_invariant_the_race_and_the_token() -> None:
    run = await capture_run(lambda: lost_update(2), choices=[0, 1, 1])
    with pytest.raises(FailingRunError) as info:
        assert_ok(run, program="lost-update")
    text = str(info.value)
    assert text.startswith("migsim: violation of invariant LOST in lost-update")
    assert "inc0 read cell at step 0" in text  # the explanation: the stale read
    assert "schedule: 4 steps, 1 preemption\n" in text
    assert f"replay token: {run.token}" in text
    assert info.value.result is run


def test_kernel_invariants_come_with_their_meaning() -> None:
    program = build_program(r1_seed("none"))
    found = find_failure(program, seed=0, max_steps=400)
    assert found is not None
    text = describe_failure(found.minimal)
    assert "violation of invariant K3 (every fault completes" in text
    assert "kswapd then changed pte A:0" in text


class Crash(Actor):
    async def run(self) -> None:
        await self.yield_point("about to crash")
        raise RuntimeError("boom")


async def test_an_actor_error_shows_its_traceback() -> None:
    run = await capture_run(lambda: Setup([Crash("crash")]))
    text = describe_failure(run)
    assert text.startswith("migsim: an actor raised (RuntimeError)")
    assert "actor traceback:" in text
    assert "RuntimeError: boom" in text


async def test_a_deadlock_says_who_waits_for_what() -> None:
    run = await capture_run(lambda: Setup([Waiter("w")]))
    text = describe_failure(run)
    assert "deadlock" in text
    assert "w waits for receive Ping" in text
