"""Monitors: safety and liveness properties that observe a run from the outside.

A monitor is any object with some of these methods (:data:`HOOKS`); the runtime indexes
only the hooks a monitor defines, so an absent hook costs nothing per step:

- ``on_step(step_index, actor_name) -> Violation | None``: after every step.
- ``on_quiescence() -> Violation | None``: when the run ends with nothing left to do.
- ``hot() -> Violation | str | None``: a liveness monitor is *hot* while something it
  waits for is outstanding (a fault in progress). A run that ends (quiescence, deadlock or
  the step bound) while a monitor is hot is a liveness failure. A :class:`Violation` says
  which property (its code becomes the outcome's code, "K3"); a bare string only says what
  was pending (code "hot").
- ``state_key() -> Hashable``: a canonical value of the program's state, to count distinct
  final states (optional; only one monitor of a program should define it).
- ``probe(key) -> Hashable | None``: the current value of the object a footprint key names
  (frozen and printable: ``"mig:1"``), or None for a key it does not know.  It is called
  only when a run is replayed *with state* for its report (:func:`actors.replay_with_state`),
  never while exploring, so a probe costs nothing on the hot path (only one monitor of a
  program should define it).

Monitors never raise to report: they return a :class:`Violation`. An exception inside a
monitor is reported as an error outcome naming the monitor.  A monitor is checked when a
run starts: it must define at least one hook, and a public method named like a hook
(``on_...``) that is not one is a typo, an :class:`ActorUsageError`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from actors._errors import ActorUsageError
from actors._footprint import Key
from actors._outcome import Violation

HOOKS: tuple[str, ...] = ("on_step", "on_quiescence", "hot", "state_key", "probe")
"""The monitor hooks the runtime calls."""


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

    def hot(self) -> Violation | str | None:
        """What is still pending (the monitor is hot), or None when cold."""


@runtime_checkable
class StateProbe(Protocol):
    """A monitor that reads the program's state for reports (see ``probe`` above)."""

    def probe(self, key: Key) -> Hashable | None:
        """The frozen, printable value of the object ``key`` names, or None."""


@attrs.frozen
class MonitorHooks:
    """The bound hooks of a program's monitors, indexed once per run."""

    on_step: tuple[Callable[[int, str], Violation | None], ...]
    on_quiescence: tuple[Callable[[], Violation | None], ...]
    hot: tuple[Callable[[], Violation | str | None], ...]
    state_key: Callable[[], Hashable] | None
    probe: Callable[[Key], Hashable | None] | None = None

    @classmethod
    def index(cls, monitors: Sequence[object]) -> MonitorHooks:
        """Check each monitor, then collect the hooks it defines (skip the ones it does not)."""
        for monitor in monitors:
            check_monitor(monitor)
        state_keys = [m.state_key for m in monitors if hasattr(m, "state_key")]
        probes = [m.probe for m in monitors if hasattr(m, "probe")]
        return cls(
            on_step=tuple(m.on_step for m in monitors if hasattr(m, "on_step")),
            on_quiescence=tuple(m.on_quiescence for m in monitors if hasattr(m, "on_quiescence")),
            hot=tuple(m.hot for m in monitors if hasattr(m, "hot")),
            state_key=state_keys[0] if state_keys else None,
            probe=probes[0] if probes else None,
        )


def check_monitor(monitor: object) -> None:
    """Raise :class:`ActorUsageError` unless ``monitor`` defines at least one hook, each
    of its hooks is callable, and no public ``on_...`` method is a misspelt hook."""
    what = type(monitor).__name__
    known = ", ".join(HOOKS)
    for name in _hook_like_names(monitor):
        if name not in HOOKS and callable(getattr(monitor, name)):
            raise ActorUsageError(
                f"monitor {what} defines {name}(), which is not a monitor hook "
                f"(known hooks: {known}); rename it to the hook it means, or make it "
                "private with a leading underscore"
            )
    defined = [hook for hook in HOOKS if hasattr(monitor, hook)]
    if not defined:
        raise ActorUsageError(
            f"monitor {what} defines none of the monitor hooks ({known}), so it would "
            "never be called; define at least one"
        )
    for hook in defined:
        if not callable(getattr(monitor, hook)):
            raise ActorUsageError(f"monitor {what}: {hook} must be a method (known hooks: {known})")


_CLASS_NAMES: dict[type, tuple[str, ...]] = {}
"""Per monitor class, its hook-like attribute names (a class's names never change; a
program builds fresh monitors of the same classes for every run)."""


def _hook_like_names(monitor: object) -> list[str]:
    """The attribute names of ``monitor`` that are hooks or look like one (``on_...``):
    its class's (looked up once per class), then its own."""
    cls = type(monitor)
    names = _CLASS_NAMES.get(cls)
    if names is None:
        names = _CLASS_NAMES[cls] = tuple(n for n in dir(cls) if _hook_like(n))
    own = getattr(monitor, "__dict__", {})
    return [*names, *(n for n in own if _hook_like(n) and n not in names)]


def _hook_like(name: str) -> bool:
    return name in HOOKS or name.startswith("on_")
