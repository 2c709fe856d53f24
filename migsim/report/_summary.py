"""``summary.txt``: what a person reads first.

The outcome, the invariant and what it means, the racing operations explained, how to
replay the run, and the last steps of the trace as a table (racing steps starred).  When
the run was recorded with state, each row ends with what the step changed
(``| pte A:0: mig:1 -> swp0:0``) and the values it only read (``pte A:0 = mig:1``).
"""

from __future__ import annotations

from actors import Step
from migsim.report._invariants import invariant_meaning as meaning
from migsim.report._report import RunReport
from migsim.report._words import state_text

TAIL = 40


def render_summary(report: RunReport) -> str:
    """The text of ``summary.txt``."""
    outcome = report.outcome
    lines = [f"scenario:    {report.scenario}", f"outcome:     {outcome.describe()}"]
    if report.verdict:
        lines.append(f"verdict:     {report.verdict}")
    if not report.has_run:
        lines += [f"{name + ':':<12} {value}" for name, value in report.stats]
        return "\n".join(lines) + "\n"
    if outcome.code and meaning(outcome.code):
        lines.append(f"invariant:   {outcome.code}: {meaning(outcome.code)}")
    if report.token:
        lines.append(f"token:       {report.token}")
    if report.replay:
        lines.append(f"replay:      {report.replay}")
    lines.append(f"steps:       {len(report.trace)}")
    lines.append(f"preemptions: {report.preemptions}")
    lines += [f"{name + ':':<12} {value}" for name, value in report.stats]
    explanation = report.explained()
    lines += ["", "why:", *(f"  {line}" for line in explanation.lines)]
    if outcome.traceback:
        lines += ["", "traceback:", *(f"  {t}" for t in outcome.traceback.rstrip().splitlines())]
    lines += ["", *trace_table(report, set(explanation.steps))]
    return "\n".join(lines) + "\n"


def trace_table(report: RunReport, hot: set[int], tail: int = TAIL) -> list[str]:
    """The last ``tail`` steps, one per line, racing steps marked with ``*``."""
    steps = report.trace.tail(tail)
    if not steps:
        return ["trace: no steps"]
    width = max(len(a) for a in report.trace.actors)
    title = f"trace (last {len(steps)} of {len(report.trace)} steps; * = racing step):"
    header = f"   {'step':>5} {'time':>5}  {'actor':<{width}}  {'op':<7} what"
    return [title, header, *(_row(s, width, s.index in hot) for s in steps)]


def _row(step: Step, width: int, hot: bool) -> str:
    what = step.label
    if step.peer:
        what += f" {'->' if step.op == 'send' else '<-'} {step.peer}"
    if step.footprint:
        what += " [" + " ".join(str(a) for a in step.footprint) + "]"
    if step.detail:
        what += f" {step.detail}"
    if step.state:
        what += " | " + "; ".join(state_text(s) for s in step.state)
    mark = "*" if hot else " "
    row = f" {mark} {step.index:>5} {step.time:>5}  {step.actor:<{width}}  {step.op:<7} {what}"
    return row.rstrip()
