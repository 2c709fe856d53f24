"""Campaigns: the same schedules whatever the worker count, units recorded once, resume."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import actors
import migsim
from migsim.campaign import CampaignSpec, run_campaign

SEED_RACE = "scenarios/seed-race.toml"
SETS = ("explore.schedules=300",)


def _spec(tmp_path: Path, workers: int, name: str = "c.db") -> CampaignSpec:
    return CampaignSpec((SEED_RACE,), SETS, unit_size=100, db=tmp_path / name, workers=workers)


def test_same_findings_whatever_the_worker_count(tmp_path: Path) -> None:
    one = run_campaign(_spec(tmp_path, 1, "one.db"))
    two = run_campaign(_spec(tmp_path, 2, "two.db"))
    assert one["schedules_done"] == two["schedules_done"] == 300
    assert one["violations"] == two["violations"]
    assert one["violations"]
    assert {
        "schedules_done",
        "schedules_planned",
        "violations",
        "workers",
        "elapsed_s",
        "resumed",
    } <= set(one)
    again = run_campaign(_spec(tmp_path, 2, "two.db"))
    assert again["resumed"] is True  # an existing campaign: nothing left, nothing re-recorded
    assert _units(tmp_path / "two.db") == 3


def test_subtrees_are_exactly_the_whole_plain_dfs() -> None:
    scenario = migsim.load_scenario(SEED_RACE)
    program = migsim.Subject.of_scenario(scenario).program
    budget = actors.Budget(10**6, 400, stop_on_first=False)
    whole = actors.explore(program, actors.DFS(dpor=False, preemption_bound=2), budget)
    total = 0
    for prefix in actors.SubtreeDFS.split(program, 2, preemption_bound=2, max_steps=400):
        part = actors.SubtreeDFS(prefix, dpor=False, preemption_bound=2)
        total += actors.explore(program, part, budget).schedules
        assert part.exhausted
    assert total == whole.schedules


def _cmd(db: Path) -> list[str]:
    code = (
        "import sys, argparse, json; from migsim.campaign import add_commands;"
        "p = argparse.ArgumentParser(); add_commands(p.add_subparsers());"
        "a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))"
    )
    return [
        sys.executable,
        "-c",
        code,
        "campaign",
        SEED_RACE,
        "--set",
        "explore.schedules=1200",
        "--unit-size",
        "100",
        "--workers",
        "2",
        "--db",
        str(db),
        "--json",
    ]


def _units(db: Path) -> int:
    try:
        with contextlib.closing(sqlite3.connect(db)) as c:
            return int(c.execute("SELECT COUNT(*) FROM units").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_sigkill_of_the_driver_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    for kill_after in (1, 5):
        proc = subprocess.Popen(_cmd(db), stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while _units(db) < kill_after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    out = subprocess.run(_cmd(db), capture_output=True, text=True, check=False)
    summary = json.loads(out.stdout)
    assert summary["resumed"] is True
    assert summary["schedules_done"] == summary["schedules_planned"] == 1200
    assert _units(db) == 12
    fresh = run_campaign(
        CampaignSpec(
            (SEED_RACE,), ("explore.schedules=1200",), 100, db=tmp_path / "f.db", workers=2
        )
    )
    assert fresh["violations"] == summary["violations"]
