"""migsim: find concurrency bugs in Linux page-migration designs.

The composition root: scenario files (load, check, dump), the world builder that turns a
scenario into the kernel's actors, the ``migsim`` command line, and the reports that
explain a failing interleaving.  A scenario states a small machine, its address spaces,
tasks and daemons, the kernel policies in force, how to explore it and what outcome to
expect::

    import migsim
    from actors import Budget, explore, pct

    scenario = migsim.load_scenario("scenarios/seed-race.toml")
    found = explore(migsim.build_program(scenario), pct(0, 3), Budget(schedules=200))

The race scenarios of the domain reference are built in Python by :mod:`migsim.races`;
Hypothesis strategies and test helpers live in :mod:`migsim.testing`.

Names are imported on first use, so ``import migsim`` (which the pytest plugin does) stays
cheap: loading scenarios needs no kernel, and reading them needs no trio.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from migsim._version import __version__

if TYPE_CHECKING:
    from migsim._dump import dump_scenario
    from migsim._errors import MigsimError, ScenarioError
    from migsim._explain import Explanation, explain
    from migsim._loader import load_scenario, loads_scenario, validate_scenario
    from migsim._report import RunReport, write_report
    from migsim._scenario import (
        Daemon,
        Expect,
        Explore,
        Machine,
        MmSpec,
        Policies,
        Scenario,
        Task,
        TaskStep,
    )
    from migsim._world import build_program

_EXPORTS: dict[str, str] = {
    "Daemon": "migsim._scenario",
    "Expect": "migsim._scenario",
    "Explanation": "migsim._explain",
    "Explore": "migsim._scenario",
    "Machine": "migsim._scenario",
    "MigsimError": "migsim._errors",
    "MmSpec": "migsim._scenario",
    "Policies": "migsim._scenario",
    "RunReport": "migsim._report",
    "Scenario": "migsim._scenario",
    "ScenarioError": "migsim._errors",
    "Task": "migsim._scenario",
    "TaskStep": "migsim._scenario",
    "build_program": "migsim._world",
    "dump_scenario": "migsim._dump",
    "explain": "migsim._explain",
    "load_scenario": "migsim._loader",
    "loads_scenario": "migsim._loader",
    "validate_scenario": "migsim._loader",
    "write_report": "migsim._report",
}

__all__ = [
    "Daemon",
    "Expect",
    "Explanation",
    "Explore",
    "Machine",
    "MigsimError",
    "MmSpec",
    "Policies",
    "RunReport",
    "Scenario",
    "ScenarioError",
    "Task",
    "TaskStep",
    "__version__",
    "build_program",
    "dump_scenario",
    "explain",
    "load_scenario",
    "loads_scenario",
    "validate_scenario",
    "write_report",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'migsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
