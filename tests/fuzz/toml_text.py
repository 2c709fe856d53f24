"""Write any nested dict as TOML text, including values no valid scenario holds.

The fuzz cases mutate a parsed scenario (a dict) and need it back as a file.  Everything is
written as ``key = value`` lines of the root table, with inline tables and arrays, which
TOML reads back as the same document.  :class:`Raw` is a literal written as is (a number
of 4,301 digits, which ``str(int)`` refuses to produce, or a deliberately broken one).
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

_BARE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Raw:
    """A TOML literal written verbatim."""

    text: str


def quote(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def key(name: object) -> str:
    """A key, bare when TOML allows it."""
    text = str(name)
    return text if _BARE.fullmatch(text) else quote(text)


def value(v: object) -> str:
    """One value as inline TOML."""
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, datetime.datetime | datetime.date | datetime.time):
        return v.isoformat()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def document(doc: dict[str, object]) -> str:
    """The whole document, one root key per line."""
    return "".join(f"{key(k)} = {value(v)}\n" for k, v in doc.items())
