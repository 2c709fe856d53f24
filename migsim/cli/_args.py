"""What the commands read from their arguments: overrides, the replay's ``--set``s, the
report directory."""

from __future__ import annotations

import argparse
from pathlib import Path

from migsim.scenario import Scenario

FLAG_KEYS = (
    ("strategy", "explore.strategy"),
    ("schedules", "explore.schedules"),
    ("seed", "explore.seed"),
    ("depth", "explore.depth"),
    ("preemption_bound", "explore.preemption_bound"),
    ("max_steps", "explore.max_steps"),
)
"""Each explore flag and the scenario key it overrides."""


def overrides_of(args: argparse.Namespace) -> list[str]:
    """``--set`` overrides, then the explore flags given (flags win over ``--set``)."""
    sets = list(getattr(args, "set", None) or [])
    for attr, key in FLAG_KEYS:
        value = getattr(args, attr, None)
        if value is not None:
            sets.append(f'{key}="{value}"' if attr == "strategy" else f"{key}={value}")
    return sets


def replay_overrides(args: argparse.Namespace) -> tuple[str, ...]:
    """What a replay needs to rebuild the same program: ``--set``s and the step bound."""
    sets = list(getattr(args, "set", None) or [])
    if getattr(args, "max_steps", None) is not None:
        sets.append(f"explore.max_steps={args.max_steps}")
    return tuple(sets)


def out_dir(args: argparse.Namespace, scenario: Scenario) -> Path:
    """The report directory: ``--out``, else ``migsim-out/<scenario name>/``."""
    return Path(args.out) if args.out else Path("migsim-out") / scenario.name
