"""The results database: SQLite in WAL mode, one transaction per finished work unit.

A unit is recorded once (its key is the primary key, ``INSERT OR IGNORE``), together with
its failures and its coverage items in the same transaction, so a driver killed at any
moment leaves either the whole unit or nothing of it; a rerun runs what is missing.
Only the driver writes; ``migsim report`` may read while a campaign runs (WAL).

Tables: ``campaigns`` (one per command: its key, the migsim version), ``runs`` (each
time the command ran: started, workers, resumed), ``scenarios`` (source, content hash,
era, policies, strategy, TOML), ``units`` (one per finished unit: counts, its first
failure's index, the coverage items it added, when it finished), ``failures`` (each
failing schedule: invariant, token, shrunk token, reduced scenario) and ``coverage``
(actor/op/label items per scenario, merged across workers, with the unit that found each).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from migsim._errors import UsageError
from migsim._version import __version__
from migsim.campaign._plan import Unit
from migsim.campaign._work import UnitResult

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    key TEXT PRIMARY KEY, command TEXT NOT NULL, overrides TEXT NOT NULL,
    migsim_version TEXT NOT NULL, units_planned INTEGER NOT NULL,
    schedules_planned INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    campaign TEXT NOT NULL, started_at REAL NOT NULL, workers INTEGER NOT NULL,
    resumed INTEGER NOT NULL, migsim_version TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios (
    campaign TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL,
    content_sha256 TEXT NOT NULL, era TEXT NOT NULL, policies TEXT NOT NULL,
    strategy TEXT NOT NULL, scenario_toml TEXT NOT NULL, PRIMARY KEY (campaign, name));
CREATE TABLE IF NOT EXISTS units (
    campaign TEXT NOT NULL, key TEXT NOT NULL, scenario TEXT NOT NULL, idx INTEGER NOT NULL,
    strategy TEXT NOT NULL, schedules INTEGER NOT NULL, pruned INTEGER NOT NULL,
    steps INTEGER NOT NULL, exhaustive INTEGER NOT NULL, first_failure_at INTEGER,
    coverage_new INTEGER NOT NULL, elapsed_s REAL NOT NULL, finished_at REAL NOT NULL,
    PRIMARY KEY (campaign, key));
CREATE TABLE IF NOT EXISTS failures (
    campaign TEXT NOT NULL, unit TEXT NOT NULL, seq INTEGER NOT NULL,
    scenario TEXT NOT NULL, invariant TEXT NOT NULL, token TEXT NOT NULL,
    shrunk_token TEXT, at INTEGER NOT NULL, reduced_scenario TEXT,
    PRIMARY KEY (campaign, unit, seq));
CREATE TABLE IF NOT EXISTS coverage (
    campaign TEXT NOT NULL, scenario TEXT NOT NULL, item TEXT NOT NULL, unit TEXT NOT NULL,
    PRIMARY KEY (campaign, scenario, item));
"""


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open the database at ``path`` in WAL mode (``create``: make it if missing)."""
    if not create and not path.is_file():
        raise UsageError(f"{path}: no such campaign database; run `migsim campaign --db {path}`")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        (version,) = db.execute("PRAGMA user_version").fetchone()
        tables = db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        db.close()
        raise UsageError(f"{path}: not a campaign database ({exc}); give another --db") from None
    if tables and version != SCHEMA_VERSION:
        db.close()
        raise UsageError(
            f"{path}: campaign database of schema {version}, expected {SCHEMA_VERSION} "
            "(written by another migsim version); give a new --db FILE"
        )
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return db


def start(
    db: sqlite3.Connection,
    key: str,
    command: str,
    *,
    overrides: tuple[str, ...],
    units: int,
    planned: int,
) -> bool:
    """Record the campaign (its command, the ``--set`` overrides a replay needs); True
    when it was already there (a resume)."""
    with db:
        cur = db.execute(
            "INSERT OR IGNORE INTO campaigns VALUES (?, ?, ?, ?, ?, ?)",
            (key, command, dumps(list(overrides)), __version__, units, planned),
        )
    return cur.rowcount == 0


def add_run(db: sqlite3.Connection, key: str, workers: int, resumed: bool) -> float:
    """Record that the campaign (re)started now; return its active time so far (s)."""
    with db:
        db.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?)",
            (key, time.time(), workers, int(resumed), __version__),
        )
    (spent,) = db.execute(
        "SELECT COALESCE(MAX(elapsed_s), 0) FROM units WHERE campaign = ?", (key,)
    ).fetchone()
    return float(spent)


def add_scenario(db: sqlite3.Connection, key: str, row: tuple[str, ...]) -> None:
    """Record one scenario (name, source, hash, era, policies, strategy, TOML)."""
    with db:
        db.execute("INSERT OR IGNORE INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (key, *row))


def done_units(db: sqlite3.Connection, key: str) -> set[str]:
    """The keys of the units already recorded."""
    rows = db.execute("SELECT key FROM units WHERE campaign = ?", (key,))
    return {r[0] for r in rows}


def record(
    db: sqlite3.Connection, key: str, unit: Unit, r: UnitResult, elapsed: float
) -> int | None:
    """Record a finished unit in one transaction; return how many coverage items it
    added (None: it was recorded before, and nothing was written).

    ``elapsed`` is the campaign's active time when the unit finished (summed over runs).
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        cur = db.execute(
            "INSERT OR IGNORE INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (
                key,
                r.key,
                unit.scenario,
                unit.index,
                unit.strategy,
                r.schedules,
                r.pruned,
                r.steps,
                int(r.exhaustive),
                r.first_failure_at,
                elapsed,
                time.time(),
            ),
        )
        added = _record_findings(db, key, unit, r) if cur.rowcount else None
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return added


