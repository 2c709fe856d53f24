"""``trace.chrome.json``: the run in Chrome's trace-event format, one track per actor.

Open it in https://ui.perfetto.dev or chrome://tracing.  Each step is a complete event
("ph": "X") on its actor's track, at a timestamp equal to its step index (so the time axis
reads as step order; the virtual time is in the event's args).  A message is a flow arrow
from its send to its receive, and the failure is a global instant event.  One event per
line, keys sorted, so the file diffs well and is byte-stable.
"""

from __future__ import annotations

import json

from actors import Step
from migsim.report._report import RunReport

PID = 1


def render_chrome(report: RunReport) -> str:
    """The JSON text of the trace-event file."""
    events = _metadata(report) + _steps(report) + _failure(report)
    lines = ",\n".join("  " + json.dumps(e, sort_keys=True) for e in events)
    other = json.dumps(
        {"scenario": report.scenario, "outcome": report.outcome.describe(), "token": report.token},
        sort_keys=True,
    )
    return f'{{"displayTimeUnit": "ms", "otherData": {other}, "traceEvents": [\n{lines}\n]}}\n'


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
    for i, actor in enumerate(report.trace.actors):
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


def _steps(report: RunReport) -> list[dict[str, object]]:
    tid = {name: i + 1 for i, name in enumerate(report.trace.actors)}
    events: list[dict[str, object]] = []
    for step in report.trace:
        events.append(_complete(step, tid[step.actor]))
        if step.msg_id is not None and step.op in ("send", "receive"):
            events.append(_flow(step, tid[step.actor]))
    return events


def _complete(step: Step, tid: int) -> dict[str, object]:
    return {
        "ph": "X",
        "pid": PID,
        "tid": tid,
        "ts": step.index,
        "dur": 1,
        "name": f"{step.op} {step.label}".strip(),
        "cat": step.op,
        "args": {
            "step": step.index,
            "time": step.time,
            "peer": step.peer,
            "footprint": [str(a) for a in step.footprint],
            "detail": step.detail,
        },
    }


def _flow(step: Step, tid: int) -> dict[str, object]:
    start = step.op == "send"
    event: dict[str, object] = {
        "ph": "s" if start else "f",
        "pid": PID,
        "tid": tid,
        "ts": step.index,
        "id": step.msg_id,
        "name": step.label or "message",
        "cat": "message",
    }
    if not start:
        event["bp"] = "e"  # bind to the enclosing receive slice
    return event


def _failure(report: RunReport) -> list[dict[str, object]]:
    outcome = report.outcome
    if outcome.kind == "ok":
        return []
    at = outcome.step if 0 <= outcome.step < len(report.trace) else len(report.trace) - 1
    return [
        {
            "ph": "i",
            "s": "g",
            "pid": PID,
            "tid": 0,
            "ts": max(at, 0),
            "name": f"{outcome.kind} {outcome.code}".strip(),
            "args": {"message": outcome.message, "objects": list(outcome.objects)},
        }
    ]
