"""A policy that raises, answers garbage, loops, is slow or impure is reported, never a
crash or a hang; answers are checked by type as well as value."""

from __future__ import annotations

import attrs
import pytest

import policies
from actors import DFS, Budget, explore, replay_token
from migsim import Subject, build_program
from migsim import explore as pipeline_explore
from migsim.races import r1_seed, r16_swap_undercount

PLUGINS = "tests.kernel.plugins"


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        (f"{PLUGINS}:RAISING", "raised RuntimeError"),
        (f"{PLUGINS}:GARBAGE", "returned 'panic'"),
        (f"{PLUGINS}:LOOPING", "ran past its budget of 0.2 s"),
    ],
)
def test_a_misbehaving_policy_is_reported_as_p1(ref: str, words: str) -> None:
    with policies.call_budget(0.2):
        program = build_program(r1_seed(ref))
        found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=400))
        assert found.first is not None
        outcome = found.first.outcome
        assert (outcome.kind, outcome.code) == ("violation", "P1")
        assert words in outcome.message
        assert "on_miss" in outcome.message
        assert outcome.step >= 0
        assert replay_token(program, found.first.token).outcome == outcome


def test_a_truthy_answer_that_is_not_a_bool_is_p1() -> None:
    scenario = r16_swap_undercount("vmscan-only")
    chosen = attrs.evolve(scenario.policies, fallback_to_swap=f"{PLUGINS}:INT_FALLBACK")
    program = build_program(attrs.evolve(scenario, policies=chosen))
    found = explore(program, DFS(dpor=True), Budget(schedules=200, max_steps=400))
    assert found.first is not None
    outcome = found.first.outcome
    assert outcome.code == "P1"
    assert "fallback() returned 1 (int); expected one of True, False" in outcome.message


def test_a_looping_policy_costs_one_budget_not_one_per_schedule() -> None:
    # Every schedule and every shrinking replay reaches the same looping call: a repeat of
    # a call that timed out fails at once (the policy is pure), so the whole pipeline,
    # shrinking included, takes about one budget.
    import time

    start = time.perf_counter()
    with policies.call_budget(0.3):
        result = pipeline_explore(Subject.of_scenario(r1_seed(f"{PLUGINS}:LOOPING")))
    assert result.finding is not None
    assert result.finding.shrunk.outcome.code == "P1"
    assert "'looping'.on_miss() ran past its budget" in result.finding.shrunk.outcome.message
    assert time.perf_counter() - start < 20


def test_the_budget_is_configured_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(policies.BUDGET_ENV, "0.25")
    assert policies.budget_s() == 0.25
    with policies.call_budget(0):
        assert policies.budget_s() == 0
    monkeypatch.delenv(policies.BUDGET_ENV)
    assert policies.budget_s() == policies.DEFAULT_BUDGET_S
    monkeypatch.setenv(policies.BUDGET_ENV, "soon")
    with pytest.raises(policies.PolicyError, match="MIGSIM_POLICY_BUDGET: expected"):
        policies.budget_s()


def test_a_call_over_budget_raises_and_the_timer_is_given_back() -> None:
    import signal

    def loop() -> str:
        while True:
            pass

    signal.setitimer(signal.ITIMER_REAL, 100.0)  # someone else's timer
    try:
        with policies.call_budget(0.05), pytest.raises(policies.PolicyTimeoutError):
            policies.guarded_call("p", "m", ("unhashable", []), loop)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    assert policies.guarded_call("p", "m", (1,), lambda: "ok") == "ok"


def test_a_slow_policy_within_budget_is_reported_with_its_cost(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = r1_seed(f"{PLUGINS}:SLOW")
    scenario = attrs.evolve(seed, explore=attrs.evolve(seed.explore, schedules=5))
    pipeline_explore(Subject.of_scenario(scenario))
    err = capsys.readouterr().err
    assert "migsim: warning: policy 'slow'.on_miss() is slow: " in err
    assert " ms per call over " in err
    cost = next(c for c in policies.call_costs() if c.method == "on_miss")
    assert cost.per_call_s >= 0.015


def test_a_fast_policy_is_not_reported(capsys: pytest.CaptureFixture[str]) -> None:
    seed = r1_seed("pte-same")
    pipeline_explore(
        Subject.of_scenario(attrs.evolve(seed, explore=attrs.evolve(seed.explore, schedules=50)))
    )
    assert "warning" not in capsys.readouterr().err


def test_an_impure_policy_is_named_with_the_call_that_differed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = pipeline_explore(Subject.of_scenario(r1_seed(f"{PLUGINS}:COUNTING")))
    assert result.finding is not None
    err = capsys.readouterr().err
    assert "policy 'counting' is not a pure function of its view" in err
    assert "(on_miss) differed" in err


def test_a_pure_policy_replays_the_same_calls(capsys: pytest.CaptureFixture[str]) -> None:
    result = pipeline_explore(Subject.of_scenario(r1_seed("none")))
    assert result.finding is not None
    assert "pure function" not in capsys.readouterr().err


def test_a_bounded_retry_rule_is_written_with_the_attempt_number() -> None:
    budget = Budget(schedules=30, max_steps=400)
    unbounded = explore(build_program(r1_seed(f"{PLUGINS}:ALWAYS_RETRY")), DFS(dpor=True), budget)
    assert unbounded.first is not None
    assert unbounded.first.outcome.code == "K3"
    bounded = explore(build_program(r1_seed(f"{PLUGINS}:BOUNDED_RETRY")), DFS(dpor=True), budget)
    assert bounded.first is None


def test_an_alarm_between_policy_calls_reaches_the_handler_it_was_meant_for() -> None:
    import signal
    import time

    fired: list[int] = []
    saved = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        assert policies.guarded_call("p", "m", (2,), lambda: "ok") == "ok"
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        time.sleep(0.2)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, saved)
