"""How hard tests search: slow mode (``pytest --slow``).

In slow mode every budget that asks for it grows by :data:`SLOW_FACTOR`: the Hypothesis
examples of a property (``@settings(max_examples=examples(200))``) and the schedules the
``sim`` fixture explores.  The pytest plugin turns slow mode on by setting the environment
variable ``MIGSIM_SLOW=1`` before test modules are imported (so ``examples()`` in a
decorator sees it, and so do worker processes); it can also be set by hand.
"""

from __future__ import annotations

import os

SLOW_FACTOR = 10
"""How many times more examples and schedules slow mode runs."""

SLOW_ENV = "MIGSIM_SLOW"
"""The environment variable that turns slow mode on ("1")."""


def is_slow() -> bool:
    """True in slow mode (``pytest --slow``, or ``MIGSIM_SLOW=1``)."""
    return os.environ.get(SLOW_ENV) == "1"


def examples(n: int) -> int:
    """``n`` Hypothesis examples normally, ``n * SLOW_FACTOR`` in slow mode."""
    return n * SLOW_FACTOR if is_slow() else n
