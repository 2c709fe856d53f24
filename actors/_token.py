"""Replay tokens: one printable line that reproduces a run exactly.

Format (version 1)::

    ms1:<program>:<strategy>:<fingerprint>:<choices>

- ``program``: the name the program was explored under (percent-escaped; may be empty).
- ``strategy``: how the run was found, e.g. ``pct,seed=7,depth=3`` (informational).
- ``fingerprint``: 8 hex digits digesting the trace, so replay can tell "same choices, but
  the program now does something else".
- ``choices``: the choice list (see :mod:`actors._chooser`), ``.``-separated; an actor id
  is ``N``, a data choice of value ``v`` is ``cV``, and ``ExK`` repeats entry ``E`` K times.
  ``-`` is the empty list.

Every character is safe on a shell command line without quoting.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import attrs

from actors._chooser import data_choice, data_value, is_data_choice
from actors._errors import TokenError

VERSION = "ms1"
_ITEM = re.compile(r"^(c?)(\d+)(?:x(\d+))?$")


@attrs.frozen
class Token:
    """The parsed form of a replay token."""

    program: str
    strategy: str
    fingerprint: str
    choices: tuple[int, ...]

    def encode(self) -> str:
        """The printable token."""
        program = quote(self.program, safe="-_.,=+@%")
        strategy = quote(self.strategy, safe="-_.,=+@")
        return f"{VERSION}:{program}:{strategy}:{self.fingerprint}:{encode_choices(self.choices)}"

    @classmethod
    def parse(cls, text: str) -> Token:
        """Parse a token; raise :class:`TokenError` explaining what is wrong."""
        parts = text.strip().split(":")
        if len(parts) != 5 or parts[0] != VERSION:
            raise TokenError(
                f"not a migsim replay token: {text[:60]!r}; expected "
                f"'{VERSION}:<program>:<strategy>:<fingerprint>:<choices>' as printed by explore"
            )
        _, program, strategy, fingerprint, choices = parts
        if not re.fullmatch(r"[0-9a-f]{8}", fingerprint):
            raise TokenError(f"token fingerprint must be 8 hex digits (got {fingerprint!r})")
        return cls(unquote(program), unquote(strategy), fingerprint, decode_choices(choices))


def encode_choices(choices: tuple[int, ...] | list[int]) -> str:
    """Run-length encode a choice list."""
    if not choices:
        return "-"
    items: list[str] = []
    i = 0
    while i < len(choices):
        j = i
        while j < len(choices) and choices[j] == choices[i]:
            j += 1
        entry = choices[i]
        text = f"c{data_value(entry)}" if is_data_choice(entry) else str(entry)
        items.append(text if j - i == 1 else f"{text}x{j - i}")
        i = j
    return ".".join(items)


def decode_choices(text: str) -> tuple[int, ...]:
    """The inverse of :func:`encode_choices`."""
    if text in ("", "-"):
        return ()
    out: list[int] = []
    for item in text.split("."):
        m = _ITEM.match(item)
        if m is None:
            raise TokenError(
                f"bad choice {item!r} in token: expected an actor id like '3', a data "
                "choice like 'c1', optionally repeated like '3x4'"
            )
        value = int(m.group(2))
        entry = data_choice(value) if m.group(1) else value
        out.extend([entry] * int(m.group(3) or 1))
    return tuple(out)
