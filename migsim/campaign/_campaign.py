"""The campaign driver: plan, skip what the database has, run the rest, record each unit.

Units run on local worker processes (all cores by default) or on a Dask cluster
(``dask_scheduler``), through :func:`~migsim.campaign.run_units`.  Only the driver
writes the database, one transaction per unit as it arrives, so a driver killed at any
moment loses at most the units in flight, which the rerun runs again; a worker killed
mid-unit costs only that unit's rerun (see ``_runner``).  SIGINT / SIGTERM stop
submitting and waiting; the partial summary is returned, marked ``interrupted``.
"""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

from migsim._errors import UsageError
from migsim.campaign import _db
from migsim.campaign._plan import Unit, campaign_key, plan_units
from migsim.campaign._progress import CampaignProgress, Snapshot
from migsim.campaign._runner import run_parallel, worker_count
from migsim.campaign._work import UnitResult, reduce_failure, run_unit
from migsim.scenario import dump_scenario, load_scenario, scenario_files

DEFAULT_DB = Path("migsim-out/campaign.db")
"""Where ``migsim campaign`` keeps its results when no ``--db`` is given."""


@attrs.frozen
class CampaignSpec:
    """What a campaign explores and how it is split (``workers`` changes nothing found).

    ``seed`` is the campaign seed every random unit's seed derives from (None: each
    scenario's ``explore.seed``); ``workers`` 0 means every core; ``reduce``: once every
    unit is done, reduce the scenario of each scenario and invariant's first failure
    (:func:`migsim.reduce_scenario`).
    """

    targets: tuple[str, ...]
    overrides: tuple[str, ...] = ()
    unit_size: int = 200
    split_depth: int = 3
    db: Path = DEFAULT_DB
    workers: int = 0
    dask_scheduler: str | None = None
    seed: int | None = None
    allow_policy_imports: bool = False
    reduce: bool = True


def plan(spec: CampaignSpec) -> tuple[list[Unit], list[tuple[str, ...]]]:
    """The units of every scenario, and each scenario's database row."""
    units: list[Unit] = []
    rows: list[tuple[str, ...]] = []
    sources: dict[str, Path] = {}
    for path in scenario_files(list(spec.targets)):
        s = load_scenario(path, spec.overrides, allow_policy_imports=spec.allow_policy_imports)
        if sources.setdefault(s.name, path) != path:
            raise UsageError(
                f"{path}: scenario name {s.name!r} is also the name of {sources[s.name]}; "
                "a campaign's scenarios need distinct names (rename one, or run two campaigns)"
            )
        units += plan_units(
            s, unit_size=spec.unit_size, split_depth=spec.split_depth, seed=spec.seed
        )
        text = dump_scenario(s)
        policies = _db.dumps(attrs.asdict(s.policies))
        sha = hashlib.sha256(text.encode()).hexdigest()
        rows.append((s.name, str(path), sha, s.kernel.era, policies, s.explore.strategy, text))
    return units, rows


def command_text(spec: CampaignSpec) -> str:
    """The command that (re)runs the campaign, as the database records it."""
    sets = "".join(f" --set {o}" for o in spec.overrides)
    seed = "" if spec.seed is None else f" --seed {spec.seed}"
    return f"migsim campaign {' '.join(spec.targets)}{sets}{seed}"


def run_campaign(
    spec: CampaignSpec,
    stop: Callable[[], bool] | None = None,
    progress: CampaignProgress | None = None,
) -> dict[str, object]:
    """Run (or resume) the campaign; return the ``--json`` summary (whole-campaign totals)."""
    start = time.perf_counter()
    units, rows = plan(spec)
    key = campaign_key(units, spec.unit_size, spec.split_depth)
    db = _db.connect(spec.db)
    try:
        planned = sum(u.count for u in units)
        existed = _db.start(
            db,
            key,
            command_text(spec),
            overrides=spec.overrides,
            units=len(units),
            planned=planned,
        )
        for row in rows:
            _db.add_scenario(db, key, row)
        done = _db.done_units(db, key)
        todo = [u for u in units if u.key not in done]
        resumed = existed and bool(done)
        workers = worker_count(spec.workers, spec.dask_scheduler)
        spent = _db.add_run(db, key, workers, resumed)
        with _stoppable() as stopped:
            halt = lambda: bool(stopped[0]) or bool(stop and stop())  # noqa: E731
            _drive(
                db,
                key,
                units=units,
                todo=todo,
                spec=spec,
                workers=workers,
                spent=spent,
                stop=halt,
                progress=progress,
            )
        summary = _summary(db, key, units, workers, resumed)
    finally:
        db.close()
    summary["interrupted"] = bool(stopped[0]) or bool(stop and stop())
    summary["signal"] = stopped[0]
    summary["elapsed_s"] = round(time.perf_counter() - start, 3)
    return summary


