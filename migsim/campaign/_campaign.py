"""The campaign driver: plan, skip what the database has, run the rest, record each unit.

Units run in worker processes (``concurrent.futures``; all cores by default) or on a Dask
cluster (``dask_scheduler``: its ``Client.get_executor()``, the same interface).  Only
the driver writes the database, one transaction per unit as it finishes.  A worker that
dies breaks the local pool: the driver starts a new one and resubmits the units not yet
recorded.  SIGINT / SIGTERM stop submitting and waiting; the partial summary is returned.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from migsim.campaign import _db
from migsim.campaign._plan import Unit, campaign_key, plan_units
from migsim.campaign._work import run_unit
from migsim.scenario import dump_scenario, load_scenario, scenario_files


@attrs.frozen
class CampaignSpec:
    """What a campaign explores and how it is split (``workers`` changes nothing found)."""

    targets: tuple[str, ...]
    overrides: tuple[str, ...] = ()
    unit_size: int = 200
    split_depth: int = 3
    db: Path = Path("migsim-out/campaign.db")
    workers: int = 0  # 0: every core
    dask_scheduler: str | None = None


def plan(spec: CampaignSpec) -> tuple[list[Unit], list[tuple[str, ...]]]:
    """The units of every scenario, and each scenario's database row."""
    units: list[Unit] = []
    rows: list[tuple[str, ...]] = []
    for path in scenario_files(list(spec.targets)):
        s = load_scenario(path, spec.overrides)
        units += plan_units(s, unit_size=spec.unit_size, split_depth=spec.split_depth)
        text = dump_scenario(s)
        rows.append(
            (s.name, str(path), _sha(text), s.kernel.era, _db.dumps(attrs.asdict(s.policies)), text)
        )
    return units, rows


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def run_campaign(spec: CampaignSpec, stop: Any = None) -> dict[str, object]:
    """Run (or resume) the campaign; return the ``--json`` summary."""
    start = time.perf_counter()
    units, rows = plan(spec)
    key = campaign_key(units, spec.unit_size, spec.split_depth)
    db = _db.connect(spec.db)
    planned = sum(u.count for u in units)
    resumed = _db.start(db, key, " ".join(spec.targets), len(units), planned)
    for row in rows:
        _db.add_scenario(db, key, row)
    todo = [u for u in units if u.key not in _db.done_units(db, key)]
    resumed = resumed and len(todo) < len(units)
    workers = spec.workers or os.cpu_count() or 1
    with _stoppable() as stopped:
        _drive(db, key, todo, spec, workers, stop=lambda: stopped[0] or bool(stop and stop()))
    summary = _summary(db, key, units, workers, resumed)
    db.close()
    summary["interrupted"] = bool(stopped[0])
    summary["elapsed_s"] = round(time.perf_counter() - start, 3)
    return summary


def _summary(db: Any, key: str, units: list[Unit], workers: int, resumed: bool) -> dict[str, Any]:
    t = _db.totals(db, key)
    done = _db.done_units(db, key)
    planned = sum(u.count for u in units)
    systematic = [u for u in units if not u.count]
    if systematic:  # a subtree's size is known once it is searched
        planned = int(t["schedules_done"])  # type: ignore[call-overload]
    return {
        "campaign": key,
        "schedules_done": t["schedules_done"],
        "schedules_planned": planned,
        "units_done": len(done),
        "units_planned": len(units),
        "coverage": t["coverage"],
        "violations": t["violations"],
        "workers": workers,
        "resumed": resumed,
    }


@contextmanager
def _stoppable() -> Iterator[list[int]]:
    flag = [0]

    def handle(signum: int, _frame: object) -> None:
        flag[0] = signum

    before = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for s, h in before.items():
            signal.signal(s, h)


def _executor(spec: CampaignSpec, workers: int) -> cf.Executor:
    if spec.dask_scheduler:
        from distributed import Client

        return Client(spec.dask_scheduler).get_executor()  # type: ignore[no-untyped-call,no-any-return]
    ctx = multiprocessing.get_context("forkserver")
    return cf.ProcessPoolExecutor(workers, mp_context=ctx, initializer=_ignore_sigint)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _drive(
    db: Any, key: str, todo: Sequence[Unit], spec: CampaignSpec, workers: int, *, stop: Any
) -> None:
    left = {u.key: u for u in todo}
    restarts = 0
    while left and not stop() and restarts < 5:
        try:
            _pass(db, key, left, spec, workers, stop=stop)
        except cf.process.BrokenProcessPool:
            restarts += 1  # a worker died: the units it held are still in ``left``


def _pass(
    db: Any, key: str, left: dict[str, Unit], spec: CampaignSpec, workers: int, *, stop: Any
) -> None:
    t0 = time.perf_counter()
    with _executor(spec, workers) as pool:
        futures = {pool.submit(run_unit, u): u for u in left.values()}
        pending = set(futures)
        while pending and not stop():
            finished, pending = cf.wait(pending, timeout=0.2, return_when=cf.FIRST_COMPLETED)
            for f in sorted(finished, key=lambda f: futures[f].key):
                unit = futures[f]
                _db.record(db, key, unit.scenario, f.result(), time.perf_counter() - t0)
                left.pop(unit.key, None)
        for f in pending:
            f.cancel()
