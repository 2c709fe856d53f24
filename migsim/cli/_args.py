"""What the commands read from their arguments: overrides, the replay's ``--set``s, the
report directory."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from migsim._errors import UsageError
from migsim._result import Result
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
    """The report directory: ``--out``, else ``migsim-out/<scenario name>/``.

    Raises :class:`UsageError` for an ``--out`` no directory can have (empty, or holding a
    NUL character), before anything runs.
    """
    if args.out is None:
        return Path("migsim-out") / report_dir_name(scenario.name)
    if not args.out or "\0" in args.out:
        got = "an empty name" if not args.out else "a name with a NUL character"
        raise UsageError(f"--out: expected a directory path; got {got}")
    return Path(args.out)


def report_dir_name(name: str) -> str:
    """A scenario name as a directory name that stays inside ``migsim-out/``: a name may
    hold dots, and ``.``, ``..`` (or any name starting with a dot) would escape or hide,
    so those get a leading ``_``."""
    return f"_{name}" if name.startswith(".") or not name else name


def should_stop(args: argparse.Namespace) -> Callable[[], bool] | None:
    """The pipeline's ``should_stop``: the command's SIGINT / SIGTERM flag (see _signals)."""
    stop = getattr(args, "stop", None)
    return None if stop is None else stop.requested


def interrupted_status(args: argparse.Namespace) -> int:
    """128 + the signal that interrupted the command (0 if none did)."""
    stop = getattr(args, "stop", None)
    return 0 if stop is None else int(stop.status)


def exit_status(args: argparse.Namespace, result: Result) -> int:
    """2 when the report could not be written, 128 + signal when interrupted, 1 when a
    failure was found, else 0 (the result itself is printed in every case)."""
    if result.report_error:
        return 2
    if result.search.interrupted:
        return interrupted_status(args) or 130
    return 1 if result.failed else 0
