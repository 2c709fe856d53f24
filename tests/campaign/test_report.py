"""``migsim report``: the table, failures grouped with replay commands, valid plots."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import migsim
from migsim.campaign import CampaignProgress, CampaignSpec, Snapshot, progress_line, run_campaign
from migsim.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "r.db"
    for target in ("scenarios/seed-race.toml", "scenarios/seed-race-pte-same.toml"):
        spec = CampaignSpec(
            (target,), ("explore.schedules=200",), 100, split_depth=1, db=path, workers=1
        )
        run_campaign(spec)
    return path


def test_report_groups_failures_with_replay_commands(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.count("campaign ") >= 2  # both campaigns of the database
    assert "seed-race-pte-same" in out
    assert "no failure found" in out
    lines = out.splitlines()
    k3 = lines.index("  K3")
    assert "seed-race:" in lines[k3 + 1]
    assert "reduced scenario:" in lines[k3 + 3]
    assert "failing schedules" in lines[k3 + 1]
    replay = lines[k3 + 2].strip()
    assert replay.startswith("migsim replay ms1:seed-race@")
    assert ":shrunk:" in replay
    assert replay.endswith("scenarios/seed-race.toml --set explore.schedules=200")


def test_report_writes_valid_png_and_svg_plots(db: Path, tmp_path: Path) -> None:
    assert main(["report", str(db), "--plots", str(tmp_path / "png")]) == 0
    pngs = sorted((tmp_path / "png").iterdir())
    assert len(pngs) == 4  # two campaigns, two plots each
    names = {p.name.split("-", 1)[1] for p in pngs}
    assert names == {"first-failure.png", "coverage.png"}
    for p in pngs:
        assert p.read_bytes().startswith(PNG_MAGIC)
        assert p.stat().st_size > 1000
    assert main(["report", str(db), "--plots", str(tmp_path / "svg"), "--plot-format", "svg"]) == 0
    for p in (tmp_path / "svg").iterdir():
        assert ET.parse(p).getroot().tag.endswith("svg")


def test_report_writes_the_reduced_scenarios(db: Path, tmp_path: Path) -> None:
    assert main(["report", str(db), "--scenarios", str(tmp_path)]) == 0
    (path,) = tmp_path.iterdir()
    assert path.name == "seed-race-K3-reduced.toml"
    reduced = migsim.load_scenario(path)
    assert reduced.expect.invariant == "K3"


def test_report_of_a_missing_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nope.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no such campaign database" in err


def test_progress_line_shows_rate_failures_coverage_and_eta() -> None:
    snap = Snapshot(1200, 5000, 4, 37, 6, 25, 1000, 5, 2.0, 2)
    line = progress_line(snap)
    assert "1,200/5,000 schedules" in line
    assert "500.0 sched/s" in line
    assert "failures 4" in line
    assert "coverage 37" in line
    assert "units 6/25" in line
    assert "ETA 8s" in line  # 3,800 left at 500/s
    assert "ETA ?" in progress_line(Snapshot(0, 0, 0, 0, 0, 3, 0, 0, 0.0, 2))
    stream = io.StringIO()
    with CampaignProgress(enabled=True, stream=stream) as bar:
        bar.update(snap, force=True)
    assert stream.getvalue().startswith("\r1,200/5,000")
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    with CampaignProgress(enabled=False, stream=quiet) as bar:
        bar.update(snap, force=True)
    assert quiet.getvalue() == ""


def test_two_scenarios_of_one_name_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text(Path("scenarios/seed-race.toml").read_text(encoding="utf-8"))
    args = ["campaign", "scenarios/seed-race.toml", str(copy), "--db", str(tmp_path / "x.db")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "distinct names" in err
