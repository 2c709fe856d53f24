"""migsim: find concurrency bugs in Linux page-migration designs.

The composition root: scenario files (load, check, dump), the ``migsim`` command line,
and the reports that explain a failing interleaving.  A scenario states a small machine,
its address spaces, tasks and daemons, the kernel policies in force, how to explore it and
what outcome to expect::

    import migsim
    scenario = migsim.load_scenario("scenarios/seed-race.toml")
    print(migsim.dump_scenario(scenario))
"""

from __future__ import annotations

import importlib.util

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
from migsim._version import __version__

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
    "dump_scenario",
    "explain",
    "load_scenario",
    "loads_scenario",
    "validate_scenario",
    "write_report",
]

# The world builder (scenario -> program of kernel actors) is exported once it exists.
if importlib.util.find_spec("migsim._world") is not None:
    __all__ += ["build_program"]


def __getattr__(name: str) -> object:
    # Imported on first use: building worlds pulls in the whole kernel, which loading,
    # checking and dumping scenarios never need.
    if name == "build_program" and "build_program" in __all__:
        from migsim._world import build_program  # type: ignore[import-not-found,unused-ignore]

        return build_program
    raise AttributeError(f"module 'migsim' has no attribute {name!r}")
