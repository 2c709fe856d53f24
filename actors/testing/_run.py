"""Running a whole program with Hypothesis choosing the schedule.

Inside an async ``@given`` test (pytest-trio runs each example in its own trio run)::

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    async def test_no_lost_update(data):
        result = await run_with_hypothesis(program, data)
        assert not result.failed, result.outcome.describe()

Outside a test, :func:`find_failure` runs that search itself and hands back both the
first failing run Hypothesis met and the one it shrank it to.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable

import attrs
import trio
from hypothesis import HealthCheck, Phase, Verbosity, given, note, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.strategies import DataObject

from actors import Chooser, Program, RunResult, run_schedule_async
from actors.testing._chooser import HypothesisChooser
from actors.testing._errors import HelperUsageError

STRATEGY = "hypothesis"
"""The strategy name a run's replay token carries when Hypothesis chose its schedule."""


ChooserFactory = Callable[[DataObject], Chooser]
"""Makes the chooser of one run from Hypothesis ``data`` (default: HypothesisChooser)."""


async def run_with_hypothesis(
    program: Program,
    data: DataObject,
    *,
    max_steps: int = 10_000,
    name: str = "",
    chooser: ChooserFactory = HypothesisChooser,
) -> RunResult:
    """Run ``program`` once inside the current trio run, every choice drawn from ``data``.

    The run's summary and replay token are attached to the test case with
    :func:`hypothesis.note`, so the minimal failing example prints them.  ``name`` is the
    program name the token carries (a replay tool may use it to find the program).
    ``chooser`` swaps in another encoding of schedules (it must keep Hypothesis's
    exceptions in a ``stopped`` attribute, as :class:`HypothesisChooser` does).
    """
    picker = chooser(data)
    result = await run_schedule_async(
        program, picker, max_steps=max_steps, name=name, strategy=STRATEGY
    )
    stopped: BaseException | None = getattr(picker, "stopped", None)
    if stopped is not None:
        raise stopped
    note(_RunNote(result))
    return result


class _RunNote:
    """A note that renders (computes the token) only if Hypothesis prints it."""

    def __init__(self, result: RunResult) -> None:
        self.result = result

    def __repr__(self) -> str:
        r = self.result
        return (
            f"actors run: {r.outcome.describe()}; {r.steps} steps, "
            f"{r.preemptions} preemption(s); replay token {r.token}"
        )


@attrs.frozen
class Found:
    """What :func:`find_failure` found: the first failing run Hypothesis met, the shrunk
    run it ended with, and how many test cases it ran in all (generation and shrinking)."""

    first: RunResult
    minimal: RunResult
    calls: int


class _FoundError(Exception):
    """Raised inside the search to tell Hypothesis "this schedule fails"."""


@attrs.define
class _Record:
    first: RunResult | None = None
    last: RunResult | None = None
    calls: int = 0

    def add(self, result: RunResult) -> None:
        self.calls += 1
        if result.failed:
            self.first = self.first or result
            self.last = result
            raise _FoundError(result.outcome.describe())


def find_failure(
    program: Program,
    *,
    seed: int = 0,
    max_examples: int = 1000,
    max_steps: int = 10_000,
    name: str = "",
    chooser: ChooserFactory = HypothesisChooser,
) -> Found | None:
    """Let Hypothesis search the schedules of ``program`` for a failing run, then shrink it.

    Deterministic for a given ``seed`` (no example database is read or written).  Returns
    None if no failing run turned up in ``max_examples`` test cases.  Synchronous: call it
    outside a trio run (each test case runs in its own ``trio.run``).
    """
    if trio.lowlevel.in_trio_run():
        raise HelperUsageError(
            "find_failure runs each test case in a trio run of its own, so it cannot be "
            "called inside one: call it from a plain (not async) test or function"
        )
    record = _Record()
    run = functools.partial(
        run_with_hypothesis, program, max_steps=max_steps, name=name, chooser=chooser
    )

    @hypothesis_seed(seed)
    @settings(
        database=None,
        max_examples=max_examples,
        deadline=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )
    @given(st.data())
    def search(data: DataObject) -> None:
        record.add(trio.run(run, data))

    with contextlib.suppress(_FoundError):
        search()
    if record.first is None or record.last is None:
        return None
    return Found(record.first, record.last, record.calls)
