"""Campaigns: the same schedules whatever the worker count, units recorded once, resume
after a kill of the driver or of a worker, a clean stop on SIGINT."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import attrs

import actors
import migsim
from migsim.campaign import CampaignSpec, run_campaign

SEED_RACE = "scenarios/seed-race.toml"
PROVEN = "scenarios/seed-race-pte-same.toml"  # dfs: proven, no failure
SETS = ("explore.schedules=300",)


def _spec(tmp_path: Path, workers: int, name: str = "c.db") -> CampaignSpec:
    db = tmp_path / name
    return CampaignSpec((SEED_RACE,), SETS, 100, db=db, workers=workers, reduce=False)


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    try:
        with contextlib.closing(sqlite3.connect(db)) as c:
            return list(c.execute(sql).fetchall())
    except sqlite3.OperationalError:  # not created yet
        return []


def _units(db: Path) -> int:
    rows = _rows(db, "SELECT COUNT(*) FROM units")
    return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]


FAILURES = "SELECT unit, seq, invariant, token, shrunk_token, at FROM failures ORDER BY unit, seq"


def test_same_findings_whatever_the_worker_count(tmp_path: Path) -> None:
    one = run_campaign(_spec(tmp_path, 1, "one.db"))
    two = run_campaign(_spec(tmp_path, 2, "two.db"))
    assert one["schedules_done"] == two["schedules_done"] == one["schedules_planned"] == 300
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
    assert (one["workers"], two["workers"], one["resumed"]) == (1, 2, False)
    # every failing schedule, not just the first per group, is the same
    assert _rows(tmp_path / "one.db", FAILURES) == _rows(tmp_path / "two.db", FAILURES)
    again = run_campaign(_spec(tmp_path, 2, "two.db"))
    assert again["resumed"] is True  # an existing campaign: nothing left, nothing re-recorded
    assert again["schedules_done"] == 300
    assert _units(tmp_path / "two.db") == 3


def test_the_database_records_scenario_version_and_shrunk_failures(tmp_path: Path) -> None:
    summary = run_campaign(attrs.evolve(_spec(tmp_path, 2), reduce=True))
    db = tmp_path / "c.db"
    ((sha, era, policies, strategy),) = _rows(
        db, "SELECT content_sha256, era, policies, strategy FROM scenarios"
    )
    scenario = migsim.load_scenario(SEED_RACE, list(SETS))
    assert era == scenario.kernel.era
    assert strategy == "pct"
    assert json.loads(str(policies))["fault_retry"] == scenario.policies.fault_retry
    assert len(str(sha)) == 64
    assert _rows(db, "SELECT migsim_version FROM campaigns") == [(migsim.__version__,)]
    failures = _rows(db, FAILURES)
    firsts: dict[tuple[object, object], object] = {}
    for unit, _seq, invariant, _token, shrunk, _at in failures:
        firsts.setdefault((unit, invariant), shrunk)
    assert all(firsts.values())  # the first failure of each invariant in each unit is shrunk
    program = migsim.Subject.of_scenario(scenario).program
    for token in set(firsts.values()):
        run = actors.replay_token(program, str(token), max_steps=scenario.explore.max_steps)
        assert run.failed  # a shrunk token replays to a failure
    # the first failure of the group has its scenario reduced, still failing so
    reduced = _rows(db, "SELECT reduced_scenario FROM failures WHERE reduced_scenario != ''")
    assert len(reduced) == 1
    small = migsim.loads_scenario(str(reduced[0][0]))
    assert (small.expect.outcome, small.expect.invariant) == ("violation", "K3")
    assert summary["violations"][0]["reduced"] is True  # type: ignore[index]


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


def test_a_stopped_systematic_search_resumes_to_the_same_verdict_and_count(
    tmp_path: Path,
) -> None:
    def spec(name: str) -> CampaignSpec:
        return CampaignSpec((PROVEN,), split_depth=2, db=tmp_path / name, workers=2)

    whole = run_campaign(spec("whole.db"))
    assert whole["exhaustive"] is True
    assert whole["violations"] == []
    part = run_campaign(spec("part.db"), stop=lambda: _units(tmp_path / "part.db") >= 2)
    assert part["interrupted"] is True
    assert 2 <= int(part["units_done"]) < int(whole["units_done"])  # type: ignore[call-overload]
    assert part["exhaustive"] is False
    resumed = run_campaign(spec("part.db"))
    assert resumed["resumed"] is True
    assert resumed["exhaustive"] is True
    for k in ("schedules_done", "schedules_planned", "units_done", "coverage", "violations"):
        assert resumed[k] == whole[k], k


def _cmd(db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "migsim",
        "campaign",
        SEED_RACE,
        "--set",
        "explore.schedules=600",
        "--unit-size",
        "50",
        "--workers",
        "2",
        "--db",
        str(db),
        "--json",
        "--no-reduce",
        *extra,
    ]


def _wait_units(db: Path, n: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while _units(db) < n and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


@functools.cache
def _fresh() -> dict[str, object]:
    """The uninterrupted campaign that every killed-and-resumed one must equal."""
    with tempfile.TemporaryDirectory() as tmp:
        spec = CampaignSpec((SEED_RACE,), ("explore.schedules=600",), 50, db=Path(tmp) / "f.db")
        return run_campaign(attrs.evolve(spec, workers=2, reduce=False))


def _finish(db: Path) -> None:
    out = subprocess.run(_cmd(db), capture_output=True, text=True, check=False)
    summary = json.loads(out.stdout)
    assert summary["resumed"] is True
    assert summary["schedules_done"] == summary["schedules_planned"] == 600
    assert _units(db) == 12
    fresh = _fresh()
    assert fresh["violations"] == summary["violations"]
    assert fresh["failing_schedules"] == summary["failing_schedules"]


def test_sigkill_of_the_driver_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    for kill_after in (1, 5):
        proc = subprocess.Popen(_cmd(db), stdout=subprocess.DEVNULL)
        _wait_units(db, kill_after, proc)
        if kill_after == 5:  # a worker first, then the driver
            for worker in _grandchildren(proc.pid)[:1]:
                os.kill(worker, signal.SIGKILL)
            _wait_units(db, kill_after + 1, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert 0 < _units(db) < 12
    _finish(db)


def _grandchildren(pid: int) -> list[int]:
    """The driver's pool workers: children of its forkserver, which is its child."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parent[int(stat.parent.name)] = int(fields[1])
    children = {p for p, pp in parent.items() if pp == pid}
    return sorted(p for p, pp in parent.items() if pp in children)


