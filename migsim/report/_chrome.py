"""``trace.chrome.json``: the run in Chrome's trace-event format, one track per actor.

Open it in https://ui.perfetto.dev or chrome://tracing.

- Time is the run's virtual time: a step at virtual time ``t`` and trace index ``i`` starts
  at ``ts = t * SCALE + i`` microseconds (``SCALE`` is a power of ten above the number of
  steps), so steps at the same virtual time keep their trace order, and a sleep shows as a
  gap.  Each step is a complete event (``"ph": "X"``, one microsecond long) on its actor's
  track, named by its operation (``update_pte``, ``send Handoff``).
- ``args`` hold the step index, the virtual time, the footprint, the values the step read
  and changed (when recorded with state) and ``race: true`` for the racing steps, whose
  category is ``race`` (others: their op, ``yield``, ``send`` ...).
- Happens-before edges are flow events (``"ph": "s"`` then ``"f"``, same ``id``): a message
  from its send to its receive (category ``message``), a lock from one holder's step to
  the next actor's step on that lock (``lock``), and the race itself: read -> conflicting
  write -> use (``race``).
- The failure is a global instant event.  One event per line, keys sorted, so the file
  diffs well and is byte-stable.
"""

from __future__ import annotations

import itertools
import json

from actors import Step, Trace
from migsim.report._report import RunReport
from migsim.report._words import state_text

PID = 1


def render_chrome(report: RunReport) -> str:
    """The JSON text of the trace-event file."""
    clock = Clock(report.trace)
    hot = set(report.explained().steps) if report.outcome.kind != "ok" else set()
    events = _metadata(report) + _steps(report.trace, clock, hot)
    events += _flows(report.trace, clock, hot) + _failure(report, clock)
    lines = ",\n".join("  " + json.dumps(e, sort_keys=True) for e in events)
    other = json.dumps(
        {
            "scenario": report.scenario,
            "outcome": report.outcome.describe(),
            "token": report.token,
            "ts": f"virtual time * {clock.scale} + step, in microseconds",
        },
        sort_keys=True,
    )
    return f'{{"displayTimeUnit": "ms", "otherData": {other}, "traceEvents": [\n{lines}\n]}}\n'


class Clock:
    """Timestamps on virtual time, ties broken by step index."""

    def __init__(self, trace: Trace) -> None:
        self.scale = 10
        while self.scale <= len(trace):
            self.scale *= 10
        self._times = [raw[4] for raw in trace.raw]

    def ts(self, index: int) -> int:
        """The start of step ``index``."""
        return self._times[index] * self.scale + index


def _metadata(report: RunReport) -> list[dict[str, object]]:
    events: list[dict[str, object]] = [
        {
            "ph": "M",
            "pid": PID,
            "tid": 0,
            "name": "process_name",
            "args": {"name": f"migsim {report.scenario}"},
        },
    ]
    busy = {raw[0] for raw in report.trace.raw}  # actors that took no step get no track
    for i, actor in enumerate(report.trace.actors):
        if i not in busy:
            continue
        events.append(
            {"ph": "M", "pid": PID, "tid": i + 1, "name": "thread_name", "args": {"name": actor}}
        )
        events.append(
            {
                "ph": "M",
                "pid": PID,
                "tid": i + 1,
                "name": "thread_sort_index",
                "args": {"sort_index": i},
            }
        )
    return events


def _tids(trace: Trace) -> dict[str, int]:
    return {name: i + 1 for i, name in enumerate(trace.actors)}


def _steps(trace: Trace, clock: Clock, hot: set[int]) -> list[dict[str, object]]:
    tid = _tids(trace)
    return [_complete(step, tid[step.actor], clock, step.index in hot) for step in trace]


def operation(step: Step) -> str:
    """The slice name: the operation, not the scheduling primitive."""
    if step.op == "yield":
        return step.label or "yield"
    if step.op in ("send", "receive"):
        return f"{step.op} {step.label}".strip()
    if step.op == "choose":
        return f"choose {step.label}".strip()
    return step.op


def _complete(step: Step, tid: int, clock: Clock, race: bool) -> dict[str, object]:
    args: dict[str, object] = {
        "step": step.index,
        "time": step.time,
        "peer": step.peer,
        "footprint": [str(a) for a in step.footprint],
        "detail": step.detail,
        "changed": [state_text(s) for s in step.state if s.changed],
        "read": [state_text(s) for s in step.state if not s.changed],
    }
    if race:
        args["race"] = True
    return {
        "ph": "X",
        "pid": PID,
        "tid": tid,
        "ts": clock.ts(step.index),
        "dur": 1,
        "name": operation(step),
        "cat": "race" if race else step.op,
        "args": args,
    }


def happens_before(trace: Trace, hot: set[int]) -> list[tuple[str, str, int, int]]:
    """The happens-before edges drawn as flows: ``(category, name, from step, to step)``.

    Messages (send -> receive), lock handoffs (an access of a ``lock`` key -> the next
    access of it by another actor), and the race: consecutive racing steps of different
    actors."""
    edges: list[tuple[str, str, int, int]] = []
    sent: dict[int, Step] = {}
    last_lock: dict[tuple[str | int, ...], Step] = {}
    for step in trace:
        if step.op == "send" and step.msg_id is not None:
            sent[step.msg_id] = step
        elif step.op == "receive" and step.msg_id in sent:
            edges.append(("message", step.label or "message", sent[step.msg_id].index, step.index))
        for access in step.footprint:
            if access.key[:1] != ("lock",):
                continue
            before = last_lock.get(access.key)
            if before is not None and before.actor != step.actor:
                name = "/".join(map(str, access.key[1:]))
                edges.append(("lock", name, before.index, step.index))
            last_lock[access.key] = step
    racing = sorted(hot)
    for a, b in itertools.pairwise(racing):
        if trace.step(a).actor != trace.step(b).actor:
            edges.append(("race", "race", a, b))
    return edges


def _flows(trace: Trace, clock: Clock, hot: set[int]) -> list[dict[str, object]]:
    tid = _tids(trace)
    events: list[dict[str, object]] = []
    for flow_id, (cat, name, a, b) in enumerate(happens_before(trace, hot), start=1):
        for ph, index in (("s", a), ("f", b)):
            event: dict[str, object] = {
                "ph": ph,
                "pid": PID,
                "tid": tid[trace.step(index).actor],
                "ts": clock.ts(index),
                "id": flow_id,
                "name": name,
                "cat": cat,
            }
            if ph == "f":
                event["bp"] = "e"  # bind to the enclosing slice
            events.append(event)
    return events


def _failure(report: RunReport, clock: Clock) -> list[dict[str, object]]:
    outcome = report.outcome
    if outcome.kind == "ok" or not len(report.trace):
        return []
    at = outcome.step if 0 <= outcome.step < len(report.trace) else len(report.trace) - 1
    return [
        {
            "ph": "i",
            "s": "g",
            "pid": PID,
            "tid": 0,
            "ts": clock.ts(max(at, 0)),
            "name": f"{outcome.kind} {outcome.code}".strip(),
            "args": {"message": outcome.message, "objects": list(outcome.objects)},
        }
    ]
