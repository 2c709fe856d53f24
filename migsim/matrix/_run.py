"""Running a matrix: plan every cell, run the cells on local worker processes, in order.

The plan is scenario-major: every scenario file (sorted, as ``migsim check`` reads a
directory), and under it every policy combination in cross-product order.  The cells run
in-process with one worker, else on a pool of spawned processes; either way the result
lists them in plan order and each cell depends only on its plan, so the output does not
depend on the number of workers.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence

import attrs

from migsim.matrix._axes import PolicyGrid, default_grid
from migsim.matrix._cells import Budget, Cell, CellPlan, cell_dir, run_cell
from migsim.scenario import load_scenario, scenario_files

DEFAULT_SCHEDULES = 300
"""Schedules per cell by default: enough for the bounded search to prove, or refute, most
of the library's races within a few preemptions, while the whole default matrix of the
library runs in a few minutes on two cores (``benchmarks/matrix.py`` measures it)."""

MAX_CELLS = 20_000
"""A matrix of more cells is refused: name fewer policies or scenarios."""


@attrs.frozen
class Matrix:
    """A finished matrix: its ``grid`` (the varied kinds), the ``budget`` of each cell, and
    the ``cells`` in plan order (scenario-major)."""

    grid: PolicyGrid
    budget: Budget
    cells: tuple[Cell, ...]
    elapsed_s: float = attrs.field(default=0.0, eq=False)

    def to_json(self) -> dict[str, object]:
        """``{"cells": [...], "axes": {kind: [names]}, "budget": {...}, "elapsed_s"}``."""
        return {
            "cells": [c.to_json() for c in self.cells],
            "axes": self.grid.to_json(),
            "budget": self.budget.to_json(),
            "elapsed_s": round(self.elapsed_s, 3),
        }


def default_workers() -> int:
    """Every core this process may run on (the default of ``--workers``)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def plan_matrix(
    targets: Sequence[str],
    grid: PolicyGrid | None,
    budget: Budget,
    *,
    out_dir: str | None = None,
    allow_policy_imports: bool = False,
    reduce: bool = False,
) -> tuple[PolicyGrid, list[CellPlan]]:
    """The grid (``default_grid`` of the scenarios when None) and every cell's plan
    (reports into ``out_dir``, failing scenarios reduced when ``reduce``).

    Each scenario is loaded once as it is (a file that is malformed under its own
    policies is bad input: :class:`~migsim.ScenarioError`), for its name, era and races.
    """
    files = scenario_files(targets)
    loaded = [(str(f), load_scenario(f, allow_policy_imports=allow_policy_imports)) for f in files]
    grid = grid or default_grid([s for _, s in loaded])
    combos = grid.combinations()
    if len(loaded) * len(combos) > MAX_CELLS:
        from migsim._errors import UsageError

        raise UsageError(
            f"{len(loaded)} scenarios x {len(combos)} policy combinations is "
            f"{len(loaded) * len(combos)} cells, more than {MAX_CELLS}: "
            "name fewer policies (--policies KIND=A,B) or scenarios (--scenarios DIR)"
        )
    plans = [
        CellPlan(
            file,
            s.name,
            s.kernel.era,
            s.races,
            combo,
            budget,
            cell_dir(out_dir, s.name, combo) if out_dir else None,
            allow_policy_imports,
            reduce,
        )
        for file, s in loaded
        for combo in combos
    ]
    return grid, plans


def run_cells(
    plans: Sequence[CellPlan], workers: int, on_cell: Callable[[Cell], None] | None = None
) -> list[Cell]:
    """Every plan's cell, in plan order, on ``workers`` processes (1: in this process);
    ``on_cell`` is called with each cell as it arrives, in plan order."""
    cells: list[Cell] = []
    for cell in _cells(plans, workers):
        cells.append(cell)
        if on_cell is not None:
            on_cell(cell)
    return cells


def _cells(plans: Sequence[CellPlan], workers: int) -> Iterator[Cell]:
    if workers <= 1 or len(plans) <= 1:
        yield from map(run_cell, plans)
        return
    ctx = multiprocessing.get_context("spawn")  # no forked trio state; what Dask does too
    n = min(workers, len(plans))
    with cf.ProcessPoolExecutor(n, mp_context=ctx, initializer=_ignore_sigint) as pool:
        try:
            yield from pool.map(run_cell, plans, chunksize=1)
        except BaseException:  # Ctrl-C or a broken worker: drop what has not started
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which cancels what has not started."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_matrix(
    targets: Sequence[str],
    grid: PolicyGrid | None = None,
    budget: Budget | None = None,
    *,
    workers: int = 1,
    out_dir: str | None = None,
    allow_policy_imports: bool = False,
    reduce: bool = False,
) -> Matrix:
    """Run every scenario of ``targets`` (files or directories) under every combination of
    ``grid`` (default: :func:`default_grid`), each cell within ``budget`` (default:
    :data:`DEFAULT_SCHEDULES` schedules)."""
    start = time.perf_counter()
    budget = budget or Budget(DEFAULT_SCHEDULES)
    grid, plans = plan_matrix(
        targets,
        grid,
        budget,
        out_dir=out_dir,
        allow_policy_imports=allow_policy_imports,
        reduce=reduce,
    )
    cells = run_cells(plans, workers)
    return Matrix(grid, budget, tuple(cells), time.perf_counter() - start)
