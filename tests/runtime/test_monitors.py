"""Monitors: step checks, quiescence, hot/cold liveness, and monitors that break."""

from __future__ import annotations

import attrs
import pytest

from actors import (
    Actor,
    ActorUsageError,
    Budget,
    RandomWalk,
    Setup,
    Violation,
    explore,
    run_schedule,
    writes,
)
from tests.runtime.programs import Waiter


class Stepper(Actor):
    def __init__(self, name: str, n: int) -> None:
        super().__init__(name)
        self.n = n

    async def run(self) -> None:
        for i in range(self.n):
            await self.yield_point(f"s{i}", writes("x"))


@attrs.define
class CountSteps:
    seen: list[tuple[int, str]] = attrs.Factory(list)
    fail_at: int = -1

    def on_step(self, step: int, actor: str) -> Violation | None:
        self.seen.append((step, actor))
        if step == self.fail_at:
            return Violation("AT", f"step {step}", (actor,))
        return None


def test_step_monitor_sees_every_step_once_in_order() -> None:
    monitor = CountSteps()
    run = run_schedule(lambda: Setup([Stepper("a", 3), Stepper("b", 2)], [monitor]), RandomWalk(1))
    assert [s for s, _ in monitor.seen] == list(range(run.steps))
    assert [a for _, a in monitor.seen] == list(run.trace.actor_sequence())


def test_step_violation_stops_the_run_at_that_step() -> None:
    monitor = CountSteps(fail_at=2)
    run = run_schedule(lambda: Setup([Stepper("a", 3), Stepper("b", 2)], [monitor]), RandomWalk(1))
    assert run.outcome.kind == "violation"
    assert (run.outcome.code, run.outcome.step) == ("AT", 2)
    assert run.steps == 3


class AlwaysHot:
    def hot(self) -> Violation | None:
        return Violation("K3", "fault on A:0 never completed")


def test_a_hot_monitor_at_the_end_is_a_liveness_failure() -> None:
    run = run_schedule(lambda: Setup([Stepper("a", 1)], [AlwaysHot()]), RandomWalk(0))
    assert (run.outcome.kind, run.outcome.code) == ("liveness", "K3")


def test_step_bound_mentions_what_was_hot() -> None:
    found = explore(
        lambda: Setup([Stepper("a", 100)], [AlwaysHot()]),
        RandomWalk(0),
        Budget(schedules=1, max_steps=10),
    )
    assert found.first is not None
    assert found.first.outcome.code == "step-bound"
    assert "fault on A:0 never completed" in found.first.outcome.message


class Broken:
    def on_step(self, step: int, actor: str) -> Violation | None:
        raise ZeroDivisionError("oops")


def test_a_monitor_that_raises_is_reported_as_an_error() -> None:
    run = run_schedule(lambda: Setup([Stepper("a", 2)], [Broken()]), RandomWalk(0))
    assert run.outcome.kind == "error"
    assert "monitor Broken raised ZeroDivisionError" in run.outcome.message


class QuiescenceCheck:
    def on_quiescence(self) -> Violation | None:
        return Violation("Q1", "something left locked")


def test_quiescence_monitor_runs_when_nothing_is_left_to_do() -> None:
    run = run_schedule(lambda: Setup([Stepper("a", 1)], [QuiescenceCheck()]), RandomWalk(0))
    assert (run.outcome.kind, run.outcome.code) == ("violation", "Q1")


def test_deadlock_takes_precedence_over_quiescence_checks() -> None:
    run = run_schedule(lambda: Setup([Waiter("w")], [QuiescenceCheck()]), RandomWalk(0))
    assert run.outcome.kind == "deadlock"


class BrokenHot:
    def hot(self) -> Violation | None:
        raise RuntimeError("cannot tell")


def test_a_liveness_monitor_that_raises_is_reported_as_the_monitors_error() -> None:
    run = run_schedule(lambda: Setup([Stepper("a", 1)], [BrokenHot()]), RandomWalk(0))
    assert run.outcome.kind == "error"
    assert "monitor BrokenHot raised RuntimeError" in run.outcome.message


class HotText:
    def hot(self) -> str | None:
        return "fault on A:0 never completed"


def test_a_hot_string_is_a_liveness_failure_with_the_generic_code() -> None:
    run = run_schedule(lambda: Setup([Stepper("a", 1)], [HotText()]), RandomWalk(0))
    assert (run.outcome.kind, run.outcome.code) == ("liveness", "hot")
    assert run.outcome.message == "fault on A:0 never completed"


def test_a_hot_violation_keeps_its_code_message_and_objects() -> None:
    class Pending:
        def hot(self) -> Violation | None:
            return Violation("K4", "migrations not ended: page 3", ("migrate0",))

    run = run_schedule(lambda: Setup([Stepper("a", 1)], [Pending()]), RandomWalk(0))
    outcome = run.outcome
    assert (outcome.kind, outcome.code, outcome.objects) == ("liveness", "K4", ("migrate0",))
    assert outcome.message == "migrations not ended: page 3"


def test_the_step_bound_names_the_code_of_what_was_hot() -> None:
    found = explore(
        lambda: Setup([Stepper("a", 100)], [AlwaysHot()]),
        RandomWalk(0),
        Budget(schedules=1, max_steps=10),
    )
    assert found.first is not None
    assert found.first.outcome.message.endswith("while hot: K3: fault on A:0 never completed")


class Misspelt:
    def on_stpe(self, step: int, actor: str) -> Violation | None:
        return None

    def hot(self) -> str | None:
        return None


def test_a_misspelt_hook_is_refused_when_the_run_starts() -> None:
    with pytest.raises(ActorUsageError) as info:
        run_schedule(lambda: Setup([Stepper("a", 1)], [Misspelt()]), RandomWalk(0))
    text = str(info.value)
    assert "monitor Misspelt defines on_stpe()" in text
    assert "on_step, on_quiescence, hot, state_key" in text


def test_a_misspelt_hook_set_on_the_instance_is_refused_too() -> None:
    monitor = HotText()
    monitor.on_quiesence = lambda: None  # type: ignore[attr-defined]
    with pytest.raises(ActorUsageError, match="on_quiesence"):
        run_schedule(lambda: Setup([Stepper("a", 1)], [monitor]), RandomWalk(0))


def test_a_monitor_without_any_hook_is_refused() -> None:
    class Nothing:
        def check(self) -> None:
            """Not a hook."""

    with pytest.raises(ActorUsageError, match="defines none of the monitor hooks"):
        run_schedule(lambda: Setup([Stepper("a", 1)], [Nothing()]), RandomWalk(0))


def test_private_helpers_and_data_named_like_hooks_are_fine() -> None:
    class Helper(CountSteps):
        on_error_message = "data, not a hook"

        def _on_anything(self) -> None:
            """Private."""

    run = run_schedule(lambda: Setup([Stepper("a", 2)], [Helper()]), RandomWalk(0))
    assert run.outcome.kind == "ok"
