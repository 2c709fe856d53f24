"""Kernel benchmark: the simulated MM under the controlled scheduler.

Figures (all measured in this run; medians where repeated):

- ``r1_schedules_per_s``: complete random schedules per second on the seed race R1
  (guarded policy, so that every schedule runs to its end).
- ``pct_median_schedules_to_violation`` / ``random_median_schedules_to_violation``: on R1
  under ``fault_retry = none``, the median over seeds of the schedules PCT (depth 4) and a
  random walk need to find the violation (K3).
- ``dpor_vs_dfs_ratio``: schedules plain DFS needs to exhaust guarded R1, divided by the
  schedules DFS with DPOR needs.
- ``big_steps_per_s`` / ``big_peak_rss_mb``: one run of 64 CPUs over 100k pages.
- ``step_cost_ratio_100k_vs_1k``: the cost of a step with 100k pages divided by its cost
  with 1k pages, same work (flat = 1.0), run as users run it (the cyclic GC on; the
  runtime freezes the pre-existing heap for the duration of a run).  The line before the
  headline gives the same ratio with the GC paused, for comparison.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actors import DFS, PCT, Budget, RandomWalk, Setup, explore, run_schedule
from migsim import (
    Daemon,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
    TaskStep,
    build_program,
)
from migsim.races import r1_seed

MAX_STEPS = 400


def r1_rate(schedules: int, repeat: int) -> float:
    program = build_program(r1_seed("pte-same+private"))
    rates = []
    for seed in range(repeat):
        start = time.perf_counter()
        found = explore(program, RandomWalk(seed), Budget(schedules=schedules, max_steps=MAX_STEPS))
        assert found.first is None
        rates.append(found.schedules / (time.perf_counter() - start))
    return statistics.median(rates)


def median_to_violation(make: str, seeds: int) -> float:
    program = build_program(r1_seed("none"))
    counts = []
    for seed in range(seeds):
        strategy = PCT(seed, 4) if make == "pct" else RandomWalk(seed)
        found = explore(program, strategy, Budget(schedules=5000, max_steps=MAX_STEPS))
        assert found.first is not None
        assert found.first.outcome.code == "K3"
        counts.append(found.schedules)
    return statistics.median(counts)


def dpor_ratio() -> float:
    program = build_program(r1_seed("pte-same+private"))
    budget = Budget(schedules=500_000, max_steps=MAX_STEPS)
    reduced = explore(program, DFS(dpor=True), budget)
    plain = explore(program, DFS(dpor=False), budget)
    assert reduced.exhaustive_complete
    assert plain.exhaustive_complete
    return plain.schedules / reduced.schedules


def big_scenario(pages: int, cpus: int, accesses: int) -> Scenario:
    """``cpus`` tasks over one mm of ``pages`` pages while eager migration, lazy migration
    and kswapd work on its first pages.  The work (pages touched, page tables, lock shards)
    is the same whatever ``pages`` is (>= 1000): only the size of the machine changes."""
    hot = 3 * cpus
    span = 1000 - hot

    def program(c: int) -> tuple[TaskStep, ...]:
        first = (
            TaskStep("read", page=c),
            TaskStep("write", page=cpus + c),
            TaskStep("read", page=2 * cpus + c),
        )
        cold = tuple(
            TaskStep("write" if i % 2 else "read", page=hot + (c * accesses + i) * 7 % span)
            for i in range(accesses)
        )
        return first + cold

    def spec(first: int) -> tuple[str, ...]:
        return tuple(f"A:{p}" for p in range(first, first + cpus))

    # One node (the machine limit counts every node's pages): the daemons migrate within
    # it, which costs the same steps as migrating to another node.
    per_node = -(-(pages + 4 * cpus) // 16) * 16  # a multiple of the page-lock shards
    return Scenario(
        name=f"big-{pages}",
        machine=Machine(
            nodes=1, pages_per_node=per_node, swap_slots=4 * cpus, cpus=cpus, ptes_per_table=16
        ),
        policies=Policies(fallback_to_swap="never", fault_retry="pte-same+private"),
        mm=(MmSpec("A", pages=pages, node=0),),
        task=tuple(Task(f"T{c}", "A", c, program(c)) for c in range(cpus)),
        daemon=(
            Daemon("migrate", name="eager", pages=spec(0), to_node=0),
            Daemon("migrate", name="lazy", mode="lazy", pages=spec(cpus), to_node=0),
            Daemon("kswapd", name="kswapd", pages=spec(2 * cpus)),
        ),
    )


def big_runs(
    sizes: tuple[int, ...], cpus: int, accesses: int, repeat: int, *, pause_gc: bool
) -> tuple[list[float], int]:
    """Median seconds per step of one run per machine size (setup excluded; the sizes are
    measured alternately, after a ``gc.collect()``, so that drift and earlier garbage hit
    them alike), and the number of steps of a run (the same for every size).

    ``pause_gc`` pauses CPython's cyclic garbage collector during the timed runs, to show
    how much of the cost is the collector's (the runtime already freezes the heap that
    exists when a run starts, so the machine's pages are not rescanned during the run)."""
    programs = [build_program(big_scenario(pages, cpus, accesses)) for pages in sizes]
    lengths = set()
    for program in programs:
        probe = run_schedule(program, RandomWalk(0), max_steps=10**7)
        assert probe.outcome.kind == "ok", probe.outcome.describe()
        lengths.add(probe.steps)
    assert len(lengths) == 1, f"the workload differs between sizes: {lengths}"
    steps = lengths.pop() - 1  # end on the step bound: the quiescence scan is not a step
    costs: list[list[float]] = [[] for _ in sizes]
    for _ in range(repeat):
        for i, program in enumerate(programs):
            setup: Setup = program()
            gc.collect()
            if pause_gc:
                gc.disable()
            start = time.perf_counter()
            result = run_schedule(lambda: setup, RandomWalk(0), max_steps=steps)  # noqa: B023
            costs[i].append((time.perf_counter() - start) / steps)
            gc.enable()
            assert result.outcome.code == "step-bound", result.outcome.describe()
    return [statistics.median(c) for c in costs], steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run (under 50 s)")
    args = parser.parse_args()
    quick = args.quick
    rate = r1_rate(300 if quick else 2000, 3 if quick else 5)
    print(f"R1: {rate:.0f} complete schedules/s", flush=True)
    seeds = 50 if quick else 100
    pct_median = median_to_violation("pct", seeds)
    random_median = median_to_violation("random", seeds)
    print(f"R1 under none: PCT median {pct_median}, random median {random_median}", flush=True)
    ratio = dpor_ratio()
    print(f"plain DFS / DPOR schedules to exhaust guarded R1: {ratio:.1f}", flush=True)
    cpus, accesses = 64, 8 if quick else 16
    repeat = 5 if quick else 15
    sizes = (1_000, 100_000)
    (small_off, large_off), _ = big_runs(
        sizes, cpus, accesses, 3 if quick else repeat, pause_gc=True
    )
    print(
        f"64 CPUs, cyclic GC paused (for comparison): {1e6 * small_off:.1f} us/step at 1k "
        f"pages, {1e6 * large_off:.1f} us/step at 100k pages "
        f"(ratio {large_off / small_off:.2f})",
        flush=True,
    )
    (small, large), steps = big_runs(sizes, cpus, accesses, repeat, pause_gc=False)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"64 CPUs, as users run it (GC on): {steps} steps; {1e6 * small:.1f} us/step at 1k "
        f"pages, {1e6 * large:.1f} us/step at 100k pages (ratio {large / small:.2f}); "
        "goal <= 1.25",
        flush=True,
    )
    print(
        f"r1_schedules_per_s={rate:.0f} pct_median_schedules_to_violation={pct_median:g} "
        f"random_median_schedules_to_violation={random_median:g} dpor_vs_dfs_ratio={ratio:.1f} "
        f"big_steps_per_s={1 / large:.0f} big_peak_rss_mb={rss:.0f} "
        f"step_cost_ratio_100k_vs_1k={large / small:.2f}"
    )


if __name__ == "__main__":
    main()
