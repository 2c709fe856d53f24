"""The shape of a scenario document: which keys each table takes, and of what type.

The loader walks a parsed TOML document with these small checker objects before anything
is built, so that every wrong type, out-of-range number, misspelt choice and unknown key is
reported with its key path, what was expected and what was found.  Checkers never raise:
they append :class:`~migsim._errors.Problem` values and return the normalised value (or
:data:`INVALID`), so one pass collects every problem in the document.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from typing import Final

import attrs

from migsim._errors import Problem
from migsim.scenario._limits import MAX_DIGITS, MAX_STRING, clip


class _Invalid:
    """The marker for a value that failed its check (its problem is already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def describe(value: object) -> str:
    """How a found value is shown in an error: strings quoted, tables and lists by kind."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        return clip(json.dumps(value))
    if isinstance(value, int):
        if value.bit_length() > 4 * MAX_DIGITS:  # str() of a huge int is slow, or refused
            return f"an integer of {value.bit_length()} bits"
        return str(value)
    if isinstance(value, float):
        return f"{value!r} (a float)"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def join(path: str, key: str | int) -> str:
    """Extend a key path: ``join("task[1]", "cpu") == "task[1].cpu"``, ints become ``[i]``.

    Keys that TOML could not write bare (empty, spaces, newlines) are quoted; long ones
    are cut.
    """
    if isinstance(key, int):
        return f"{path}[{key}]"
    if not _BARE_KEY.fullmatch(key):
        key = json.dumps(key)  # TOML's quoted-key form: machine."odd key"
    key = clip(key)  # a 100 kB key is shown cut, with its length
    return f"{path}.{key}" if path else key


@attrs.frozen
class Int:
    """An integer (booleans are not integers here) within ``[lo, hi]``.

    Every field states its ``hi`` (:mod:`._limits`), so no number in a scenario makes
    migsim allocate or loop without bound.
    """

    lo: int | None = None
    hi: int | None = None

    def expected(self) -> str:
        if self.lo is not None and self.hi is not None:
            return f"an integer from {self.lo} to {self.hi}"
        if self.lo is not None:
            return f"an integer >= {self.lo}"
        return "an integer"

    def check(self, value: object, path: str, out: list[Problem]) -> object:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and self.lo is not None and value < self.lo:  # type: ignore[operator]
            ok = False
        if ok and self.hi is not None and value > self.hi:  # type: ignore[operator]
            ok = False
        if not ok:
            out.append(Problem(path, self.expected(), describe(value)))
            return INVALID
        return value


@attrs.frozen
class Str:
    """A string of at most ``max_len`` characters; ``nonempty`` rejects ``""``;
    ``charset`` limits the characters used."""

    nonempty: bool = False
    charset: str = ""
    what: str = "a string"
    max_len: int = MAX_STRING

    def check(self, value: object, path: str, out: list[Problem]) -> object:
        ok = isinstance(value, str) and (value != "" or not self.nonempty)
        if ok and self.charset:
            ok = all(c in self.charset for c in str(value)) and value != ""
        if not ok:
            out.append(Problem(path, self.what, describe(value)))
            return INVALID
        if len(str(value)) > self.max_len:
            expected = f"{self.what} of at most {self.max_len} characters"
            out.append(Problem(path, expected, describe(value)))
            return INVALID
        return value


@attrs.frozen
class Choice:
    """One of a fixed set of strings; the error suggests the closest one."""

    options: tuple[str, ...]

    def check(self, value: object, path: str, out: list[Problem]) -> object:
        if isinstance(value, str) and value in self.options:
            return value
        fix = suggest(value, self.options)
        out.append(Problem(path, f"one of {', '.join(self.options)}", describe(value), fix))
        return INVALID


@attrs.frozen
class ListOf:
    """A list whose items all pass ``item``; stored as a tuple."""

    item: Int | Str | Choice

    def check(self, value: object, path: str, out: list[Problem]) -> object:
        if not isinstance(value, list | tuple):
            out.append(Problem(path, f"a list of {self._item_text()}", describe(value)))
            return INVALID
        checked = [self.item.check(v, join(path, i), out) for i, v in enumerate(value)]
        if any(v is INVALID for v in checked):
            return INVALID
        return tuple(checked)

    def _item_text(self) -> str:
        if isinstance(self.item, Int):
            return "integers"
        if isinstance(self.item, Choice):
            return f"strings ({', '.join(self.item.options)})"
        return "strings"


@attrs.frozen
class IntOrChoice:
    """An integer checked by ``number``, or one of the strings ``words`` (a bound or
    ``"all"``)."""

    number: Int
    words: tuple[str, ...]

    def expected(self) -> str:
        return " or ".join([self.number.expected(), *(json.dumps(w) for w in self.words)])

    def check(self, value: object, path: str, out: list[Problem]) -> object:
        if isinstance(value, str) and value in self.words:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            found: list[Problem] = []
            if self.number.check(value, path, found) is not INVALID:
                return value
        out.append(Problem(path, self.expected(), describe(value), suggest(value, self.words)))
        return INVALID


def suggest(value: object, options: tuple[str, ...] | list[str]) -> str:
    """A "did you mean" hint for a misspelt key or choice, or "" when nothing is close."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else ""


Checker = Int | Str | Choice | ListOf | IntOrChoice


def check_table(
    value: object,
    path: str,
    fields: Mapping[str, Checker],
    out: list[Problem],
    *,
    required: tuple[str, ...] = (),
    what: str = "a table",
    also_known: tuple[str, ...] = (),
) -> dict[str, object] | None:
    """Check a table against ``fields``: unknown keys, missing required keys, each value.

    ``also_known`` are keys the caller checks itself (they are skipped, not unknown).
    Returns the dict of valid values (invalid ones left out), or None when ``value`` is not
    a table at all.
    """
    if not isinstance(value, Mapping):
        out.append(Problem(path, what, describe(value)))
        return None
    result: dict[str, object] = {}
    for key, item in value.items():
        where = join(path, str(key))
        if key in also_known:
            continue
        if key not in fields:
            known = [*fields, *also_known]
            out.append(
                Problem(
                    where,
                    f"one of the keys {', '.join(known)}",
                    "an unknown key",
                    suggest(key, known),
                )
            )
            continue
        checked = fields[key].check(item, where, out)
        if checked is not INVALID:
            result[key] = checked
    for key in required:
        if key not in value:
            out.append(Problem(join(path, key), _expected(fields[key]), "nothing (missing key)"))
    return result


def _expected(checker: Checker) -> str:
    if isinstance(checker, Int):
        return checker.expected()
    if isinstance(checker, Choice):
        return f"one of {', '.join(checker.options)}"
    if isinstance(checker, Str):
        return checker.what
    if isinstance(checker, IntOrChoice):
        return checker.expected()
    return "a list"
