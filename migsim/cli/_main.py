"""The ``migsim`` command line.

    migsim explore FILE [--strategy S] [--schedules N] [--seed S] [--depth D]
                        [--preemption-bound B] [--max-steps N] [--set KEY=VALUE ...]
                        [--json] [--out DIR] [--no-progress | --progress] [--no-reduce]
                        [--workers N]
    migsim replay TOKEN [FILE]      migsim shrink TOKEN [FILE]
    migsim run FILE --seed S        migsim validate FILE...
    migsim check DIR|FILE...        migsim policies        migsim scenarios
    migsim matrix [--policies KIND=NAME,... ...] [--scenarios DIR] [--workers N]

Exit status: 0 no failure (or every expectation met), 1 a failure found (or an
expectation missed), 2 bad input or usage, 3 an internal error (a bug in migsim).  Bad
input is reported as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import NoReturn

import actors
import policies
from migsim._version import __version__

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


MAX_FLAG_DIGITS = 40
"""A number given as a flag has at most 40 characters (the scenario's bounds are smaller)."""


def _int_at_least(lo: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        shown = _clip(repr(text))
        try:
            if len(text.strip()) > MAX_FLAG_DIGITS or not text.isascii():
                raise ValueError(text)  # int() would take any script's digits: "٣" is 3
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= {lo}; got {shown}") from None
        if value < lo:
            raise argparse.ArgumentTypeError(f"expected an integer >= {lo}; got {value}")
        return value

    parse.__name__ = f"integer >= {lo}"
    return parse


def _add_explore_flags(p: argparse.ArgumentParser, *, seed_required: bool = False) -> None:
    p.add_argument(
        "--strategy",
        choices=tuple(actors.STRATEGIES),
        help="exploration strategy (default: the scenario's [explore]): "
        + "; ".join(f"{k.name}: {k.description}" for k in actors.STRATEGIES.values()),
    )
    p.add_argument("--schedules", type=_int_at_least(1), help="at most N schedules")
    p.add_argument(
        "--seed",
        type=_int_at_least(0),
        required=seed_required,
        help="seed of the random strategies",
    )
    p.add_argument("--depth", type=_int_at_least(1), help="PCT bug depth")
    p.add_argument("--preemption-bound", type=_int_at_least(0), help="DFS preemption bound")
    _add_run_flags(p)


def _add_run_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-steps", type=_int_at_least(1), help="step bound of one run")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a scenario key, e.g. policies.fault_retry=pte-same",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--out", metavar="DIR", help="report directory (default migsim-out/NAME/)")
    _add_progress_flags(p)
    _add_trust_flag(p)


def _add_progress_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-progress", action="store_true", help="plain output, no progress bar")
    p.add_argument(
        "--progress",
        action="store_true",
        help="show progress on stderr even when it is not a terminal",
    )


def _add_trust_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-policy-imports",
        action="store_true",
        help="let the scenario file name module:attr policies, which imports and runs that "
        "code (only for files you trust; --set policies.KIND=module:attr needs no flag)",
    )
    p.add_argument(
        "--policy-budget",
        type=_seconds,
        metavar="SECONDS",
        help="wall budget of one policy call; a call past it is a P1 violation (default "
        f"{policies.DEFAULT_BUDGET_S:g}, or ${policies.BUDGET_ENV}; 0 turns the guard off)",
    )


def _seconds(text: str) -> float:
    """A ``--policy-budget`` value: seconds, a finite number >= 0."""
    try:
        return policies.parse_budget(text)
    except policies.PolicyError:
        raise argparse.ArgumentTypeError(
            f"expected seconds (a number >= 0; 0 turns the guard off); got {text!r}"
        ) from None


@contextlib.contextmanager
def _policy_budget(seconds: float | None) -> Iterator[None]:
    """Apply ``--policy-budget`` here and, through the environment, in worker processes
    (``--workers``, ``matrix``); both are restored afterwards (``main`` may run in-process)."""
    if seconds is None:
        yield
        return
    saved = os.environ.get(policies.BUDGET_ENV)
    os.environ[policies.BUDGET_ENV] = repr(seconds)
    try:
        with policies.call_budget(seconds):
            yield
    finally:
        if saved is None:
            del os.environ[policies.BUDGET_ENV]
        else:
            os.environ[policies.BUDGET_ENV] = saved


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``migsim`` command."""
    from migsim.campaign import add_parallel_flags
    from migsim.cli import _check, _explore, _lists, _runs

    parser = _Parser(
        prog="migsim",
        description="Find concurrency bugs in page-migration "
        "designs by exploring actor interleavings.",
    )
    parser.add_argument("--version", action="version", version=f"migsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("explore", help="explore a scenario's interleavings")
    p.add_argument("file", metavar="FILE")
    _add_explore_flags(p)
    p.add_argument(
        "--no-reduce",
        action="store_true",
        help="do not reduce a failing scenario to what its failure needs (reduced.toml)",
    )
    add_parallel_flags(p, default_workers=1)
    p.set_defaults(func=_explore.cmd_explore)

    for name, func, text in (
        ("replay", _runs.cmd_replay, "replay a token"),
        ("shrink", _runs.cmd_shrink, "shrink a failing token"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("token", metavar="TOKEN")
        p.add_argument(
            "file",
            metavar="FILE",
            nargs="?",
            help="the scenario (default: scenarios/<name in the token>.toml)",
        )
        _add_run_flags(p)
        p.set_defaults(func=func)

    p = sub.add_parser("run", help="run one schedule and print its whole trace")
    p.add_argument("file", metavar="FILE")
    _add_explore_flags(p, seed_required=True)
    p.set_defaults(func=_runs.cmd_run)

    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--set", action="append", metavar="KEY=VALUE")
    _add_trust_flag(p)
    p.set_defaults(func=_lists.cmd_validate)

    p = sub.add_parser("check", help="run every scenario's [expect] (pass/fail table)")
    p.add_argument("targets", metavar="DIR|FILE", nargs="+")
    p.add_argument("--set", action="append", metavar="KEY=VALUE")
    p.add_argument("--json", action="store_true")
    _add_progress_flags(p)
    _add_trust_flag(p)
    add_parallel_flags(p, default_workers=1)
    p.set_defaults(func=_check.cmd_check)

    p = sub.add_parser("policies", help="list the policies")
    p.add_argument("--no-progress", action="store_true", help="plain output")
    p.set_defaults(func=_lists.cmd_policies)

    p = sub.add_parser("scenarios", help="list the scenario library")
    p.add_argument("--dir", help="the library directory (default: scenarios/)")
    p.add_argument("--no-progress", action="store_true", help="plain output")
    p.set_defaults(func=_lists.cmd_scenarios)

    from migsim import campaign
    from migsim.cli import _matrix

    campaign.add_commands(sub)
    _matrix.add_command(sub)
    return parser


STOPPABLE = ("explore", "check", "run", "replay", "shrink")
"""The commands that stop at a schedule boundary on SIGINT or SIGTERM (see _signals)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``migsim`` command; return its exit status."""
    from migsim.cli._signals import StopRequest

    args = build_parser().parse_args(argv)
    args.stop = stop = StopRequest()
    try:
        with (
            stop.installed(armed=args.command in STOPPABLE),
            _policy_budget(getattr(args, "policy_budget", None)),
        ):
            status: int = args.func(args)
    except KeyboardInterrupt:
        print("migsim: interrupted", file=sys.stderr)
        return stop.status or 130
    except Exception as exc:  # every error becomes one line; only bugs get more
        return _report_error(exc, getattr(args, "file", None))
    return status


def _report_error(exc: Exception, file: str | None = None) -> int:
    """One line on stderr for ``exc``; a scenario error that does not name the ``file``
    the command was given (a policy or world error) is prefixed with it."""
    from actors import ActorsError, ReplayDivergence, TokenError
    from migsim._errors import MigsimError, ScenarioError

    if isinstance(exc, MigsimError | TokenError | ReplayDivergence):
        text = _one_line(str(exc))
        if isinstance(exc, MigsimError) and not isinstance(exc, ScenarioError) and file:
            text = f"{_one_line(file)}: {text}"
        print(f"migsim: {text}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, ActorsError | OSError):
        print(f"migsim: {type(exc).__name__}: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if os.environ.get("MIGSIM_DEBUG") == "1":
        traceback.print_exc()
    print(
        f"migsim: internal error (a bug in migsim): {type(exc).__name__}: "
        f"{_one_line(str(exc))}; set MIGSIM_DEBUG=1 for the traceback",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _one_line(text: str) -> str:
    """``text`` on one line, control characters escaped (a message cannot drive the
    terminal), cut when very long."""
    text = " ".join(text.split())
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return _clip(shown, 2000)


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"
