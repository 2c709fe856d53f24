"""The strategy registry: one declaration per strategy, every name builds, unknown names teach."""

from __future__ import annotations

import pytest

from actors import (
    DFS,
    PCT,
    STRATEGIES,
    ActorUsageError,
    Budget,
    Portfolio,
    RandomWalk,
    Strategy,
    StrategyKind,
    explore,
    make_strategy,
)
from tests.runtime.programs import lost_update

PARAMS = {"seed", "depth", "preemption_bound"}


def test_the_registry_lists_the_strategies_in_a_fixed_order() -> None:
    assert list(STRATEGIES) == ["random", "pct", "bounded", "dfs", "portfolio"]
    assert all(name == kind.name for name, kind in STRATEGIES.items())


def test_the_registry_cannot_be_changed_in_place() -> None:
    with pytest.raises(TypeError):
        STRATEGIES["bfs"] = STRATEGIES["dfs"]  # type: ignore[index]


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_name_builds_a_fresh_strategy_that_explores(name: str) -> None:
    kind = STRATEGIES[name]
    assert kind.description
    assert "\n" not in kind.description
    assert set(kind.params) <= PARAMS
    strategy = make_strategy(name, seed=1, depth=2, preemption_bound=1)
    assert isinstance(strategy, Strategy)
    assert strategy is not make_strategy(name)
    assert strategy.describe().startswith(name)
    found = explore(lambda: lost_update(2), strategy, Budget(schedules=300))
    assert found.first is not None
    assert found.first.outcome.code == "LOST"


def test_the_built_strategies_are_the_classes_with_the_given_settings() -> None:
    assert make_strategy("random", seed=4).describe() == RandomWalk(4).describe()
    assert make_strategy("pct", seed=4, depth=2).describe() == PCT(4, 2).describe()
    assert make_strategy("portfolio", seed=4).describe() == Portfolio(4).describe()
    dfs = make_strategy("dfs", preemption_bound=2)
    assert isinstance(dfs, DFS)
    assert dfs.describe() == DFS(dpor=True, preemption_bound=2).describe()


def test_bounded_and_dfs_are_the_systematic_ones() -> None:
    assert [kind.name for kind in STRATEGIES.values() if kind.systematic] == ["bounded", "dfs"]


def test_settings_a_strategy_does_not_read_are_ignored() -> None:
    # A caller (the CLI, a scenario) passes every setting; each strategy takes its own.
    assert make_strategy("dfs", seed=9, depth=7).describe() == "dfs,dpor=1,bound=none"
    assert make_strategy("random", depth=7, preemption_bound=1).describe() == "random,seed=0"


def test_an_unknown_name_raises_naming_the_known_ones() -> None:
    with pytest.raises(ActorUsageError) as info:
        make_strategy("bfs")
    assert str(info.value) == (
        "unknown strategy 'bfs': the known strategies are random, pct, bounded, dfs, portfolio"
    )


def test_a_kind_names_only_known_settings() -> None:
    with pytest.raises(ActorUsageError, match=r"unknown setting.*bound.*may read seed"):
        StrategyKind("odd", "reads a typo", ("bound",), systematic=False, builder=lambda *_: DFS())
