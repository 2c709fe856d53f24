"""Shrinking benchmark: how small Hypothesis makes the seed race (R1), seed by seed.

For R1 under ``fault_retry = none`` (``migsim.races.r1_seed("none")``), Hypothesis
searches the schedules with the runtime's Hypothesis chooser
(``actors.testing.find_failure``) once per seed, and the benchmark records the first
failing schedule it met and the one it shrank that to: steps and preemptions, with medians
over the seeds.  ``minimal_preemptions`` is proved rather than measured: a complete
preemption-bounded DPOR search finds no failure below it and one at it.

Without ``--quick`` it also measures the simple encoding (one draw per decision point)
for comparison: Hypothesis then shortens runs at the price of extra preemptions.

    python benchmarks/shrinking.py [--quick]

The last line has exactly the keys first_preemptions_median, shrunk_preemptions_median,
shrunk_steps_median and minimal_preemptions.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors import DFS, PRUNE, Budget, Program, RunView, explore
from actors.testing import Found, HypothesisChooser, find_failure
from benchmarks._common import headline, parse_args
from migsim import build_program
from migsim.races import r1_seed

SEEDS = 20
MAX_STEPS = r1_seed().explore.max_steps


class PerPointChooser:
    """The simple encoding: one draw at every decision point, index 0 = keep running."""

    wants_all_points = False

    def __init__(self, data: DataObject) -> None:
        self._draw = data.conjecture_data.draw
        self.stopped: BaseException | None = None

    def begin(self, view: RunView) -> None:
        """Nothing to prepare."""

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """Draw the index; ``current`` first when it can run."""
        order = list(enabled)
        if current in order:
            order.remove(current)
            order.insert(0, current)
        i = self._take(len(order))
        return PRUNE if i < 0 else order[i]

    def value(self, n: int, actor: int) -> int:
        """Draw the value."""
        return max(0, self._take(n))

    def _take(self, n: int) -> int:
        if self.stopped is not None:
            return -1
        try:
            value: int = self._draw(st.integers(0, n - 1))
        except BaseException as stop:  # Hypothesis ends the test case from a draw
            self.stopped = stop
            return -1
        return value


def minimal_preemptions(program: Program) -> int:
    """The smallest preemption bound under which a complete DPOR search finds a failure."""
    for bound in range(6):
        found = explore(program, DFS(preemption_bound=bound), Budget(50_000, MAX_STEPS))
        if found.first is not None:
            return bound
        if not found.exhaustive_complete:
            raise RuntimeError(f"the bound-{bound} search did not complete")
    raise RuntimeError("no failure within 5 preemptions")


def measure(program: Program, chooser: type, seeds: int) -> list[Found]:
    """One Hypothesis search per seed (each must find the race)."""
    out = []
    for seed in range(seeds):
        found = find_failure(program, seed=seed, max_steps=MAX_STEPS, chooser=chooser)
        if found is None:
            raise RuntimeError(f"seed {seed}: Hypothesis found no failure")
        out.append(found)
    return out


def report(label: str, runs: list[Found]) -> dict[str, float]:
    """Print one row per seed and the medians; return the medians."""
    print(f"\n{label}")
    print("seed  first(steps, preemptions)  shrunk(steps, preemptions)  test cases")
    for seed, f in enumerate(runs):
        print(
            f"{seed:>4}  {f.first.steps:>6} {f.first.preemptions:>6}"
            f"              {f.minimal.steps:>6} {f.minimal.preemptions:>6}"
            f"             {f.calls:>6}"
        )
    medians = {
        "first_steps": statistics.median(f.first.steps for f in runs),
        "first_preemptions": statistics.median(f.first.preemptions for f in runs),
        "shrunk_steps": statistics.median(f.minimal.steps for f in runs),
        "shrunk_preemptions": statistics.median(f.minimal.preemptions for f in runs),
        "test_cases": statistics.median(f.calls for f in runs),
    }
    print("medians: " + headline(**medians))
    return medians


def main() -> None:
    args = parse_args("Hypothesis shrinking of the seed race R1 (fault_retry = none)")
    start = time.perf_counter()
    program = build_program(r1_seed("none"))
    minimal = minimal_preemptions(program)
    print(f"R1 under fault_retry=none: the minimal failing schedule has {minimal} preemption(s)")
    ours = report(
        "HypothesisChooser (deviations from the default run)",
        measure(program, HypothesisChooser, SEEDS),
    )
    if not args.quick:
        report(
            "for comparison: one draw per decision point", measure(program, PerPointChooser, SEEDS)
        )
    print(f"time: {time.perf_counter() - start:.1f} s")
    print(
        headline(
            first_preemptions_median=float(ours["first_preemptions"]),
            shrunk_preemptions_median=float(ours["shrunk_preemptions"]),
            shrunk_steps_median=float(ours["shrunk_steps"]),
            minimal_preemptions=minimal,
        )
    )


if __name__ == "__main__":
    main()
