"""Strategies: PCT's probabilistic guarantee, portfolio rotation, preemption bounds."""

from __future__ import annotations

import attrs

from actors import (
    DFS,
    PCT,
    Actor,
    Budget,
    Portfolio,
    RandomWalk,
    Setup,
    Violation,
    explore,
    reads,
    writes,
)
from tests.runtime.programs import lost_update, two_writers


@attrs.define
class Shared:
    x: int = 0
    seen: list[int] = attrs.Factory(list)


class Long(Actor):
    """Sets x to 1, does ``n`` more steps, then sets x to 2."""

    def __init__(self, shared: Shared, n: int) -> None:
        super().__init__("long")
        self.shared, self.n = shared, n

    async def run(self) -> None:
        await self.yield_point("x=1", writes("x"))
        self.shared.x = 1
        for i in range(self.n):
            await self.yield_point(f"work {i}", writes("long-private"))
        await self.yield_point("x=2", writes("x"))
        self.shared.x = 2


class Reader(Actor):
    def __init__(self, shared: Shared) -> None:
        super().__init__("reader")
        self.shared = shared

    async def run(self) -> None:
        await self.yield_point("read x", reads("x"))
        self.shared.seen.append(self.shared.x)


class SawMiddle:
    """Depth-2 bug: the reader runs after "x=1" and before "x=2"."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared

    def on_step(self, step: int, actor: str) -> Violation | None:
        if self.shared.seen == [1]:
            return Violation("MID", "reader saw the intermediate value")
        return None


def depth_two() -> Setup:
    shared = Shared()
    return Setup([Long(shared, 10), Reader(shared)], [SawMiddle(shared)])


def test_pct_meets_its_depth_two_bound_empirically() -> None:
    # PCT guarantees 1/(n * k^(d-1)) per run; for d = 2 that is 1/(n*k).
    seeds, hits, k = 200, 0, 0
    for seed in range(seeds):
        strategy = PCT(seed, depth=2)
        explore(depth_two, strategy, Budget(schedules=1))  # the first schedule learns k
        k = max(k, strategy.k)
        hits += explore(depth_two, strategy, Budget(schedules=1)).first is not None
    n = 2
    assert k > 0
    assert hits / seeds >= 1 / (n * k)


def test_pct_depth_one_never_preempts() -> None:
    result = explore(lambda: lost_update(3), PCT(3, depth=1), Budget(schedules=30))
    assert result.max_preemptions == 0
    assert not result.violations


def test_random_walk_finds_the_lost_update() -> None:
    result = explore(lambda: lost_update(2), RandomWalk(0), Budget(schedules=200))
    assert result.first is not None
    assert result.first.outcome.code == "LOST"


def test_portfolio_rotates_and_finds_the_bug() -> None:
    strategy = Portfolio(5)
    result = explore(lambda: lost_update(2), strategy, Budget(schedules=200))
    assert result.first is not None
    assert result.strategy == "portfolio,seed=5"


def test_preemption_bound_zero_runs_actors_to_completion() -> None:
    result = explore(lambda: lost_update(2), DFS(preemption_bound=0), Budget(schedules=100))
    # With no preemptions the increments cannot interleave: clean, and complete within bound.
    assert result.exhaustive_complete
    assert result.max_preemptions == 0


def test_preemption_bound_one_finds_the_lost_update() -> None:
    result = explore(lambda: lost_update(2), DFS(preemption_bound=1), Budget(schedules=100))
    assert result.first is not None
    assert result.first.preemptions == 1


def test_plain_dfs_with_bound_counts_fewer_schedules_than_unbounded() -> None:
    unbounded = explore(lambda: two_writers(True), DFS(dpor=False), Budget(schedules=100))
    bounded = explore(
        lambda: two_writers(True), DFS(dpor=False, preemption_bound=0), Budget(schedules=100)
    )
    assert bounded.schedules < unbounded.schedules
    assert bounded.exhaustive_complete
