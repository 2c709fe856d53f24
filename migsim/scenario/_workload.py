"""The guarded workload: every race's guard on at once, under random schedules."""

from __future__ import annotations

from migsim.scenario._model import (
    Daemon,
    Explore,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
    TaskStep,
)


def workload(*, schedules: int = 500) -> Scenario:
    """Several pages, four CPUs, fork, exit, mlock and munlock, eager and lazy migration
    and kswapd together, under every guard (the R21 relookup too)."""
    return Scenario(
        name="workload-guarded",
        description="multi-page, multi-CPU workload with fork, exit, mlock and every daemon",
        machine=Machine(nodes=2, pages_per_node=12, swap_slots=6, cpus=4, ptes_per_table=2),
        policies=Policies(
            fallback_to_swap="never", mlocked="refuse", fault_retry="pte-same+private+relookup"
        ),
        mm=(
            MmSpec("A", pages=4, node=0, mlocked=(3,)),
            MmSpec("B", pages=3, node=0, state=("lazy", "present", "swapped")),
        ),
        task=(
            Task(
                "T1",
                "A",
                0,
                (
                    TaskStep("read", page=0),
                    TaskStep("write", page=1),
                    TaskStep("fork", child="C"),
                    TaskStep("read", page=2),
                    TaskStep("write", page=0),
                ),
            ),
            Task(
                "T2",
                "A",
                1,
                (
                    TaskStep("write", page=2),
                    TaskStep("munlock", page=3),
                    TaskStep("read", page=1),
                    TaskStep("read", page=3),
                    TaskStep("mlock", page=1),
                ),
            ),
            Task(
                "C",
                "C",
                3,
                (TaskStep("read", page=1), TaskStep("write", page=0), TaskStep("exit")),
            ),
            Task(
                "T3",
                "B",
                2,
                (
                    TaskStep("read", page=0),
                    TaskStep("write", page=2),
                    TaskStep("read", page=1),
                    TaskStep("exit"),
                ),
            ),
        ),
        daemon=(
            Daemon("migrate", name="eager", pages=("A:0", "A:1", "A:3", "B:0"), to_node=1),
            Daemon("migrate", name="lazy", mode="lazy", pages=("A:2", "B:1")),
            Daemon("kswapd", name="kswapd", pages=("A:1", "A:2", "B:1", "B:2"), passes=2),
        ),
        explore=Explore(strategy="random", schedules=schedules, max_steps=3000),
    )
