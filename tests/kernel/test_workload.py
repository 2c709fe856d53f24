"""A multi-page, multi-CPU workload with eager and lazy migration and kswapd together."""

from __future__ import annotations

import attrs

from actors import PCT, Budget, RandomWalk, explore, replay_token, run_schedule
from migsim import KernelSpec, Policies, build_program
from migsim.races import workload


def test_the_workload_stays_clean_under_the_guarded_policies() -> None:
    scenario = workload(schedules=500)
    program = build_program(scenario)
    found = explore(program, RandomWalk(0), Budget(schedules=500, max_steps=3000))
    assert found.first is None, found.first and found.first.outcome.describe()
    assert found.schedules == 500
    assert found.step_bound_hits == 0


def test_the_workload_runs_every_kernel_path() -> None:
    program = build_program(workload())
    labels: set[str] = set()
    for seed in range(10):
        result = run_schedule(program, RandomWalk(seed), max_steps=3000)
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
    scenario = attrs.evolve(
        workload(),
        kernel=KernelSpec(era="2.6.16-mm1+v8-posted"),
        policies=Policies("vmscan-only", "refuse", "none"),
    )
    program = build_program(scenario)
    found = explore(program, PCT(0, 3), Budget(schedules=500, max_steps=3000))
    assert found.first is not None
    again = replay_token(program, found.first.token)
    assert again.outcome == found.first.outcome
