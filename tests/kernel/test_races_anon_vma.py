"""The anon_vma races in detail: the list order of the remap walk (R8) and the anon_vma's
lifetime across a migration (R11).

``test_races.py`` runs both as registry races (unguarded finds, guarded proven); these
check that the verdicts name the mechanism, and the model pieces they rest on.
"""

from __future__ import annotations

import attrs

from actors import DFS, Budget, explore, replay_token
from kernel_model import ERAS, AnonVma
from migsim import Scenario, build_program
from migsim.races import r8_orphan_entry, r11_anon_vma_freed


def _first(scenario: Scenario) -> str:
    settings = scenario.explore
    program = build_program(scenario)
    search = DFS(dpor=True, preemption_bound=settings.preemption_bound)
    found = explore(program, search, Budget(settings.schedules, max_steps=settings.max_steps))
    assert found.first is not None, scenario.name
    again = replay_token(program, found.first.token)
    assert again.outcome == found.first.outcome
    return found.first.outcome.describe()


def test_link_puts_a_child_at_the_head_or_at_the_tail() -> None:
    anon_vma = AnonVma(1, "A")
    anon_vma.link("B")
    anon_vma.link("C", tail=True)
    assert anon_vma.vmas == ["B", "A", "C"]


def test_the_last_unlink_frees_an_anon_vma_nobody_holds() -> None:
    held, unheld = AnonVma(1, "A"), AnonVma(2, "A")
    held.get()
    held.unlink("A")
    unheld.unlink("A")
    assert unheld.freed
    assert not held.freed
    held.put()
    assert held.freed


def test_the_eras_order_the_list_as_their_anon_vma_link_does() -> None:
    assert not ERAS["2.6.16-mm1+v8"].anon_vma_tail
    assert not ERAS["2.6.18-swapless-head-link"].anon_vma_tail
    assert ERAS["2.6.18-swapless"].anon_vma_tail
    assert ERAS["6.1"].anon_vma_tail


def test_r8_leaves_the_copied_entry_of_the_grandchild_behind() -> None:
    verdict = _first(r8_orphan_entry())
    assert "D3" in verdict
    assert "C:0" in verdict
    assert "freed page" in verdict


def test_r11_walks_the_freed_anon_vma() -> None:
    verdict = _first(r11_anon_vma_freed())
    assert "D3" in verdict
    assert "freed anon_vma" in verdict


def test_r11s_strawman_is_6_1_less_the_reference() -> None:
    strawman, current = attrs.asdict(ERAS["6.1-no-anon-vma-ref"]), attrs.asdict(ERAS["6.1"])
    differ = {key for key, value in strawman.items() if current[key] != value}
    assert differ == {"name", "description", "source", "migration_anon_vma_ref"}
