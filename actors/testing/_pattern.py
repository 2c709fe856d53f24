"""Matching a trace against a pattern of steps, where a set means "in any order".

A pattern is a sequence of *items*; each item is a step spec or a set of step specs::

    [("a", "send"), {("b", "receive"), ("c", "yield")}, ("a", "receive", "Pong")]

- a step spec ``(actor, op)`` or ``(actor, op, label)`` matches a step with that actor,
  op and label (``None`` in any position matches anything);
- a set of specs matches that many distinct steps, in any order among themselves;
- items match in the order given, and by default other steps may come in between (the
  pattern is a subsequence of the trace); ``exact=True`` demands that the pattern account
  for every step, with nothing in between.

Matching is greedy and complete: each item is matched as early as possible, which is the
best choice for everything after it; a set is matched by bipartite matching, so
overlapping specs (``("a", None)`` and ``("a", "send")``) cannot trip it up.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

from actors import Step, Trace
from actors.testing._errors import TraceMismatchError

StepSpec = tuple[str | None, ...]
PatternItem = StepSpec | Set[StepSpec]


def spec_matches(spec: StepSpec, step: Step) -> bool:
    """True when ``step`` has the actor, op and label ``spec`` asks for (None: any)."""
    fields = (step.actor, step.op, step.label)
    return all(want is None or want == got for want, got in zip(spec, fields, strict=False))


def match_trace(
    trace: Trace | Sequence[Step], pattern: Sequence[object], *, exact: bool = False
) -> list[list[int]] | None:
    """The step indices each pattern item matched (in pattern order), or None."""
    steps = list(trace)
    at = 0
    out: list[list[int]] = []
    for item in pattern:
        specs = _specs(item)
        found = _match_group(specs, steps, at, exact)
        if found is None:
            return None
        out.append(found)
        at = max(found) + 1 if found else at
    if exact and at != len(steps):
        return None
    return out


def assert_trace_matches(
    trace: Trace | Sequence[Step], pattern: Sequence[object], *, exact: bool = False
) -> list[list[int]]:
    """Like :func:`match_trace`, but raise :class:`TraceMismatchError` explaining the failure."""
    found = match_trace(trace, pattern, exact=exact)
    if found is not None:
        return found
    raise TraceMismatchError(_explain(list(trace), pattern, exact))


def _specs(item: object) -> list[StepSpec]:
    if isinstance(item, Set):
        return [_spec(s) for s in sorted(item, key=repr)]  # sorted: the same on every run
    if isinstance(item, tuple):
        return [_spec(item)]
    raise TypeError(
        f"a pattern item is a step spec tuple or a set of them; got {type(item).__name__} {item!r}"
    )


def _spec(spec: object) -> StepSpec:
    fits = isinstance(spec, tuple) and 2 <= len(spec) <= 3
    if fits and all(f is None or isinstance(f, str) for f in spec):  # type: ignore[attr-defined]
        return spec  # type: ignore[return-value]
    raise ValueError(
        f"a step spec is (actor, op) or (actor, op, label), strings or None; got {spec!r}"
    )


def _match_group(
    specs: list[StepSpec], steps: list[Step], at: int, exact: bool
) -> list[int] | None:
    """The earliest window from ``at`` in which every spec gets its own step (with
    ``exact``: the next ``len(specs)`` steps, all of them)."""
    if not specs:
        return []
    owner: dict[int, int] = {}  # spec index -> step index
    end = min(len(steps), at + len(specs)) if exact else len(steps)
    for i in range(at, end):
        if not _augment(specs, steps, i, owner, set()) and exact:
            return None
        if len(owner) == len(specs):
            return sorted(owner.values())
    return None


def _augment(
    specs: list[StepSpec], steps: list[Step], step: int, owner: dict[int, int], seen: set[int]
) -> bool:
    """Give ``step`` to an unmatched spec, re-assigning matched ones if needed (Kuhn)."""
    for s, spec in enumerate(specs):
        if s in seen or not spec_matches(spec, steps[step]):
            continue
        seen.add(s)
        previous = owner.get(s)
        if previous is None or _augment(specs, steps, previous, owner, seen):
            owner[s] = step
            return True
    return False


def _explain(steps: list[Step], pattern: Sequence[object], exact: bool) -> str:
    at = 0
    for n, item in enumerate(pattern):
        found = _match_group(_specs(item), steps, at, exact)
        if found is None:
            where = "right after" if exact else "after"
            return "\n".join(
                [
                    f"the trace does not match item {n} of the pattern: {item!r}",
                    f"(looking {where} step {at - 1}; matched so far: items 0..{n - 1})",
                    *_listing(steps, at),
                ]
            )
        at = max(found) + 1 if found else at
    left = f"the pattern matched, but steps from {at} on are left over (exact=True)"
    return "\n".join([left, *_listing(steps, at)])


def _listing(steps: list[Step], start: int, limit: int = 30) -> list[str]:
    shown = steps[start : start + limit]
    lines = [f"  {s.index}: ({s.actor!r}, {s.op!r}, {s.label!r})" for s in shown]
    if len(steps) > start + limit:
        lines.append(f"  ... {len(steps) - start - limit} more steps")
    return ["steps from there on:", *lines] if lines else ["(no steps left)"]
