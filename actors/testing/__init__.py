"""actors.testing: tools for testing programs of actors, beside the runtime they test.

As ``trio.testing`` sits beside ``trio``, these helpers know the runtime and nothing of
any domain built on it:

- :func:`run_with_hypothesis` runs a program once with every scheduling and data choice
  drawn from Hypothesis's ``data`` (:class:`HypothesisChooser`), so a failing
  interleaving is replayed, stored in the example database and shrunk like any other
  example; :func:`find_failure` runs that search outside a test and returns the first
  and the shrunk failing run (:class:`Found`).
- :func:`capture_run` and :func:`capture_trace` run a program once (the default schedule,
  a choice list or a replay token) for assertions about what it did;
  :func:`assert_trace_matches` and :func:`match_trace` check a trace against a pattern
  of step specs in which a set means "in any order".
- :func:`run_alone` unit-tests one actor against a :class:`ScriptedPeer` that plays a
  script (plain messages, and :class:`Call` requests whose replies it records).

Errors are :class:`TraceMismatchError` (an ``AssertionError``) and
:class:`HelperUsageError`, both under :class:`actors.ActorsError`.  Async helpers run
inside a trio run (pytest-trio).  Hypothesis is needed (it is imported on import).
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (checked first, for a clear message)
except ImportError as exc:  # pragma: no cover - Hypothesis is not installed
    raise ImportError(
        "actors.testing needs Hypothesis (and pytest-trio for async tests): "
        "pip install hypothesis pytest-trio"
    ) from exc

from actors.testing._capture import capture_run, capture_trace
from actors.testing._chooser import HypothesisChooser
from actors.testing._errors import HelperUsageError, TraceMismatchError
from actors.testing._pattern import (
    PatternItem,
    StepSpec,
    assert_trace_matches,
    match_trace,
    spec_matches,
)
from actors.testing._run import STRATEGY, Found, find_failure, run_with_hypothesis
from actors.testing._scripted import Alone, Call, ScriptedPeer, run_alone

__all__ = [
    "STRATEGY",
    "Alone",
    "Call",
    "Found",
    "HelperUsageError",
    "HypothesisChooser",
    "PatternItem",
    "ScriptedPeer",
    "StepSpec",
    "TraceMismatchError",
    "assert_trace_matches",
    "capture_run",
    "capture_trace",
    "find_failure",
    "match_trace",
    "run_alone",
    "run_with_hypothesis",
    "spec_matches",
]
