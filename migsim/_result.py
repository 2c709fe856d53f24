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
    from migsim._reduce import Reduction

Mode = Literal["explore", "replay", "shrink", "run"]
Proven = Literal["all", "bound", "none", "refuted"]

_NAMES = {"random": "random", "pct": "PCT", "portfolio": "portfolio"}


@attrs.frozen
class Search:
    """How far an exploration got, which is what its verdict may claim.

    - ``budget``: the schedule budget it had (0: not an exploration);
    - ``complete``: it covered every schedule (no bound limited it);
    - ``bound_completed``: the highest preemption bound whose search completed, if any;
    - ``bound``: the preemption bound being searched when it stopped, or the bound of a
      completed bounded search (None: unbounded, or nothing left to search);
    - ``interrupted``: it stopped early at a schedule boundary (SIGINT, SIGTERM).
    """

    budget: int = 0
    complete: bool = False
    bound_completed: int | None = None
    bound: int | None = None
    interrupted: bool = False


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
    files written; ``replay`` the one-line command that replays ``shown``; ``reduced``
    the failing scenario reduced to what its failure needs (``explore`` with
    ``Options(reduce=True)``).
    """

    subject: Subject
    mode: Mode
    exploration: actors.Exploration
    finding: Finding | None
    shown: actors.RunResult | None
    files: tuple[Path, ...]
    replay: str
    elapsed_s: float
    search: Search = Search()
    report_error: str = ""
    reduced: Reduction | None = None

    @property
    def failed(self) -> bool:
        """True when a failure was found."""
        return self.finding is not None

    @property
    def outcome(self) -> str:
        """ "ok", or the kind of the failure found ("violation", "deadlock", ...)."""
        return self.finding.shrunk.outcome.kind if self.finding else "ok"

    @property
    def proven(self) -> Proven:
        """What the result proves: "all" schedules, up to a "bound", "none", or the design
        is "refuted" (a failure was found)."""
        return _proven(self)

    @property
    def verdict(self) -> str:
        """What was proven, in one line: ``proven up to 2 preemptions (3,401 schedules);
        bound 3 not finished``, ``not proven: 20,000 random schedules found nothing``."""
        return verdict(self)

    def report(self) -> RunReport:
        """The result packaged for the renderers (no trace when no run is shown)."""
        return _run_report(self)

    def to_json(self) -> dict[str, object]:
        """The one JSON object of this result (``--json``, ``check --json``)."""
        return result_json(self)


def _proven(result: Result) -> Proven:
    if result.finding is not None:
        return "refuted"
    search = result.search
    if search.complete:
        return "all"
    return "bound" if search.bound_completed is not None else "none"


def _schedules(n: int) -> str:
    return f"{n:,} schedule" + ("" if n == 1 else "s")


def _preemptions(n: int) -> str:
    return f"{n} preemption" + ("" if n == 1 else "s")


def verdict(result: Result) -> str:
    """The verdict line of ``result`` (see :attr:`Result.verdict`)."""
    x = result.exploration
    found = result.finding
    if found is not None:
        o = found.shrunk.outcome
        return f"refuted: {o.kind} {o.code}".rstrip() + f" found in {_schedules(x.schedules)}"
    if result.mode != "explore":
        return "not proven: one schedule ran without a failure"
    search, n = result.search, _schedules(x.schedules)
    if search.complete:
        return f"proven: no failure in any schedule ({n})"
    done = search.bound_completed
    strategy = x.strategy.split(",", 1)[0]
    if strategy in _NAMES:
        return f"not proven: {x.schedules:,} {_NAMES[strategy]} schedules found nothing"
    if strategy == "dfs" and search.bound is None:
        return (
            f"NOT PROVEN: the unbounded dfs ran out of its budget after {n}, deep in one "
            "branch of the search; use --strategy bounded for a proof up to a preemption bound"
        )
    if done is not None and search.bound in (None, done):
        return f"proven up to {_preemptions(done)} ({n})"
    if done is not None:
        return f"proven up to {_preemptions(done)} ({n}); bound {done + 1} not finished"
    return f"not proven: bound {search.bound or 0} not finished after {n}"


def _run_report(result: Result) -> RunReport:
    shown = result.shown
    x = result.exploration
    stats = (
        ("strategy", x.strategy),
        ("schedules", str(x.schedules)),
        ("explored", f"{x.steps} steps, coverage {x.coverage}"),
    )
    return RunReport(
        scenario=result.subject.name or "program",
        trace=shown.trace if shown else actors.Trace((), ()),
        outcome=shown.outcome if shown else actors.Outcome("ok"),
        token=shown.token if shown else "",
        replay=result.replay,
        preemptions=shown.preemptions if shown else 0,
        stats=stats if result.mode == "explore" else (),
        explanation=result.finding.explanation if result.finding else None,
        verdict=_summary_verdict(result),
        has_run=shown is not None,
    )


def _summary_verdict(result: Result) -> str:
    if result.search.interrupted:
        found = "a failure found" if result.finding else "nothing found so far"
        n = _schedules(result.exploration.schedules)
        return f"interrupted after {n}: {found}; {result.verdict}"
    return result.verdict


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
        "verdict": result.verdict,
        "proven": result.proven,
        "bound_completed": result.search.bound_completed,
        "interrupted": result.search.interrupted,
        "report_error": result.report_error or None,
        "reduced": reduced_json(result.reduced),
    }


def reduced_json(reduced: Reduction | None) -> dict[str, object] | None:
    """The ``reduced`` object of the JSON (None when there is no reduced scenario)."""
    if reduced is None:
        return None
    path = str(reduced.path) if reduced.path is not None else None
    from migsim._pipeline import replay_command

    return {
        "path": path,
        "token": reduced.token,
        "replay": replay_command(reduced.token, path, ()) if path else None,
        "removed": list(reduced.removed),
        "steps": reduced.run.steps,
        "preemptions": reduced.run.preemptions,
        "before": reduced.before,
        "after": reduced.after,
        "attempts": reduced.attempts,
        "schedules": reduced.schedules,
        "complete": reduced.complete,
    }
