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

**Budget.**  Each attempt is a whole run, and a run that fails only at its step bound
(a ``step-bound`` liveness failure) is as long as that bound, with as many choices; ddmin
tries up to about twice as many candidates as there are choices, so shrinking such a run
costs about ``max_steps ** 2`` steps.  Shrinking therefore has a deterministic budget: at
most ``max_runs`` runs and ``step_budget`` simulated steps in all (never wall-clock time,
so the same failure shrinks to the same result everywhere).  When the budget runs out the
best run so far is returned: it still fails the same way and its token still replays it,
but it may not be minimal, and its strategy says so (:data:`SHRINK_BUDGET_LABEL`).
"""

from __future__ import annotations

from collections.abc import Callable

from actors._blocking import blocking
from actors._dfs import DFS
from actors._explore import RunResult, run_choices_async, run_next
from actors._scheduler import Program

SHRINK_STEP_BUDGET = 500_000
"""The default bound on the steps simulated while shrinking one failure (all attempts)."""
SHRINK_BUDGET_LABEL = "shrunk,stopped-at-budget"
"""The strategy of a shrink result whose search stopped at its budget (maybe not minimal)."""

ShrinkProgress = Callable[[int, int], None]
"""Called after each attempt with ``(runs, steps)`` spent so far."""


def _key(result: RunResult) -> tuple[int, int, int]:
    return (result.preemptions, result.steps, len(result.choices))


class _Shrinker:
    def __init__(
        self,
        program: Program,
        failing: RunResult,
        *,
        max_runs: int,
        max_steps: int,
        step_budget: int,
        on_progress: ShrinkProgress | None,
    ) -> None:
        self.program = program
        self.target = failing.outcome.signature()
        self.best = failing
        self.runs = 0
        self.steps = 0
        self.max_runs = max_runs
        self.max_steps = max_steps
        self.step_budget = step_budget
        self.on_progress = on_progress
        self.name = failing.name

    @property
    def spent(self) -> bool:
        """Whether the budget (runs or steps) is used up: no more attempts."""
        return self.runs >= self.max_runs or self.steps >= self.step_budget

    def _count(self, result: RunResult) -> None:
        self.runs += 1
        self.steps += result.steps
        if self.on_progress is not None:
            self.on_progress(self.runs, self.steps)

    def _better(self, result: RunResult) -> bool:
        return (
            not result.pruned
            and result.outcome.signature() == self.target
            and _key(result) < _key(self.best)
        )

    async def attempt(self, choices: list[int | None]) -> bool:
        if self.spent:
            return False
        result = await run_choices_async(
            self.program,
            choices,
            strict=False,
            max_steps=self.max_steps,
            name=self.name,
            strategy="shrunk",
        )
        self._count(result)
        if self._better(result):
            self.best = result
            return True
        return False

    async def bound_search(self, per_bound: int) -> None:
        """Phase 1: the smallest preemption bound under which the failure still shows."""
        for bound in range(self.best.preemptions):
            strategy = DFS(dpor=True, preemption_bound=bound)
            for _ in range(per_bound):
                if self.spent:
                    return
                result = await run_next(
                    self.program,
                    strategy,
                    max_steps=self.max_steps,
                    name=self.name,
                    label="shrunk",
                )
                if result is None:
                    break
                self._count(result)
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
        """The smallest failing run found; ``self.spent`` tells whether the budget ended it."""
        await self.bound_search(per_bound)
        while not self.spent:
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
    step_budget: int = SHRINK_STEP_BUDGET,
    on_progress: ShrinkProgress | None = None,
) -> RunResult:
    """Shrink a failing run to a minimal one: the same failure (outcome kind and code)
    with the fewest preemptions, then the fewest steps (see :mod:`actors._shrink`).

    ``max_runs`` bounds the schedules tried in all, ``per_bound`` those of each
    preemption-bounded search, ``step_budget`` the steps simulated in all; ``max_steps``
    bounds each run.  ``on_progress(runs, steps)`` is called after each attempt.  The
    result has a token of its own; when the budget ran out before the search finished,
    its strategy is :data:`SHRINK_BUDGET_LABEL` (the token still replays the same failure).
    Raises ValueError if ``failing`` did not fail.
    """
    if not failing.failed:
        raise ValueError("shrink() needs a failing run; this one ended ok")
    shrinker = _Shrinker(
        program,
        failing,
        max_runs=max_runs,
        max_steps=max_steps,
        step_budget=step_budget,
        on_progress=on_progress,
    )
    best = await shrinker.run(per_bound)
    label = SHRINK_BUDGET_LABEL if shrinker.spent else "shrunk"
    if best is failing or label != best.strategy:
        # Re-run leniently once so the result carries a token of its own, which says
        # whether the search finished (the same choices: the same trace and failure).
        return await run_choices_async(
            program,
            list(best.choices),
            strict=False,
            max_steps=max_steps,
            name=shrinker.name,
            strategy=label,
        )
    return best


shrink = blocking(shrink_async)
