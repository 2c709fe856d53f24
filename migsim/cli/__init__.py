"""migsim.cli: the ``migsim`` command line (explore, replay, shrink, run, validate, check,
policies, scenarios); see docs/cli.md.  Every command runs the one pipeline of
:mod:`migsim` and prints its result as rows, a table, or one JSON object."""

from __future__ import annotations

from migsim.cli._main import EXIT_FOUND, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, build_parser, main
from migsim.cli._output import Printer
from migsim.cli._progress import ProgressDisplay

__all__ = [
    "EXIT_FOUND",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "Printer",
    "ProgressDisplay",
    "build_parser",
    "main",
]
