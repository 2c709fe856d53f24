"""migsim.matrix: the policy x race matrix, "which design survives which race".

Every scenario of a directory explored under every combination of policies (the cross
product of the kinds varied, :class:`PolicyGrid`; :func:`parse_policies` reads
``--policies KIND=A,B``), each cell by the bounded systematic search within one
:class:`Budget`: :func:`run_matrix`, or :func:`plan_matrix` then :func:`run_cells` on
local worker processes (:func:`run_cell` is the work unit's function).  A cell states its
verdict's strength (:func:`cell_label`); the matrix renders as Markdown
(:func:`render_markdown`, what ``docs/results.md`` holds) or HTML (:func:`render_html`).
See docs/cli.md, ``migsim matrix``.
"""

from __future__ import annotations

from migsim.matrix._axes import ALL, Axis, PolicyGrid, default_grid, parse_policies
from migsim.matrix._cells import NA, Budget, Cell, CellPlan, cell_dir, run_cell
from migsim.matrix._render import (
    LEGEND,
    cell_label,
    header,
    notes_of,
    render_html,
    render_markdown,
    text_tables,
)
from migsim.matrix._run import (
    DEFAULT_SCHEDULES,
    MAX_CELLS,
    Matrix,
    default_workers,
    plan_matrix,
    run_cells,
    run_matrix,
)

__all__ = [
    "ALL",
    "DEFAULT_SCHEDULES",
    "LEGEND",
    "MAX_CELLS",
    "NA",
    "Axis",
    "Budget",
    "Cell",
    "CellPlan",
    "Matrix",
    "PolicyGrid",
    "cell_dir",
    "cell_label",
    "default_grid",
    "default_workers",
    "header",
    "notes_of",
    "parse_policies",
    "plan_matrix",
    "render_html",
    "render_markdown",
    "run_cell",
    "run_cells",
    "run_matrix",
    "text_tables",
]
