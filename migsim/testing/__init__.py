"""migsim.testing: property tests where Hypothesis draws the workload *and* the schedule.

- :func:`run_with_hypothesis` runs a program with every scheduling and data choice drawn
  from Hypothesis's ``data`` (:class:`HypothesisChooser`), so a failing interleaving is
  replayed, stored and shrunk like any other example; :func:`find_failure` does the
  search outside a test.
- Strategies for scenarios and their parts: :func:`scenarios`, :func:`machines`,
  :func:`address_spaces`, :func:`task_programs`, :func:`daemon_sets`,
  :func:`policy_combinations`.
- Helpers: :func:`capture_trace`, :func:`assert_trace_matches` (a set in the pattern means
  "any order"), :func:`run_alone` with a :class:`ScriptedPeer`, :func:`assert_ok`.
- The pytest plugin's ``sim`` fixture (:class:`Sim`), ``@pytest.mark.migsim`` and
  ``--slow`` (:func:`examples`).

See docs/testing.md for a tutorial.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (checked first, for a clear message)
except ImportError as exc:  # pragma: no cover - the test extra is not installed
    raise ImportError(
        "migsim.testing needs Hypothesis (and pytest-trio for async tests): "
        "pip install 'migsim[test]'"
    ) from exc

from migsim.testing._budget import SLOW_FACTOR, examples, is_slow
from migsim.testing._capture import capture_run, capture_trace
from migsim.testing._chooser import HypothesisChooser
from migsim.testing._errors import HelperUsageError
from migsim.testing._failure import FailingRunError, assert_ok, describe_failure
from migsim.testing._parts import (
    address_spaces,
    daemon_sets,
    machines,
    page_refs,
    policy_combinations,
    task_programs,
)
from migsim.testing._pattern import (
    PatternItem,
    StepSpec,
    TraceMismatchError,
    assert_trace_matches,
    match_trace,
    spec_matches,
)
from migsim.testing._run import STRATEGY, Found, find_failure, run_with_hypothesis
from migsim.testing._scenarios import scenarios
from migsim.testing._scripted import Alone, Call, ScriptedPeer, run_alone
from migsim.testing._sim import Finding, Sim, Target

__all__ = [
    "SLOW_FACTOR",
    "STRATEGY",
    "Alone",
    "Call",
    "FailingRunError",
    "Finding",
    "Found",
    "HelperUsageError",
    "HypothesisChooser",
    "PatternItem",
    "ScriptedPeer",
    "Sim",
    "StepSpec",
    "Target",
    "TraceMismatchError",
    "address_spaces",
    "assert_ok",
    "assert_trace_matches",
    "capture_run",
    "capture_trace",
    "daemon_sets",
    "describe_failure",
    "examples",
    "find_failure",
    "is_slow",
    "machines",
    "match_trace",
    "page_refs",
    "policy_combinations",
    "run_alone",
    "run_with_hypothesis",
    "scenarios",
    "spec_matches",
    "task_programs",
]
