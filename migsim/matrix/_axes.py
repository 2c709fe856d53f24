"""The policy axes of a matrix: which kinds vary, over which policies.

``--policies KIND=NAME[,NAME...]`` gives one axis; repeating the flag for other kinds gives
more, and the matrix runs their cross product (a kind not given keeps each scenario's own
value).  ``KIND=all`` names every built-in of the kind.  Without the flag the axes are the
kinds whose value differs between the scenarios, each over the policies the scenarios use,
so that the default matrix stays several hundred cells rather than the full product of
every built-in of every kind (thousands, for the library).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence

import attrs

import policies
from migsim._errors import UsageError
from migsim.scenario import Scenario

ALL = "all"
"""The name that stands for every built-in policy of a kind."""

Combination = tuple[tuple[str, str], ...]
"""One column of the matrix: ``((kind, policy name), ...)`` in axis order."""


@attrs.frozen
class Axis:
    """One varied kind and the policies it takes, in the order given."""

    kind: str
    names: tuple[str, ...]


@attrs.frozen
class PolicyGrid:
    """The axes of a matrix, in the order given (the last one becomes the table's columns)."""

    axes: tuple[Axis, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """The varied kinds, in axis order."""
        return tuple(a.kind for a in self.axes)

    def combinations(self) -> list[Combination]:
        """Every combination of one policy per axis (the cross product, axis order)."""
        names = [a.names for a in self.axes]
        return [tuple(zip(self.kinds, combo, strict=True)) for combo in itertools.product(*names)]

    def to_json(self) -> dict[str, list[str]]:
        """``{kind: [names]}`` in axis order."""
        return {a.kind: list(a.names) for a in self.axes}


def parse_policies(texts: Sequence[str]) -> PolicyGrid:
    """The grid of ``--policies`` texts such as ``fault_retry=none,pte-same``.

    Raises :class:`UsageError` (one line: what was given, what was expected, the fix) for
    a malformed text, an unknown kind, a kind given twice, or a name that is no policy of
    the kind: not a built-in, a retired built-in, an installed entry point or a
    ``module:attr`` reference.  A retired name is accepted here: every scenario rejects
    it with the era that now carries it, which the matrix shows as ``n/a``.
    """
    axes: list[Axis] = []
    for text in texts:
        axis = _parse_axis(text)
        if axis.kind in (a.kind for a in axes):
            raise UsageError(
                f"--policies {text}: {axis.kind} is given twice; "
                f"list all its policies in one flag: {axis.kind}=A,B"
            )
        axes.append(axis)
    return PolicyGrid(tuple(axes))


def _parse_axis(text: str) -> Axis:
    kind, sep, listed = text.partition("=")
    kind = kind.strip()
    if not sep or not kind:
        raise UsageError(
            f"--policies {text!r}: expected KIND=NAME[,NAME...], "
            "e.g. --policies fault_retry=none,pte-same"
        )
    if kind not in policies.POLICY_KINDS:
        hint = _did_you_mean(kind, policies.KINDS)
        raise UsageError(
            f"--policies {text}: expected a policy kind ({', '.join(policies.KINDS)}); "
            f"got {kind!r}{hint}"
        )
    names: list[str] = []
    for name in (n.strip() for n in listed.split(",")):
        for expanded in policies.builtin_names(kind) if name == ALL else (name,):
            _check_name(kind, expanded, text)
            if expanded not in names:  # "all,none" or "none,none": each policy once
                names.append(expanded)
    return Axis(kind, tuple(names))


def _check_name(kind: str, name: str, text: str) -> None:
    spec = policies.POLICY_KINDS[kind]
    known = (*spec.builtins, *spec.removed, *policies.entry_point_names())
    if name in known or (":" in name and name.strip(":") == name):
        return
    builtins = ", ".join(spec.builtins)
    got = repr(name) if name else "an empty name"
    raise UsageError(
        f"--policies {text}: expected {kind} policies ({builtins}, {ALL}, an entry point "
        f"or module:attr), comma-separated; got {got}{_did_you_mean(name, tuple(spec.builtins))}"
    )


def _did_you_mean(value: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def default_grid(scenarios: Sequence[Scenario]) -> PolicyGrid:
    """For every kind the ``scenarios`` disagree on, the policies they use (built-ins in
    their declared order, then any other name): the designs the scenarios themselves
    propose, each crossed with every scenario's race.  Every kind's built-ins when they
    agree on all (one scenario, say: then the whole design space)."""
    axes = []
    for kind in policies.KINDS:
        used = {getattr(s.policies, kind) for s in scenarios}
        if len(used) > 1:
            builtins = [n for n in policies.builtin_names(kind) if n in used]
            axes.append(Axis(kind, (*builtins, *sorted(used - set(builtins)))))
    if axes:
        return PolicyGrid(tuple(axes))
    return PolicyGrid(tuple(Axis(k, policies.builtin_names(k)) for k in policies.KINDS))
