"""The first failure of each race's unguarded variant, searched once per test session.

Several tests look at the same failure (``test_races.py`` checks its invariant and replay,
the race-specific modules check its wording); the slow searches (R10 needs thousands of
bounded-DFS schedules) run once and are shared.
"""

from __future__ import annotations

import functools

from actors import Budget, Exploration, Program, explore, make_strategy
from migsim import Scenario, build_program


def search(scenario: Scenario) -> tuple[Program, Exploration]:
    """Explore ``scenario`` under its own ``[explore]`` settings."""
    settings = scenario.explore
    strategy = make_strategy(
        settings.strategy,
        seed=settings.seed,
        depth=settings.depth,
        preemption_bound=settings.preemption_bound,
    )
    program = build_program(scenario)
    budget = Budget(schedules=settings.schedules, max_steps=settings.max_steps)
    return program, explore(program, strategy, budget)


@functools.cache
def unguarded(race: str) -> tuple[Program, Exploration]:
    """The search of ``race``'s unguarded library variant (cached: scenarios are values)."""
    from migsim.races import RACES

    return search(RACES[race].scenario())
