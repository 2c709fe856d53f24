"""Shrinking: from a failing schedule to a minimal one that shows the same failure.

"The same failure" means the same outcome kind and code (e.g. a violation of C1).
"Minimal" is ordered: fewest preemptions first, then fewest steps.  Two phases:

1. **Preemption bounding.**  For ``b = 0, 1, ...`` below the failing run's preemption
   count, a preemption-bounded DPOR search (a bounded number of schedules per ``b``) looks
   for the same failure.  When that search completes, no schedule with fewer preemptions
   shows the failure: the preemption count is minimal, not just smaller.
2. **Delta debugging** of the choice list, replayed leniently (entries that no longer fit,
   and the tail after the list ends, fall back to "keep running the current actor"):
   drop single preemptions, truncate after a preemption, and remove chunks of choices
   (ddmin), keeping any candidate that fails the same way with a smaller
   ``(preemptions, steps)``.

The result is a normal :class:`~actors._explore.RunResult` with its own token.
"""

from __future__ import annotations

from actors._blocking import blocking
from actors._dfs import DFS
from actors._explore import RunResult, run_choices_async, run_next
from actors._scheduler import Program


def _key(result: RunResult) -> tuple[int, int, int]:
    return (result.preemptions, result.steps, len(result.choices))


class _Shrinker:
    def __init__(self, program: Program, failing: RunResult, max_runs: int, max_steps: int) -> None:
        self.program = program
        self.target = failing.outcome.signature()
        self.best = failing
        self.runs = 0
        self.max_runs = max_runs
        self.max_steps = max_steps
        self.name = failing.name

    def _better(self, result: RunResult) -> bool:
        return (
            not result.pruned
            and result.outcome.signature() == self.target
            and _key(result) < _key(self.best)
        )

    async def attempt(self, choices: list[int | None]) -> bool:
        if self.runs >= self.max_runs:
            return False
        self.runs += 1
        result = await run_choices_async(
            self.program,
            choices,
            strict=False,
            max_steps=self.max_steps,
            name=self.name,
            strategy="shrunk",
        )
        if self._better(result):
            self.best = result
            return True
        return False

    async def bound_search(self, per_bound: int) -> None:
        """Phase 1: the smallest preemption bound under which the failure still shows."""
        for bound in range(self.best.preemptions):
            strategy = DFS(dpor=True, preemption_bound=bound)
            for _ in range(per_bound):
                if self.runs >= self.max_runs:
                    return
                self.runs += 1
                result = await run_next(
                    self.program,
                    strategy,
                    max_steps=self.max_steps,
                    name=self.name,
                    label="shrunk",
                )
                if result is None:
                    break
                if self._better(result):
                    self.best = result
                    return

    async def drop_preemptions(self) -> bool:
        for idx in reversed(self.best.preempted_at):
            base: list[int | None] = list(self.best.choices)
            if await self.attempt([*base[:idx], None, *base[idx + 1 :]]):
                return True
            if await self.attempt(list(base[:idx])):
                return True
        return False

    async def truncate(self) -> bool:
        base = list(self.best.choices)
        for cut in sorted({0, *(i + 1 for i in self.best.preempted_at)}):
            if cut < len(base) and await self.attempt(list(base[:cut])):
                return True
        return False

    async def ddmin(self) -> bool:
        parts = 2
        while True:
            base = list(self.best.choices)
            if len(base) < 2 or parts > len(base):
                return False
            size = max(1, len(base) // parts)
            for start in range(0, len(base), size):
                if await self.attempt([*base[:start], *base[start + size :]]):
                    return True
            parts *= 2

    async def run(self, per_bound: int) -> RunResult:
        await self.bound_search(per_bound)
        while self.runs < self.max_runs:
            if not (await self.drop_preemptions() or await self.truncate() or await self.ddmin()):
                break
        return self.best


async def shrink_async(
    program: Program,
    failing: RunResult,
    *,
    max_runs: int = 3000,
    max_steps: int = 10_000,
    per_bound: int = 400,
) -> RunResult:
    """Shrink a failing run to a minimal one: the same failure (outcome kind and code)
    with the fewest preemptions, then the fewest steps (see :mod:`actors._shrink`).

    ``max_runs`` bounds the schedules tried in all, ``per_bound`` those of each
    preemption-bounded search; ``max_steps`` bounds each run.  The result has a token of
    its own.  Raises ValueError if ``failing`` did not fail.
    """
    if not failing.failed:
        raise ValueError("shrink() needs a failing run; this one ended ok")
    shrinker = _Shrinker(program, failing, max_runs, max_steps)
    best = await shrinker.run(per_bound)
    if best is failing:
        # Re-run leniently once so the result carries a "shrunk" token of its own.
        return await run_choices_async(
            program,
            list(failing.choices),
            strict=False,
            max_steps=max_steps,
            name=shrinker.name,
            strategy="shrunk",
        )
    return best


shrink = blocking(shrink_async)
