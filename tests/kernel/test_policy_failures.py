"""A policy that raises or answers garbage is a P1 outcome naming it, never a crash."""

from __future__ import annotations

import pytest

from actors import Budget, dfs, explore, replay_token
from migsim._races import r1_seed
from migsim._world import build_program


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("tests.kernel.plugins:RAISING", "raised RuntimeError"),
        ("tests.kernel.plugins:GARBAGE", "returned 'panic'"),
    ],
)
def test_a_misbehaving_policy_is_reported_as_p1(ref: str, words: str) -> None:
    program = build_program(r1_seed(ref))
    found = explore(program, dfs(dpor=True), Budget(schedules=2000, max_steps=400))
    assert found.first is not None
    outcome = found.first.outcome
    assert (outcome.kind, outcome.code) == ("violation", "P1")
    assert words in outcome.message
    assert "on_miss" in outcome.message
    assert outcome.step >= 0
    assert replay_token(program, found.first.token).outcome == outcome
