"""``check``'s ok expectations state the proof they require: ``[expect] proven_bound``.

``proven_bound = B`` passes only a search that proved no failure up to ``B`` preemptions
(or in every schedule); ``"all"`` only one that covered every schedule.  A search that
ran out of its budget first fails the check, which prints the verdict it got.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import migsim
from migsim.races import r1_seed

from .test_cli import LIBRARY
from .test_cli import migsim as run_cli

MINIMAL = 'name = "x"\n[[mm]]\nname = "A"\n[[task]]\nname = "t"\nmm = "A"\n'
MINIMAL += 'program = [{op = "read", page = 0}]\n[expect]\n'


@pytest.mark.parametrize("value", [0, 3, "all"])
def test_proven_bound_loads_and_round_trips(value: int | str) -> None:
    text = MINIMAL + f"proven_bound = {json.dumps(value)}\n"
    s = migsim.loads_scenario(text)
    assert s.expect.proven_bound == value
    assert migsim.loads_scenario(migsim.dump_scenario(s)) == s
    assert f"proven_bound = {json.dumps(value)}" in migsim.dump_scenario(s)


@pytest.mark.parametrize(
    ("value", "got"),
    [('"al"', 'got "al" (did you mean "all"?)'), ("-1", "got -1"), ("true", "got true")],
)
def test_a_bad_proven_bound_is_one_line_naming_the_key(value: str, got: str) -> None:
    with pytest.raises(migsim.ScenarioError) as err:
        migsim.loads_scenario(MINIMAL + f"proven_bound = {value}\n", source="f.toml")
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith("f.toml: expect.proven_bound: expected an integer from 0 to ")
    assert 'or "all"' in text
    assert got in text


def test_proven_bound_belongs_to_an_ok_expectation() -> None:
    text = MINIMAL + 'outcome = "violation"\ninvariant = "K3"\nproven_bound = 1\n'
    with pytest.raises(migsim.ScenarioError, match=r"expect\.proven_bound: expected no proven"):
        migsim.loads_scenario(text)


def test_every_guarded_library_scenario_states_its_proof() -> None:
    for name, (scenario, _text) in migsim.scenario.library_texts().items():
        if scenario.expect.outcome == "ok" and scenario.explore.strategy == "dfs":
            bound = scenario.explore.preemption_bound
            expected = "all" if bound is None else bound
            assert scenario.expect.proven_bound == expected, name


def test_check_fails_a_bound_the_search_did_not_prove() -> None:
    r6 = LIBRARY / "r6-stale-entry-pte-same.toml"
    proc = run_cli("check", str(r6), "--set", "explore.schedules=300")
    assert proc.returncode == 1, proc.stdout
    assert "FAIL" in proc.stdout
    assert proc.stdout.splitlines()[-1] == (
        "r6-stale-entry-pte-same: expected ok, proven to bound 2; got: "
        "not proven: bound 2 not finished after 300 schedules"
    )
    data = json.loads(run_cli("check", str(r6), "--set", "explore.schedules=300", "--json").stdout)
    verdict = data["scenarios"][0]
    assert (verdict["passed"], verdict["expected"]) == (False, "ok, proven to bound 2")


def _write(tmp_path: Path, proven: int | str, **explore: Any) -> Path:
    s = r1_seed("pte-same+private")
    s = attrs.evolve(
        s,
        explore=attrs.evolve(s.explore, **explore),
        expect=migsim.Expect("ok", proven_bound=proven),  # type: ignore[arg-type]
    )
    path = tmp_path / f"{s.name}-{proven}.toml"
    path.write_text(migsim.dump_scenario(s))
    return path


def test_all_requires_a_search_of_every_schedule(tmp_path: Path) -> None:
    bounded = _write(tmp_path, "all", strategy="dfs", preemption_bound=0)
    proc = run_cli("check", str(bounded))
    assert proc.returncode == 1
    assert "expected ok, proven in all schedules; got: proven up to 0 preemptions" in proc.stdout
    enough = _write(tmp_path, 0, strategy="dfs", preemption_bound=0)
    assert run_cli("check", str(enough)).returncode == 0
    whole = _write(tmp_path, "all", strategy="bounded", schedules=5000)
    assert run_cli("check", str(whole)).returncode == 0
