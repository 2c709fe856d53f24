"""A policy that raises or answers garbage is a P1 outcome naming it, never a crash."""

from __future__ import annotations

import pytest

from actors import DFS, Budget, explore, replay_token
from migsim import build_program
from migsim.races import r1_seed


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("tests.kernel.plugins:RAISING", "raised RuntimeError"),
        ("tests.kernel.plugins:GARBAGE", "returned 'panic'"),
    ],
)
def test_a_misbehaving_policy_is_reported_as_p1(ref: str, words: str) -> None:
    program = build_program(r1_seed(ref))
    found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=400))
    assert found.first is not None
    outcome = found.first.outcome
    assert (outcome.kind, outcome.code) == ("violation", "P1")
    assert words in outcome.message
    assert "on_miss" in outcome.message
    assert outcome.step >= 0
    assert replay_token(program, found.first.token).outcome == outcome
