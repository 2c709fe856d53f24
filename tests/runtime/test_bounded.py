"""Iterative preemption bounding (``make_strategy("bounded")``): each level exhaustive,
what it proved stated by ``bound_completed``, and a full proof when nothing limited it."""

from __future__ import annotations

from actors import (
    DFS,
    STRATEGIES,
    Actor,
    Budget,
    Setup,
    explore,
    make_strategy,
    replay_token,
    writes,
)
from tests.runtime.programs import lost_update, two_writers


class Writer(Actor):
    """``n`` writes of one shared object: many interleavings, no bug."""

    def __init__(self, name: str, n: int) -> None:
        super().__init__(name)
        self.n = n

    async def run(self) -> None:
        for i in range(self.n):
            await self.yield_point(f"write #{i}", writes("x"))


def writers(n: int) -> Setup:
    return Setup([Writer("a", n), Writer("b", n), Writer("c", n)])


def test_bounded_is_registered_as_systematic_and_reads_the_bound() -> None:
    kind = STRATEGIES["bounded"]
    assert kind.systematic
    assert kind.params == ("preemption_bound",)
    assert make_strategy("bounded").describe() == "bounded,dpor=1,bound=0"


def test_it_finds_the_lost_update_at_bound_one_after_proving_bound_zero() -> None:
    strategy = make_strategy("bounded")
    found = explore(lambda: lost_update(2), strategy, Budget(schedules=100))
    assert found.first is not None
    assert found.first.preemptions == 1
    assert getattr(strategy, "bound_completed", None) == 0
    # found at level 1 or by the unbounded probe that follows level 0 (bound=none)
    assert found.first.token.split(":")[2] in (
        "bounded,dpor=1,bound=1",
        "bounded,dpor=1,bound=none",
    )
    again = replay_token(lambda: lost_update(2), found.first.token)
    assert again.trace == found.first.trace


def test_a_clean_program_is_proven_for_every_schedule() -> None:
    strategy = make_strategy("bounded")
    found = explore(lambda: two_writers(True), strategy, Budget(schedules=1000))
    assert found.first is None
    assert found.exhaustive_complete
    assert getattr(strategy, "complete", None) is True


def test_a_max_bound_stops_after_that_level_without_claiming_more() -> None:
    strategy = make_strategy("bounded", preemption_bound=1)
    found = explore(lambda: writers(3), strategy, Budget(schedules=10_000))
    assert found.first is None
    assert found.exhaustive_complete  # every level it was asked for
    assert getattr(strategy, "bound_completed", None) == 1
    assert getattr(strategy, "complete", None) is False  # bound 2 would add schedules
    bounded = explore(lambda: writers(3), DFS(preemption_bound=1), Budget(schedules=10_000))
    assert found.max_preemptions == bounded.max_preemptions == 1


def test_a_small_budget_proves_the_levels_it_finished() -> None:
    strategy = make_strategy("bounded")
    found = explore(lambda: writers(3), strategy, Budget(schedules=12))
    assert found.schedules == 12
    assert not found.exhaustive_complete
    done = getattr(strategy, "bound_completed", None)
    assert done is not None
    assert getattr(strategy, "bound", None) == done + 1 or getattr(strategy, "probing", False)


def test_every_level_finds_what_dfs_finds_within_its_bound() -> None:
    for bound in (0, 1, 2):
        strategy = make_strategy("bounded", preemption_bound=bound)
        found = explore(lambda: lost_update(3), strategy, Budget(schedules=10_000))
        dfs = explore(lambda: lost_update(3), DFS(preemption_bound=bound), Budget(schedules=10_000))
        assert (found.first is None) == (dfs.first is None), bound
