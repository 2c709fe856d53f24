"""The ``migsim`` commands: each takes parsed arguments and returns the exit status.

Exit status: 0 no failure (or every expectation met), 1 a failure found (or an expectation
missed), 2 bad input or usage.  Bad input raises a :class:`~migsim._errors.MigsimError` (or
the runtime's token errors), which :func:`migsim._cli.main` prints as one line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import actors
from migsim._campaign import (
    Campaign,
    build,
    explore_scenario,
    replay_command,
)
from migsim._errors import ScenarioError
from migsim._invariants import meaning
from migsim._library import library_dir, scenario_files
from migsim._loader import load_scenario
from migsim._output import Printer
from migsim._progress import ProgressDisplay
from migsim._render_summary import trace_table
from migsim._scenario import Scenario

FLAG_KEYS = (
    ("strategy", "explore.strategy"),
    ("schedules", "explore.schedules"),
    ("seed", "explore.seed"),
    ("depth", "explore.depth"),
    ("preemption_bound", "explore.preemption_bound"),
    ("max_steps", "explore.max_steps"),
)


def overrides_of(args: argparse.Namespace) -> list[str]:
    """``--set`` overrides, then the explore flags given (flags win over ``--set``)."""
    sets = list(getattr(args, "set", None) or [])
    for attr, key in FLAG_KEYS:
        value = getattr(args, attr, None)
        if value is not None:
            sets.append(f'{key}="{value}"' if attr == "strategy" else f"{key}={value}")
    return sets


def replay_overrides(args: argparse.Namespace) -> list[str]:
    """What a replay needs to rebuild the same program: ``--set``s and the step bound."""
    sets = list(getattr(args, "set", None) or [])
    if getattr(args, "max_steps", None) is not None:
        sets.append(f"explore.max_steps={args.max_steps}")
    return sets


def out_dir(args: argparse.Namespace, scenario: Scenario) -> Path:
    return Path(args.out) if args.out else Path("migsim-out") / scenario.name


def cmd_explore(args: argparse.Namespace) -> int:
    """Explore a scenario's interleavings; shrink, explain and report the first failure."""
    scenario = load_scenario(args.file, overrides_of(args))
    printer = Printer.for_terminal(as_json=args.json, no_progress=args.no_progress)
    sets = replay_overrides(args)
    show = not args.json and not args.no_progress and _stderr_is_tty()
    with ProgressDisplay(scenario.name, scenario.explore.schedules, enabled=show) as bar:
        campaign = explore_scenario(
            scenario,
            out_dir=out_dir(args, scenario),
            replay_hint=lambda token: replay_command(token, args.file, sets),
            on_progress=bar.update,
        )
    if args.json:
        printer.emit_json(campaign_json(campaign, args.file, sets))
    else:
        printer.rows(
            campaign_rows(campaign, args.file, sets, timing=printer.rich),
            title=f"migsim explore {scenario.name}",
        )
        if campaign.found is not None:  # the minimal interleaving itself, step by step
            found = campaign.found
            printer.line()
            for line in trace_table(found.report, set(found.explanation.steps)):
                printer.line(line)
    return 1 if campaign.found else 0


def _stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def campaign_rows(
    c: Campaign, file: str, sets: list[str], *, timing: bool
) -> list[tuple[str, str]]:
    """The summary of an exploration, as rows (timing only for a terminal)."""
    x = c.exploration
    rows = [
        ("scenario", f"{c.scenario.name} ({file})"),
        ("strategy", x.strategy),
        (
            "explored",
            f"{x.schedules} schedules, {x.steps} steps, coverage {x.coverage}, "
            f"{x.distinct_states} distinct states, max preemptions {x.max_preemptions}",
        ),
    ]
    if x.step_bound_hits:
        rows.append(("step bound", f"hit in {x.step_bound_hits} schedules (raise max_steps)"))
    if timing:
        rate = x.schedules / c.elapsed_s if c.elapsed_s > 0 else 0.0
        rows.append(("elapsed", f"{c.elapsed_s:.2f} s ({rate:.0f} schedules/s)"))
    if c.found is None:
        done = "exhaustive search complete" if x.exhaustive_complete else "within the budget"
        rows.append(("result", f"ok: no failure in {x.schedules} schedules ({done})"))
        return rows
    return rows + failure_rows(
        c.found.shrunk,
        c.found.explanation.lines,
        first=c.found.first,
        files=c.found.files,
        replay_line=replay_command(c.found.shrunk.token, file, sets),
    )


def failure_rows(
    shown: actors.RunResult,
    why: tuple[str, ...],
    *,
    first: actors.RunResult | None,
    files: tuple[Path, ...],
    replay_line: str,
) -> list[tuple[str, str]]:
    """Rows that explain one failing run."""
    o = shown.outcome
    rows = [("result", f"{o.kind.upper()} {o.code}: {o.message}".replace("  ", " "))]
    if meaning(o.code):
        rows.append(("invariant", f"{o.code}: {meaning(o.code)}"))
    rows.append(("why", "\n".join(why)))
    shrunk = _size(shown)
    if first is not None and first is not shown:
        shrunk += f" (first found: {_size(first)})"
    rows.append(("schedule", shrunk))
    rows.append(("replay", replay_line))
    if files:
        rows.append(("files", "\n".join(str(p) for p in files)))
    return rows


def _size(run: actors.RunResult) -> str:
    plural = "" if run.preemptions == 1 else "s"
    return f"{run.steps} steps, {run.preemptions} preemption{plural}"


def campaign_json(c: Campaign, file: str, sets: list[str]) -> dict[str, object]:
    """The one JSON object of ``explore --json``."""
    x = c.exploration
    found = c.found
    o = found.shrunk.outcome if found else None
    return {
        "scenario": c.scenario.name,
        "file": file,
        "outcome": c.outcome,
        "invariant": o.code if o and o.code else None,
        "meaning": meaning(o.code) if o else None,
        "message": o.message if o else "",
        "token": found.shrunk.token if found else None,
        "replay": replay_command(found.shrunk.token, file, sets) if found else None,
        "strategy": x.strategy,
        "schedules": x.schedules,
        "steps": x.steps,
        "coverage": x.coverage,
        "distinct_states": x.distinct_states,
        "max_preemptions": x.max_preemptions,
        "step_bound_hits": x.step_bound_hits,
        "exhaustive_complete": x.exhaustive_complete,
        "elapsed_s": round(c.elapsed_s, 3),
        "first_steps": found.first.steps if found else None,
        "shrunk_steps": found.shrunk.steps if found else None,
        "preemptions": found.shrunk.preemptions if found else None,
        "explanation": list(found.explanation.lines) if found else [],
        "files": [str(p) for p in found.files] if found else [],
    }


def cmd_validate(args: argparse.Namespace) -> int:
    """Check scenario files (and build each once); print every problem."""
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
        except ValueError as err:
            bad += 1
            print(f"{path}: {err}", file=sys.stderr)
            continue
        print(f"{path}: ok ({scenario.name})")
    return 2 if bad else 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the scenario library: name, races, expectation, description."""
    directory = Path(args.dir) if args.dir else library_dir()
    body = []
    for path in scenario_files([str(directory)]):
        s = load_scenario(path)
        expect = s.expect.outcome + (f" {s.expect.invariant}" if s.expect.invariant else "")
        body.append([s.name, ",".join(s.races) or "-", expect, s.description])
    Printer.for_terminal(as_json=False, no_progress=args.no_progress).table(
        ["scenario", "races", "expect", "description"], body
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
