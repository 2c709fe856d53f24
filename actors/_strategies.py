"""The strategy registry: every strategy that can be picked by name, declared once.

A scenario file, a command line or a test marker names a strategy (``"pct"``) and gives
settings (``seed``, ``depth``, ``preemption_bound``); :data:`STRATEGIES` says which names
exist, what each does and which settings it reads, and :func:`make_strategy` builds one::

    strategy = make_strategy("pct", seed=7, depth=2)  # the same as PCT(7, 2)
    for kind in STRATEGIES.values():
        print(f"{kind.name:10} {kind.description}")

Everything that lists or builds strategies by name (CLI choices, the scenario schema,
the pytest marker) reads this table, so a new strategy is one entry here.  Code that
knows which strategy it wants builds the class directly (:class:`~actors.PCT`,
:class:`~actors.DFS`, ...).  :class:`~actors.Replay` is not here: it needs a recorded
choice list, not settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from actors._bounded import IterativeBounding
from actors._dfs import DFS
from actors._errors import ActorUsageError
from actors._pct import PCT
from actors._portfolio import Portfolio
from actors._random import RandomWalk
from actors._strategy import Strategy

PARAMS = ("seed", "depth", "preemption_bound")
"""Every setting a strategy may read."""

Builder = Callable[[int, int, int | None], Strategy]
"""Builds a strategy from ``(seed, depth, preemption_bound)``."""


def _check_params(kind: StrategyKind, _attribute: object, params: tuple[str, ...]) -> None:
    unknown = [p for p in params if p not in PARAMS]
    if unknown:
        raise ActorUsageError(
            f"strategy kind {kind.name!r}: unknown setting(s) {', '.join(unknown)}; "
            f"a strategy may read {', '.join(PARAMS)}"
        )


@attrs.frozen
class StrategyKind:
    """A strategy that can be picked by name: what it is, and how to build it.

    - ``name``: what scenarios, the CLI and markers call it (``"pct"``);
    - ``description``: one line, for ``--help`` and documentation;
    - ``params``: the settings it reads, of ``seed``, ``depth`` and ``preemption_bound``
      (it ignores the others);
    - ``systematic``: True when it covers its space exhaustively, so that a search that
      completes proves "no failure within these bounds" (bounded, DFS).
    """

    name: str
    description: str
    params: tuple[str, ...] = attrs.field(validator=_check_params)
    systematic: bool
    _builder: Builder = attrs.field(alias="builder", repr=False, eq=False)

    def build(
        self, *, seed: int = 0, depth: int = 3, preemption_bound: int | None = None
    ) -> Strategy:
        """A fresh strategy of this kind (strategies learn as they run: one per exploration)."""
        return self._builder(seed, depth, preemption_bound)


def _kinds(*kinds: StrategyKind) -> Mapping[str, StrategyKind]:
    return MappingProxyType({kind.name: kind for kind in kinds})


STRATEGIES: Mapping[str, StrategyKind] = _kinds(
    StrategyKind(
        "random",
        "random walk: every choice uniform among the enabled actors and values",
        ("seed",),
        systematic=False,
        builder=lambda seed, _depth, _bound: RandomWalk(seed),
    ),
    StrategyKind(
        "pct",
        "PCT: random priorities with depth-1 change points; finds a depth-d bug with a "
        "guaranteed probability per run",
        ("seed", "depth"),
        systematic=False,
        builder=lambda seed, depth, _bound: PCT(seed, depth),
    ),
    StrategyKind(
        "bounded",
        "iterative preemption bounding: exhaustive DPOR searches at preemption bounds "
        "0, 1, 2, ... (up to preemption_bound if given); proves the highest bound it completes",
        ("preemption_bound",),
        systematic=True,
        builder=lambda _seed, _depth, bound: IterativeBounding(max_bound=bound),
    ),
    StrategyKind(
        "dfs",
        "depth-first search with DPOR and sleep sets, optionally preemption-bounded; "
        "exhaustive when it completes",
        ("preemption_bound",),
        systematic=True,
        builder=lambda _seed, _depth, bound: DFS(dpor=True, preemption_bound=bound),
    ),
    StrategyKind(
        "portfolio",
        "random walk and PCT at depths 1, 2 and 3, one schedule each in turn",
        ("seed",),
        systematic=False,
        builder=lambda seed, _depth, _bound: Portfolio(seed),
    ),
)
"""Every strategy that can be picked by name, in a fixed order: random, pct, bounded, dfs,
portfolio (``bounded`` is the systematic search to reach for first)."""


def make_strategy(
    name: str, *, seed: int = 0, depth: int = 3, preemption_bound: int | None = None
) -> Strategy:
    """Build the strategy called ``name`` (a key of :data:`STRATEGIES`) with these settings.

    Settings the strategy does not read are ignored, so a caller can pass all of them.
    Raises :class:`~actors.ActorUsageError` naming the known strategies for an unknown name.
    """
    kind = STRATEGIES.get(name)
    if kind is None:
        raise ActorUsageError(
            f"unknown strategy {name!r}: the known strategies are {', '.join(STRATEGIES)}"
        )
    return kind.build(seed=seed, depth=depth, preemption_bound=preemption_bound)
