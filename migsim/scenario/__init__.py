"""migsim.scenario: what a scenario states, and reading, checking and writing it.

- the data model and its schema, stated once (:class:`Scenario` and its parts);
- :func:`load_scenario` / :func:`loads_scenario` / :func:`validate_scenario`: a TOML file,
  a string or a Python-built scenario checked whole (every problem with its key path);
- ``--set KEY=VALUE`` overrides, applied before the check;
- :func:`dump_scenario`: the canonical TOML form (``load(dump(s)) == s``);
- the library: :func:`library_dir`, :func:`scenario_files`, :func:`find_scenario`, and
  :func:`library_texts`, the files as the race registry generates them (``make library``).
"""

from __future__ import annotations

from migsim.scenario._dump import dump_scenario
from migsim.scenario._library import find_scenario, library_dir, scenario_files
from migsim.scenario._library_build import library_texts
from migsim.scenario._loader import (
    load_scenario,
    loads_scenario,
    scenario_from_dict,
    validate_scenario,
)
from migsim.scenario._model import (
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
)
from migsim.scenario._overrides import parse_value as parse_override_value

__all__ = [
    "Daemon",
    "Expect",
    "Explore",
    "KernelSpec",
    "Machine",
    "MmSpec",
    "Policies",
    "Scenario",
    "Task",
    "TaskStep",
    "dump_scenario",
    "find_scenario",
    "library_dir",
    "library_texts",
    "load_scenario",
    "loads_scenario",
    "parse_override_value",
    "scenario_files",
    "scenario_from_dict",
    "validate_scenario",
]
