"""``trace.mermaid.md``: the run as a Mermaid sequence diagram (GitHub renders it).

The diagram shows what matters to the race, not every scheduling point:

- a lifeline (``participant a3 as kswapd``) for each actor that did something; an actor
  that only serves messages (a lock's wait queue) gets one only when it was contended,
  i.e. somebody sent it a message, and otherwise stays folded into its holders' notes;
- each step is a note over its actor, numbered as in the trace (``5 update_pte``), with
  the state it changed underneath when the trace was recorded with state
  (``pte A:0: mig:1 -> swp0:0``) and the values it read (``pte A:0 = mig:1``);
- a message (a lock handoff, a grant, a fork's notice) is an arrow from sender to
  receiver, numbered with its send and receive steps (``15>17 Handoff``);
- the racing steps found by the explanation are shaded red and marked ``*``;
- the failure closes the diagram.

Long traces keep their last :data:`MAX_STEPS` steps (and every racing step), since a failure
happens at the end.
"""

from __future__ import annotations

from actors import Step, Trace
from migsim.report._report import RunReport
from migsim.report._words import key_text, state_text

MAX_STEPS = 300
HIGHLIGHT = "rect rgba(255, 120, 120, 0.25)"
BREAK = "<br/>"
MAX_NOTE_LINES = 4  # state lines under one note; the rest is in the other report files
# Characters Mermaid's sequence grammar treats specially, as its entity codes.
_ESCAPES = {"#": "#35;", ";": "#59;", "<": "#lt;", ">": "#gt;", "\n": " ", "\r": " "}
_QUIET = ("start", "finish", "receive")  # shown by their lifeline or their message arrow


def escape(text: str) -> str:
    """Make ``text`` safe inside a Mermaid message, note or participant alias."""
    return "".join(_ESCAPES.get(c, c) for c in text)


def render_mermaid(report: RunReport) -> str:
    """The Markdown text: a heading, the outcome, and a fenced ``mermaid`` block."""
    body = sequence_diagram(report)
    head = f"# migsim trace: {report.scenario}\n\n{report.outcome.describe()}\n"
    legend = (
        "Numbers are trace steps; red boxes marked * are the racing steps; "
        "notes show what each step changed (before -> after) and read (= value).\n"
    )
    return f"{head}\n{legend}\n```mermaid\n{body}```\n"


def sequence_diagram(report: RunReport) -> str:
    """The bare ``sequenceDiagram`` source."""
    trace = report.trace
    hot = set(report.explained().steps)
    first = _first_shown(len(trace), hot)
    shown = [trace.step(i) for i in range(first, len(trace))]
    names = lifelines(trace, shown)
    ids = {name: f"a{i}" for i, name in enumerate(trace.actors) if name in names}
    lines = ["sequenceDiagram"]
    lines += [f"    participant {ids[name]} as {escape(name)}" for name in ids]
    if not ids:
        return "\n".join(lines) + "\n"
    if first > 0:
        lines.append(f"    Note over {next(iter(ids.values()))}: steps 0 to {first - 1} not shown")
    received = _receive_steps(trace)
    for step in shown:
        race = step.index in hot
        line = _step_line(step, ids, received, race)
        if line is None:
            continue
        lines += [f"    {HIGHLIGHT}", f"    {line}", "    end"] if race else [f"    {line}"]
    lines += _outcome_lines(report, ids)
    return "\n".join(lines) + "\n"


def lifelines(trace: Trace, steps: list[Step]) -> list[str]:
    """The actors that get a lifeline, in actor order: every actor that took a step other
    than starting and finishing, except message servers (actors that only receive and
    send) nobody sent a message to within ``steps``."""
    active: dict[str, None] = {}
    servers = _servers(trace)
    contacted = {s.peer for s in steps if s.op == "send" and s.peer is not None}
    for step in steps:
        if step.op in ("start", "finish"):
            continue
        if step.actor in servers and step.actor not in contacted:
            continue
        active[step.actor] = None
    return [a for a in trace.actors if a in active]


def _servers(trace: Trace) -> set[str]:
    """Actors whose every step is a start, finish, send or receive (a lock's queue)."""
    worker = {s.actor for s in trace if s.op not in ("start", "finish", "send", "receive")}
    return set(trace.actors) - worker


def _first_shown(length: int, hot: set[int]) -> int:
    first = max(0, length - MAX_STEPS)
    return min([first, *hot])


def _receive_steps(trace: Trace) -> dict[int, int]:
    """message id -> the step that received it."""
    return {s.msg_id: s.index for s in trace if s.op == "receive" and s.msg_id is not None}


def _step_line(step: Step, ids: dict[str, str], received: dict[int, int], race: bool) -> str | None:
    if step.actor not in ids or (step.op in _QUIET and not race):
        return None
    mark = "* " if race else ""
    if step.op == "send" and step.peer in ids:
        got = received.get(step.msg_id) if step.msg_id is not None else None
        number = f"{step.index}>{got}" if got is not None else f"{step.index}"
        detail = (
            step.detail if step.detail.startswith(step.label) else f"{step.label} {step.detail}"
        )
        text = escape(detail.strip())
        return f"{ids[step.actor]}-){ids[step.peer]}: {number} {mark}{text}"
    return f"Note over {ids[step.actor]}: {BREAK.join(_note(step, mark))}"


def _note(step: Step, mark: str) -> list[str]:
    """The note's lines, each escaped: the step and its operation, then its state."""
    lines = [escape(f"{step.index} {mark}{_operation(step)}")]
    states = [state_text(s) for s in step.state if s.changed]
    reads = [state_text(s) for s in step.state if not s.changed and _read_only(step, s.key)]
    extra = states + reads
    lines += [escape(t) for t in extra[:MAX_NOTE_LINES]]
    if len(extra) > MAX_NOTE_LINES:
        lines.append(escape(f"(+{len(extra) - MAX_NOTE_LINES} more in summary.txt)"))
    if not step.state and step.footprint:
        lines.append(escape(" ".join(_access(a.key, a.write) for a in step.footprint)))
    return lines


def _read_only(step: Step, key: tuple[str | int, ...]) -> bool:
    return not any(a.write for a in step.footprint if a.key == key)


def _access(key: tuple[str | int, ...], write: bool) -> str:
    return f"{'W' if write else 'R'}:{key_text(key)}"


def _operation(step: Step) -> str:
    if step.op == "yield":
        return f"{step.label} {step.detail}".strip()
    if step.op == "choose":
        return f"choose {step.label} = {step.detail}".replace("  ", " ")
    if step.op == "send":
        return f"send {step.label} to {step.peer} {step.detail}".strip()
    return f"{step.op} {step.label} {step.detail}".strip()


def _outcome_lines(report: RunReport, ids: dict[str, str]) -> list[str]:
    outcome = report.outcome
    if outcome.kind == "ok" or not ids:
        return []
    trace = report.trace
    index = outcome.step if 0 <= outcome.step < len(trace) else len(trace) - 1
    actor = trace.step(index).actor if index >= 0 else ""
    where = ids.get(actor, next(iter(ids.values())))
    return [f"    Note over {where}: {escape(outcome.describe())}"]
