"""R9 in detail: fork's copy of a WRITE migration entry (Dickins, 26 May 2006).

``test_races.py`` runs every registry race (the unguarded variant finds its invariant and
replays, the guard is proven within its bound).  These check that the verdict is the
race's own (two writable mappings of one COW page) and that the downgrade is what closes
it, not the scheduling.
"""

from __future__ import annotations

from actors import replay_token
from kernel_model import ERAS
from migsim import Scenario
from migsim.races import RACES, r9_fork_write_entry

from .found import search


def _search(scenario: Scenario) -> tuple[str | None, int]:
    program, found = search(scenario)
    if found.first is None:
        return None, 0
    again = replay_token(program, found.first.token)
    assert again.outcome == found.first.outcome
    return found.first.outcome.describe(), 1


def test_r9_without_the_downgrade_both_mms_map_the_new_page_writable() -> None:
    verdict, _ = _search(r9_fork_write_entry())
    assert verdict is not None
    assert "D4" in verdict
    assert "writable while 2 ptes share it" in verdict


def test_r9_the_downgrade_alone_closes_it() -> None:
    # The guarded era differs from the strawman only in the fork's downgrade.
    bad, good = ERAS["6.1-fork-no-downgrade"], ERAS["6.1"]
    assert not bad.fork_downgrades_migration
    assert good.fork_downgrades_migration
    same = {f for f in type(good).__attrs_attrs__ if f.name not in ("name", "description")}
    differ = {f.name for f in same if getattr(bad, f.name) != getattr(good, f.name)}
    assert differ == {"source", "fork_downgrades_migration"}
    verdict, _ = _search(r9_fork_write_entry("6.1"))
    assert verdict is None


def test_r9_lives_where_fork_can_meet_a_write_entry() -> None:
    race = RACES["R9"]
    era, _ = race.eras[race.unguarded]
    assert not ERAS[era].migration_mmap_sem  # compaction-style: fork is not excluded
