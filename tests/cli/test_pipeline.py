"""The one pipeline: every question is answered by one Result with one JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import migsim
from migsim.races import r1_seed

from .test_cli import SEED
from .test_cli import migsim as run_cli


def _subject(fault_retry: str = "none") -> migsim.Subject:
    return migsim.Subject.of_scenario(r1_seed(fault_retry), "r1.toml")


def test_explore_replay_shrink_and_run_share_one_json_shape() -> None:
    found = migsim.explore(_subject())
    assert found.finding is not None
    token = found.finding.shrunk.token
    again = migsim.replay(_subject(), token)
    shrunk = migsim.shrink(_subject(), found.finding.first.token)
    single = migsim.run_once(_subject("pte-same+private"))
    shapes = [list(r.to_json()) for r in (found, again, shrunk, single)]
    assert all(shape == shapes[0] for shape in shapes)
    assert [r.to_json()["mode"] for r in (found, again, shrunk, single)] == [
        "explore",
        "replay",
        "shrink",
        "run",
    ]


def test_a_replayed_finding_is_the_same_failure_with_the_same_command() -> None:
    found = migsim.explore(_subject())
    assert found.finding is not None
    again = migsim.replay(_subject(), found.finding.shrunk.token)
    assert again.finding is not None
    assert again.finding.shrunk.outcome == found.finding.shrunk.outcome
    assert again.replay == found.replay
    assert found.replay.startswith(f"migsim replay {found.finding.shrunk.token} r1.toml")


def test_an_ok_exploration_has_no_token_and_no_replay() -> None:
    result = migsim.explore(_subject("pte-same+private"))
    data = result.to_json()
    assert (data["outcome"], data["token"], data["replay"]) == ("ok", None, None)


def test_report_files_only_where_asked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migsim.explore(_subject(), migsim.Options(out_dir=out))
    assert sorted(p.name for p in result.files) == sorted(migsim.report.FILES)
    ok = migsim.explore(_subject("pte-same+private"), migsim.Options(out_dir=tmp_path / "ok"))
    assert ok.files == ()


def test_check_json_embeds_the_result_of_each_scenario() -> None:
    proc = run_cli("check", str(SEED), "--json")
    data = json.loads(proc.stdout)
    (verdict,) = data["scenarios"]
    assert verdict["passed"] is True
    assert verdict["result"]["scenario"] == "seed-race"
    assert verdict["result"]["invariant"] == "K3"
    explored = json.loads(run_cli("explore", str(SEED), "--json", "--no-progress").stdout)
    assert list(verdict["result"]) == list(explored)
