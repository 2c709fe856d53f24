"""The limits a scenario document must stay within, checked before any work is done.

Scenario files and ``--set`` values may come from strangers (see docs/security.md), so
reading one is bounded: the text's size, how deeply arrays and tables nest, and how many
digits a number has are checked *before* the TOML parser sees the text (the parser
recurses once per level and converts digits to an int of any size), and the parsed
document's depth once more (dotted keys and table headers nest without brackets).  The
numbers a scenario may hold are bounded by its schema (:mod:`._model`); the bounds that
the schema, the cross-checks and the docs share are declared here; docs/security.md lists
every one of them with its value (a test keeps the two equal).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

from migsim._errors import Problem

MAX_BYTES = 1 << 20
"""A scenario file (or one ``--set`` value) is at most 1 MiB."""
MAX_DEPTH = 32
"""Arrays and tables nest at most 32 levels (a scenario needs 4)."""
MAX_DIGITS = 40
"""A number is written with at most 40 digits (every bound below has 20 or fewer)."""
MAX_NODES = 64
MAX_CPUS = 1024
MAX_PAGES = 1 << 17
"""Pages of one node, of one ``[[mm]]``, of the whole machine, and swap slots: at most
2^17 (the kernel benchmark machine has 100k)."""
MAX_SPACE_PAGES = 1 << 18
"""Virtual pages of all address spaces together, fork children included (ptes built per run)."""
MAX_PTES_PER_TABLE = 1 << 20
MAX_TIME = 1 << 32
"""Virtual time (``sleep.ticks``, ``daemon.at``) and page versions: at most 2^32."""
MAX_PASSES = 1 << 16
MAX_SCHEDULES = 10**9
MAX_STEPS = 10**7
"""The step bound of one run (a trace is held in memory)."""
MAX_DEPTH_PCT = 64
MAX_PREEMPTIONS = 1 << 16
MAX_SEED = (1 << 64) - 1
MAX_STRING = 4096
"""A string value is at most 4096 characters (a name at most :data:`MAX_NAME`)."""
MAX_NAME = 128
MAX_KEY = 256
"""A ``--set`` key path is at most 256 characters."""
MAX_SHOWN = 80
"""A found value longer than this is shown cut, with an ellipsis and its length."""


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis and its length when longer."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def parse_toml(text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """Parse TOML ``text`` within the limits: the document, or the one problem with it."""
    problem = scan(text)
    if problem is None:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return None, Problem("", "valid TOML", clip(str(exc), 200))
        except (RecursionError, ValueError, MemoryError) as exc:  # defence in depth
            return None, Problem("", "TOML within migsim's limits", type(exc).__name__)
        problem = check_depth(doc)
    return (None, problem) if problem else (doc, None)


def scan(text: str) -> Problem | None:
    """The first limit ``text`` exceeds (size, bracket nesting, dotted-key parts, digits),
    or None.

    A small lexer that skips strings and comments: what it counts is what the TOML parser
    would recurse on, convert to a number, or walk once per part of a key.
    """
    if len(text) > MAX_BYTES:
        return Problem("", f"at most {MAX_BYTES} characters", f"{len(text)} characters")
    return _Scanner(text).run()


_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_- \t\"'")
"""What a dotted key is made of: bare-key characters, quotes and blanks around the dots."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1

    def run(self) -> Problem | None:
        depth = dots = 0
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c == ".":  # a dotted key nests a table per part, and tomllib's cost is
                dots += 1  # quadratic in the parts: 20,000 of them take half a minute
                if dots >= MAX_DEPTH:
                    return self._problem(
                        f"arrays and tables nested at most {MAX_DEPTH} deep "
                        f"(a dotted key of at most {MAX_DEPTH} parts)"
                    )
            elif c not in _KEY_CHARS:
                dots = 0  # anything but a key's own characters ends the dotted key
            if c in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return self._problem(f"arrays and tables nested at most {MAX_DEPTH} deep")
            elif c in "]}":
                depth = max(depth - 1, 0)
            elif c == "\n":
                self.line += 1
            elif c == "#":
                self._skip_to("\n")
                continue
            elif c in "\"'":
                self._skip_string(c)
                continue
            elif c.isdigit():
                if self._digits() > MAX_DIGITS:
                    return self._problem(f"a number of at most {MAX_DIGITS} digits")
                continue
            self.i += 1
        return None

    def _problem(self, expected: str) -> Problem:
        return Problem("", expected, f"more, at line {self.line}")

    def _skip_to(self, end: str) -> None:
        found = self.text.find(end, self.i)
        self.i = len(self.text) if found < 0 else found

    def _skip_string(self, quote: str) -> None:
        text = self.text
        triple = text.startswith(quote * 3, self.i)
        close = quote * 3 if triple else quote
        self.i += len(close)
        while self.i < len(text):
            c = text[self.i]
            if c == "\\" and quote == '"':
                self.i += 2
                continue
            if c == "\n":
                self.line += 1
                if not triple:
                    return  # an unterminated string: the parser reports it
            if text.startswith(close, self.i):
                self.i += len(close)
                while triple and self.i < len(text) and text[self.i] == quote:
                    self.i += 1  # up to two quotes may end a multi-line string's content
                return
            self.i += 1

    def _digits(self) -> int:
        """Skip a word that starts with a digit (a number, ``0x...``); return its length."""
        text, start = self.text, self.i
        while self.i < len(text) and (text[self.i].isalnum() or text[self.i] == "_"):
            self.i += 1
        return self.i - start


def check_depth(doc: object) -> Problem | None:
    """The depth problem of a parsed document (or any dict or list), walked without recursion."""
    stack: list[tuple[object, int]] = [(doc, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return Problem("", f"arrays and tables nested at most {MAX_DEPTH} deep", "more")
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            stack.extend((v, depth + 1) for v in node)
    return None