def _drive(
    db: sqlite3.Connection,
    key: str,
    *,
    units: list[Unit],
    todo: list[Unit],
    spec: CampaignSpec,
    workers: int,
    spent: float,
    stop: Callable[[], bool],
    progress: CampaignProgress | None,
) -> None:
    t0 = time.perf_counter()
    seen = _Counts.of(db, key, units, workers)

    def recorded(i: int, r: UnitResult) -> None:
        unit = todo[i]
        added = _db.record(db, key, unit, r, spent + time.perf_counter() - t0)
        if added is not None:
            seen.add(unit, r, added)
        if progress is not None:
            progress.update(seen.snapshot(time.perf_counter() - t0))

    if progress is not None:
        progress.update(seen.snapshot(0.0), force=True)
    run_parallel(
        run_unit,
        todo,
        workers=spec.workers,
        dask_scheduler=spec.dask_scheduler,
        on_result=recorded,
        should_stop=stop,
    )
    if progress is not None:
        progress.update(seen.snapshot(time.perf_counter() - t0), force=True)
    if spec.reduce and not stop():
        _reduce(db, key, spec, stop)


def _reduce(db: sqlite3.Connection, key: str, spec: CampaignSpec, stop: Callable[[], bool]) -> None:
    """Reduce the scenario of each group's first failure, on the workers too (a rerun
    reduces what an interrupted run left unreduced)."""
    jobs = _db.unreduced(db, key)
    run_parallel(
        reduce_failure,
        [job for _unit, _seq, job in jobs],
        workers=spec.workers,
        dask_scheduler=spec.dask_scheduler,
        on_result=lambda i, toml: _db.set_reduced(db, key, jobs[i][0], jobs[i][1], toml),
        should_stop=stop,
    )


@attrs.define
class _Counts:
    """The progress counters: the database's totals at the start, then each unit's."""

    schedules: int
    planned: int
    failures: int
    coverage: int
    units: int
    units_planned: int
    workers: int
    run_schedules: int = 0
    run_units: int = 0

    @classmethod
    def of(cls, db: sqlite3.Connection, key: str, units: list[Unit], workers: int) -> _Counts:
        t = _db.totals(db, key)
        done = len(_db.done_units(db, key))
        planned = _planned(db, key, units)
        return cls(
            int(t["schedules_done"]),  # type: ignore[call-overload]
            planned,
            int(t["failing_schedules"]),  # type: ignore[call-overload]
            int(t["coverage"]),  # type: ignore[call-overload]
            done,
            len(units),
            workers,
        )

    def add(self, unit: Unit, r: UnitResult, coverage_added: int) -> None:
        self.schedules += r.schedules
        self.run_schedules += r.schedules
        self.run_units += 1
        self.units += 1
        self.failures += len(r.failures)
        self.coverage += coverage_added
        if unit.systematic:  # its size is known now
            self.planned += r.schedules

    def snapshot(self, run_s: float) -> Snapshot:
        return Snapshot(
            self.schedules,
            max(self.planned, self.schedules),
            self.failures,
            self.coverage,
            self.units,
            self.units_planned,
            self.run_schedules,
            self.run_units,
            run_s,
            self.workers,
        )


def _planned(db: sqlite3.Connection, key: str, units: list[Unit]) -> int:
    """Schedules planned: the random units' counts, plus each searched subtree's size (a
    subtree not searched yet counts 0: its size is known only once it is searched)."""
    done = dict(db.execute("SELECT key, schedules FROM units WHERE campaign = ?", (key,)))
    return sum(u.count if not u.systematic else int(done.get(u.key, 0)) for u in units)


def _summary(
    db: sqlite3.Connection, key: str, units: list[Unit], workers: int, resumed: bool
) -> dict[str, object]:
    t = _db.totals(db, key)
    done = _db.done_units(db, key)
    rows = db.execute("SELECT exhaustive FROM units WHERE campaign = ?", (key,)).fetchall()
    systematic = [u for u in units if u.systematic]
    return {
        "campaign": key,
        "schedules_done": t["schedules_done"],
        "schedules_planned": _planned(db, key, units),
        "units_done": len(done),
        "units_planned": len(units),
        "coverage": t["coverage"],
        "failing_schedules": t["failing_schedules"],
        "violations": [_short(v) for v in t["violations"]],  # type: ignore[attr-defined]
        "exhaustive": bool(systematic) and len(done) == len(units) and all(r[0] for r in rows),
        "workers": workers,
        "resumed": resumed,
    }


def _short(v: dict[str, object]) -> dict[str, object]:
    """A violation for ``--json``: whether its scenario was reduced, not the TOML."""
    return {k: v[k] for k in v if k != "reduced"} | {"reduced": bool(v["reduced"])}


@contextmanager
def _stoppable() -> Iterator[list[int]]:
    flag = [0]

    def handle(signum: int, _frame: object) -> None:
        flag[0] = signum

    if threading.current_thread() is not threading.main_thread():
        yield flag  # signals reach the main thread only: the caller's ``stop`` decides
        return

    before = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for s, h in before.items():
            signal.signal(s, h)
