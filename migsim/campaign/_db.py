"""The results database: SQLite in WAL mode, one transaction per finished work unit.

A unit is recorded once (its key is the primary key, ``INSERT OR IGNORE``), together with
its failures and its coverage items in the same transaction, so a driver killed at any
moment leaves either the whole unit or nothing of it; a rerun runs what is missing.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from migsim._version import __version__
from migsim.campaign._work import UnitResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    key TEXT PRIMARY KEY, command TEXT NOT NULL, migsim_version TEXT NOT NULL,
    units_planned INTEGER NOT NULL, schedules_planned INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios (
    campaign TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL,
    content_sha256 TEXT NOT NULL, era TEXT NOT NULL, policies TEXT NOT NULL,
    scenario_toml TEXT NOT NULL, PRIMARY KEY (campaign, name));
CREATE TABLE IF NOT EXISTS units (
    campaign TEXT NOT NULL, key TEXT NOT NULL, scenario TEXT NOT NULL,
    schedules INTEGER NOT NULL, pruned INTEGER NOT NULL, steps INTEGER NOT NULL,
    exhaustive INTEGER NOT NULL, elapsed_s REAL NOT NULL, PRIMARY KEY (campaign, key));
CREATE TABLE IF NOT EXISTS failures (
    campaign TEXT NOT NULL, unit TEXT NOT NULL, seq INTEGER NOT NULL,
    scenario TEXT NOT NULL, invariant TEXT NOT NULL, token TEXT NOT NULL,
    shrunk_token TEXT, PRIMARY KEY (campaign, unit, seq));
CREATE TABLE IF NOT EXISTS coverage (
    campaign TEXT NOT NULL, scenario TEXT NOT NULL, item TEXT NOT NULL,
    PRIMARY KEY (campaign, scenario, item));
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating) the database at ``path`` in WAL mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


def start(db: sqlite3.Connection, key: str, command: str, units: int, planned: int) -> bool:
    """Record the campaign; True when it was already there (a resume)."""
    with db:
        cur = db.execute(
            "INSERT OR IGNORE INTO campaigns VALUES (?, ?, ?, ?, ?)",
            (key, command, __version__, units, planned),
        )
    return cur.rowcount == 0


def add_scenario(db: sqlite3.Connection, key: str, row: tuple[str, ...]) -> None:
    """Record one scenario of the campaign (name, source, hash, era, policies, TOML)."""
    with db:
        db.execute("INSERT OR IGNORE INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?)", (key, *row))


def done_units(db: sqlite3.Connection, key: str) -> set[str]:
    """The keys of the units already recorded."""
    rows = db.execute("SELECT key FROM units WHERE campaign = ?", (key,))
    return {r[0] for r in rows}


def record(db: sqlite3.Connection, key: str, scenario: str, r: UnitResult, t: float) -> bool:
    """Record a finished unit in one transaction; False if it was recorded before."""
    db.execute("BEGIN IMMEDIATE")
    try:
        cur = db.execute(
            "INSERT OR IGNORE INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, r.key, scenario, r.schedules, r.pruned, r.steps, int(r.exhaustive), t),
        )
        if cur.rowcount:
            db.executemany(
                "INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [(key, r.key, i, scenario, inv, tok) for i, (inv, tok) in enumerate(r.failures)],
            )
            db.executemany(
                "INSERT OR IGNORE INTO coverage VALUES (?, ?, ?)",
                [(key, scenario, item) for item in r.coverage],
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return bool(cur.rowcount)


def totals(db: sqlite3.Connection, key: str) -> dict[str, object]:
    """The campaign's totals so far: schedules, coverage, one failure per group."""
    (done,) = db.execute("SELECT COALESCE(SUM(schedules), 0) FROM units WHERE campaign = ?", (key,))
    (cov,) = db.execute("SELECT COUNT(*) FROM coverage WHERE campaign = ?", (key,))
    rows = db.execute(
        "SELECT scenario, invariant, token, unit, seq FROM failures WHERE campaign = ? "
        "ORDER BY scenario, invariant, unit, seq",
        (key,),
    ).fetchall()
    groups: dict[tuple[str, str], str] = {}
    for scenario, invariant, token, _unit, _seq in sorted(rows, key=_order):
        groups.setdefault((scenario, invariant), token)
    violations = [{"scenario": s, "invariant": i, "token": t} for (s, i), t in groups.items()]
    return {"schedules_done": done[0], "coverage": cov[0], "violations": violations}


def _order(row: tuple[str, str, str, str, int]) -> tuple[str, str, int, int]:
    unit = row[3].rpartition("/")[2]
    return (row[0], row[1], int(unit[1:]), row[4])


def dumps(obj: object) -> str:
    """JSON text with sorted keys (what the database stores)."""
    return json.dumps(obj, sort_keys=True)
