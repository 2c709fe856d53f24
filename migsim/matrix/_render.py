"""Drawing a matrix: the same tables as plain rows, Markdown or HTML.

The last axis of the grid is the columns; every combination of the other axes is a
section of its own table (``fallback_to_swap = never``), one row per scenario.  A cell
states the strength of its verdict in a few characters (:func:`cell_label`): ``✗ K3``
(a violation of K3 was found), ``✓ all`` (no failure in any schedule), ``✓ ≤2`` (none
within 2 preemptions), ``?`` (not proven: the budget ran out before bound 0 completed),
``n/a [1]`` (the scenario rejects the combination; reason 1 is listed below).  Nothing
drawn depends on the clock or the number of workers, so the Markdown can be checked in.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Iterator, Sequence

from migsim.matrix._axes import Combination, PolicyGrid
from migsim.matrix._cells import NA, Cell
from migsim.matrix._run import Matrix
from migsim.report import invariant_meaning

LEGEND = (
    ("✗ K3", "refuted: a failure was found (a violation of invariant K3, or a deadlock)"),
    ("✓ all", "proven: no failure in any schedule (the search covered them all)"),
    ("✓ ≤k", "proven within bound k: no failure in any schedule with at most k preemptions"),
    ("?", "not proven: the budget ran out before bound 0 was covered"),
    ("n/a [i]", "not run: the scenario rejects the combination (reason i below the tables)"),
)
"""What a cell's label says, in the order of the verdict's strength."""


def cell_label(cell: Cell, notes: Sequence[str] = ()) -> str:
    """The cell as a few characters (see the module docstring); ``notes`` numbers the n/a
    reasons."""
    if cell.outcome == NA:
        return f"n/a [{notes.index(cell.reason) + 1}]" if cell.reason in notes else NA
    if cell.outcome != "ok":
        return f"✗ {cell.invariant or cell.outcome}"
    if cell.proven == "all":
        return "✓ all"
    if cell.proven == "bound":
        return f"✓ ≤{cell.bound_completed}"
    return "?"


def notes_of(matrix: Matrix) -> list[str]:
    """The distinct n/a reasons, in plan order (a label names its reason by position)."""
    notes: list[str] = []
    for c in matrix.cells:
        if c.outcome == NA and c.reason not in notes:
            notes.append(c.reason)
    return notes


def _sections(matrix: Matrix) -> list[tuple[Combination, list[Combination]]]:
    """``(outer combination, its column combinations)`` for every section."""
    axes = matrix.grid.axes
    if not axes:
        return [((), [()])]
    *outer, last = axes
    heads = PolicyGrid(tuple(outer)).combinations()
    return [(head, [(*head, (last.kind, n)) for n in last.names]) for head in heads]


def _rows(matrix: Matrix, columns: list[Combination]) -> Iterator[tuple[Cell, list[Cell]]]:
    """For each scenario (plan order): its first cell (for the row's name, races, era) and
    its cells of ``columns``."""
    by_key = {(c.plan.file, c.plan.policies): c for c in matrix.cells}
    files = list(dict.fromkeys(c.plan.file for c in matrix.cells))
    for file in files:
        cells = [by_key[(file, combo)] for combo in columns]
        yield cells[0], cells


def _title(head: Combination) -> str:
    return ", ".join(f"{k} = {n}" for k, n in head)


def _column(combo: Combination) -> str:
    return combo[-1][1] if combo else "own policies"


def header(matrix: Matrix) -> list[str]:
    """One line per fact of the run: axes, budget (what the labels are relative to)."""
    b = matrix.budget
    axes = " x ".join(f"{a.kind} ({len(a.names)})" for a in matrix.grid.axes) or "none"
    bound = "" if b.preemption_bound is None else f", preemption bound at most {b.preemption_bound}"
    steps = "" if b.max_steps is None else f", at most {b.max_steps} steps per run"
    scenarios = len({c.plan.file for c in matrix.cells})
    return [
        f"{len(matrix.cells)} cells: {scenarios} scenarios x policies {axes}",
        f"each cell: the bounded systematic search, {b.schedules} schedules{bound}{steps}",
    ]


def text_tables(matrix: Matrix) -> list[tuple[str, list[str], list[list[str]]]]:
    """Each section as ``(title, header, body)`` for a terminal table."""
    notes = notes_of(matrix)
    out = []
    for head, columns in _sections(matrix):
        names = ["scenario", "races", "era", *(_column(c) for c in columns)]
        body = [
            [first.plan.scenario, ",".join(first.plan.races) or "-", first.plan.era]
            + [cell_label(c, notes) for c in cells]
            for first, cells in _rows(matrix, columns)
        ]
        out.append((_title(head), names, body))
    return out


def _invariants(matrix: Matrix) -> list[tuple[str, str]]:
    found = sorted({c.invariant for c in matrix.cells if c.invariant})
    return [(code, invariant_meaning(code) or "") for code in found]


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(matrix: Matrix) -> str:
    """The matrix as a Markdown document (what ``docs/results.md`` holds)."""
    notes = notes_of(matrix)
    lines = [
        "# Results: which design survives which race",
        "",
        "Generated by `migsim matrix --format markdown` (for this file: `make results`, over",
        "the scenario library); do not edit it by hand, regenerate it. A test fails when",
        "this file differs from what the command prints.",
        "",
        "## How to read it",
        "",
        "Each row is a scenario of the library: a race (column `races`, the ids of",
        "docs/kernel-model.md) set up on a kernel era. Each column is a design: the policy",
        "that the row's scenario runs with instead of its own (kinds not varied keep the",
        "scenario's value, so a scenario named after a policy, such as `seed-race-pte-same`,",
        "shows that policy's result only in that policy's column). Each cell is one",
        "exploration of that scenario with that design, by the bounded systematic search",
        "(exhaustive DPOR at preemption bound 0, 1, 2, ... until its budget runs out), and",
        "states how strong its verdict is:",
        "",
        "| cell | meaning |",
        "|---|---|",
        *(f"| `{label}` | {meaning} |" for label, meaning in LEGEND),
        "",
        "A refuted cell is a counterexample: `migsim matrix --json` prints its token and the",
        "`migsim replay` command that reproduces it step by step, and `--format html` links",
        "its trace. The run:",
        "",
        *(f"- {line}" for line in header(matrix)),
    ]
    for head, columns in _sections(matrix):
        lines += ["", f"## {_md(_title(head))}" if head else "## Cells", ""]
        names = ["scenario", "races", "era", *(_column(c) for c in columns)]
        lines.append("| " + " | ".join(_md(n) for n in names) + " |")
        lines.append("|" + "---|" * len(names))
        refuted = [0] * len(columns)
        for first, cells in _rows(matrix, columns):
            for i, c in enumerate(cells):
                refuted[i] += c.outcome not in ("ok", NA)
            row = [first.plan.scenario, ",".join(first.plan.races) or "-", first.plan.era]
            row += [cell_label(c, notes) for c in cells]
            lines.append("| " + " | ".join(_md(v) for v in row) + " |")
        tally = ["**refuted**", "", "", *(str(n) for n in refuted)]
        lines.append("| " + " | ".join(tally) + " |")
    invariants = _invariants(matrix)
    if invariants:
        lines += ["", "## Failures found", "", "| id | meaning |", "|---|---|"]
        lines += [f"| {_md(code)} | {_md(meaning)} |" for code, meaning in invariants]
    if notes:
        lines += ["", "## Not run (n/a)", ""]
        lines += [f"{i}. {_md(note)}" for i, note in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"


_STYLE = """
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
td.refuted { background: #fdd; } td.all { background: #cfc; }
td.bound { background: #efe; } td.none { background: #ffd; } td.na { color: #888; }
td small a { margin-left: 0.3em; }
"""


def _css_class(cell: Cell) -> str:
    return "na" if cell.outcome == NA else cell.proven


def _html_cell(cell: Cell, notes: Sequence[str]) -> str:
    tip = html.escape(cell.reason if cell.outcome == NA else cell.verdict, quote=True)
    label = html.escape(cell_label(cell, notes))
    links = dict(cell.links)
    if "summary" in links:
        label = f'<a href="{_href(links["summary"])}">{label}</a>'
    extra = " ".join(
        f'<a href="{_href(path)}">{html.escape(name)}</a>'
        for name, path in cell.links
        if name != "summary" and (cell.token or name == "reduced")
    )
    more = f" <small>{extra}</small>" if extra else ""
    return f'<td class="{_css_class(cell)}" title="{tip}">{label}{more}</td>'


def _href(path: str) -> str:
    return html.escape(urllib.parse.quote(path, safe="/=+,"), quote=True)  # sub-delims stay


def render_html(matrix: Matrix) -> str:
    """The matrix as one HTML page; each cell links its report: the verdict's summary,
    and for a counterexample its trace (Mermaid, Chrome trace events) and reduced
    scenario when the report holds one.  Links are the report paths as written, so open
    the page from the directory the matrix ran in."""
    notes = notes_of(matrix)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>migsim matrix</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Which design survives which race</h1>",
        "<ul>",
        *(f"<li>{html.escape(line)}</li>" for line in header(matrix)),
        "</ul>",
        "<dl>",
        *(f"<dt>{html.escape(a)}</dt><dd>{html.escape(b)}</dd>" for a, b in LEGEND),
        "</dl>",
    ]
    for head, columns in _sections(matrix):
        if head:
            parts.append(f"<h2>{html.escape(_title(head))}</h2>")
        names = ["scenario", "races", "era", *(_column(c) for c in columns)]
        parts.append("<table><tr>" + "".join(f"<th>{html.escape(n)}</th>" for n in names) + "</tr>")
        for first, cells in _rows(matrix, columns):
            own = (first.plan.scenario, ",".join(first.plan.races) or "-", first.plan.era)
            row = "".join(f"<td>{html.escape(v)}</td>" for v in own)
            row += "".join(_html_cell(c, notes) for c in cells)
            parts.append(f"<tr>{row}</tr>")
        parts.append("</table>")
    if notes:
        parts.append("<h2>Not run (n/a)</h2><ol>")
        parts += [f"<li>{html.escape(note)}</li>" for note in notes]
        parts.append("</ol>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
