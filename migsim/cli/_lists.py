"""``migsim validate``, ``scenarios`` and ``policies``: check and list what there is."""

from __future__ import annotations

import argparse
import sys

from migsim._errors import MigsimError, ScenarioError
from migsim._pipeline import build
from migsim.cli._output import Printer
from migsim.scenario import library_dir, load_scenario, scenario_files


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario files (and build each once); print every problem, one per line."""
    bad = 0
    for path in scenario_files(args.files):
        try:
            scenario = load_scenario(path, args.set or [])
            build(scenario)
        except ScenarioError as err:
            bad += 1
            for line in err.lines():
                print(line, file=sys.stderr)
            continue
        except MigsimError as err:
            bad += 1
            print(f"{path}: {err}", file=sys.stderr)
            continue
        print(f"{path}: ok ({scenario.name})")
    return 2 if bad else 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the scenario library: name, races, era, expectation, description."""
    from pathlib import Path

    directory = Path(args.dir) if args.dir else library_dir()
    body = []
    for path in scenario_files([str(directory)]):
        s = load_scenario(path)
        expect = s.expect.outcome + (f" {s.expect.invariant}" if s.expect.invariant else "")
        body.append([s.name, ",".join(s.races) or "-", s.kernel.era, expect, s.description])
    Printer.for_terminal(as_json=False, no_progress=args.no_progress).table(
        ["scenario", "races", "era", "expect", "description"], body
    )
    return 0


def cmd_policies(args: argparse.Namespace) -> int:
    """List the policies: built-ins of each kind and installed entry-point plugins."""
    import policies

    body = []
    for kind in policies.KINDS:
        for name in policies.builtin_names(kind):
            obj = policies.BUILTINS[kind][name]
            fields = {a.name: getattr(obj, a.name) for a in getattr(obj, "__attrs_attrs__", ())}
            settings = ", ".join(f"{k}={v}" for k, v in fields.items() if k not in ("name", "kind"))
            body.append([kind, name, "built-in", settings])
    for name, value in _plugins(policies.ENTRY_POINT_GROUP, policies.NO_PLUGINS_ENV):
        body.append(["?", name, "entry point", value])
    Printer.for_terminal(as_json=False, no_progress=args.no_progress).table(
        ["kind", "name", "source", "settings"], body
    )
    return 0


def _plugins(group: str, env: str) -> list[tuple[str, str]]:
    import os
    from importlib import metadata

    if os.environ.get(env) == "1":
        return []
    return sorted((e.name, e.value) for e in metadata.entry_points(group=group))
