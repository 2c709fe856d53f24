"""The chooser: the one place every nondeterministic decision of a run goes through.

At each scheduling point with two or more enabled actors, the scheduler asks the chooser
which one runs next; at each ``choose_bool``/``choose_int`` it asks for the value.  Because
all nondeterminism passes through here, a run is fully described by the list of answers,
its *choices*, which is what a replay token stores and what shrinking minimises.

Encoding of a choice list: a scheduling choice is the chosen actor's id (>= 0); a data
choice of value ``v`` is stored as ``-v - 1`` (``~v``), so the two kinds never mix up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from actors._footprint import Footprint

PRUNE = -1
"""What :meth:`Chooser.pick` returns to abandon a run as redundant (DPOR's sleep sets)."""


def data_choice(value: int) -> int:
    """Encode a data choice ``value`` for a choice list."""
    return -value - 1


def is_data_choice(entry: int) -> bool:
    """True when a choice-list entry is a data choice."""
    return entry < 0


def data_value(entry: int) -> int:
    """Decode a data choice entry back to its value."""
    return -entry - 1


class RunView(Protocol):
    """What a chooser may look at during a run (read only)."""

    @property
    def step_count(self) -> int:
        """Steps taken so far in this run."""

    @property
    def actor_names(self) -> Sequence[str]:
        """Actor names, indexed by id."""

    def pending_footprint(self, actor: int) -> Footprint:
        """The footprint of the step ``actor`` would take next."""


class Chooser(Protocol):
    """Decides one run. A strategy hands out one chooser per schedule.

    ``wants_all_points``: when True, :meth:`pick` is also called at points with a single
    enabled actor (DPOR propagates sleep sets through them); such calls must return it.
    """

    wants_all_points: bool

    def begin(self, view: RunView) -> None:
        """Called once before the run's first step."""

    def pick(self, enabled: Sequence[int], current: int) -> int:
        """Choose the next actor among ``enabled`` (ids in ascending order; do not keep the
        sequence). ``current`` is the actor that just reached this point, or -1 if it
        finished; picking it continues without a context switch. May return PRUNE."""

    def value(self, n: int, actor: int) -> int:
        """Choose a value in ``0..n-1`` for a data choice of ``actor``."""
