"""Printing results: plain text (deterministic), a rich table on a terminal, or one JSON object.

Commands describe their result as rows of ``(label, value)``; :class:`Printer` prints them
as aligned plain text, or, for a person at a terminal, as a rich table.  ``--json`` prints
exactly one JSON object on stdout and nothing else.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TextIO

import attrs

UNWRAPPED = ("replay",)  # rows printed on one line after a terminal's table


@attrs.frozen
class Printer:
    """Where and how to print: ``rich`` for a terminal, else plain; ``json`` mode."""

    out: TextIO
    rich: bool = False
    json: bool = False

    @classmethod
    def for_terminal(cls, *, as_json: bool, no_progress: bool) -> Printer:
        """Rich output only when stdout is a terminal and the user did not ask for plain."""
        fancy = not as_json and not no_progress and sys.stdout.isatty()
        return cls(sys.stdout, rich=fancy, json=as_json)

    def rows(self, rows: Sequence[tuple[str, str]], *, title: str = "") -> None:
        """Print ``label: value`` rows (a two-column table on a terminal)."""
        if self.json:
            return
        if self.rich:
            from rich.console import Console
            from rich.table import Table
            from rich.text import Text

            table = Table(show_header=False, box=None, padding=(0, 1))
            table.add_column(style="bold cyan", no_wrap=True)
            table.add_column()
            keep_whole = [(label, value) for label, value in rows if label in UNWRAPPED]
            for label, value in rows:
                if label not in UNWRAPPED:
                    table.add_row(Text(label), Text(value))  # Text: "[W:pte]" is not markup
            console = Console(file=self.out)
            if title:
                console.print(title, style="bold", markup=False)
            console.print(table)
            for label, value in keep_whole:  # a command must survive copy and paste
                console.print(Text(f"{label}: {value}"), soft_wrap=True)
            return
        if title:
            print(title, file=self.out)
        width = max((len(label) for label, _ in rows), default=0) + 1
        for label, value in rows:
            first, *rest = value.split("\n") if value else [""]
            print(f"{label + ':':<{width}} {first}".rstrip(), file=self.out)
            for line in rest:
                print(f"{'':<{width}} {line}".rstrip(), file=self.out)

    def table(self, header: Sequence[str], body: Sequence[Sequence[str]]) -> None:
        """Print a table with a header row."""
        if self.json:
            return
        if self.rich:
            from rich.console import Console
            from rich.table import Table
            from rich.text import Text

            table = Table(*header)
            for row in body:
                table.add_row(*(Text(cell) for cell in row))
            Console(file=self.out).print(table)
            return
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        for row in [header, *body]:
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            print(line.rstrip(), file=self.out)

    def line(self, text: str = "") -> None:
        """Print one line of text (nothing in JSON mode)."""
        if not self.json:
            print(text, file=self.out)

    def emit_json(self, obj: dict[str, object]) -> None:
        """Print the single JSON object of a ``--json`` run."""
        print(json.dumps(obj, sort_keys=False), file=self.out)
