"""migsim.testing: property tests of the kernel model, on top of :mod:`actors.testing`.

The generic tools (Hypothesis-drawn schedules with ``run_with_hypothesis`` and
``find_failure``, ``capture_trace``, ``assert_trace_matches``, ``run_alone``) live in
:mod:`actors.testing`, beside the runtime.  This package adds what knows migsim's kernel:

- Strategies for scenarios and their parts, valid by construction: :func:`scenarios`,
  :func:`machines`, :func:`address_spaces`, :func:`task_programs`, :func:`daemon_sets`,
  :func:`policy_combinations`, :func:`page_refs`.
- :func:`assert_ok` and :func:`describe_failure`: a failing run as a test report that
  names the kernel invariant, explains the racing steps and gives the replay token
  (:class:`FailingRunError`).
- The pytest plugin's ``sim`` fixture (:class:`Sim`, :class:`Finding`, :data:`Target`),
  ``@pytest.mark.migsim`` and ``--slow`` (:func:`examples`, :func:`is_slow`,
  :data:`SLOW_FACTOR`).

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
from migsim.testing._failure import FailingRunError, assert_ok, describe_failure
from migsim.testing._parts import (
    address_spaces,
    daemon_sets,
    machines,
    page_refs,
    policy_combinations,
    task_programs,
)
from migsim.testing._scenarios import scenarios
from migsim.testing._sim import Finding, Sim, Target

__all__ = [
    "SLOW_FACTOR",
    "FailingRunError",
    "Finding",
    "Sim",
    "Target",
    "address_spaces",
    "assert_ok",
    "daemon_sets",
    "describe_failure",
    "examples",
    "is_slow",
    "machines",
    "page_refs",
    "policy_combinations",
    "scenarios",
    "task_programs",
]
