"""Monitors: safety and liveness properties that observe a run from the outside.

A monitor is any object with some of these methods; the runtime indexes only the hooks a
monitor defines, so an absent hook costs nothing per step:

- ``on_step(step_index, actor_name) -> Violation | None``: after every step.
- ``on_quiescence() -> Violation | None``: when the run ends with nothing left to do.
- ``hot() -> str | None``: a liveness monitor is *hot* while something it waits for is
  outstanding (a fault in progress). A run that ends (quiescence, deadlock or the step
  bound) while a monitor is hot is a liveness failure; the string says what was pending.
- ``state_key() -> Hashable``: a canonical value of the program's state, to count distinct
  final states (optional; only one monitor of a program should define it).

Monitors never raise to report: they return a :class:`Violation`. An exception inside a
monitor is reported as an error outcome naming the monitor.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from actors._outcome import Violation


@runtime_checkable
class StepMonitor(Protocol):
    """A monitor checked after every step."""

    def on_step(self, step_index: int, actor: str) -> Violation | None:
        """Return a violation if the step just taken broke the property."""


@runtime_checkable
class QuiescenceMonitor(Protocol):
    """A monitor checked when a run ends with nothing left to do."""

    def on_quiescence(self) -> Violation | None:
        """Return a violation if the final state breaks the property."""


@runtime_checkable
class LivenessMonitor(Protocol):
    """A hot/cold liveness monitor."""

    def hot(self) -> str | None:
        """What is still pending (the monitor is hot), or None when cold."""


@attrs.frozen
class MonitorHooks:
    """The bound hooks of a program's monitors, indexed once per run."""

    on_step: tuple[Callable[[int, str], Violation | None], ...]
    on_quiescence: tuple[Callable[[], Violation | None], ...]
    hot: tuple[Callable[[], str | None], ...]
    state_key: Callable[[], Hashable] | None

    @classmethod
    def index(cls, monitors: Sequence[object]) -> MonitorHooks:
        """Collect the hooks each monitor defines (skip the ones it does not)."""
        state_keys = [m.state_key for m in monitors if hasattr(m, "state_key")]
        return cls(
            on_step=tuple(m.on_step for m in monitors if hasattr(m, "on_step")),
            on_quiescence=tuple(m.on_quiescence for m in monitors if hasattr(m, "on_quiescence")),
            hot=tuple(m.hot for m in monitors if hasattr(m, "hot")),
            state_key=state_keys[0] if state_keys else None,
        )
