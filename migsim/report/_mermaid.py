"""``trace.mermaid.md``: the run as a Mermaid sequence diagram (GitHub renders it).

Each actor is a lifeline (``participant a3 as ptl:A:0``).  A send is an arrow to its
destination, labelled with the step index and message; every other step is a note over its
actor (receive, yield point with its footprint, choice, sleep, start, finish).  The racing
steps found by the explanation are shaded red, and the failure closes the diagram.  Long
traces keep their last :data:`MAX_STEPS` steps (and every racing step), since a failure
happens at the end.
"""

from __future__ import annotations

from actors import Step
from migsim.report._report import RunReport

MAX_STEPS = 300
HIGHLIGHT = "rect rgba(255, 120, 120, 0.25)"
# Characters Mermaid's sequence grammar treats specially, as its entity codes.
_ESCAPES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", "\n": " ", "\r": " "}


def escape(text: str) -> str:
    """Make ``text`` safe inside a Mermaid message, note or participant alias."""
    return "".join(_ESCAPES.get(c, c) for c in text)


def render_mermaid(report: RunReport) -> str:
    """The Markdown text: a heading, the outcome, and a fenced ``mermaid`` block."""
    body = sequence_diagram(report)
    head = f"# migsim trace: {report.scenario}\n\n{report.outcome.describe()}\n"
    return f"{head}\n```mermaid\n{body}```\n"


def sequence_diagram(report: RunReport) -> str:
    """The bare ``sequenceDiagram`` source."""
    trace = report.trace
    ids = {name: f"a{i}" for i, name in enumerate(trace.actors)}
    lines = ["sequenceDiagram"]
    lines += [f"    participant {ids[name]} as {escape(name)}" for name in trace.actors]
    hot = set(report.explained().steps)
    first = _first_shown(len(trace), hot)
    if first > 0:
        lines.append(f"    Note over {ids[trace.actors[0]]}: steps 0 to {first - 1} not shown")
    for i in range(first, len(trace)):
        step = trace.step(i)
        line = _step_line(step, ids)
        lines += [f"    {HIGHLIGHT}", f"    {line}", "    end"] if i in hot else [f"    {line}"]
    lines += _outcome_lines(report, ids)
    return "\n".join(lines) + "\n"


def _first_shown(length: int, hot: set[int]) -> int:
    first = max(0, length - MAX_STEPS)
    return min([first, *hot])


def _step_line(step: Step, ids: dict[str, str]) -> str:
    me = ids[step.actor]
    if step.op == "send" and step.peer is not None:
        return f"{me}-){ids[step.peer]}: {step.index} {escape(_what(step))}"
    return f"Note over {me}: {step.index} {escape(_note(step))}"


def _what(step: Step) -> str:
    return f"{step.label} {step.detail}".strip()


def _note(step: Step) -> str:
    if step.op == "receive":
        source = f" from {step.peer}" if step.peer else ""
        return f"receive {step.label}{source}"
    if step.op == "yield":
        footprint = " ".join(str(a) for a in step.footprint)
        text = f"{step.label} [{footprint}]" if footprint else step.label
        return f"{text} {step.detail}".strip()
    if step.op == "choose":
        return f"choose {step.label} = {step.detail}".replace("  ", " ")
    return f"{step.op} {_what(step)}".strip()


def _outcome_lines(report: RunReport, ids: dict[str, str]) -> list[str]:
    outcome = report.outcome
    if outcome.kind == "ok" or not report.trace.actors:
        return []
    trace = report.trace
    index = outcome.step if 0 <= outcome.step < len(trace) else len(trace) - 1
    actor = trace.step(index).actor if index >= 0 else trace.actors[0]
    return [f"    Note over {ids[actor]}: {escape(outcome.describe())}"]
