"""A chooser that lets Hypothesis decide every scheduling and data choice of a run.

The runtime sends every nondeterministic decision through one :class:`actors.Chooser`.
:class:`HypothesisChooser` answers from Hypothesis's ``data``, so the schedule becomes part
of the test case: Hypothesis replays it, stores it in its example database and *shrinks*
it together with whatever else the test drew (the workload).

**Encoding.**  At every *decision point* (a scheduling point with two or more enabled
actors, or a data choice among two or more values) the options are numbered so that
index 0 is the default: keep running the current actor; when it cannot run (it waits for
a message, or finished), the actor that became runnable most recently (the receiver of the
message it just sent: a call runs its callee, as in a synchronous kernel path), ties going
to the lowest id; for a data choice, the value 0.  A schedule is the default run plus a
short list of *deviations*, each drawn as one unit::

    more? (bool) -- gap (decision points to skip, log-uniform) -- alternative (1..)

so a run with ``d`` deviations is a test case of about ``4 d + 1`` choices, whatever its
length.  Hypothesis prefers shorter test cases, then smaller values; here that means
fewer deviations first (fewer preemptions), then earlier and lower alternatives.  The
simpler encoding, one draw per decision point, makes the test case as long as the run,
and Hypothesis then trades a preemption for a shorter run: it settles on a two-preemption
schedule of a race that needs one, whenever the two-preemption one is shorter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors import PRUNE, RunView

GAP_BITS = 10
"""Gaps are drawn log-uniformly below ``2 ** GAP_BITS`` decision points (a bit length, then
a number of that many bits), so a deviation reaches the 3rd decision point about as often
as the 300th, whatever the length of the run, which the chooser cannot know in advance."""

_INTS: dict[int, st.SearchStrategy[int]] = {}


def _below(n: int) -> st.SearchStrategy[int]:
    """``integers(0, n - 1)``, built once per ``n`` (strategy objects are not free)."""
    strategy = _INTS.get(n)
    if strategy is None:
        strategy = _INTS[n] = st.integers(min_value=0, max_value=n - 1)
    return strategy


@st.composite
def _deviation(draw: Callable[[st.SearchStrategy[int]], int]) -> tuple[int, int] | None:
    """The next deviation as ``(gap, alternative)``, or None for "no more deviations"."""
    if not draw(_below(2)):
        return None
    bits = draw(_below(GAP_BITS + 1))
    gap = draw(_below(1 << bits)) if bits else 0
    return gap, draw(_below(256))


DEVIATION = _deviation()


class HypothesisChooser:
    """An :class:`actors.Chooser` whose schedule is drawn from Hypothesis ``data``.

    ``data`` is the object ``st.data()`` gives a test.  The chooser draws from its
    underlying test case directly, without a "Draw N: ..." note per draw (the replay token
    that :func:`run_with_hypothesis` notes says it better).

    Hypothesis ends a test case by raising from a draw (it has seen enough, or the case
    grew too long).  Raised inside an actor that would be reported as the actor's error,
    so the chooser catches it, ends the run quietly (``PRUNE``) and keeps it in
    :attr:`stopped` for :func:`run_with_hypothesis` to re-raise once the run is over.
    """

    wants_all_points = True  # to see every step, and so who became runnable when

    def __init__(self, data: DataObject) -> None:
        self._draw = data.conjecture_data.draw
        self.stopped: BaseException | None = None
        self.deviations = 0
        self._point = 0  # decision points so far
        self._next = -1  # the decision point of the next deviation; -1: no more
        self._alternative = 0
        self._tick = 0  # scheduling points so far
        self._since: dict[int, int] = {}  # actor -> tick at which it last became runnable
        self._was_enabled: set[int] = set()

    def begin(self, view: RunView) -> None:
        """Draw the first deviation."""
        self._plan()

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """The default (index 0) unless this decision point is the next deviation."""
        ordered = self._order(enabled, current)
        if len(ordered) == 1:
            return ordered[0]
        i = self._decide(len(ordered))
        return PRUNE if i < 0 else ordered[i]

    def _order(self, enabled: Sequence[int], current: int) -> list[int]:
        """The enabled actors in the order this chooser numbers them: ``current`` first
        when it is enabled, then the most recently enabled first (ties: lowest id)."""
        self._tick += 1
        for actor in enabled:
            if actor not in self._was_enabled:
                self._since[actor] = self._tick
        self._was_enabled = set(enabled)
        since = self._since
        others = sorted((a for a in enabled if a != current), key=lambda a: (-since[a], a))
        return [current, *others] if current in self._was_enabled else others

    def value(self, n: int, actor: int) -> int:
        """A value in ``0..n-1``: 0 unless this decision point is the next deviation."""
        return max(0, self._decide(n))

    def _decide(self, n: int) -> int:
        if self.stopped is not None:
            return -1
        point, self._point = self._point, self._point + 1
        if point != self._next:
            return 0
        self.deviations += 1
        chosen = 1 + self._alternative % (n - 1)
        self._plan()
        return -1 if self.stopped is not None else chosen

    def _plan(self) -> None:
        try:
            drawn = self._draw(DEVIATION)
        except BaseException as stop:  # StopTest, Frozen, ...: Hypothesis's to handle
            self.stopped = stop
            return
        if drawn is None:
            self._next = -1
        else:
            gap, self._alternative = drawn
            self._next = self._point + gap
