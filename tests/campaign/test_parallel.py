"""``explore --workers`` / ``check --workers``, :func:`run_units`, and a Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import migsim
from migsim.campaign import CampaignSpec, explore_parallel, plan_units, run_campaign, run_units
from migsim.cli import main

SEED_RACE = "scenarios/seed-race.toml"
PROVEN = "scenarios/seed-race-pte-same.toml"


def test_run_units_gives_the_same_results_on_one_or_two_workers() -> None:
    scenario = migsim.load_scenario(SEED_RACE, ["explore.schedules=200"])
    units = plan_units(scenario, unit_size=50, split_depth=2)
    seen: list[int] = []
    one = run_units(units, workers=1)
    two = run_units(units, workers=2, on_result=lambda i, _r: seen.append(i))
    assert one == two
    assert all(one)
    assert sorted(seen) == list(range(len(units)))


def test_explore_workers_answers_as_in_deterministic_unit_order() -> None:
    scenario = migsim.load_scenario(SEED_RACE)
    one = explore_parallel(scenario, SEED_RACE, workers=1, unit_size=20)
    two = explore_parallel(scenario, SEED_RACE, workers=2, unit_size=20)
    assert one.finding is not None
    assert two.finding is not None
    assert one.to_json()["token"] == two.to_json()["token"]
    assert one.exploration.schedules == two.exploration.schedules
    assert one.verdict == two.verdict
    assert one.verdict.startswith("refuted: violation K3")
    assert one.replay.startswith("migsim replay ")


def test_explore_workers_proves_a_systematic_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["explore", PROVEN, "--workers", "2", "--json", "--out", str(tmp_path)]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["proven"] == "all"
    assert out["verdict"].startswith("proven: no failure")
    assert out["schedules"] > 0
    assert out["token"] is None
    assert main(["explore", SEED_RACE, "--workers", "2", "--json", "--out", str(tmp_path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["invariant"] == "K3"
    assert found["token"]


def test_check_workers_keeps_the_order_and_the_verdicts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = [PROVEN, SEED_RACE, "scenarios/r2-two-faulters-none.toml"]

    def table(*extra: str) -> list[dict[str, object]]:
        assert main(["check", *files, "--json", *extra]) == 0
        rows = json.loads(capsys.readouterr().out)["scenarios"]
        for row in rows:
            row["result"].pop("elapsed_s")
        return list(rows)

    one, two = table(), table("--workers", "2")
    assert [r["file"] for r in two] == files
    assert one == two


def test_a_campaign_on_a_dask_cluster_finds_what_local_workers_find(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    sets = ("explore.schedules=200",)
    spec = CampaignSpec((SEED_RACE,), sets, 50, db=tmp_path / "l.db", reduce=False)
    local = run_campaign(spec)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = run_campaign(
            CampaignSpec(
                spec.targets,
                spec.overrides,
                50,
                db=tmp_path / "d.db",
                dask_scheduler=cluster.scheduler_address,
                reduce=False,
            )
        )
    assert remote["workers"] == 2
    for k in ("schedules_done", "violations", "failing_schedules", "coverage"):
        assert remote[k] == local[k], k


def test_a_units_failures_know_their_schedule_index() -> None:
    scenario = migsim.load_scenario(SEED_RACE, ["explore.schedules=100"])
    (unit,) = plan_units(scenario, unit_size=100, split_depth=2)
    result = run_units([unit], workers=1)[0]
    assert result is not None
    assert result.failures
    ats = [f.at for f in result.failures]
    assert ats == sorted(ats)
    assert len(set(ats)) == len(ats)  # one schedule, one index
    assert all(0 <= at < result.schedules for at in ats)
    # the unit's first failure is where a stop-on-first unit stops
    first = run_units([attrs.evolve(unit, stop_on_first=True)], workers=1)[0]
    assert first is not None
    assert first.schedules == result.failures[0].at + 1
