"""The scenario library is exactly what the race builders produce, and every file loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from migsim import load_scenario
from migsim.scenario import library_texts

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
TEXTS = library_texts()
ENTRIES = [(name, scenario) for name, (scenario, _text) in TEXTS.items()]


@pytest.mark.parametrize(("name", "scenario"), ENTRIES, ids=[s.name for _, s in ENTRIES])
def test_library_file_matches_its_builder(name: str, scenario: object) -> None:
    from migsim import Scenario

    assert isinstance(scenario, Scenario)
    path = LIBRARY / name
    assert path.is_file(), f"{path.name} is missing: run make library"
    expected = TEXTS[name][1]
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path.name} differs from its builder: run make library"
    )
    assert load_scenario(path) == scenario


def test_library_has_no_stray_files() -> None:
    names = {f"{s.name}.toml" for _, s in ENTRIES}
    assert {p.name for p in LIBRARY.glob("*.toml")} == names


def test_every_race_has_an_unguarded_and_a_guarded_file() -> None:
    by_race: dict[str, set[str]] = {}
    for _, s in ENTRIES:
        for race in s.races:
            by_race.setdefault(race, set()).add(s.expect.outcome)
    assert by_race, "no race scenarios"
    for race, outcomes in by_race.items():
        assert outcomes == {"ok", "violation"}, race


def test_guarded_files_are_exhaustive_searches() -> None:
    for _, s in ENTRIES:
        if s.races and s.expect.outcome == "ok":
            assert s.explore.strategy == "dfs", s.name
