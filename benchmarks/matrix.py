"""Matrix benchmark: the wall time of ``migsim matrix`` over the library, serial vs every core.

The same plan (every library scenario under the default grid, the default budget, reports
and reduced scenarios written as the command writes them) runs on one process and on
every core, ``--repeat`` times each, alternating; the figures are the medians.  The two
runs must give the same cells (the output does not depend on the workers), which the
benchmark checks.  ``--quick`` runs a smaller matrix (``fault_retry`` over ``none`` and
``pte-same+private`` only, 20 schedules per cell, twice) so that it stays under 20 s; at
that size the workers' start-up weighs on the speedup.

    python benchmarks/matrix.py [--quick] [--repeat N]

The last line has exactly the keys cells, workers, serial_s, parallel_s and speedup.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import headline, parse_args
from migsim.matrix import (
    DEFAULT_SCHEDULES,
    Budget,
    Cell,
    CellPlan,
    default_workers,
    parse_policies,
    plan_matrix,
    run_cells,
)
from migsim.scenario import library_dir


def timed(plans: Sequence[CellPlan], workers: int) -> tuple[float, list[Cell]]:
    """Wall seconds of running ``plans`` on ``workers`` processes, and the cells."""
    start = time.perf_counter()
    cells = run_cells(plans, workers)
    return time.perf_counter() - start, cells


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    repeat = args.repeat or (2 if args.quick else 3)
    grid = parse_policies(["fault_retry=none,pte-same+private"]) if args.quick else None
    budget = Budget(20 if args.quick else DEFAULT_SCHEDULES)
    workers = default_workers()
    with tempfile.TemporaryDirectory() as out:
        _, plans = plan_matrix([str(library_dir())], grid, budget, out_dir=out, reduce=True)
        serial, parallel = [], []
        for _ in range(repeat):
            s, one = timed(plans, 1)
            p, many = timed(plans, workers)
            assert one == many, "the cells differ between 1 and several workers"
            serial.append(s)
            parallel.append(p)
            print(f"serial {s:.1f} s, {workers} workers {p:.1f} s", flush=True)
    s, p = statistics.median(serial), statistics.median(parallel)
    print(f"{len(plans)} cells, {budget.schedules} schedules each, medians of {repeat}")
    print(headline(cells=len(plans), workers=workers, serial_s=s, parallel_s=p, speedup=s / p))


if __name__ == "__main__":  # the spawned workers import this file: run only as a script
    main()
