"""Reduced scenarios: after the schedule is minimal, the workload is shrunk too.

A failing scenario is delta-debugged (daemons, tasks, address spaces, CPUs, program
steps, daemon pages, pages dropped one at a time, each kept only when the same invariant
still fails); the result validates, is written as ``reduced.toml`` beside the report, and
its token replays to the same invariant.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import migsim
from migsim.races import r1_seed

from .test_cli import migsim as run_cli


def padded_seed_race() -> migsim.Scenario:
    """The seed race (R1 under fault_retry = none) with a task, an address space, a
    daemon and a CPU that have nothing to do with it."""
    base = r1_seed()
    unrelated = migsim.Task(
        "U", "B", 1, (migsim.TaskStep("write", page=0), migsim.TaskStep("read", page=1))
    )
    return attrs.evolve(
        base,
        machine=attrs.evolve(base.machine, cpus=2, pages_per_node=4),
        mm=(*base.mm, migsim.MmSpec("B", pages=2)),
        task=(*base.task, unrelated),
        daemon=(*base.daemon, migsim.Daemon("migrate", name="mig", pages=("B:1",), to_node=1)),
    )


@pytest.fixture(scope="module")
def reduced() -> migsim.Reduction:
    found = migsim.reduce_scenario(padded_seed_race(), "K3", found_at=26)
    assert found is not None
    return found


def test_the_reduction_drops_what_the_failure_does_not_need(reduced: migsim.Reduction) -> None:
    assert set(reduced.removed) >= {"daemon mig", "task U", "mm B", "machine.cpus 2 -> 1"}
    s = reduced.scenario
    assert [t.name for t in s.task] == ["T"]
    assert [d.name for d in s.daemon] == ["kswapd"]
    assert s.machine.cpus == 1
    assert reduced.after["tasks"] < reduced.before["tasks"]
    assert reduced.complete


def test_the_reduced_scenario_validates_and_its_token_replays_the_same_invariant(
    reduced: migsim.Reduction,
) -> None:
    s = migsim.validate_scenario(reduced.scenario)
    assert s.name == "r1-seed-none-reduced"
    assert (s.expect.outcome, s.expect.invariant) == ("violation", "K3")
    again = migsim.loads_scenario(migsim.dump_scenario(s))
    result = migsim.replay(migsim.Subject.of_scenario(again), reduced.token)
    assert result.finding is not None
    assert result.finding.invariant == "K3"


def test_the_reduction_is_deterministic(reduced: migsim.Reduction) -> None:
    again = migsim.reduce_scenario(padded_seed_race(), "K3", found_at=26)
    assert again is not None
    assert (again.scenario, again.removed, again.token) == (
        reduced.scenario,
        reduced.removed,
        reduced.token,
    )


def test_the_reduction_stops_at_its_budget() -> None:
    budget = migsim.ReduceBudget(max_attempts=3)
    small = migsim.reduce_scenario(padded_seed_race(), "K3", found_at=26, budget=budget)
    assert small is not None
    assert small.attempts == 3
    assert not small.complete
    assert len(small.removed) <= 2


def test_a_scenario_that_does_not_fail_has_nothing_to_reduce() -> None:
    guarded = r1_seed("pte-same+private")
    assert migsim.reduce_scenario(guarded, "K3", found_at=1) is None


def test_explore_writes_the_reduced_scenario_beside_the_report(tmp_path: Path) -> None:
    source = tmp_path / "padded.toml"
    source.write_text(migsim.dump_scenario(padded_seed_race()))
    out = tmp_path / "out"
    proc = run_cli("explore", str(source), "--json", "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    red = data["reduced"]
    assert red["path"] == str(out / "reduced.toml")
    assert "task U" in red["removed"]
    assert red["after"]["tasks"] == 1
    assert str(out / "reduced.toml") in data["files"]
    replay = run_cli("replay", red["token"], red["path"], "--json")
    assert replay.returncode == 1, replay.stderr
    assert json.loads(replay.stdout)["invariant"] == "K3"
    check = run_cli("check", red["path"])
    assert check.returncode == 0, check.stdout  # it expects the violation it reproduces
    plain = run_cli("explore", str(source), "--out", str(out), "--no-progress")
    assert f"reduced replay: migsim replay {red['token']} {red['path']}" in plain.stdout


def test_no_reduce_skips_it_and_removes_an_older_reduction(tmp_path: Path) -> None:
    source = tmp_path / "padded.toml"
    source.write_text(migsim.dump_scenario(padded_seed_race()))
    out = tmp_path / "out"
    out.mkdir()
    (out / "reduced.toml").write_text("# an older failure's\n")
    proc = run_cli("explore", str(source), "--json", "--out", str(out), "--no-reduce")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["reduced"] is None
    assert not (out / "reduced.toml").exists()
