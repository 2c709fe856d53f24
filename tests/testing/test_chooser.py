"""The Hypothesis-backed chooser: its encoding, its defaults, and how it stops."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors import Program, RunResult, Setup, replay_token_async, run_schedule_async
from actors.testing import HypothesisChooser, run_with_hypothesis
from tests.runtime.programs import Client, Flipper, Server, _chatty, lost_update, two_writers

FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


class Scripted:
    """Stands in for ``st.data()``: its test case answers draws from a fixed list."""

    def __init__(self, answers: Sequence[object]) -> None:
        self.answers = list(answers)
        self.conjecture_data = self

    def draw(self, strategy: object) -> object:
        if not self.answers:
            raise AssertionError("the script ran out of answers")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


class StopCase(BaseException):
    """What Hypothesis raises from a draw to end a test case (like its StopTest)."""


def clients() -> Setup:
    server = Server()
    return Setup([Client("c0", server, 1), Client("c1", server, 1), server])


async def run_scripted(
    program: Program, answers: Sequence[object]
) -> tuple[RunResult, HypothesisChooser]:
    chooser = HypothesisChooser(Scripted(answers))  # type: ignore[arg-type]
    return await run_schedule_async(program, chooser), chooser


async def test_no_deviation_is_the_non_preemptive_run() -> None:
    result, chooser = await run_scripted(lambda: lost_update(2), [None])
    assert result.preemptions == 0
    assert chooser.deviations == 0
    assert result.trace.actor_sequence() == ("inc0", "inc0", "inc1", "inc1")
    assert not result.failed


async def test_a_deviation_switches_at_the_decision_point_it_names() -> None:
    # Gap 1: skip decision point 0 (the first pick), switch at point 1 (after inc0's read).
    result, chooser = await run_scripted(lambda: lost_update(2), [(1, 0), None])
    assert chooser.deviations == 1
    assert result.preemptions == 1
    assert result.trace.actor_sequence()[:2] == ("inc0", "inc1")
    assert result.outcome.code == "LOST"


async def test_the_alternative_wraps_around_the_other_actors() -> None:
    # Three incrementers: at the first switch the alternatives are inc1, inc2; 3 % 2 -> inc2.
    result, _ = await run_scripted(lambda: lost_update(3), [(1, 3), None])
    assert result.trace.actor_sequence()[:2] == ("inc0", "inc2")


async def test_when_the_current_actor_blocks_its_callee_runs_next() -> None:
    # c0 calls the server and waits: the server (just made runnable) runs, not c1.
    result, _ = await run_scripted(clients, [None])
    assert result.preemptions == 0
    assert result.trace.actor_sequence()[:4] == ("c0", "server", "server", "c0")


async def test_data_choices_default_to_zero_and_deviate_to_others() -> None:
    def flip() -> Setup:
        return Setup([Flipper("flip")])

    tails, _ = await run_scripted(flip, [None])
    heads, _ = await run_scripted(flip, [(0, 0), None])
    assert [s.label for s in tails.trace] == ["flip", "tails"]
    assert [s.label for s in heads.trace] == ["flip", "heads"]


async def test_a_stopped_test_case_ends_the_run_quietly_and_is_re_raised() -> None:
    stop = StopCase()
    result, chooser = await run_scripted(lambda: lost_update(2), [None])
    assert chooser.stopped is None
    result, chooser = await run_scripted(lambda: lost_update(2), [(0, 0), stop])
    assert chooser.stopped is stop
    assert result.pruned
    assert result.outcome.kind == "ok"  # not an actor error
    with pytest.raises(StopCase):
        await run_with_hypothesis(
            lambda: lost_update(2),
            Scripted([(0, 0), stop]),  # type: ignore[arg-type]
        )


async def test_a_stop_before_the_first_step_prunes_at_once() -> None:
    stop = StopCase()
    result, chooser = await run_scripted(lambda: lost_update(2), [stop])
    assert chooser.stopped is stop
    assert result.steps == 0


@FIXTURE_OK
@given(st.data())
async def test_every_preemption_is_a_deviation(data: DataObject) -> None:
    chooser = HypothesisChooser(data)
    result = await run_schedule_async(_chatty, chooser)
    assert result.preemptions <= chooser.deviations


@FIXTURE_OK
@given(st.data())
async def test_hypothesis_runs_replay_from_their_token(data: DataObject) -> None:
    result = await run_with_hypothesis(_chatty, data, name="chatty")
    again = await replay_token_async(_chatty, result.token)
    assert again.trace == result.trace
    assert again.outcome == result.outcome
    assert ":hypothesis:" in result.token


@FIXTURE_OK
@given(st.data())
async def test_every_drawn_schedule_runs_every_step(data: DataObject) -> None:
    result = await run_with_hypothesis(lambda: two_writers(shared=True), data)
    assert result.outcome.kind == "ok"
    assert sorted(result.trace.actor_sequence()) == ["a", "a", "b", "b"]
