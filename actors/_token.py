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

A token may come from a stranger, so parsing one is bounded: at most
:data:`MAX_TOKEN_CHARS` characters, numbers of ASCII digits only and at most
:data:`MAX_NUMBER_DIGITS` of them, and at most :data:`MAX_CHOICES` choices once the
repeats are expanded (checked before any list is built).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import attrs

from actors._chooser import data_choice, data_value, is_data_choice
from actors._errors import TokenError

VERSION = "ms1"
MAX_TOKEN_CHARS = 1 << 20
"""A token is at most 1 MiB of text (a run of 10^7 steps encodes in far less)."""
MAX_CHOICES = 10**7
"""A token expands to at most 10^7 choices (one per step, as many as the longest run)."""
MAX_NUMBER_DIGITS = 19
"""An actor id, data value or repeat count in a token has at most 19 digits."""
_NUMBER = f"[0-9]{{1,{MAX_NUMBER_DIGITS}}}"  # ASCII only: \d also matches other scripts
_ITEM = re.compile(f"(c?)({_NUMBER})(?:x({_NUMBER}))?")


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
        if len(text) > MAX_TOKEN_CHARS:
            raise TokenError(
                f"not a migsim replay token: {len(text)} characters; a token has at most "
                f"{MAX_TOKEN_CHARS}"
            )
        parts = text.strip().split(":")
        if len(parts) != 5 or parts[0] != VERSION:
            raise TokenError(
                f"not a migsim replay token: {text[:60]!r}; expected "
                f"'{VERSION}:<program>:<strategy>:<fingerprint>:<choices>' as printed by explore"
            )
        _, program, strategy, fingerprint, choices = parts
        if not re.fullmatch(r"[0-9a-f]{8}", fingerprint):
            raise TokenError(f"token fingerprint must be 8 hex digits (got {fingerprint[:40]!r})")
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
    """The inverse of :func:`encode_choices`; raises :class:`TokenError` for a malformed
    list or one of more than :data:`MAX_CHOICES` choices (counted before expanding)."""
    if text in ("", "-"):
        return ()
    items: list[tuple[int, int]] = []
    total = 0
    for item in text.split("."):
        m = _ITEM.fullmatch(item)
        if m is None:
            raise TokenError(
                f"bad choice {item[:40]!r} in token: expected an actor id like '3', a data "
                f"choice like 'c1', optionally repeated like '3x4' (ASCII digits, at most "
                f"{MAX_NUMBER_DIGITS})"
            )
        value, repeat = int(m.group(2)), int(m.group(3) or 1)
        total += repeat
        if total > MAX_CHOICES:
            raise TokenError(
                f"token has more than {MAX_CHOICES} choices (a run takes at most one per step)"
            )
        items.append((data_choice(value) if m.group(1) else value, repeat))
    out: list[int] = []
    for entry, repeat in items:
        out.extend([entry] * repeat)
    return tuple(out)