def test_sigkill_of_a_worker_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    proc = subprocess.Popen(_cmd(db), stdout=subprocess.PIPE)
    killed = 0
    for kill_after in (1, 4):
        _wait_units(db, kill_after, proc)
        workers = _grandchildren(proc.pid)
        if workers and proc.poll() is None:
            os.kill(workers[0], signal.SIGKILL)
            killed += 1
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1  # a failure was found: the run went on to the end
    assert killed >= 1
    summary = json.loads(out)
    assert summary["schedules_done"] == 600
    assert _units(db) == 12
    assert summary["violations"] == _fresh()["violations"]
    assert summary["failing_schedules"] == _fresh()["failing_schedules"]


def test_sigint_stops_cleanly_with_the_partial_summary(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    proc = subprocess.Popen(
        _cmd(db, "--set", "explore.schedules=6000"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _wait_units(db, 1, proc)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    summary = json.loads(out)
    assert summary["interrupted"] is True
    assert summary["schedules_done"] == 50 * _units(db) < 6000


def test_sigint_stops_a_parallel_explore_with_its_verdict_so_far(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "migsim", "explore", PROVEN, "--strategy", "pct"]
    cmd += ["--schedules", "200000", "--workers", "2", "--json", "--out", str(tmp_path)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _grandchildren(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are running units
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    result = json.loads(out)
    assert result["interrupted"] is True
    assert result["outcome"] == "ok"
    assert 0 <= result["schedules"] < 200000
