"""A pipeline result as ``(label, value)`` rows for the terminal (explore, replay, ...)."""

from __future__ import annotations

import sys

import actors
from migsim._result import Finding, Result
from migsim.report import invariant_meaning


def exploration_rows(result: Result, *, timing: bool) -> list[tuple[str, str]]:
    """What an exploration did (timing only for a terminal: it is not deterministic)."""
    x = result.exploration
    rows = [
        ("strategy", x.strategy),
        (
            "explored",
            f"{x.schedules} schedules, {x.steps} steps, coverage {x.coverage}, "
            f"{x.distinct_states} distinct states, max preemptions {x.max_preemptions}",
        ),
    ]
    if x.step_bound_hits:
        rows.append(("step bound", f"hit in {x.step_bound_hits} schedules (raise max_steps)"))
    if timing:
        rate = x.schedules / result.elapsed_s if result.elapsed_s > 0 else 0.0
        rows.append(("elapsed", f"{result.elapsed_s:.2f} s ({rate:.0f} schedules/s)"))
    if result.search.interrupted:
        found = "a failure found" if result.finding else "nothing found so far"
        rows.append(("interrupted", f"interrupted after {x.schedules} schedules: {found}"))
    if result.finding is None and not result.search.interrupted:
        done = "exhaustive search complete" if result.search.complete else "within the budget"
        rows.append(("result", f"ok: no failure in {x.schedules} schedules ({done})"))
    if result.finding is None:
        rows.append(("verdict", result.verdict))
    return rows


def report_problem(result: Result) -> None:
    """Say on stderr that the report could not be written (the result was printed)."""
    if result.report_error:
        print(f"migsim: {result.report_error}", file=sys.stderr)


def failure_rows(result: Result, finding: Finding) -> list[tuple[str, str]]:
    """Rows that explain one failure: outcome, invariant, why, size, replay, files."""
    shown = finding.shrunk
    o = shown.outcome
    rows = [("result", f"{o.kind.upper()} {o.code}: {o.message}".replace("  ", " "))]
    if invariant_meaning(o.code):
        rows.append(("invariant", f"{o.code}: {invariant_meaning(o.code)}"))
    rows.append(("why", "\n".join(finding.explanation.lines)))
    size = _size(shown)
    if finding.first is not shown:
        size += f" (first found: {_size(finding.first)})"
    if shown.strategy == actors.SHRINK_BUDGET_LABEL:
        size += "; shrinking stopped at its step budget, so it may not be minimal"
    rows.append(("schedule", size))
    rows.append(("replay", result.replay))
    if result.files:
        rows.append(("files", "\n".join(str(p) for p in result.files)))
    return rows


def _size(run: actors.RunResult) -> str:
    plural = "" if run.preemptions == 1 else "s"
    return f"{run.steps} steps, {run.preemptions} preemption{plural}"
