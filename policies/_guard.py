"""Calling a policy: a wall budget per call, its measured cost, and a record of the calls.

A policy is third-party code running inside the deterministic scheduler's single thread:
one that loops would hang every command.  :func:`guarded_call` runs each decision under a
``SIGALRM`` guard in the main thread (no helper thread, so nothing can interleave with the
simulation), and a call that runs past its budget raises :class:`PolicyTimeoutError`, which the
kernel reports as violation P1 naming the policy, the method and the step.

The budget decides nothing else: it never changes which schedule runs, only whether a call
that has not answered by then counts as a failure.  Because policies are pure functions of
their view, a call that timed out once times out again with the same arguments, so a repeat
is failed at once (shrinking replays a failing run many times; each replay must not wait
for the loop again).  Everything else recorded here (the cost of each method, the calls of a
run) is only read by the pipeline after runs, to warn about slow or impure policies.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TypeVar

import attrs

from kernel_model import MigsimError
from policies._errors import PolicyError

T = TypeVar("T")

DEFAULT_BUDGET_S = 1.0
"""The wall-clock budget of one policy call, in seconds, unless configured otherwise."""

BUDGET_ENV = "MIGSIM_POLICY_BUDGET"
"""Environment variable: the per-call budget in seconds ("0" turns the guard off)."""

SLOW_CALL_S = 0.005
"""A method whose calls cost this much on average (seconds) is reported as slow."""


class PolicyTimeoutError(MigsimError, TimeoutError):
    """A policy call ran past its wall budget (the kernel reports it as P1)."""


class _Alarm(BaseException):
    """Raised inside the policy by the alarm: a ``BaseException``, so that a plugin's own
    ``except Exception`` cannot swallow it; the alarm repeats every 50 ms until the call
    ends, so a bare ``except`` that swallows it once does not stop it either."""


@attrs.frozen
class PolicyCall:
    """One decision asked of a policy: who, which method, the arguments, the answer."""

    policy: str
    method: str
    args: tuple[object, ...]
    answer: object


@attrs.frozen
class CallCost:
    """The measured wall cost of one policy method over the calls since the last reset."""

    policy: str
    method: str
    calls: int
    seconds: float

    @property
    def per_call_s(self) -> float:
        """The mean cost of one call, in seconds."""
        return self.seconds / self.calls if self.calls else 0.0

    def warning(self) -> str:
        """The one-line warning for a slow method."""
        return (
            f"policy {self.policy!r}.{self.method}() is slow: {self.per_call_s * 1000:.1f} ms "
            f"per call over {self.calls} calls ({self.seconds:.2f} s in all); exploration "
            "runs it at every decision, so make it cheaper (it is within the budget of "
            f"{budget_s():g} s per call)"
        )


@attrs.define
class _Ledger:
    """What this process has measured and recorded (module state read only by callers
    between runs: it never feeds back into a decision except as a known timeout)."""

    costs: dict[tuple[str, str], list[float]] = attrs.Factory(dict)
    timed_out: set[tuple[str, str, tuple[object, ...], float]] = attrs.Factory(set)
    log: list[PolicyCall] | None = None
    budget: float | None = None


_LEDGER = _Ledger()


def budget_s() -> float:
    """The per-call budget in force: :func:`call_budget`'s, else ``MIGSIM_POLICY_BUDGET``,
    else :data:`DEFAULT_BUDGET_S`; 0 means unguarded."""
    if _LEDGER.budget is not None:
        return _LEDGER.budget
    text = os.environ.get(BUDGET_ENV)
    return DEFAULT_BUDGET_S if text is None or not text.strip() else parse_budget(text)


def parse_budget(text: str) -> float:
    """A budget given as text (seconds), or :class:`PolicyError` saying what is expected."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value < 0:
        raise PolicyError(
            f"{BUDGET_ENV}: expected a policy-call budget in seconds (a number >= 0, 0 for "
            f"none); got {text!r}; e.g. {BUDGET_ENV}=0.5"
        )
    return value


@contextlib.contextmanager
def call_budget(seconds: float) -> Iterator[None]:
    """Use a per-call budget of ``seconds`` (0: unguarded) inside the ``with`` block."""
    saved, _LEDGER.budget = _LEDGER.budget, parse_budget(str(seconds))
    try:
        yield
    finally:
        _LEDGER.budget = saved


def guarded_call(policy: str, method: str, args: tuple[object, ...], decide: Callable[[], T]) -> T:
    """``decide()`` (the call ``policy.method(*args)``) under the budget, measured.

    Raises :class:`PolicyTimeoutError` when it runs past the budget, or at once when the same
    call timed out before; exceptions of the policy pass through.
    """
    budget = budget_s()
    key = (policy, method, args, budget)
    if _known_timeout(key):  # the same message as the first time: replays must agree
        raise PolicyTimeoutError(f"ran past its budget of {budget:g} s")
    spent = [0.0]
    try:
        answer = _within(budget, decide, spent)
    except _Alarm:  # reported as P1 by the caller; not counted as a slow call
        _remember_timeout(key)
        raise PolicyTimeoutError(f"ran past its budget of {budget:g} s") from None
    except BaseException:
        _count(policy, method, spent[0])
        raise
    _count(policy, method, spent[0])
    if _LEDGER.log is not None:
        _LEDGER.log.append(PolicyCall(policy, method, args, answer))
    return answer


