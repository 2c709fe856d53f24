"""R13 and R17 in detail: swapoff against a fault, and a write through a GUP pin.

``test_races.py`` runs every race of the registry (these included): the unguarded variant
finds its invariant and replays, the guarded one is proven.  These check what the
verdicts say, that each strawman era differs from 6.1 in its guard alone, that swapoff
really brings every swapped page back before it frees the device, and that
``gup_write`` is a real write (it faults a swapped page in, and later reads see it).
"""

from __future__ import annotations

import attrs
import pytest

from actors import Exploration, replay_token
from kernel_model import ERAS
from migsim import (
    Daemon,
    KernelSpec,
    MmSpec,
    Scenario,
    Task,
    TaskStep,
    WorldError,
    build_program,
    loads_scenario,
)
from migsim.races import r13_swapoff, r17_pinned_write

from .found import search


def _explore(scenario: Scenario) -> Exploration:
    return search(scenario)[1]


def test_r17_dirty_first_loses_the_pinned_write() -> None:
    scenario = r17_pinned_write()
    found = _explore(scenario)
    assert found.first is not None
    verdict = found.first.outcome.describe()
    assert "D1" in verdict
    assert "('A:0', 0)" in verdict  # the swapped-in copy predates the write ...
    assert "last write stored ('A:0', 1)" in verdict  # ... made through the pin
    again = replay_token(build_program(scenario), found.first.token)
    assert again.outcome == found.first.outcome


def test_r17_freezing_first_keeps_the_write_in_every_schedule() -> None:
    found = _explore(r17_pinned_write("6.1"))
    assert found.first is None
    assert found.exhaustive_complete


def test_the_strawman_era_is_6_1_with_the_tests_reversed() -> None:
    strawman = ERAS["6.1-dirty-before-freeze"]
    assert ERAS["6.1"].freeze_before_dirty
    assert not strawman.freeze_before_dirty
    assert attrs.evolve(strawman, freeze_before_dirty=True, name="6.1") == attrs.evolve(
        ERAS["6.1"], description=strawman.description, source=strawman.source
    )


def _gup_then_read(expect: int) -> Scenario:
    """A lone task: gup_write a swapped-out page, then read it expecting ``expect``."""
    base = r17_pinned_write("6.1")
    program = (TaskStep("gup_write", page=0), TaskStep("read", page=0, expect=expect))
    return attrs.evolve(
        base,
        mm=(MmSpec("A", pages=1, state=("swapped",)),),
        task=(Task("G", "A", 0, program),),
        daemon=(),
    )


def test_gup_write_faults_a_swapped_page_in_and_its_write_is_read_back() -> None:
    # Versions count every write of the run: the swapped-out data is version 1, the
    # write through the pin version 2.
    assert _explore(_gup_then_read(2)).first is None
    stale = _explore(_gup_then_read(1)).first
    assert stale is not None
    assert "D1" in stale.outcome.describe()


def test_gup_write_gives_up_when_the_fault_cannot_swap_the_page_in() -> None:
    """No free page on the node: the fault OOMs, and the pin fails (as ``__get_user_pages``
    returns -ENOMEM) instead of faulting again forever; the run ends, nothing is written."""
    scenario = _gup_then_read(1)
    scenario = attrs.evolve(
        scenario,
        machine=attrs.evolve(scenario.machine, nodes=1, pages_per_node=0),
        kernel=KernelSpec(era="2.6.16-mm1+v8"),
        policies=attrs.evolve(scenario.policies, fallback_to_swap="never", mlocked="refuse"),
        task=(Task("G", "A", 0, (TaskStep("gup_write", page=0),)),),
    )
    found = _explore(attrs.evolve(scenario, explore=attrs.evolve(scenario.explore, schedules=20)))
    assert found.first is None, found.first.outcome.describe()


def test_gup_write_is_a_scenario_op_that_takes_a_page() -> None:
    text = """
name = "gup"
[[mm]]
name = "A"
[[task]]
name = "G"
mm = "A"
program = [{op = "gup_write", page = 0}]
"""
    scenario = loads_scenario(text)
    assert scenario.task[0].program[0] == TaskStep("gup_write", page=0)


def test_r13_without_the_pin_the_fault_looks_up_a_freed_device() -> None:
    scenario = r13_swapoff()
    found = _explore(scenario)
    assert found.first is not None
    verdict = found.first.outcome.describe()
    assert "D5" in verdict
    assert "lookup_swap_cache on swap device 0 after swapoff tore it down" in verdict
    again = replay_token(build_program(scenario), found.first.token)
    assert again.outcome == found.first.outcome


def test_r13_get_swap_device_keeps_the_device_in_every_schedule() -> None:
    found = _explore(r13_swapoff("6.1"))
    assert found.first is None
    assert found.exhaustive_complete


def test_the_swapoff_strawman_era_is_6_1_without_the_pin() -> None:
    strawman = ERAS["6.1-no-get-swap-device"]
    assert ERAS["6.1"].get_swap_device
    assert ERAS["6.1"].swapoff
    assert not strawman.get_swap_device
    assert strawman.swapoff
    assert attrs.evolve(strawman, get_swap_device=True, name="6.1") == attrs.evolve(
        ERAS["6.1"], description=strawman.description, source=strawman.source
    )


def test_swapoff_maps_every_swapped_page_back_before_the_teardown() -> None:
    # Even without the pin, a read long after swapoff must find present ptes (a swap
    # pte left behind would be looked up on the freed device: D5) and the old data.
    reads = tuple(TaskStep("read", page=v, expect=0) for v in (0, 1))
    scenario = attrs.evolve(
        r13_swapoff(),
        machine=attrs.evolve(r13_swapoff().machine, pages_per_node=3, swap_slots=2),
        mm=(MmSpec("A", pages=2, state=("swapped", "cached")),),
        task=(Task("F", "A", 0, (TaskStep("sleep", ticks=20), *reads)),),
    )
    assert _explore(scenario).first is None


def test_swapoff_is_refused_in_an_era_whose_swapoff_is_not_modelled() -> None:
    scenario = attrs.evolve(
        r13_swapoff("6.1"),
        kernel=KernelSpec("2.6.16-mm1+v8"),
        policies=attrs.evolve(r13_swapoff().policies, fallback_to_swap="vmscan-only"),
        daemon=(Daemon("swapoff"),),
    )
    with pytest.raises(WorldError, match="swapoff daemon needs an era"):
        build_program(scenario)
