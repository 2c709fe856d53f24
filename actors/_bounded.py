"""Iterative preemption bounding: DPOR searches at bounds 0, 1, 2, ... each exhaustive.

Most concurrency bugs need only a few preemptions (Musuvathi and Qadeer, PLDI 2007), and
plain depth-first search spends its whole budget on the deep end of one branch.  The
iterative search runs a complete preemption-bounded DPOR search (:class:`~actors.DFS`
with ``preemption_bound=k``) for ``k = 0``, then ``k = 1``, and so on, so that whatever
the budget, it has *proven* something: no failure in any schedule with at most
``bound_completed`` preemptions.

A level whose search never had to skip a choice because of its bound covered every
schedule there is: the search then stops with ``exhausted`` True (no failure in any
schedule).  Each level starts afresh, so the schedules of lower levels are run again;
they are few next to the level's own.

Bounded DPOR runs without sleep sets (their pruning is unsound within a bound), so on a
small program the unbounded search with sleep sets can finish long before the bounded
levels stop growing.  Without ``max_bound``, after each completed level the search
therefore *probes*: it runs the unbounded DPOR search (:class:`~actors.DFS`) for as
many schedules as it has run so far.  A probe that completes proves "no failure in any
schedule"; one that does not is dropped and the next level starts.  Probing at most
doubles the work, and stops the deep-end-first search from eating the budget.
"""

from __future__ import annotations

from actors._chooser import Chooser
from actors._dfs import DFS
from actors._strategy import FinishedRun


class IterativeBounding:
    """``IterativeBounding(max_bound=None)``: preemption-bounded DPOR, bound 0, 1, 2, ...

    - ``bound``: the level being searched;
    - ``bound_completed``: the highest bound whose search completed (None before the
      first does): no failure in any schedule with at most that many preemptions;
    - ``exhausted``: True once a level covered every schedule (its bound never cut a
      choice), or, with ``max_bound``, once level ``max_bound`` completed.
    """

    def __init__(self, *, max_bound: int | None = None) -> None:
        self.max_bound = max_bound
        self.bound = 0
        self.bound_completed: int | None = None
        self.bound_limited = False  # the current level skipped a choice for its bound
        self._level = DFS(dpor=True, preemption_bound=0)
        self._exhausted = False
        self.level_schedules = 0  # schedules run at the current level (or probe)
        self.probing = False  # running the unbounded probe (see the module docstring)
        self._probe_left = 0
        self._total = 0

    @property
    def exhausted(self) -> bool:
        """True once the whole space (or every level up to ``max_bound``) is covered."""
        return self._exhausted

    @property
    def complete(self) -> bool:
        """True when a level covered every schedule: the proof holds without a bound."""
        return self._exhausted and not self.bound_limited

    @property
    def level(self) -> DFS:
        """The search of the current level (or probe), for progress displays to read."""
        return self._level

    @property
    def unfinished(self) -> int | None:
        """The preemption bound whose search has not completed yet (None when done)."""
        if self._exhausted:
            return None
        return self.bound + 1 if self.probing else self.bound

    @property
    def nondeterminism(self) -> str | None:
        """What the current level's search saw differ between runs of one prefix."""
        return self._level.nondeterminism

    def describe(self) -> str:
        """``bounded,dpor=1,bound=K`` with the current level's bound (``none``: probing)."""
        return f"bounded,dpor=1,bound={'none' if self.probing else self.bound}"

    def next_chooser(self) -> Chooser | None:
        """The current level's next schedule, or the next level's first one."""
        while not self._exhausted:
            if self.probing and self._probe_left == 0:
                self._next_level()  # the probe did not finish in its share: drop it
            chooser = self._level.next_chooser()
            if chooser is not None:
                self.level_schedules += 1
                self._total += 1
                self._probe_left -= self.probing
                return chooser
            self._level_done()
        return None

    def _level_done(self) -> None:
        if self.probing:  # the unbounded search completed: nothing limited it
            self.bound_limited = False
            self._exhausted = True
            return
        self.bound_completed = self.bound
        if not self.bound_limited or self.bound == self.max_bound:
            self._exhausted = True
        elif self.max_bound is None:
            self._start(None, probe=self._total)
        else:
            self._next_level()

    def _next_level(self) -> None:
        self.bound += 1
        self._start(self.bound, probe=0)

    def _start(self, bound: int | None, *, probe: int) -> None:
        self.probing = probe > 0
        self._probe_left = probe
        self.bound_limited = False
        self.level_schedules = 0
        self._level = DFS(dpor=True, preemption_bound=bound)

    def finished(self, run: FinishedRun) -> None:
        """Feed the run to the level's search, and note whether its bound cut a choice."""
        self._level.finished(run)
        if not self.bound_limited and not self.probing:
            self.bound_limited = _bound_cut(self._level, self.bound)


def _bound_cut(level: DFS, bound: int) -> bool:
    """True when some choice point of the run just fed to ``level`` could have preempted
    but was at the bound already (so the bound kept alternatives from being tried)."""
    return any(
        node.values == 0
        and node.preemptions >= bound
        and node.current in node.enabled
        and len(node.enabled) > 1
        for node in level.stack
    )
