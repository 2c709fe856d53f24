"""SIGINT and SIGTERM during ``explore`` and ``check``: the run stops at a schedule
boundary, prints and writes the partial answer with the verdict that holds, and exits
128 + the signal (130, 143), never with a traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_cli import LIBRARY, ROOT

LONG = ("--strategy", "bounded", "--schedules", "1000000")


def interrupted(args: list[str], sig: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "migsim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )
    time.sleep(3)  # imported, loaded and exploring
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_explore_stops_at_a_schedule_boundary(sig: int, status: int, tmp_path: Path) -> None:
    scenario = str(LIBRARY / "workload-guarded.toml")
    proc = interrupted(["explore", scenario, *LONG, "--out", str(tmp_path)], sig, ROOT)
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Error" not in proc.stderr
    assert "interrupted: interrupted after " in proc.stdout
    assert ": nothing found so far" in proc.stdout
    assert "verdict:" in proc.stdout
    summary = (tmp_path / "summary.txt").read_text()
    assert "verdict:     interrupted after " in summary


def test_explore_json_says_it_was_interrupted(tmp_path: Path) -> None:
    scenario = str(LIBRARY / "workload-guarded.toml")
    proc = interrupted(
        ["explore", scenario, *LONG, "--json", "--out", str(tmp_path)], signal.SIGINT, ROOT
    )
    assert proc.returncode == 130, proc.stderr
    data = json.loads(proc.stdout)
    assert data["interrupted"] is True
    assert data["outcome"] == "ok"
    assert data["exhaustive_complete"] is False
    assert data["verdict"].startswith(("not proven", "proven up to"))


def test_check_stops_and_shows_what_it_checked(tmp_path: Path) -> None:
    proc = interrupted(["check", str(LIBRARY)], signal.SIGINT, ROOT)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:2] == ["scenario", "races"]
    assert lines[-1].startswith("interrupted after ")
    assert "scenarios (the last one stopped at a schedule boundary)" in lines[-1]
