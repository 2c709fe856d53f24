"""``migsim report DB``: what a campaign database says, as text and as plots.

For each campaign: its command and runs, a table per scenario (strategy, era, schedules,
units, failing schedules, schedules to the first failure, coverage), then its failures
grouped by invariant and scenario, each with the command that replays its first
failure's shrunk interleaving.  With a plot directory, two figures (PNG or SVG):

- ``first-failure.EXT``: schedules to the first failure of each scenario, in the order
  a single process would explore them, coloured by strategy: which strategy finds bugs
  fastest;
- ``coverage.EXT``: coverage items over the campaign's active time (summed over its
  runs, so a resumed campaign has no gap): when coverage flattens, more schedules of the
  same kind add little.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs

from migsim._pipeline import replay_command

PLOT_FORMATS = ("png", "svg")


@attrs.frozen
class ScenarioRow:
    """One scenario of a campaign, as the report's table shows it."""

    name: str
    source: str
    strategy: str
    era: str
    schedules: int
    units: int
    failing: int
    to_first_failure: int | None  # None: no failure, or units before it not yet run
    coverage: int


def campaigns(db: sqlite3.Connection) -> list[str]:
    """The campaign keys in the database, in a fixed order."""
    return [r[0] for r in db.execute("SELECT key FROM campaigns ORDER BY key")]


def scenario_rows(db: sqlite3.Connection, key: str) -> list[ScenarioRow]:
    """The report table's rows of campaign ``key``, by scenario name."""
    rows = []
    scenarios = db.execute(
        "SELECT name, source, strategy, era FROM scenarios WHERE campaign = ? ORDER BY name",
        (key,),
    ).fetchall()
    for name, source, strategy, era in scenarios:
        units = db.execute(
            "SELECT idx, schedules, first_failure_at FROM units "
            "WHERE campaign = ? AND scenario = ? ORDER BY idx",
            (key, name),
        ).fetchall()
        (failing,) = db.execute(
            "SELECT COUNT(*) FROM failures WHERE campaign = ? AND scenario = ?", (key, name)
        ).fetchone()
        (cov,) = db.execute(
            "SELECT COUNT(*) FROM coverage WHERE campaign = ? AND scenario = ?", (key, name)
        ).fetchone()
        schedules = sum(u[1] for u in units)
        first = to_first_failure([(u[0], u[1], u[2]) for u in units])
        rows.append(
            ScenarioRow(name, source, strategy, era, schedules, len(units), failing, first, cov)
        )
    return rows


def to_first_failure(units: list[tuple[int, int, int | None]]) -> int | None:
    """Schedules a single process would run up to and including the first failure,
    from ``(index, schedules, first_failure_at)`` per recorded unit, by index; None when
    nothing failed or a unit before the first failing one is not recorded yet."""
    total = 0
    for expected, (idx, schedules, at) in enumerate(units):
        if idx != expected:
            return None
        if at is not None:
            return total + at + 1
        total += schedules
    return None


def render(db: sqlite3.Connection) -> Iterator[str]:
    """The text report of every campaign in the database."""
    for key in campaigns(db):
        yield from _campaign_text(db, key)


def _campaign_text(db: sqlite3.Connection, key: str) -> Iterator[str]:
    command, overrides, version, units_planned = db.execute(
        "SELECT command, overrides, migsim_version, units_planned FROM campaigns WHERE key = ?",
        (key,),
    ).fetchone()
    runs = db.execute(
        "SELECT COUNT(*), COALESCE(MAX(workers), 0), COALESCE(SUM(resumed), 0) FROM runs "
        "WHERE campaign = ?",
        (key,),
    ).fetchone()
    rows = scenario_rows(db, key)
    done = sum(r.units for r in rows)
    yield f"campaign {key}  (migsim {version})"
    yield f"  command:  {command}"
    yield f"  runs:     {runs[0]} ({runs[2]} resumed), up to {runs[1]} workers"
    yield f"  progress: {done}/{units_planned} units, {sum(r.schedules for r in rows):,} schedules"
    yield ""
    yield from _table(rows)
    yield ""
    yield from _failures(db, key, {r.name: r.source for r in rows}, json.loads(overrides))
    yield ""


def _table(rows: list[ScenarioRow]) -> Iterator[str]:
    head = ("scenario", "strategy", "era", "schedules", "units", "failing", "1st failure", "cov")
    body = [
        (
            r.name,
            r.strategy,
            r.era,
            f"{r.schedules:,}",
            str(r.units),
            str(r.failing),
            "-" if r.to_first_failure is None else f"{r.to_first_failure:,}",
            str(r.coverage),
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in (head, *body)) for i in range(len(head))]
    for line in (head, *body):
        yield "  " + "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()


