"""Verdicts that say exactly what was proven, and report files a user can trust.

The verdict names its strength (``proven: no failure in any schedule``, ``proven up to K
preemptions (N schedules); bound K+1 not finished``, ``not proven: N PCT schedules found
nothing``); ``--json`` carries it as data (``verdict``, ``proven``, ``bound_completed``).
Reports are written atomically, replace a symbolic link instead of following it, stay
inside ``migsim-out/`` whatever the scenario's name, and an ok run replaces an older
failure's files.  A token names its scenario's content, so a replay against another file
of the same name is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import migsim
from migsim.races import r1_seed

from .test_cli import SEED
from .test_cli import migsim as run_cli


def _subject(fault_retry: str, **explore: object) -> migsim.Subject:
    scenario = r1_seed(fault_retry)
    scenario = attrs.evolve(scenario, explore=attrs.evolve(scenario.explore, **explore))
    return migsim.Subject.of_scenario(scenario, "r1.toml")


GUARDED = "pte-same+private"


def test_a_completed_bounded_search_proves_every_schedule() -> None:
    result = migsim.explore(_subject(GUARDED, strategy="bounded", schedules=5000))
    data = result.to_json()
    assert data["outcome"] == "ok"
    assert data["proven"] == "all"
    assert data["exhaustive_complete"] is True
    assert str(data["verdict"]).startswith("proven: no failure in any schedule (")
    assert isinstance(data["bound_completed"], int)


def test_a_bounded_search_out_of_budget_proves_the_bounds_it_finished() -> None:
    result = migsim.explore(_subject(GUARDED, strategy="bounded", schedules=40))
    data = result.to_json()
    assert data["proven"] == "bound"
    done = data["bound_completed"]
    assert isinstance(done, int)
    unit = "preemption" if done == 1 else "preemptions"
    assert data["verdict"] == (
        f"proven up to {done} {unit} (40 schedules); bound {done + 1} not finished"
    )
    assert data["exhaustive_complete"] is False


def test_a_dfs_with_a_bound_proves_that_bound() -> None:
    result = migsim.explore(_subject(GUARDED, strategy="dfs", preemption_bound=1))
    assert result.verdict.startswith("proven up to 1 preemption (")
    assert result.to_json()["bound_completed"] == 1
    assert result.proven == "bound"


def test_an_unbounded_dfs_out_of_budget_says_so_loudly() -> None:
    result = migsim.explore(_subject(GUARDED, strategy="dfs", schedules=5))
    assert result.proven == "none"
    assert result.verdict.startswith("NOT PROVEN: the unbounded dfs ran out of its budget")
    assert "--strategy bounded" in result.verdict
    assert result.to_json()["bound_completed"] is None


@pytest.mark.parametrize(("strategy", "name"), [("pct", "PCT"), ("random", "random")])
def test_a_random_search_proves_nothing(strategy: str, name: str) -> None:
    result = migsim.explore(_subject(GUARDED, strategy=strategy, schedules=30))
    assert result.verdict == f"not proven: 30 {name} schedules found nothing"
    assert result.proven == "none"


def test_a_failure_refutes() -> None:
    result = migsim.explore(_subject("none", strategy="bounded", schedules=1000))
    assert result.proven == "refuted"
    assert result.verdict.startswith("refuted: violation K3 found in ")
    assert result.finding is not None
    assert result.finding.shrunk.preemptions == 1


def test_interrupting_stops_at_a_schedule_boundary_with_the_verdict_that_holds(
    tmp_path: Path,
) -> None:
    asked = 0

    def stop() -> bool:
        nonlocal asked
        asked += 1
        return asked > 25

    options = migsim.Options(out_dir=tmp_path, report_ok=True, should_stop=stop)
    result = migsim.explore(_subject(GUARDED, strategy="bounded", schedules=5000), options)
    assert result.search.interrupted
    assert result.exploration.schedules == 25
    assert result.to_json()["interrupted"] is True
    assert result.exploration.exhaustive_complete is False
    assert result.proven in ("bound", "none")
    summary = (tmp_path / "summary.txt").read_text()
    assert "verdict:     interrupted after 25 schedules: nothing found so far; " in summary


def test_an_ok_run_replaces_an_older_failures_report(tmp_path: Path) -> None:
    options = migsim.Options(out_dir=tmp_path, report_ok=True)
    failed = migsim.explore(_subject("none"), options)
    assert len(failed.files) == 4
    ok = migsim.explore(_subject(GUARDED, strategy="dfs"), options)
    assert ok.files == (tmp_path / "summary.txt",)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.txt"]
    summary = (tmp_path / "summary.txt").read_text()
    assert "outcome:     ok" in summary
    assert "verdict:     proven: no failure in any schedule" in summary


def test_a_symlink_at_a_report_path_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.txt").symlink_to(victim)
    (out / "trace.jsonl").symlink_to(victim)
    migsim.explore(_subject("none"), migsim.Options(out_dir=out))
    assert victim.read_text() == "keep me\n"
    assert not (out / "summary.txt").is_symlink()
    assert "K3" in (out / "summary.txt").read_text()
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("name", ["..", "."])
def test_a_dotted_scenario_name_stays_inside_migsim_out(tmp_path: Path, name: str) -> None:
    text = SEED.read_text().replace('name = "seed-race"', f'name = "{name}"')
    (tmp_path / "s.toml").write_text(text)
    proc = run_cli("explore", "s.toml", "--no-progress", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert (tmp_path / "migsim-out" / f"_{name}" / "summary.txt").is_file()
    assert not (tmp_path / "summary.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["migsim-out", "s.toml"]


def test_a_token_names_its_scenarios_content(tmp_path: Path) -> None:
    proc = run_cli("explore", str(SEED), "--json", "--out", str(tmp_path / "out"))
    token = json.loads(proc.stdout)["token"]
    program = token.split(":")[1]
    assert program == f"seed-race@{migsim.Subject.of_scenario(migsim.load_scenario(SEED)).digest}"
    other = tmp_path / "other.toml"
    other.write_text(SEED.read_text().replace("cpus = 1", "cpus = 2"))
    refused = run_cli("replay", token, str(other), "--out", str(tmp_path / "out"))
    assert refused.returncode == 2
    assert refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert f"the token was found with {SEED} (content " in line
    assert f"not with {other} (content " in line
    same = run_cli("replay", token, str(SEED), "--out", str(tmp_path / "out"))
    assert same.returncode == 1, same.stderr


def test_the_digest_ignores_how_a_scenario_is_explored_and_what_it_expects() -> None:
    base = r1_seed("none")
    other = attrs.evolve(base, explore=attrs.evolve(base.explore, schedules=7), description="x")
    assert migsim.Subject.of_scenario(base).digest == migsim.Subject.of_scenario(other).digest
    assert migsim.Subject.of_scenario(base).digest != (
        migsim.Subject.of_scenario(r1_seed(GUARDED)).digest
    )
