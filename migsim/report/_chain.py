"""The causal chain of one stale read, in kernel words, with the values the trace recorded.

From the read to the failure: what the reader saw (``pte A:0 = mig:1``) and which locks it
held; its own lookups of the entry it read; who changed the object and to what, step by
step; whether the object came back to the value read (an ABA that ``pte_same`` cannot
tell); whether the entry read was freed and handed out again (id reuse); what the reader
did next with its stale view.  Values come from :attr:`actors.Step.state`; a value that
names a cache entry has an ``entry``, a cache value has ``find(entry)`` (the kernel's
:mod:`kernel_actors` probe values), and a lock value a ``holder`` (and ``readers``).
Without recorded state the chain is the plain who-read, who-changed, who-went-on.
"""

from __future__ import annotations

from collections.abc import Hashable

import attrs

from actors import KeyState, Step, Trace
from migsim.report._stale import Key, StaleRead
from migsim.report._words import key_text


@attrs.frozen
class Change:
    """Step ``index`` (by ``actor``, operation ``op``) changed an object ``before -> after``."""

    index: int
    actor: str
    op: str
    before: Hashable
    after: Hashable


def history(trace: Trace, race: StaleRead) -> list[Change]:
    """The changes of the racing object's value between the read and the use."""
    return _changes(trace, race.key, race.read + 1, race.use)


def _changes(trace: Trace, key: Key, start: int, stop: int) -> list[Change]:
    found = []
    for i in range(start, stop):
        step = trace.step(i)
        state = step.value(key)
        if state is not None and state.changed:
            found.append(Change(i, step.actor, _op(step), state.before, state.after))
    return found


