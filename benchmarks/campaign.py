"""Campaign benchmark: schedules/s of work units on 1 and N local workers, and on a
2-worker Dask ``LocalCluster``, in the same run.

The work is the seed race under PCT, cut into units of 200 schedules, as ``migsim
campaign`` cuts it.  Each figure includes starting the pool (a campaign pays it once),
so larger runs scale better.  ``scaling_ratio`` is the N-worker rate over the 1-worker
rate (goal: >= 0.9 * N, N = the machine's cores, on an otherwise idle machine);
``dask_overhead_ms_per_unit`` is what the same units cost more per unit on the 2-worker
cluster than on 2 local workers, the client's connection (``dask_connect_ms``, paid once
per run) left out; the cluster itself is started outside the timing.  ``load_1m`` is
the 1-minute load average at the start: on a shared machine, other people's work lowers
every figure.

    python benchmarks/campaign.py [--quick]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import migsim
from benchmarks._common import headline, parse_args
from migsim.campaign import Unit, plan_units, run_units

SCENARIO = "scenarios/seed-race.toml"
UNIT = 200


def units(schedules: int) -> list[Unit]:
    scenario = migsim.load_scenario(SCENARIO, [f"explore.schedules={schedules}"])
    return plan_units(scenario, unit_size=UNIT, split_depth=3)


def timed(work: list[Unit], repeat: int, **where: object) -> list[float]:
    """Seconds per run of ``work`` (``where``: run_units' workers / dask_scheduler)."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        results = run_units(work, **where)  # type: ignore[arg-type]
        seconds.append(time.perf_counter() - start)
        assert all(results)
    return seconds


def connect_seconds(address: str) -> float:
    """How long a client takes to connect to the scheduler and close (paid once a run)."""
    from distributed import Client

    start = time.perf_counter()
    Client(address).close()  # type: ignore[no-untyped-call]
    return time.perf_counter() - start


def main() -> None:
    args = parse_args(__doc__ or "")
    repeat = args.repeat or (3 if args.quick else 5)
    n = os.cpu_count() or 1
    load = os.getloadavg()[0]
    work = units(800 * n if args.quick else 4000 * n)
    schedules = sum(u.count for u in work)
    print(f"{len(work)} units of {UNIT} schedules, {n} cores, load {load:.2f}")
    run_units(work[:n], workers=n)  # warm-up: the forkserver starts once per process
    one = statistics.median(timed(work, repeat, workers=1))
    many = statistics.median(timed(work, repeat, workers=n))
    two = statistics.median(timed(work, repeat, workers=2))
    print(f"1 worker:  {schedules / one:8.0f} schedules/s (median of {repeat})")
    print(f"{n} workers: {schedules / many:8.0f} schedules/s")
    from distributed import LocalCluster

    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        dask = statistics.median(timed(work, repeat, dask_scheduler=address))
        connect = statistics.median(connect_seconds(address) for _ in range(repeat))
    print(f"dask, 2 workers: {schedules / dask:8.0f} schedules/s (local 2: {schedules / two:.0f})")
    ratio = one / many
    overhead = (dask - connect - two) / len(work) * 1000
    print(
        headline(
            schedules_per_s_1=schedules / one,
            schedules_per_s_n=schedules / many,
            workers_n=n,
            scaling_ratio=ratio,
            scaling_goal=0.9 * n,
            schedules_per_s_dask2=schedules / dask,
            dask_overhead_ms_per_unit=overhead,
            dask_connect_ms=connect * 1000,
            load_1m=load,
        )
    )


if __name__ == "__main__":
    main()
