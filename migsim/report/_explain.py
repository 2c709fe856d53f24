"""Explain a failing run in a few lines: the race, its values, what went wrong.

:func:`explain` finds the stale reads of the trace (:mod:`migsim.report._stale`) and
blames one, chosen in this order: data rather than synchronisation (a stale view of a lock
is the handoff working, so ptes, cache entries and page fields outrank locks and
mailboxes); an object whose value really changed (when values were recorded); the failing
actor as the reader; the use that came last; ptes over caches over page fields; a read
rather than a write; the earliest change.  It then words the causal chain
(:mod:`migsim.report._chain`) and the consequence.  Deadlocks are explained by who waits
for what.
"""

from __future__ import annotations

import attrs

from actors import Outcome, Trace
from migsim.report._chain import Chain, history, label
from migsim.report._stale import StaleRead, find_stale_reads
from migsim.report._words import key_text, rank


@attrs.frozen
class Explanation:
    """The racing operations of a failure: ``lines`` for people, ``steps`` to highlight."""

    headline: str
    lines: tuple[str, ...]
    steps: tuple[int, ...] = ()

    def text(self) -> str:
        """The headline and the lines, one per line."""
        return "\n".join((self.headline, *(f"  {line}" for line in self.lines)))


def explain(trace: Trace, outcome: Outcome) -> Explanation:
    """Explain ``outcome`` from the footprints of ``trace`` (works for any outcome kind),
    with the values involved when the trace was recorded with state."""
    headline = outcome.describe()
    if outcome.kind == "ok":
        return Explanation(headline, ("the run ended without a failure",))
    if outcome.kind == "deadlock":
        return _explain_deadlock(trace, outcome)
    end = _end(trace, outcome)
    if end < 0:
        return Explanation(headline, ("the run failed before any step was taken",))
    victim = trace.step(end).actor
    races = find_stale_reads(trace, end)
    if not races:
        return Explanation(headline, _no_race_lines(trace, end), (end,))
    best = max(races, key=lambda r: _score(trace, r, victim))
    return _word(trace, outcome, best, races)


def _score(trace: Trace, race: StaleRead, victim: str) -> tuple[object, ...]:
    """Data over locks and mailboxes; a change of value over a rewrite of the same value;
    the failing actor as the reader; the latest use; ptes over caches over page fields; a
    read over a write; the earliest change."""
    return (
        rank(race.key) >= 0,
        bool(history(trace, race)) or not trace.has_state,
        race.reader == victim,
        race.use,
        rank(race.key),
        not race.read_was_write,
        -race.write,
    )


def _end(trace: Trace, outcome: Outcome) -> int:
    if 0 <= outcome.step < len(trace):
        return outcome.step
    return len(trace) - 1


def _word(trace: Trace, outcome: Outcome, best: StaleRead, races: list[StaleRead]) -> Explanation:
    chain = Chain(trace, best)
    lines, steps = chain.lines(), chain.steps
    for other in races:
        same_use = other.reader == best.reader and other.use == best.use
        if same_use and other.key != best.key and rank(other.key) >= 0:  # data, not locks
            lines.append(
                f"(also changed under {best.reader}: {key_text(other.key)} by "
                f"{other.writer} at step {other.write})"
            )
            steps.append(other.write)
    lines.append(f"=> {_consequence(trace, outcome)}")
    return Explanation(outcome.describe(), tuple(lines), tuple(sorted(set(steps))))


def _consequence(trace: Trace, outcome: Outcome) -> str:
    end = _end(trace, outcome)
    who = trace.step(end).actor if end >= 0 else "?"
    what = f"{outcome.code} " if outcome.code else ""
    return f"{outcome.kind} {what}detected after step {end} ({who}): {outcome.message}"


def _no_race_lines(trace: Trace, end: int) -> tuple[str, ...]:
    first = max(0, end - 2)
    lines = ["no stale read of shared memory precedes the failure; the last steps were:"]
    for i in range(first, end + 1):
        step = trace.step(i)
        lines.append(f"step {i}: {step.actor} {step.op}{label(step)}")
    return tuple(lines)


def _explain_deadlock(trace: Trace, outcome: Outcome) -> Explanation:
    lines: list[str] = []
    steps: list[int] = []
    last_of: dict[str, int] = {}
    for i, actor in enumerate(trace.actor_sequence()):
        last_of[actor] = i
    for blocked in outcome.blocked:
        where = last_of.get(blocked.actor)
        after = f" (its last step: {where}{label(trace.step(where))})" if where is not None else ""
        lines.append(f"{blocked.actor} waits for {blocked.waiting_for}{after}")
        if where is not None:
            steps.append(where)
    if not lines:
        lines.append(outcome.message or "no actor can run and none may stay blocked")
    return Explanation(outcome.describe(), tuple(lines), tuple(sorted(steps)))
