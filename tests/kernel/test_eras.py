"""Kernel eras: which code runs is a setting of the kernel, and it changes what breaks.

The same scenario and the same policies give a clean exhaustive search under the
corrected migration cache and the race's violation under the era whose code has it.
"""

from __future__ import annotations

import attrs
import pytest

from actors import DFS, Budget, explore
from kernel_model import DEFAULT_ERA, ERAS
from migsim import (
    Daemon,
    KernelSpec,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
    TaskStep,
    build_program,
)

READ = TaskStep("read", page=0)

FULL_TARGET = Scenario(
    name="eager-migration-to-a-full-node",
    machine=Machine(nodes=2, pages_per_node=1, swap_slots=1, cpus=1),
    policies=Policies(fallback_to_swap="never", fault_retry="pte-same+private"),
    mm=(MmSpec("A", pages=1, node=0), MmSpec("B", pages=1, node=1)),
    task=(Task("T", "A", 0, (READ,)),),
    daemon=(Daemon("migrate", name="migrate", pages=("A:0",), to_node=1),),
)
"""R3's shape: the destination node has no free page, so the migration fails."""

MOVE_TO_SWAP = Scenario(
    name="kswapd-moves-a-lazy-page-to-swap",
    machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
    policies=Policies(fallback_to_swap="vmscan-only"),
    mm=(MmSpec("A", pages=1, state=("lazy",)),),
    task=(Task("T", "A", 0, (READ,)),),
    daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
)
"""R16's shape: reclaim moves a migration-cache page to swap while a task reads it."""


def test_the_eras_are_the_three_of_the_thread() -> None:
    assert list(ERAS) == ["2.6.16-mm1+v8", "2.6.16-mm1+v8-posted", "2.6.10-hotplug"]
    assert DEFAULT_ERA == "2.6.16-mm1+v8"
    assert KernelSpec().era == DEFAULT_ERA
    flags = {name: (era.posted_v8, era.detach_on_failure) for name, era in ERAS.items()}
    assert flags == {
        "2.6.16-mm1+v8": (False, False),
        "2.6.16-mm1+v8-posted": (True, False),
        "2.6.10-hotplug": (False, True),
    }
    for name, era in ERAS.items():
        assert era.name == name
        assert era.description
        assert era.source


def _first_violation(scenario: Scenario, era: str) -> str | None:
    program = build_program(attrs.evolve(scenario, kernel=KernelSpec(era=era)))
    found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=600))
    if found.first is None:
        assert found.exhaustive_complete
        return None
    return found.first.outcome.code


@pytest.mark.parametrize(
    ("scenario", "era", "code"),
    [
        (FULL_TARGET, "2.6.16-mm1+v8", None),
        (FULL_TARGET, "2.6.10-hotplug", "D3"),  # the detached entry: R3
        (MOVE_TO_SWAP, "2.6.16-mm1+v8", None),
        (MOVE_TO_SWAP, "2.6.16-mm1+v8-posted", "C4"),  # update_pte without swap_duplicate
    ],
)
def test_the_era_decides_whether_the_race_is_there(
    scenario: Scenario, era: str, code: str | None
) -> None:
    assert _first_violation(scenario, era) == code
