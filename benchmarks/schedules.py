"""Schedules benchmark: complete schedules/s of a 3-actor, 50-step program.

Three actors take 50 steps between them (17 + 17 + 16), touching a few shared objects, so
that most scheduling points are real choices.  Many schedules run inside one ``trio.run``,
as ``explore`` does.  The goal is >= 2,500 schedules/s on the 2-core machine; the baseline
measured in the same run is the cost of a fresh ``trio.run`` per schedule.

    python benchmarks/schedules.py [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actors import (
    PCT,
    Actor,
    Budget,
    RandomWalk,
    Setup,
    Strategy,
    explore,
    run_schedule,
    writes,
)
from benchmarks._common import headline, median_rate, parse_args

STEPS = (17, 17, 16)


class Worker(Actor):
    def __init__(self, index: int, steps: int) -> None:
        super().__init__(f"w{index}")
        self.index, self.steps = index, steps

    async def run(self) -> None:
        for i in range(self.steps):
            await self.yield_point("step", writes("obj", (self.index + i) % 4))


def program() -> Setup:
    return Setup([Worker(i, n) for i, n in enumerate(STEPS)])


def explore_many(strategy: Strategy, schedules: int) -> int:
    result = explore(program, strategy, Budget(schedules=schedules, stop_on_first=False))
    assert result.schedules == schedules
    assert result.steps == schedules * sum(STEPS)
    return schedules


def fresh_runs(schedules: int) -> int:
    for seed in range(schedules):
        run_schedule(program, RandomWalk(seed))
    return schedules


def main() -> None:
    args = parse_args(__doc__ or "")
    repeat = args.repeat or (3 if args.quick else 7)
    n = 2_000 if args.quick else 10_000
    rw = median_rate(lambda: explore_many(RandomWalk(1), n), repeat)
    pc = median_rate(lambda: explore_many(PCT(1, 3), n), repeat)
    fresh = median_rate(lambda: fresh_runs(n // 4), repeat)
    print(f"3 actors, {sum(STEPS)} steps per schedule, median of {repeat} runs each")
    print(f"  random walk, one trio.run:   {rw:>8,.0f} schedules/s")
    print(f"  PCT depth 3, one trio.run:   {pc:>8,.0f} schedules/s")
    print(f"  fresh trio.run per schedule: {fresh:>8,.0f} schedules/s (baseline)")
    print("  goal: >= 2,500 schedules/s")
    print(
        headline(
            schedules_per_s=rw,
            pct_schedules_per_s=pc,
            fresh_trio_run_schedules_per_s=fresh,
            ratio_vs_fresh_trio_run=rw / fresh,
        )
    )


if __name__ == "__main__":
    main()
