"""migsim's pytest plugin (entry point ``pytest11``: ``migsim``).

It adds:

- the ``sim`` fixture (:class:`migsim.testing.Sim`): explore a scenario or any actors
  program inside the test's trio run (pytest-trio), fail with the invariant, the
  explanation and the replay token, and attach the failing run's Mermaid trace to the
  test report;
- the marker ``@pytest.mark.migsim(strategy=..., schedules=..., ...)`` that sets the
  fixture's exploration settings (registered, so ``--strict-markers`` accepts it);
- the ``--slow`` option: run tests marked ``slow`` (skipped otherwise) and multiply the
  budgets that ask for it (``migsim.testing.examples(n)``, the ``sim`` schedules).

pytest imports this module in every session where migsim is installed, so it imports
nothing of migsim's testing machinery (Hypothesis, the kernel) until a test asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from migsim.testing import Sim

SLOW_ENV = "MIGSIM_SLOW"
"""Set to "1" while ``--slow`` is on (worker processes and subprocesses inherit it)."""

MARKER = (
    "migsim(strategy, schedules, seed, depth, preemption_bound, max_steps, stop_on_first, "
    "shrink): exploration settings of the sim fixture (keyword arguments only)"
)

_SIM = pytest.StashKey["Sim"]()
_SAVED_ENV = pytest.StashKey["str | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--slow``."""
    group = parser.getgroup("migsim", "migsim property tests")
    group.addoption(
        "--slow",
        action="store_true",
        default=False,
        help="run tests marked slow, with 10x the Hypothesis examples and sim schedules",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker; turn slow mode on for this session under ``--slow``."""
    config.addinivalue_line("markers", MARKER)
    config.addinivalue_line("markers", "slow: long-running exploration (run with --slow)")
    if config.getoption("slow", default=False):
        config.stash[_SAVED_ENV] = os.environ.get(SLOW_ENV)
        os.environ[SLOW_ENV] = "1"


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the environment as it was before this session."""
    if _SAVED_ENV in config.stash:
        saved = config.stash[_SAVED_ENV]
        if saved is None:
            os.environ.pop(SLOW_ENV, None)
        else:
            os.environ[SLOW_ENV] = saved


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``--slow``, skip the tests marked ``slow``."""
    if config.getoption("slow", default=False):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


@pytest.fixture
def sim(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Sim:
    """Explore scenarios and programs in this test (settings from ``@pytest.mark.migsim``)."""
    from migsim.testing import Sim

    marker = request.node.get_closest_marker("migsim")
    if marker is not None and marker.args:
        raise pytest.UsageError(
            f"{request.node.nodeid}: @pytest.mark.migsim takes keyword arguments only, "
            f"e.g. @pytest.mark.migsim(strategy='pct', schedules=200); got {marker.args!r}"
        )
    options = dict(marker.kwargs) if marker is not None else {}
    sim = Sim(options, report_root=lambda: tmp_path_factory.mktemp("migsim"))
    request.node.stash[_SIM] = sim
    return sim


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the Mermaid trace of every run the ``sim`` fixture reported as failing."""
    report = yield
    sim = item.stash.get(_SIM, None)
    if sim is not None and report.when == "call" and report.failed:
        for finding in sim.findings:
            title = f"migsim trace of {finding.name or 'the program'} (Mermaid)"
            report.sections.append((title, finding.mermaid))
            if finding.report_dir is not None:
                item.user_properties.append(("migsim_report", str(finding.report_dir)))
    return report
