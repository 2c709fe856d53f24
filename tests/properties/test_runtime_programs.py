"""Hypothesis drives the runtime's own example programs: it finds their races and shrinks
them to the minimal interleaving."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors import DFS, Setup, explore
from actors.testing import assert_trace_matches, find_failure, run_with_hypothesis
from migsim.testing import examples
from tests.runtime.programs import Busy, Client, Server, _chatty, lost_update

PROPERTY = settings(max_examples=examples(200), deadline=None)


def noisy_lost_update() -> Setup:
    """Three racing incrementers among busy bystanders."""
    setup = lost_update(3)
    return Setup([*setup.actors, Busy("noise0", 5), Busy("noise1", 5)], setup.monitors)


def test_a_lost_update_needs_exactly_one_preemption() -> None:
    # The premise of the next test: no schedule without a preemption loses an update.
    assert explore(lambda: lost_update(2), DFS(preemption_bound=0)).violations == ()
    assert explore(lambda: lost_update(2), DFS(preemption_bound=1)).violations != ()


@pytest.mark.parametrize("program", [lambda: lost_update(2), noisy_lost_update])
@pytest.mark.parametrize("seed", range(5))
def test_hypothesis_finds_the_lost_update_and_shrinks_it_to_one_preemption(
    program: object, seed: int
) -> None:
    found = find_failure(program, seed=seed)  # type: ignore[arg-type]
    assert found is not None
    assert found.minimal.outcome.code == "LOST"
    assert found.minimal.preemptions == 1
    assert found.minimal.steps <= found.first.steps


@pytest.mark.parametrize("seed", range(5))
def test_the_shrunk_lost_update_is_read_read_then_both_writes(seed: int) -> None:
    found = find_failure(lambda: lost_update(2), seed=seed)
    assert found is not None
    race = [
        ("inc0", "yield", "read"),
        ("inc1", "yield", "read"),
        {("inc0", "yield", "write"), ("inc1", "yield", "write")},
    ]
    assert_trace_matches(found.minimal.trace, race, exact=True)


def clients() -> Setup:
    server = Server()
    return Setup([Client("c0", server, 2), Client("c1", server, 2), server])


@PROPERTY
@given(st.data())
async def test_calls_are_answered_in_order_under_every_schedule(data: DataObject) -> None:
    setup = clients()
    result = await run_with_hypothesis(lambda: setup, data)
    assert result.outcome.kind == "ok"
    assert [c.answers for c in setup.actors[:2]] == [[0, 1], [0, 1]]  # type: ignore[attr-defined]


@PROPERTY
@given(st.data())
async def test_the_chatty_program_only_ever_loses_an_update(data: DataObject) -> None:
    result = await run_with_hypothesis(_chatty, data)
    assert result.outcome.kind in ("ok", "violation")
    assert result.outcome.code in ("", "LOST")
