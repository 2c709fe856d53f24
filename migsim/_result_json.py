"""The one JSON shape of a pipeline result (``--json`` of every command, ``check --json``).

Keys are a contract with users' scripts: add keys, never rename or drop one.  Values that
do not apply are ``null`` (no failure: no ``token``), never missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migsim.report import invariant_meaning

if TYPE_CHECKING:
    from migsim._pipeline import Result


def result_json(result: Result) -> dict[str, object]:
    """The JSON object of ``result``."""
    x = result.exploration
    found = result.finding
    shown = result.shown
    o = found.shrunk.outcome if found else None
    return {
        "scenario": result.subject.name,
        "file": result.subject.source,
        "mode": result.mode,
        "outcome": result.outcome,
        "invariant": (o.code or None) if o else None,
        "meaning": invariant_meaning(o.code) if o else None,
        "message": o.message if o else "",
        "token": shown.token if shown else None,
        "replay": result.replay or None,
        "strategy": x.strategy,
        "schedules": x.schedules,
        "steps": x.steps,
        "coverage": x.coverage,
        "distinct_states": x.distinct_states,
        "max_preemptions": x.max_preemptions,
        "step_bound_hits": x.step_bound_hits,
        "exhaustive_complete": x.exhaustive_complete,
        "elapsed_s": round(result.elapsed_s, 3),
        "first_steps": found.first.steps if found else None,
        "shrunk_steps": found.shrunk.steps if found else None,
        "preemptions": shown.preemptions if shown else None,
        "explanation": list(found.explanation.lines) if found else [],
        "files": [str(p) for p in result.files],
    }
