"""migsim: find concurrency bugs in Linux page-migration designs.

The composition root.  One pipeline answers every question (:func:`explore`,
:func:`replay`, :func:`shrink`, :func:`run_once`): a scenario is built into the kernel's
actors, explored, its first failure shrunk to a minimal interleaving, explained and
reported, all in one :class:`Result`::

    import migsim

    scenario = migsim.load_scenario("scenarios/seed-race.toml")
    result = migsim.explore(migsim.Subject.of_scenario(scenario))
    print(result.outcome, result.finding.explanation.text() if result.finding else "")

Scenarios (schema, loading, dumping, the library) are :mod:`migsim.scenario`; reports and
explanations :mod:`migsim.report`; a failing scenario reduced to what its failure needs
:func:`reduce_scenario`; the race builders of the domain reference
:mod:`migsim.races`; Hypothesis strategies and the ``sim`` fixture :mod:`migsim.testing`;
every scenario under every policy combination :func:`run_matrix` (:mod:`migsim.matrix`);
the command line :mod:`migsim.cli`.

Names are imported on first use, so ``import migsim`` (which the pytest plugin does) stays
cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from migsim._version import __version__

if TYPE_CHECKING:
    from migsim._errors import MigsimError, Problem, ReportError, ScenarioError, UsageError
    from migsim._pipeline import (
        BuildError,
        Options,
        Subject,
        build,
        explore,
        explore_async,
        replay,
        replay_async,
        replay_command,
        run_once,
        run_once_async,
        shrink,
        shrink_async,
    )
    from migsim._reduce import ReduceBudget, Reduction, reduce_scenario, reduce_scenario_async
    from migsim._result import Finding, Result
    from migsim._watch import SearchProgress
    from migsim._world import WorldError, build_program
    from migsim.matrix import Matrix, run_matrix
    from migsim.report import Explanation, RunReport, explain, invariant_meaning, write_report
    from migsim.scenario import (
        Daemon,
        Expect,
        Explore,
        KernelSpec,
        Machine,
        MmSpec,
        Policies,
        Scenario,
        Task,
        TaskStep,
        dump_scenario,
        find_scenario,
        library_dir,
        load_scenario,
        loads_scenario,
        scenario_files,
        validate_scenario,
    )

_EXPORTS: dict[str, str] = {
    "BuildError": "migsim._pipeline",
    "Daemon": "migsim.scenario",
    "Expect": "migsim.scenario",
    "Explanation": "migsim.report",
    "Explore": "migsim.scenario",
    "Finding": "migsim._result",
    "KernelSpec": "migsim.scenario",
    "Machine": "migsim.scenario",
    "Matrix": "migsim.matrix",
    "MigsimError": "migsim._errors",
    "MmSpec": "migsim.scenario",
    "Options": "migsim._pipeline",
    "Policies": "migsim.scenario",
    "ReduceBudget": "migsim._reduce",
    "Reduction": "migsim._reduce",
    "PolicyError": "policies",
    "Problem": "migsim._errors",
    "ReportError": "migsim._errors",
    "Result": "migsim._result",
    "RunReport": "migsim.report",
    "Scenario": "migsim.scenario",
    "ScenarioError": "migsim._errors",
    "SearchProgress": "migsim._watch",
    "Subject": "migsim._pipeline",
    "Task": "migsim.scenario",
    "TaskStep": "migsim.scenario",
    "UsageError": "migsim._errors",
    "WorldError": "migsim._world",
    "build": "migsim._pipeline",
    "build_program": "migsim._world",
    "dump_scenario": "migsim.scenario",
    "explain": "migsim.report",
    "explore": "migsim._pipeline",
    "explore_async": "migsim._pipeline",
    "find_scenario": "migsim.scenario",
    "invariant_meaning": "migsim.report",
    "library_dir": "migsim.scenario",
    "load_scenario": "migsim.scenario",
    "loads_scenario": "migsim.scenario",
    "reduce_scenario": "migsim._reduce",
    "reduce_scenario_async": "migsim._reduce",
    "replay": "migsim._pipeline",
    "replay_async": "migsim._pipeline",
    "replay_command": "migsim._pipeline",
    "run_matrix": "migsim.matrix",
    "run_once": "migsim._pipeline",
    "run_once_async": "migsim._pipeline",
    "scenario_files": "migsim.scenario",
    "shrink": "migsim._pipeline",
    "shrink_async": "migsim._pipeline",
    "validate_scenario": "migsim.scenario",
    "write_report": "migsim.report",
}

__all__ = [
    "BuildError",
    "Daemon",
    "Expect",
    "Explanation",
    "Explore",
    "Finding",
    "KernelSpec",
    "Machine",
    "Matrix",
    "MigsimError",
    "MmSpec",
    "Options",
    "Policies",
    "PolicyError",
    "Problem",
    "ReduceBudget",
    "Reduction",
    "ReportError",
    "Result",
    "RunReport",
    "Scenario",
    "ScenarioError",
    "SearchProgress",
    "Subject",
    "Task",
    "TaskStep",
    "UsageError",
    "WorldError",
    "__version__",
    "build",
    "build_program",
    "dump_scenario",
    "explain",
    "explore",
    "explore_async",
    "find_scenario",
    "invariant_meaning",
    "library_dir",
    "load_scenario",
    "loads_scenario",
    "reduce_scenario",
    "reduce_scenario_async",
    "replay",
    "replay_async",
    "replay_command",
    "run_matrix",
    "run_once",
    "run_once_async",
    "scenario_files",
    "shrink",
    "shrink_async",
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
