"""``migsim matrix``: the policy x race matrix, "which design survives which race".

Every scenario of ``--scenarios`` (default: the library) explored under every combination
of the ``--policies`` given (default: the policies the scenarios use, of the kinds they
vary), each cell by the bounded systematic search within ``--schedules`` (and
``--preemption-bound``, ``--max-steps``), on ``--workers`` local processes (default: every
core).  The answer is a table per combination of the other kinds (the last kind given is
the columns), as plain text, Markdown or HTML, or one JSON object; each cell's report goes
to ``--out`` (default ``migsim-out/matrix/``), one directory per cell.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from migsim import matrix
from migsim._errors import UsageError
from migsim.cli._main import _add_trust_flag, _int_at_least
from migsim.cli._output import Printer
from migsim.scenario import library_dir

FORMATS = ("text", "markdown", "html")
DEFAULT_OUT = Path("migsim-out") / "matrix"


def add_command(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``migsim matrix`` on the subcommands ``sub``."""
    p = sub.add_parser("matrix", help="every scenario under every policy combination")
    p.add_argument(
        "--policies",
        action="append",
        metavar="KIND=NAME[,NAME...]",
        help="vary KIND over these policies (repeat for other kinds: the cross product "
        "runs; kinds not given keep each scenario's own; NAME 'all' is every built-in); "
        "default: the policies the scenarios use, of the kinds they vary",
    )
    p.add_argument(
        "--scenarios",
        action="append",
        metavar="DIR|FILE",
        help="the scenarios (default: the library, scenarios/)",
    )
    p.add_argument(
        "--schedules",
        type=_int_at_least(1),
        default=matrix.DEFAULT_SCHEDULES,
        help=f"at most N schedules per cell (default {matrix.DEFAULT_SCHEDULES})",
    )
    p.add_argument(
        "--preemption-bound", type=_int_at_least(0), help="search no bound above B per cell"
    )
    p.add_argument("--max-steps", type=_int_at_least(1), help="step bound of one run")
    p.add_argument(
        "--workers",
        type=_int_at_least(1),
        help="run the cells on N local processes (default: every core)",
    )
    p.add_argument("--format", choices=FORMATS, help="text (default), markdown or html")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--out", metavar="DIR", help=f"report directories (default {DEFAULT_OUT}/)")
    p.add_argument("--no-progress", action="store_true", help="plain output, no progress")
    p.add_argument(
        "--no-reduce",
        action="store_true",
        help="do not reduce each counterexample's scenario to what it needs (reduced.toml)",
    )
    _add_trust_flag(p)
    p.set_defaults(func=cmd_matrix)


def cmd_matrix(args: argparse.Namespace) -> int:
    """Run the matrix and print it; exit 0 when it ran (its violations are its answer), 2
    on bad input or when a report could not be written."""
    if args.json and args.format not in (None, "text"):
        raise UsageError(f"--json and --format {args.format} both choose the output; give one")
    grid = matrix.parse_policies(args.policies) if args.policies else None
    budget = matrix.Budget(args.schedules, args.preemption_bound, args.max_steps)
    out = str(Path(args.out) if args.out else DEFAULT_OUT)
    targets = args.scenarios or [str(library_dir())]
    grid, plans = matrix.plan_matrix(
        targets,
        grid,
        budget,
        out_dir=out,
        allow_policy_imports=getattr(args, "allow_policy_imports", False),
        reduce=not args.no_reduce,
    )
    workers = min(args.workers or matrix.default_workers(), len(plans))
    scenarios = len({p.file for p in plans})
    print(
        f"migsim matrix: {len(plans)} cells ({scenarios} scenarios x "
        f"{len(grid.combinations())} policy combinations), {budget.schedules} schedules "
        f"each, on {workers} worker{'s' if workers != 1 else ''}",
        file=sys.stderr,
    )
    progress = _Progress(len(plans), enabled=not args.no_progress and sys.stderr.isatty())
    cells = matrix.run_cells(plans, workers, progress.step)
    progress.done()
    result = matrix.Matrix(grid, budget, tuple(cells), progress.elapsed())
    _print(args, result, out)
    problems = [c for c in cells if c.report_error]
    for c in problems[:1]:  # the same directory problem, once
        print(f"migsim: {c.report_error}", file=sys.stderr)
    return 2 if problems else 0


def _print(args: argparse.Namespace, result: matrix.Matrix, out: str) -> None:
    if args.json:
        Printer(sys.stdout, json=True).emit_json(result.to_json())
    elif args.format == "markdown":
        sys.stdout.write(matrix.render_markdown(result))
    elif args.format == "html":
        sys.stdout.write(matrix.render_html(result))
    else:
        printer = Printer.for_terminal(as_json=False, no_progress=args.no_progress)
        _print_text(printer, result, out)


def _print_text(printer: Printer, result: matrix.Matrix, out: str) -> None:
    for line in matrix.header(result):
        printer.line(line)
    for title, header, body in matrix.text_tables(result):
        printer.line()
        if title:
            printer.line(title)
        printer.table(header, body)
    printer.line()
    for label, meaning in matrix.LEGEND:
        printer.line(f"{label:8} {meaning}")
    for i, note in enumerate(matrix.notes_of(result), 1):
        printer.line(f"[{i}] {note}")
    refuted = [c for c in result.cells if c.token]
    if refuted:
        printer.line()
        printer.line(
            f"{len(refuted)} counterexamples: reports in {out}/SCENARIO/POLICIES/, "
            "tokens and replay commands with --json, links with --format html"
        )


class _Progress:
    """``cells done/total`` on stderr, rewritten in place (only on a terminal)."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.count = 0
        self.start = time.perf_counter()

    def step(self, _cell: matrix.Cell) -> None:
        self.count += 1
        if self.enabled:
            print(f"\r{self.count}/{self.total} cells", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled:
            print("\r" + " " * 24 + "\r", end="", file=sys.stderr, flush=True)

    def elapsed(self) -> float:
        return time.perf_counter() - self.start
