"""Explain a failing run in a few lines: who read what, who changed it, what went wrong.

Every step of a trace declares its footprint: the shared objects it reads and writes.  A
race that breaks an invariant almost always has one shape, the *stale read*:

1. actor X reads object k (``cpu0 read pte/A/0``),
2. another actor Y writes k before X's next step (``migd changed pte/A/0``),
3. X goes on acting on what it read, and the invariant breaks at or after that step.

:func:`explain` finds the stale read to blame and words it: preferably one whose reader is
the actor whose step failed, then the one whose use came last, a read rather than a write,
and the earliest change in between.  Mailbox traffic is left out: every message is a write to a
mailbox, which would drown the memory race.  Deadlocks are explained by who waits for what.
"""

from __future__ import annotations

import attrs

from actors import Outcome, Step, Trace

Key = tuple[str | int, ...]  # an object key of a footprint, e.g. ("pte", "A", 0)


@attrs.frozen
class Explanation:
    """The racing operations of a failure: ``lines`` for people, ``steps`` to highlight."""

    headline: str
    lines: tuple[str, ...]
    steps: tuple[int, ...] = ()

    def text(self) -> str:
        """The headline and the lines, one per line."""
        return "\n".join((self.headline, *(f"  {line}" for line in self.lines)))


@attrs.frozen
class StaleRead:
    """Actor ``reader`` accessed ``key`` at ``read``; ``writer`` wrote it at ``write``;
    ``reader`` took its next step at ``use``."""

    key: Key
    reader: str
    writer: str
    read: int
    write: int
    use: int
    read_was_write: bool


def explain(trace: Trace, outcome: Outcome) -> Explanation:
    """Explain ``outcome`` from the footprints of ``trace`` (works for any outcome kind)."""
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
    best = max(races, key=lambda r: (r.reader == victim, r.use, not r.read_was_write, -r.write))
    return _word(trace, outcome, best, races)


def _end(trace: Trace, outcome: Outcome) -> int:
    if 0 <= outcome.step < len(trace):
        return outcome.step
    return len(trace) - 1


def find_stale_reads(trace: Trace, end: int) -> list[StaleRead]:
    """Every stale-read triple among steps ``0..end``, in the order their use happened."""
    last: dict[Key, dict[str, tuple[int, bool]]] = {}  # key -> actor -> (step, was write)
    pending: dict[str, dict[Key, tuple[int, bool, str, int]]] = {}
    found: list[StaleRead] = []
    for i in range(end + 1):
        step = trace.step(i)
        for key, (r, was_w, writer, w) in pending.pop(step.actor, {}).items():
            found.append(StaleRead(key, step.actor, writer, r, w, i, was_w))
        for access in step.footprint:
            if access.key[:1] == ("mailbox",):
                continue
            if access.write:
                _mark_others(last, pending, step.actor, access.key, i)
            last.setdefault(access.key, {})[step.actor] = (i, access.write)
    return found


def _mark_others(
    last: dict[Key, dict[str, tuple[int, bool]]],
    pending: dict[str, dict[Key, tuple[int, bool, str, int]]],
    writer: str,
    key: Key,
    index: int,
) -> None:
    """A write of ``key``: every other actor that accessed ``key`` now holds a stale view."""
    for actor, (r, was_w) in last.get(key, {}).items():
        if actor != writer:
            pending.setdefault(actor, {}).setdefault(key, (r, was_w, writer, index))


def _word(trace: Trace, outcome: Outcome, best: StaleRead, races: list[StaleRead]) -> Explanation:
    key = _key(best.key)
    verb = "wrote" if best.read_was_write else "read"
    lines = [
        f"{best.reader} {verb} {key} at step {best.read}{_label(trace.step(best.read))}",
        f"{best.writer} then changed {key} at step {best.write}"
        f"{_label(trace.step(best.write))}, before {best.reader} ran again",
        f"{best.reader} went on at step {best.use}{_label(trace.step(best.use))} "
        f"with what it had {verb.replace('wrote', 'written')} before",
    ]
    steps = [best.read, best.write, best.use]
    for other in races:
        if other.reader == best.reader and other.use == best.use and other.key != best.key:
            lines.append(
                f"(also changed under {best.reader}: {_key(other.key)} by "
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
        lines.append(f"step {i}: {step.actor} {step.op}{_label(step)}")
    return tuple(lines)


def _explain_deadlock(trace: Trace, outcome: Outcome) -> Explanation:
    lines: list[str] = []
    steps: list[int] = []
    last_of: dict[str, int] = {}
    for i, actor in enumerate(trace.actor_sequence()):
        last_of[actor] = i
    for blocked in outcome.blocked:
        where = last_of.get(blocked.actor)
        after = f" (its last step: {where}{_label(trace.step(where))})" if where is not None else ""
        lines.append(f"{blocked.actor} waits for {blocked.waiting_for}{after}")
        if where is not None:
            steps.append(where)
    if not lines:
        lines.append(outcome.message or "no actor can run and none may stay blocked")
    return Explanation(outcome.describe(), tuple(lines), tuple(sorted(steps)))


def _key(key: Key) -> str:
    return "/".join(map(str, key))


def _label(step: Step) -> str:
    text = step.label or step.op
    return f' ("{text}": {step.detail})' if step.detail else f' ("{text}")'
