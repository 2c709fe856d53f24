"""``trace.jsonl``: the run as JSON lines, rendered by structlog.

One line per event, keys sorted: a ``run`` header (scenario, token, actors), one ``step``
event per trace step (:meth:`actors.Step.as_dict` fields) and a closing ``outcome`` event.
There are no timestamps, so the file is byte-identical across runs of the same schedule.
"""

from __future__ import annotations

import io

import structlog

from migsim.report._report import RunReport


def render_jsonl(report: RunReport) -> str:
    """The JSON-lines text of ``report``."""
    buffer = io.StringIO()
    log = structlog.wrap_logger(
        structlog.PrintLogger(buffer),
        processors=[structlog.processors.JSONRenderer(sort_keys=True)],
        wrapper_class=structlog.BoundLogger,
    ).bind(scenario=report.scenario)
    log.info("run", token=report.token, actors=list(report.trace.actors), steps=len(report.trace))
    for step in report.trace:
        log.info("step", **step.as_dict())
    outcome = report.outcome
    log.info(
        "outcome",
        kind=outcome.kind,
        code=outcome.code,
        message=outcome.message,
        step=outcome.step,
        objects=list(outcome.objects),
        blocked=[{"actor": b.actor, "waiting_for": b.waiting_for} for b in outcome.blocked],
    )
    return buffer.getvalue()