def _count(policy: str, method: str, seconds: float) -> None:
    cost = _LEDGER.costs.setdefault((policy, method), [0, 0.0])
    cost[0] += 1
    cost[1] += seconds


def _known_timeout(key: tuple[str, str, tuple[object, ...], float]) -> bool:
    try:
        return key in _LEDGER.timed_out
    except TypeError:  # unhashable arguments: not remembered
        return False


def _remember_timeout(key: tuple[str, str, tuple[object, ...], float]) -> None:
    with contextlib.suppress(TypeError):
        _LEDGER.timed_out.add(key)


def _within(budget: float, decide: Callable[[], T], spent: list[float]) -> T:
    """``decide()``, interrupted by SIGALRM after ``budget`` seconds (main thread only:
    elsewhere, or with a budget of 0, unguarded and unmeasured).

    The interval timer that enforces the budget also measures the call (``spent[0]``):
    the policies package reads no clock of its own.
    """
    guardable = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if budget <= 0 or not guardable:
        return decide()
    _install_handler()
    _ALARM.armed = True
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, budget, min(budget, 0.05))
    try:
        return decide()
    finally:
        _ALARM.armed = False
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        spent[0] = budget - left if left > 0 else budget
        if outer_left > 0:  # someone else's timer (pytest-timeout): give it back its rest
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - spent[0], 1e-6))


@attrs.define
class _AlarmState:
    """Whether a policy call is under the alarm now, and whose handler ours replaced."""

    armed: bool = False
    outer: Callable[[int, FrameType | None], object] | int | None = None


_ALARM = _AlarmState()


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _ALARM.armed:
        raise _Alarm
    if callable(_ALARM.outer):  # not ours: the handler we replaced gets it
        _ALARM.outer(signum, frame)


def _install_handler() -> None:
    """Install the SIGALRM handler once (installing one costs more than a policy call):
    while no policy call is armed it hands the signal to the handler it replaced."""
    if signal.getsignal(signal.SIGALRM) is not _on_alarm:
        _ALARM.outer = signal.signal(signal.SIGALRM, _on_alarm)


def reset_costs() -> None:
    """Forget the measured costs (the pipeline does this before each exploration)."""
    _LEDGER.costs.clear()


def call_costs() -> tuple[CallCost, ...]:
    """The measured cost of every policy method called since the last reset, sorted."""
    return tuple(
        CallCost(policy, method, int(calls), seconds)
        for (policy, method), (calls, seconds) in sorted(_LEDGER.costs.items())
    )


def slow_calls(threshold_s: float = SLOW_CALL_S) -> tuple[CallCost, ...]:
    """The methods whose mean cost per call is at least ``threshold_s``."""
    return tuple(cost for cost in call_costs() if cost.per_call_s >= threshold_s)


@contextlib.contextmanager
def recording() -> Iterator[list[PolicyCall]]:
    """Record every policy call made inside the ``with`` block into the list yielded."""
    log: list[PolicyCall] = []
    saved = _LEDGER.log
    _LEDGER.log = log
    try:
        yield log
    finally:
        _LEDGER.log = saved


def first_divergence(
    first: list[PolicyCall], second: list[PolicyCall]
) -> tuple[int, PolicyCall | None, PolicyCall | None] | None:
    """Where two recordings of the same schedule first differ (index and the two calls,
    None where one ran out), or None when they agree."""
    for i in range(max(len(first), len(second))):
        a = first[i] if i < len(first) else None
        b = second[i] if i < len(second) else None
        if a != b:
            return i, a, b
    return None


def impurity_message(first: list[PolicyCall], second: list[PolicyCall]) -> str | None:
    """The warning when replaying a schedule asked a policy differently or got another
    answer (the policy is not a pure function of its view); None when they agree."""
    found = first_divergence(first, second)
    if found is None:
        return None
    i, a, b = found
    shown = a or b
    assert shown is not None
    return (
        f"policy {shown.policy!r} is not a pure function of its view: replaying the same "
        f"schedule, call #{i + 1} ({shown.method}) differed: first {_call(a)}, then "
        f"{_call(b)}; a policy must answer from its arguments alone (no state, clock or "
        "randomness), or its failures cannot be replayed"
    )


def _call(call: PolicyCall | None) -> str:
    if call is None:
        return "no call"
    return f"{call.method}({', '.join(map(repr, call.args))}) -> {call.answer!r}"
