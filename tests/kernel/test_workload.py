"""A multi-page, multi-CPU workload with eager and lazy migration and kswapd together."""

from __future__ import annotations

import attrs

from actors import Budget, explore, pct, random_walk, replay_token, run_schedule
from migsim import Policies
from migsim._races import workload
from migsim._world import build_program


def test_the_workload_stays_clean_under_the_guarded_policies() -> None:
    scenario = workload(schedules=500)
    program = build_program(scenario)
    found = explore(program, random_walk(0), Budget(schedules=500, max_steps=3000))
    assert found.first is None, found.first and found.first.outcome.describe()
    assert found.schedules == 500
    assert found.step_bound_hits == 0


def test_the_workload_runs_every_kernel_path() -> None:
    program = build_program(workload())
    labels: set[str] = set()
    for seed in range(10):
        result = run_schedule(program, random_walk(seed), max_steps=3000)
        assert result.outcome.kind == "ok", result.outcome.describe()
        labels |= {s.label for s in result.trace}
    for path in (
        "migrate_page: replace",
        "unuse_pte",
        "add_to_migration_cache",
        "pageout",
        "read_swap_cache_async",
        "zap present pte",
        "map swap page",
        "remove_mapping",
    ):
        assert path in labels, path


def test_the_same_workload_breaks_under_the_posted_v8_code() -> None:
    scenario = attrs.evolve(workload(), policies=Policies("v8-vmscan-only", "refuse", "none"))
    program = build_program(scenario)
    found = explore(program, pct(0, 3), Budget(schedules=500, max_steps=3000))
    assert found.first is not None
    again = replay_token(program, found.first.token)
    assert again.outcome == found.first.outcome
