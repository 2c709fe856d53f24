"""Failing runs, worded for a test report: the invariant, the explanation, the replay token.

A property test that finds a bug should say, without a debugger, which invariant broke,
which steps raced, and how to get the very same run back.  :func:`describe_failure` writes
that text; :class:`FailingRunError` carries it (and the run) as an ``AssertionError``, so
pytest and Hypothesis treat it as an ordinary test failure.
"""

from __future__ import annotations

from actors import RunResult
from migsim._errors import MigsimError
from migsim.report import explain, invariant_meaning


class FailingRunError(MigsimError, AssertionError):
    """A run ended in a violation, deadlock, liveness failure or actor error.

    ``result`` is the failing :class:`actors.RunResult` (its ``token`` replays it); the
    message is :func:`describe_failure`'s, with optional lines ``before`` and ``after``.
    """

    def __init__(
        self, result: RunResult, *, program: str = "", before: str = "", after: str = ""
    ) -> None:
        text = describe_failure(result, program=program)
        super().__init__("\n".join(line for line in (before, text, after) if line))
        self.result = result


def describe_failure(result: RunResult, *, program: str = "") -> str:
    """The report of a failing run: what broke, why (the racing steps), how to replay it.

    ``program`` names the program in the headline (default: the name the run carries).
    """
    outcome = result.outcome
    lines = [_headline(result, program or result.name), outcome.describe()]
    lines += [f"  {line}" for line in explain(result.trace, outcome).lines]
    if outcome.traceback:
        lines += ["actor traceback:", *(f"  {t}" for t in outcome.traceback.rstrip().splitlines())]
    lines.append(f"schedule: {_schedule(result)}")
    lines.append(f"replay token: {result.token}")
    return "\n".join(lines)


def _headline(result: RunResult, program: str) -> str:
    outcome = result.outcome
    where = f" in {program}" if program else ""
    if outcome.kind == "error":
        return f"migsim: an actor raised{where} ({outcome.code})"
    what = invariant_meaning(outcome.code)
    about = f" ({what})" if what else ""
    return f"migsim: {outcome.kind} of invariant {outcome.code or '?'}{where}{about}"


def _schedule(result: RunResult) -> str:
    s = "" if result.preemptions == 1 else "s"
    return f"{result.steps} steps, {result.preemptions} preemption{s}"


def assert_ok(result: RunResult, *, program: str = "") -> RunResult:
    """Return ``result`` if the run ended ok; else raise :class:`FailingRunError` saying why."""
    if result.failed:
        raise FailingRunError(result, program=program)
    return result
