"""The race x era matrix is read from the registry, and docs/races.md is its output."""

from __future__ import annotations

from pathlib import Path

from kernel_model import ERAS
from migsim.races import RACES, race_variants, render_race_matrix

DOC = Path(__file__).resolve().parents[2] / "docs" / "races.md"


def test_docs_races_md_is_the_generated_matrix() -> None:
    assert DOC.read_text(encoding="utf-8") == render_race_matrix(), (
        "docs/races.md is stale: run `make library`"
    )


def test_every_race_shows_somewhere_and_every_variant_names_a_real_era() -> None:
    variants = race_variants()
    assert {v.race for v in variants} == set(RACES)
    for race in RACES:
        mine = [v for v in variants if v.race == race]
        assert any(v.verdict == "shows" for v in mine), race
        assert any(v.verdict != "shows" for v in mine), race
    assert all(v.era in ERAS for v in variants)


def test_the_swapless_races_live_in_the_swapless_eras() -> None:
    by = {(v.race, v.era): v.verdict for v in race_variants()}
    assert by[("R10", "2.6.18-swapless")] == "shows"
    assert by[("R10", "6.1")] == "closed"
    assert by[("R18", "6.1-mlock-no-vm-io")] == "shows"
    assert by[("R18", "6.1")] == "closed"
    assert ("R18", "2.6.16-mm1+v8") not in by  # no mlock_count before 5.18


def test_an_unreachable_era_is_marked_with_its_reason() -> None:
    cannot = [v for v in race_variants() if v.verdict == "cannot"]
    for variant in cannot:
        assert variant.reason
        assert variant.reason in render_race_matrix()