class Chain:
    """The causal chain of one stale read, in kernel words (values when recorded)."""

    MAX_CHANGES = 4
    MAX_AFTER = 2

    def __init__(self, trace: Trace, race: StaleRead) -> None:
        self.trace, self.race = trace, race
        self.name = key_text(race.key)
        state = trace.step(race.read).value(race.key)
        self.seen: Hashable | None = None
        if state is not None:
            self.seen = state.after if race.read_was_write else state.before
        self.entry: str | None = getattr(self.seen, "entry", None)
        self.history = history(trace, race) if trace.has_state else []
        self.steps = [race.read, race.use]

    def lines(self) -> list[str]:
        """The chain's lines; the steps they name are collected in ``steps``."""
        if self.seen is None:
            return self._plain()
        r = self.race
        lines = [self._read_line(), *self._lookups(r.read + 1, self._first_write())]
        lines += self._change_lines()
        lines += self._reuse_lines()
        lines.append(self._use_line())
        return lines + self._after_use()

    def _plain(self) -> list[str]:
        """Without recorded values: who accessed what, and when."""
        r, t = self.race, self.trace
        self.steps.append(r.write)
        verb = "wrote" if r.read_was_write else "read"
        return [
            f"{r.reader} {verb} {self.name} at step {r.read}{label(t.step(r.read))}",
            f"{r.writer} then changed {self.name} at step {r.write}"
            f"{label(t.step(r.write))}, before {r.reader} ran again",
            f"{r.reader} went on at step {r.use}{label(t.step(r.use))} "
            f"with what it had {'written' if r.read_was_write else 'read'} before",
        ]

    def _first_write(self) -> int:
        return self.history[0].index if self.history else self.race.write

    def _read_line(self) -> str:
        r = self.race
        verb = "wrote" if r.read_was_write else "read"
        what = f"{r.reader} {verb} {self.name} = {self.seen} at step {r.read} ({self._op(r.read)})"
        if not _knows_locks(self.trace):
            return what  # no lock's holder was recorded: say nothing about locks
        locks = _locks_held(self.trace, r.reader, r.read)
        held = "unlocked (holding no lock)"
        if locks and not any(name.startswith("lock ptl:") for name in locks):
            held = f"unlocked: no PTL held (holding {', '.join(locks)})"
        elif locks:
            held = f"holding {', '.join(locks)}"
        return f"{what}, {held}"

    def _lookups(self, start: int, stop: int) -> list[str]:
        """The reader's own lookups of the entry it read, before it was preempted."""
        if self.entry is None:
            return []
        out = []
        for i in range(start, stop):
            step = self.trace.step(i)
            if step.actor != self.race.reader:
                continue
            for state in step.state:
                found = _find(state.before, self.entry)
                if found is not False:
                    what = "a miss" if found is _MISSING else "no page"
                    if _is_pfn(found):
                        what = f"page {found}"
                    out.append(
                        f"{self.race.reader} looked up {self.entry} in {key_text(state.key)} "
                        f"at step {i} ({_op(step)}): {what}"
                    )
                    self.steps.append(i)
        return out

    def _change_lines(self) -> list[str]:
        r = self.race
        if not self.history:
            self.steps.append(r.write)
            step = self.trace.step(r.write)
            what = f"{self.name} at step {r.write} ({_op(step)})"
            return [f"{r.writer} wrote {what}, leaving it {self.seen}"]
        first, rest = self.history[0], self.history[1:]
        self.steps.append(first.index)
        lines = [
            f"{first.actor} rewrote {self.name} from {first.before} to {first.after} at step "
            f"{first.index} ({first.op}), before {r.reader} ran again"
        ]
        shown = rest[: self.MAX_CHANGES]
        for change in shown:
            lines.append(
                f"{change.actor} then changed {self.name} to {change.after} at step "
                f"{change.index} ({change.op})"
            )
        if len(rest) > len(shown):
            lines.append(f"({len(rest) - len(shown)} more changes of {self.name})")
        last = self.history[-1]
        if last.after == self.seen:
            self.steps.append(last.index)
            lines.append(
                f"so {self.name} holds {self.seen} again when {r.reader} goes on: the same "
                f"value it read, although it changed in between (pte_same cannot tell)"
            )
        return lines

    def _reuse_lines(self) -> list[str]:
        """The entry read was freed and handed out again (ABA), before the run failed."""
        if self.entry is None:
            return []
        freed: tuple[int, Step, KeyState] | None = None
        end = len(self.trace)
        for i in range(self.race.read + 1, end):
            step = self.trace.step(i)
            for state in step.state:
                was, now = _find(state.before, self.entry), _find(state.after, self.entry)
                if was is False or now is False:
                    continue
                held_before, held_after = was != _MISSING, now != _MISSING
                if freed is None and held_before and not held_after:
                    freed = (i, step, state)
                elif freed is not None and not held_before and held_after:
                    return self._reused(freed, i, step, now)
        if freed is not None:
            i, step, state = freed
            self.steps.append(i)
            return [
                f"{step.actor} freed {self.entry} at step {i} ({_op(step)}): "
                f"{self.race.reader} still holds it"
            ]
        return []

    def _reused(
        self, freed: tuple[int, Step, KeyState], i: int, step: Step, now: object
    ) -> list[str]:
        f, fstep, _ = freed
        self.steps += [f, i]
        page = f", now for page {now}" if _is_pfn(now) else ""
        return [
            f"id reuse (ABA): {fstep.actor} freed {self.entry} at step {f} ({_op(fstep)}) "
            f"and {step.actor} allocated {self.entry} again at step {i} ({_op(step)}){page}, "
            f"so the {self.entry} that {self.race.reader} read names another object now"
        ]

    def _use_line(self) -> str:
        r = self.race
        step = self.trace.step(r.use)
        line = f"{r.reader} went on at step {r.use} ({_op(step)}) with the stale {self.seen}"
        for state in step.state if self.entry is not None else ():
            found = _find(state.before, self.entry or "")
            where = key_text(state.key)
            if found is _MISSING:
                return f"{line}, and looked up {self.entry}: it missed ({where} no longer has it)"
            if _is_pfn(found):
                return f"{line}: {self.entry} in {where} now names page {found}"
        return line

    def _after_use(self) -> list[str]:
        """What the reader did next with the object it had read (its check, its write)."""
        r, out = self.race, []
        for i in range(r.use + 1, len(self.trace)):
            step = self.trace.step(i)
            state = step.value(r.key)
            if step.actor != r.reader or state is None:
                continue
            self.steps.append(i)
            if state.changed:
                change = f"wrote {self.name} from {state.before} to {state.after}"
            else:
                change = f"found {self.name} = {state.before}"
            out.append(f"{r.reader} then {change} at step {i} ({_op(step)})")
            if len(out) == self.MAX_AFTER:
                break
        return out

    def _op(self, index: int) -> str:
        return _op(self.trace.step(index))


_MISSING = None


def _find(value: object, entry: str) -> object:
    """What a cache value holds under ``entry``: its page (an int), None when the entry is
    not allocated, False when the value is no cache (has no ``find``)."""
    find = getattr(value, "find", None)
    if find is None:
        return False
    found = find(entry)
    if found is None:
        return _MISSING
    pfn = getattr(found, "pfn", None)
    return pfn if isinstance(pfn, int) else "held"


def _is_pfn(found: object) -> bool:
    return type(found) is int


def _knows_locks(trace: Trace) -> bool:
    """True when the trace recorded some lock's holder."""
    return any(hasattr(k.after, "holder") for s in trace for k in s.state if k.key[0] == "lock")


def _locks_held(trace: Trace, actor: str, before: int) -> list[str]:
    """The locks ``actor`` held when step ``before`` ran (from recorded lock holders)."""
    holders: dict[Key, tuple[object, tuple[object, ...]]] = {}
    for i in range(before):
        for state in trace.step(i).state:
            if state.key[:1] == ("lock",):
                value = state.after
                holders[state.key] = (getattr(value, "holder", None), getattr(value, "readers", ()))
    return [key_text(k) for k, (who, readers) in holders.items() if actor in (who, *readers)]


def _op(step: Step) -> str:
    """The operation a step performed, as a person names it."""
    if step.op in ("send", "receive"):
        return f"{step.op} {step.label}"
    return step.label or step.op


def label(step: Step) -> str:
    """`` ("label": detail)`` for the plain wording."""
    text = step.label or step.op
    return f' ("{text}": {step.detail})' if step.detail else f' ("{text}")'
