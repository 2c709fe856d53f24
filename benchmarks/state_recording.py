"""State-recording benchmark: what replaying a failing run *with state* costs.

A report replays the shrunk failing schedule once more, asking the kernel's state probe for
the value of every object each step touched, before and after the step
(``actors.replay_with_state``).  Exploration never does this; the figure shows what the one
extra replay per report costs against a plain replay of the same choices
(``actors.run_choices_async``), on the shrunk runs of R1 (``scenarios/seed-race.toml``) and
R7 (``scenarios/r7-entry-aba-pte-same.toml``).

    python benchmarks/state_recording.py [--quick]

The last line has exactly the keys plain_replay_ms, state_replay_ms and ratio (medians,
summed over the two runs).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import trio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import actors
import migsim
from benchmarks._common import headline, parse_args

ROOT = Path(__file__).resolve().parents[1]

SCENARIOS = ("seed-race", "r7-entry-aba-pte-same")


def failing_run(name: str) -> tuple[actors.Program, actors.RunResult, int]:
    """The scenario's program, its shrunk failing run and its step bound."""
    path = ROOT / "scenarios" / f"{name}.toml"
    subject = migsim.Subject.of_scenario(migsim.load_scenario(path), str(path))
    result = migsim.explore(subject)
    assert result.finding is not None, f"{name}: no failure found"
    return subject.program, result.finding.shrunk, subject.settings.max_steps


def timed_ms(work: Callable[[], Awaitable[object]], repeat: int) -> float:
    """The median wall time of ``work`` in milliseconds, over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        # The collector is paused while timing (and the heap cleaned before), so that a
        # collection of the exploration's garbage never lands on one side of the ratio.
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            trio.run(work)
            times.append((time.perf_counter() - start) * 1000)
        finally:
            gc.enable()
    return statistics.median(times)


def main() -> None:
    """Measure plain and state-recording replays of each shrunk run; print the figures."""
    args = parse_args(__doc__ or "")
    repeat = args.repeat or (15 if args.quick else 60)
    plain_total = state_total = 0.0
    for name in SCENARIOS:
        program, run, max_steps = failing_run(name)

        async def plain(
            program: actors.Program = program, run: actors.RunResult = run, bound: int = max_steps
        ) -> None:
            await actors.run_choices_async(program, run.choices, max_steps=bound)

        async def state(
            program: actors.Program = program, run: actors.RunResult = run, bound: int = max_steps
        ) -> None:
            recorded = await actors.replay_with_state_async(program, run, max_steps=bound)
            assert recorded.trace.has_state

        plain_ms, state_ms = timed_ms(plain, repeat), timed_ms(state, repeat)
        plain_total += plain_ms
        state_total += state_ms
        print(
            f"{name}: {run.steps} steps, plain replay {plain_ms:.2f} ms, "
            f"with state {state_ms:.2f} ms ({state_ms / plain_ms:.2f}x)"
        )
    print(
        headline(
            plain_replay_ms=round(plain_total, 2),
            state_replay_ms=round(state_total, 2),
            ratio=state_total / plain_total,
        )
    )


if __name__ == "__main__":
    main()
