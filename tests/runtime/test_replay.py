"""Replay tokens: exact reproduction, in any process, and divergence reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from actors import (
    PCT,
    Budget,
    RandomWalk,
    ReplayDivergence,
    Setup,
    Token,
    TokenError,
    explore,
    replay_token,
    run_schedule,
)
from tests.runtime.programs import Busy, lost_update

ROOT = Path(__file__).resolve().parents[2]


def test_token_round_trips_through_text() -> None:
    token = Token("seed-race", "pct,seed=7,depth=3", "0badf00d", (0, 1, 1, 1, -2, 2, 0, 0))
    text = token.encode()
    assert text == "ms1:seed-race:pct,seed=7,depth=3:0badf00d:0.1x3.c1.2.0x2"
    assert Token.parse(text) == token


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("hello", "not a migsim replay token"),
        ("ms1:p:s:nothex!!:0.1", "fingerprint"),
        ("ms1:p:s:0badf00d:0.q", "bad choice 'q'"),
    ],
)
def test_bad_tokens_are_explained(text: str, fragment: str) -> None:
    with pytest.raises(TokenError, match=fragment):
        Token.parse(text)


def test_replaying_a_failing_token_reproduces_the_same_trace() -> None:
    found = explore(lambda: lost_update(3), RandomWalk(11), Budget(schedules=200))
    first = found.first
    assert first is not None
    again = replay_token(lambda: lost_update(3), first.token)
    assert again.outcome == first.outcome
    assert again.trace == first.trace
    assert again.token == first.token


def test_replay_on_a_changed_program_reports_the_first_divergence() -> None:
    found = explore(lambda: lost_update(3), PCT(4, 2), Budget(schedules=200))
    first = found.first
    assert first is not None

    def changed() -> Setup:
        setup = lost_update(3)
        return Setup([setup.actors[0], setup.actors[1]], setup.monitors)

    with pytest.raises(ReplayDivergence) as info:
        replay_token(changed, first.token)
    assert info.value.step >= 0
    assert "actor 'inc2'" in info.value.expected or "more recorded" in info.value.expected


def test_replay_detects_a_program_that_changed_without_changing_choices() -> None:
    def program(n: int) -> Setup:
        return Setup([Busy("a", n), Busy("b", 1)])

    recorded = run_schedule(lambda: program(2), RandomWalk(2))
    with pytest.raises(ReplayDivergence):
        replay_token(lambda: program(3), recorded.token)


SCRIPT = """
import json, sys
from actors import RandomWalk, replay_token, run_schedule
from tests.runtime.programs import _chatty
mode, arg = sys.argv[1], sys.argv[2]
if mode == "explore":
    run = run_schedule(_chatty, RandomWalk(int(arg)))
else:
    run = replay_token(lambda: _chatty(), arg)
print(run.token)
for step in run.trace:
    print(json.dumps(step.as_dict(), sort_keys=True))
"""


def _run_script(mode: str, arg: str, hashseed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, arg],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return proc.stdout


def test_same_token_same_trace_across_processes_and_hash_seeds() -> None:
    first = _run_script("explore", "17", "0")
    token = first.splitlines()[0]
    again = _run_script("replay", token, "4242")
    assert again == first
    third = _run_script("explore", "17", "987")
    assert third == first


def test_chatty_program_has_messages_and_choices() -> None:
    from tests.runtime.programs import _chatty

    run = run_schedule(_chatty, RandomWalk(17))
    ops = {s.op for s in run.trace}
    assert {"send", "receive", "yield", "choose"} <= ops
