"""``migsim validate``, ``scenarios`` and ``policies``: check and list what there is."""

from __future__ import annotations

import argparse
import sys

import attrs

from migsim._errors import MigsimError, ScenarioError
from migsim._pipeline import build
from migsim.cli._output import Printer
from migsim.scenario import Policies, Scenario, library_dir, load_scenario, scenario_files


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario files (and build each once); print every problem, one per line.

    ``module:attr`` policies are never imported here: the build uses a built-in in their
    place, and the line says which were not imported.
    """
    bad = 0
    allow = bool(getattr(args, "allow_policy_imports", False))
    for path in scenario_files(args.files):
        try:
            scenario = load_scenario(path, args.set or [], allow_policy_imports=allow)
            stand_in, skipped = without_imports(scenario)
            build(stand_in)
        except ScenarioError as err:
            bad += 1
            for line in err.lines():
                print(line, file=sys.stderr)
            continue
        except MigsimError as err:
            bad += 1
            print(f"{path}: {err}", file=sys.stderr)
            continue
        note = f"; not imported (validate skips the import check): {skipped}" if skipped else ""
        print(f"{path}: ok ({scenario.name}){note}")
    return 2 if bad else 0


def without_imports(scenario: Scenario) -> tuple[Scenario, str]:
    """``scenario`` with each ``module:attr`` policy replaced by a built-in, and which were.

    The stand-in for ``mlocked`` lets locked pages migrate, so that no initial state a
    plugin might allow is rejected; the others take the kind's default.
    """
    chosen = attrs.asdict(scenario.policies)
    imports = {kind: name for kind, name in chosen.items() if ":" in name}
    if not imports:
        return scenario, ""
    for kind in imports:
        chosen[kind] = _stand_in(kind)
    skipped = ", ".join(f"policies.{kind} = {name!r}" for kind, name in imports.items())
    return attrs.evolve(scenario, policies=Policies(**chosen)), skipped


def _stand_in(kind: str) -> str:
    import policies as pol

    if kind == "mlocked":
        for name, policy in pol.BUILTINS[kind].items():
            if pol.lets_mlocked_pages_migrate(policy):
                return name
    return pol.DEFAULTS[kind]


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the scenario library: name, races, era, expectation, description."""
    from pathlib import Path

    directory = Path(args.dir) if args.dir else library_dir()
    body = []
    for path in scenario_files([str(directory)]):
        s = load_scenario(path)
        expect = s.expect.outcome + (f" {s.expect.invariant}" if s.expect.invariant else "")
        body.append(
            [s.name, ",".join(s.races) or "-", s.kernel.era, expect, printable(s.description)]
        )
    Printer.for_terminal(as_json=False, no_progress=args.no_progress).table(
        ["scenario", "races", "era", "expect", "description"], body
    )
    return 0


def printable(text: str) -> str:
    """``text`` with control and escape characters shown as escapes (``\\x1b``), so that
    a description cannot move the cursor, recolour or retitle the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def cmd_policies(args: argparse.Namespace) -> int:
    """List the policies: kind, name, source (built-in or the entry point), the policy API
    version each declares, whether it loads, and a description (a built-in's settings).

    Every installed plugin is loaded and validated, so one that cannot be used is listed
    with status "error" and its real reason is printed on stderr, one line each.
    """
    import policies

    body = []
    for row in policies.catalog():
        version = "-" if row.api_version is None else str(row.api_version)
        status = "ok" if row.ok else "error"
        body.append([row.kind, row.name, row.source, version, status, printable(row.description)])
        if not row.ok:
            print(f"migsim: warning: {printable(row.status)}", file=sys.stderr)
    Printer.for_terminal(as_json=False, no_progress=args.no_progress).table(
        ["kind", "name", "source", "api", "status", "description"], body
    )
    return 0