def _record_findings(db: sqlite3.Connection, key: str, unit: Unit, r: UnitResult) -> int:
    db.executemany(
        "INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (key, r.key, i, unit.scenario, f.invariant, f.token, f.shrunk_token, f.at)
            for i, f in enumerate(r.failures)
        ],
    )
    cov = db.executemany(
        "INSERT OR IGNORE INTO coverage VALUES (?, ?, ?, ?)",
        [(key, unit.scenario, item, r.key) for item in r.coverage],
    )
    added = max(cov.rowcount, 0)
    db.execute(
        "UPDATE units SET coverage_new = ? WHERE campaign = ? AND key = ?", (added, key, r.key)
    )
    return added


def totals(db: sqlite3.Connection, key: str) -> dict[str, object]:
    """The campaign's totals so far: schedules, coverage, failing schedules, and one
    violation per scenario and invariant (the first in deterministic unit order)."""

    def one(sql: str) -> int:
        return int(db.execute(sql, (key,)).fetchone()[0])

    return {
        "schedules_done": one("SELECT COALESCE(SUM(schedules), 0) FROM units WHERE campaign = ?"),
        "coverage": one("SELECT COUNT(*) FROM coverage WHERE campaign = ?"),
        "failing_schedules": one("SELECT COUNT(*) FROM failures WHERE campaign = ?"),
        "violations": violations(db, key),
    }


def violations(db: sqlite3.Connection, key: str) -> list[dict[str, object]]:
    """One ``{scenario, invariant, token, shrunk_token, count, reduced}`` per scenario and
    invariant: its first failure in unit order, how many schedules failed so, and its
    reduced scenario's TOML (None: not reduced (yet); "": it did not reduce)."""
    rows = db.execute(
        "SELECT f.scenario, f.invariant, f.token, f.shrunk_token, f.reduced_scenario "
        "FROM failures f "
        "JOIN units u ON u.campaign = f.campaign AND u.key = f.unit WHERE f.campaign = ? "
        "ORDER BY f.scenario, f.invariant, u.idx, f.seq",
        (key,),
    ).fetchall()
    groups: dict[tuple[str, str], dict[str, object]] = {}
    for scenario, invariant, token, shrunk, reduced in rows:
        group = groups.setdefault(
            (scenario, invariant),
            {
                "scenario": scenario,
                "invariant": invariant,
                "token": token,
                "shrunk_token": shrunk,
                "count": 0,
                "reduced": reduced,
            },
        )
        group["count"] = int(group["count"]) + 1  # type: ignore[call-overload]
    return list(groups.values())


def dumps(obj: object) -> str:
    """JSON text with sorted keys (what the database stores)."""
    return json.dumps(obj, sort_keys=True)


def unreduced(db: sqlite3.Connection, key: str) -> list[tuple[str, int, tuple[str, str, int]]]:
    """The first failure of each scenario and invariant whose scenario is not reduced yet:
    ``(unit, seq, (scenario TOML, invariant, schedules it took))`` each."""
    rows = db.execute(
        "SELECT f.unit, f.seq, s.scenario_toml, f.invariant, f.at, f.reduced_scenario "
        "FROM failures f JOIN units u ON u.campaign = f.campaign AND u.key = f.unit "
        "JOIN scenarios s ON s.campaign = f.campaign AND s.name = f.scenario "
        "WHERE f.campaign = ? ORDER BY f.scenario, f.invariant, u.idx, f.seq",
        (key,),
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    jobs = []
    for unit, seq, text, invariant, at, reduced in rows:
        group = (text, invariant)
        if group in seen:
            continue
        seen.add(group)
        if reduced is None:
            jobs.append((unit, seq, (text, invariant, at + 1)))
    return jobs


def set_reduced(db: sqlite3.Connection, key: str, unit: str, seq: int, toml: str) -> None:
    """Record the reduced scenario of one failure ("" when it did not reduce)."""
    with db:
        db.execute(
            "UPDATE failures SET reduced_scenario = ? WHERE campaign = ? AND unit = ? AND seq = ?",
            (toml, key, unit, seq),
        )
