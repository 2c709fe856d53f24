"""How a run ends when no actor raised: deadlock, a monitor's verdict, or the step bound.

These run once per run, off the hot path of :meth:`actors._scheduler.Run.point`, so they
live apart from it: the scheduler decides *when* a run is over, this module says *what*
the outcome is.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from actors._monitor import MonitorHooks
from actors._outcome import OK, BlockedActor, Outcome, OutcomeKind, Violation


def final_outcome(hooks: MonitorHooks, blocked: tuple[BlockedActor, ...], step: int) -> Outcome:
    """Nothing is left to run: a deadlock if a non-daemon actor is still blocked, else the
    quiescence monitors' verdict, else the liveness monitors', else ok."""
    if blocked:
        names = ", ".join(f"{b.actor} ({b.waiting_for})" for b in blocked)
        return Outcome(
            "deadlock",
            "deadlock",
            f"nothing can run; blocked: {names}",
            step,
            tuple(b.actor for b in blocked),
            blocked,
        )
    for hook in hooks.on_quiescence:
        try:
            found = hook()
        except Exception as exc:
            return error_outcome(f"monitor {monitor_name(hook)}", exc, step)
        if found is not None:
            return outcome_of_monitor("violation", found, step)
    return hot_outcome(hooks, step) or OK


def hot_outcome(hooks: MonitorHooks, step: int) -> Outcome | None:
    """A liveness failure if some monitor is still hot, else None."""
    for hook in hooks.hot:
        try:
            pending = hook()
        except Exception as exc:
            return error_outcome(f"monitor {monitor_name(hook)}", exc, step)
        if pending is not None:
            return outcome_of_monitor("liveness", pending, step)
    return None


def step_bound_outcome(hooks: MonitorHooks, max_steps: int, step: int) -> Outcome:
    """The run exceeded its step bound: a liveness failure naming what was still hot."""
    hot = hot_outcome(hooks, step)
    why = f" while hot: {_pending(hot)}" if hot is not None else ""
    return Outcome("liveness", "step-bound", f"step bound of {max_steps} steps exceeded{why}", step)


def monitor_name(hook: Callable[..., object]) -> str:
    """The class name of the monitor a bound hook belongs to."""
    owner = getattr(hook, "__self__", hook)
    return type(owner).__name__


def outcome_of_monitor(kind: OutcomeKind, found: Violation | str, step: int) -> Outcome:
    """A monitor's report as an outcome (a bare string gets a generic code)."""
    if isinstance(found, str):
        return Outcome(kind, "monitor" if kind == "violation" else "hot", found, step)
    return Outcome(kind, found.code, found.message, step, found.objects)


def _pending(hot: Outcome) -> str:
    """What a hot monitor reported, led by its property's code when it named one."""
    if hot.kind == "liveness" and hot.code != "hot":
        return f"{hot.code}: {hot.message}"
    return hot.message


def error_outcome(who: str, exc: BaseException, step: int) -> Outcome:
    """``who`` (an actor or a monitor) raised ``exc``: an error outcome with its traceback."""
    tb = "".join(traceback.format_exception(exc))
    return Outcome(
        "error",
        type(exc).__name__,
        f"{who} raised {type(exc).__name__}: {exc}",
        step,
        (who,),
        traceback=tb,
    )
