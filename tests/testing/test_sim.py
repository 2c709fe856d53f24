"""The sim fixture's object: settings, exploring, checking, expecting, reporting."""

from __future__ import annotations

from pathlib import Path

import pytest

from actors import Setup
from actors.testing import HelperUsageError
from migsim import dump_scenario
from migsim.races import r1_seed
from migsim.testing import FailingRunError, Sim
from tests.runtime.programs import lost_update, two_writers


@pytest.fixture(autouse=True)
def normal_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count schedules: run them in normal mode even under --slow."""
    monkeypatch.delenv("MIGSIM_SLOW", raising=False)


def lost() -> Setup:
    return lost_update(2)


async def test_check_passes_quietly_when_nothing_fails() -> None:
    found = await Sim({"strategy": "dfs"}).check(lambda: two_writers(shared=True))
    assert found.exhaustive_complete
    assert found.violations == ()


async def test_check_fails_with_the_shrunk_run_and_records_it(tmp_path: Path) -> None:
    sim = Sim({"strategy": "random", "seed": 3}, report_root=lambda: tmp_path)
    with pytest.raises(FailingRunError) as info:
        await sim.check(lost)
    result = info.value.result
    assert result.preemptions == 1
    assert ":shrunk:" in result.token
    text = str(info.value)
    assert "found by random,seed=3 after" in text
    assert f"report files: {tmp_path}" in text
    (finding,) = sim.findings
    assert finding.result is result
    assert finding.mermaid.startswith("# migsim trace: lost")
    assert "sequenceDiagram" in finding.mermaid
    assert finding.report_dir is not None
    assert (finding.report_dir / "trace.mermaid.md").read_text() == finding.mermaid


async def test_shrinking_can_be_turned_off() -> None:
    sim = Sim({"strategy": "random", "seed": 3, "shrink": False})
    with pytest.raises(FailingRunError) as info:
        await sim.check(lost)
    assert ":random,seed=3:" in info.value.result.token


async def test_expect_violation_returns_the_failing_run() -> None:
    run = await Sim().expect_violation(r1_seed("none"), "K3")
    assert run.outcome.code == "K3"
    assert run.preemptions == 1


async def test_expect_violation_fails_when_nothing_is_found() -> None:
    with pytest.raises(AssertionError, match=r"expected a violation of K3; .* found none"):
        await Sim({"schedules": 20}).expect_violation(r1_seed("pte-same+private"), "K3")


async def test_expect_violation_fails_on_another_invariant() -> None:
    with pytest.raises(FailingRunError) as info:
        await Sim().expect_violation(r1_seed("none"), "C1")
    text = str(info.value)
    assert text.startswith("expected a violation of C1; found another failure:\nmigsim: ")
    assert "violation of invariant K3" in text


async def test_a_scenario_brings_its_own_settings_and_calls_override_them() -> None:
    scenario = r1_seed("pte-same+private")  # [explore]: pct, 2000 schedules
    found = await Sim({"schedules": 30}).explore(scenario)
    assert found.strategy.startswith("pct")
    assert found.schedules == 30
    found = await Sim({"schedules": 30}).explore(scenario, strategy="dfs", schedules=5)
    assert found.strategy.startswith("dfs")
    assert found.schedules == 5


async def test_a_scenario_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "seed.toml"
    path.write_text(dump_scenario(r1_seed("none")))
    run = await Sim().expect_violation(path, "K3")
    assert run.outcome.code == "K3"


async def test_slow_mode_multiplies_the_schedules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIGSIM_SLOW", "1")
    found = await Sim({"schedules": 3, "stop_on_first": False}).explore(lost)
    assert found.schedules == 30


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"schedule": 3}, "unknown setting.s. schedule; known: strategy, schedules"),
        (
            {"strategy": "bfs"},
            "strategy must be one of random, pct, bounded, dfs, portfolio; got 'bfs'",
        ),
        ({"schedules": 0}, "schedules must be an integer >= 1; got 0"),
        ({"seed": "7"}, "seed must be an integer >= 0; got '7'"),
        ({"shrink": 1}, "shrink must be True or False; got 1"),
    ],
)
def test_bad_settings_are_refused_up_front(options: dict[str, object], message: str) -> None:
    with pytest.raises(HelperUsageError, match=message):
        Sim(options)


async def test_a_call_with_a_bad_setting_is_refused() -> None:
    with pytest.raises(HelperUsageError, match="sim call: unknown setting"):
        await Sim().explore(lost, budget=3)


async def test_something_that_is_not_a_program_is_refused() -> None:
    with pytest.raises(HelperUsageError, match="got int"):
        await Sim().explore(3)  # type: ignore[arg-type]