def _failures(
    db: sqlite3.Connection, key: str, sources: dict[str, str], overrides: list[str]
) -> Iterator[str]:
    from migsim.campaign._db import violations

    found = violations(db, key)
    if not found:
        yield "  no failure found"
        return
    yield "  failures by invariant and scenario (replay: the first one, shrunk):"
    for invariant in sorted({str(v["invariant"]) for v in found}):
        yield f"  {invariant}"
        for v in (v for v in found if v["invariant"] == invariant):
            token = str(v["shrunk_token"] or v["token"])
            scenario = str(v["scenario"])
            command = replay_command(token, sources.get(scenario, scenario), overrides)
            yield f"    {scenario}: {v['count']} failing schedules"
            yield f"      {command}"
            if v["reduced"]:
                lines = str(v["reduced"]).count("\n")
                yield f"      reduced scenario: {lines} lines (migsim report --scenarios DIR)"


def write_reduced(db: sqlite3.Connection, out: Path) -> list[Path]:
    """Write each failure group's reduced scenario as ``SCENARIO-INVARIANT-reduced.toml``
    into ``out``; return the paths (``migsim explore`` runs them as they are)."""
    from migsim.campaign._db import violations

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for key in campaigns(db):
        for v in violations(db, key):
            if v["reduced"]:
                path = out / f"{v['scenario']}-{v['invariant']}-reduced.toml"
                path.write_text(str(v["reduced"]), encoding="utf-8")
                written.append(path)
    return written


def write_plots(db: sqlite3.Connection, out: Path, fmt: str = "png") -> list[Path]:
    """Write the two figures of every campaign into ``out``; return their paths (one
    campaign: ``first-failure.EXT``, ``coverage.EXT``; more: prefixed by campaign key)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    out.mkdir(parents=True, exist_ok=True)
    keys = campaigns(db)
    written = []
    for key in keys:
        prefix = "" if len(keys) == 1 else f"{key}-"
        written.append(_plot_first_failure(db, key, out / f"{prefix}first-failure.{fmt}"))
        written.append(_plot_coverage(db, key, out / f"{prefix}coverage.{fmt}"))
    return written


def _plot_first_failure(db: sqlite3.Connection, key: str, path: Path) -> Path:
    import matplotlib.pyplot as plt

    rows = [r for r in scenario_rows(db, key) if r.to_first_failure is not None]
    strategies = sorted({r.strategy for r in rows})
    colours = {s: f"C{i}" for i, s in enumerate(strategies)}
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * max(len(rows), 1)))
    if rows:
        rows.sort(key=lambda r: (r.strategy, r.name))
        ax.barh(
            [f"{r.name} ({r.strategy})" for r in rows],
            [r.to_first_failure or 0 for r in rows],
            color=[colours[r.strategy] for r in rows],
        )
        ax.set_xscale("log")
        ax.invert_yaxis()
        for s in strategies:
            ax.bar(0, 0, color=colours[s], label=s)  # one legend entry per strategy
        ax.legend(title="strategy", loc="lower right")
    else:
        ax.text(0.5, 0.5, "no failure found", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("schedules to the first failure (deterministic order)")
    ax.set_title(f"campaign {key}: schedules to first failure, per strategy")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _plot_coverage(db: sqlite3.Connection, key: str, path: Path) -> Path:
    import matplotlib.pyplot as plt

    units = db.execute(
        "SELECT scenario, elapsed_s, coverage_new FROM units WHERE campaign = ? "
        "ORDER BY elapsed_s, key",
        (key,),
    ).fetchall()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    series: dict[str, tuple[list[float], list[int]]] = {"all scenarios": ([0.0], [0])}
    for scenario, t, added in units:
        for name in ("all scenarios", scenario):
            xs, ys = series.setdefault(name, ([0.0], [0]))
            xs.append(t)
            ys.append(ys[-1] + added)
    end = max((u[1] for u in units), default=0.0)
    for i, (name, (xs, ys)) in enumerate(series.items()):
        xs.append(end)  # a scenario's coverage holds to the end of the campaign
        ys.append(ys[-1])
        if i <= 10:  # the total and up to ten scenarios stay readable
            ax.step(xs, ys, where="post", label=name, linewidth=2.5 if i == 0 else 1.2)
    ax.set_xlabel("campaign time (s, active time summed over runs)")
    ax.set_ylabel("coverage items (actor/op/label)")
    ax.set_title(f"campaign {key}: coverage over time")
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
