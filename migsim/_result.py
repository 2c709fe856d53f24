"""What the pipeline answers: a :class:`Result` (and its :class:`Finding`), with one JSON
shape.

Keys of :meth:`Result.to_json` are a contract with users' scripts (``--json`` of every
command, ``check --json``): add keys, never rename or drop one.  Values that do not apply
are ``null`` (no failure: no ``token``), never missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs

import actors
from migsim.report import Explanation, RunReport, invariant_meaning

if TYPE_CHECKING:
    from migsim._pipeline import Subject

Mode = Literal["explore", "replay", "shrink", "run"]


@attrs.frozen
class Finding:
    """A failure the pipeline found: as first met, shrunk (the same run when not shrunk),
    and the explanation of the shrunk run."""

    first: actors.RunResult
    shrunk: actors.RunResult
    explanation: Explanation

    @property
    def invariant(self) -> str | None:
        """The failure's id (an invariant such as "K3", or "deadlock"), if it has one."""
        return self.shrunk.outcome.code or None


@attrs.frozen
class Result:
    """The pipeline's answer for one subject.

    ``exploration`` is what was explored (one schedule for ``replay`` / ``run``);
    ``finding`` the failure found, if any; ``shown`` the run a person is shown (the
    finding's shrunk run, or the single run of ``replay`` / ``run``); ``files`` the report
    files written; ``replay`` the one-line command that replays ``shown``.
    """

    subject: Subject
    mode: Mode
    exploration: actors.Exploration
    finding: Finding | None
    shown: actors.RunResult | None
    files: tuple[Path, ...]
    replay: str
    elapsed_s: float

    @property
    def failed(self) -> bool:
        """True when a failure was found."""
        return self.finding is not None

    @property
    def outcome(self) -> str:
        """ "ok", or the kind of the failure found ("violation", "deadlock", ...)."""
        return self.finding.shrunk.outcome.kind if self.finding else "ok"

    def report(self) -> RunReport | None:
        """The shown run packaged for the renderers (None when nothing ran)."""
        return _run_report(self)

    def to_json(self) -> dict[str, object]:
        """The one JSON object of this result (``--json``, ``check --json``)."""
        return result_json(self)


def _run_report(result: Result) -> RunReport | None:
    shown = result.shown
    if shown is None:
        return None
    x = result.exploration
    stats = (
        ("strategy", x.strategy),
        ("schedules", str(x.schedules)),
        ("explored", f"{x.steps} steps, coverage {x.coverage}"),
    )
    return RunReport(
        scenario=result.subject.name or "program",
        trace=shown.trace,
        outcome=shown.outcome,
        token=shown.token,
        replay=result.replay,
        preemptions=shown.preemptions,
        stats=stats if result.mode == "explore" else (),
        explanation=result.finding.explanation if result.finding else None,
    )


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
