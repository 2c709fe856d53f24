"""Replay: follow a recorded choice list, strictly (report divergence) or leniently.

Strict replay is how tokens reproduce runs: if the recorded actor is not enabled where the
recording says it ran, the program has changed, and the run stops with a
:class:`~actors._errors.ReplayDivergence` naming the step, the actor expected and what was
found.  Lenient replay is how shrinking tries edited choice lists: where an entry does not
fit, or the list runs out, it falls back to the non-preemptive default (keep running the
current actor, else the lowest enabled id; value 0 for data choices).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from actors._chooser import PRUNE, Chooser, RunView, data_value, is_data_choice
from actors._errors import ReplayDivergence

if TYPE_CHECKING:
    from actors._strategy import FinishedRun


class ReplayChooser:
    """Follows ``choices``; see the module docstring for strict vs lenient."""

    wants_all_points = False

    def __init__(self, choices: Sequence[int | None], *, strict: bool = True) -> None:
        self._choices = choices
        self._strict = strict
        self._next = 0
        self._view: RunView | None = None
        self.divergence: ReplayDivergence | None = None

    def begin(self, view: RunView) -> None:
        """Remember the run, to name actors in divergence reports."""
        self._view = view

    def _take(self) -> int | None:
        if self._next >= len(self._choices):
            return None
        entry = self._choices[self._next]
        self._next += 1
        return entry

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """The recorded actor, or (lenient) the default, or (strict) stop with a divergence."""
        if self.divergence is not None:
            return PRUNE
        entry = self._take()
        if entry is not None and not is_data_choice(entry) and entry in enabled:
            return entry
        if self._strict:
            self.divergence = self._diverged(entry, enabled)
            return PRUNE
        return current if current in enabled else enabled[0]

    def value(self, n: int, actor: int) -> int:
        """The recorded value, or 0 (lenient) / a recorded divergence (strict)."""
        entry = self._take()
        if entry is not None and is_data_choice(entry) and data_value(entry) < n:
            return data_value(entry)
        if self._strict and self.divergence is None:
            self.divergence = ReplayDivergence(
                self._step(), _describe(entry, self._names()), f"a choice among {n} values"
            )
        return 0

    def check_complete(self) -> None:
        """After a strict run: raise if it diverged or left recorded choices unused."""
        if self.divergence is not None:
            raise self.divergence
        if self._strict and self._next < len(self._choices):
            raise ReplayDivergence(
                self._step(),
                f"{len(self._choices) - self._next} more recorded choice(s)",
                "the run ended",
            )

    def _step(self) -> int:
        return self._view.step_count if self._view is not None else 0

    def _names(self) -> Sequence[str]:
        return self._view.actor_names if self._view is not None else ()

    def _diverged(self, entry: int | None, enabled: Sequence[int]) -> ReplayDivergence:
        names = self._names()
        found = ", ".join(names[a] for a in enabled)
        if entry is None:
            return ReplayDivergence(
                self._step(),
                "the run to end",
                f"a choice among {found}",
                "the program now runs longer than the recording",
            )
        return ReplayDivergence(self._step(), _describe(entry, names), f"enabled: {found}")


def _describe(entry: int | None, names: Sequence[str]) -> str:
    if entry is None:
        return "no more choices"
    if is_data_choice(entry):
        return f"data choice {data_value(entry)}"
    return f"actor {names[entry]!r}" if entry < len(names) else f"actor #{entry}"


class Replay:
    """``Replay(choices, strict=True)``: run one recorded schedule, once.

    ``choices`` is a choice list (from a token or a run); ``strict`` reports a divergence,
    lenient replay falls back to the default where an entry does not fit.
    """

    def __init__(self, choices: Sequence[int], *, strict: bool = True) -> None:
        self.choices = tuple(choices)
        self.strict = strict
        self._used = False
        self.last: ReplayChooser | None = None

    @property
    def exhausted(self) -> bool:
        """Done after its one schedule."""
        return self._used

    def describe(self) -> str:
        """``replay``."""
        return "replay"

    def next_chooser(self) -> Chooser | None:
        """The replaying chooser, once."""
        if self._used:
            return None
        self._used = True
        self.last = ReplayChooser(self.choices, strict=self.strict)
        return self.last

    def finished(self, run: FinishedRun) -> None:
        """Nothing to learn."""
