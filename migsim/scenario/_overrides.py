"""``--set KEY=VALUE``: change any scenario key from the command line.

Overrides apply to the raw TOML dict *before* it is checked, so an override is validated
exactly like the file.  ``KEY`` is a key path (``policies.fault_retry``, ``task[0].cpu``,
``explore.schedules``); missing tables on the way are created.  ``VALUE`` is read as a TOML
literal when it is one (``50``, ``true``, ``["A:0"]``, ``"quoted"``) and as a plain string
otherwise (``pte-same``).  A problem found at or under an overridden key says which
``--set`` caused it.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from migsim._errors import Problem, ScenarioError
from migsim.scenario._limits import MAX_KEY, clip, scan

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)((?:\[[0-9]+\])*)")


def parse_value(text: str) -> object:
    """A TOML literal if ``text`` is one (``50``, ``true``, ``[1, 2]``), else the string.

    Raises :class:`ScenarioError` when ``text`` exceeds the limits of a document
    (:mod:`._limits`: nesting, digits, size), whether or not it is valid TOML.
    """
    problem = scan(text)
    if problem is not None:
        where = f"--set ...={clip(text, 40)}"
        raise ScenarioError("<command line>", [attrs.evolve(problem, path=where)])
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_key(key: str) -> list[str | int] | None:
    """Split ``task[0].program[1].op`` into ``["task", 0, "program", 1, "op"]`` (None if bad)."""
    parts: list[str | int] = []
    for segment in key.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            return None
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\[([0-9]+)\]", match.group(2)))
    return parts


def apply_overrides(
    raw: Mapping[str, Any], overrides: Sequence[str], source: str
) -> tuple[Mapping[str, Any], dict[str, str]]:
    """Apply ``KEY=VALUE`` overrides to a copy of ``raw``.

    Returns the new dict and, for each overridden key path, the ``--set`` text that set it.
    Raises :class:`ScenarioError` for a malformed override or a path that cannot be set.
    """
    if not overrides:
        return raw, {}
    doc: Any = copy.deepcopy(dict(raw)) if isinstance(raw, Mapping) else raw
    blamed: dict[str, str] = {}
    for text in overrides:
        key, sep, value = text.partition("=")
        parts = parse_key(key.strip()) if sep and len(key) <= MAX_KEY else None
        if parts is None:
            raise ScenarioError(
                source,
                [
                    Problem(
                        f"--set {clip(text, 40)}",
                        "KEY=VALUE with a key path such as explore.schedules",
                        clip(f'"{text}"'),
                    )
                ],
            )
        try:
            parsed = parse_value(value.strip())
        except ScenarioError as err:
            where = f"--set {clip(key.strip(), 40)}=..."
            raise ScenarioError(
                source, [attrs.evolve(p, path=where) for p in err.problems]
            ) from None
        _assign(doc, parts, parsed, clip(text, 40), source)
        blamed[render_path(parts)] = clip(text, 60)
    return doc, blamed


def _assign(doc: Any, parts: list[str | int], value: object, text: str, source: str) -> None:
    node = doc
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = render_path(parts[: i + 1])
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                size = len(node) if isinstance(node, list) else 0
                raise ScenarioError(
                    source,
                    [
                        Problem(
                            where,
                            f"an index below {size} (the entries in the file)",
                            str(part),
                            f"from --set {text}",
                        )
                    ],
                )
        elif not isinstance(node, dict):
            raise ScenarioError(
                source,
                [
                    Problem(
                        render_path(parts[:i]),
                        "a table to set a key in",
                        "a value",
                        f"from --set {text}",
                    )
                ],
            )
        if last:
            node[part] = value
        else:
            node = _descend(node, part, parts[i + 1])


def _descend(node: Any, part: str | int, nxt: str | int) -> Any:
    if isinstance(node, dict) and part not in node:
        node[part] = [] if isinstance(nxt, int) else {}
    return node[part]


def render_path(parts: Sequence[str | int]) -> str:
    """``["task", 0, "cpu"]`` -> ``"task[0].cpu"``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def blame_overrides(problems: Sequence[Problem], blamed: Mapping[str, str]) -> list[Problem]:
    """Point problems at or under an overridden key to the ``--set`` that caused them."""
    if not blamed:
        return list(problems)
    result = []
    for problem in problems:
        cause = _cause(problem.path, blamed)
        if cause is not None:
            fix = f"from --set {cause}" + (f"; {problem.fix}" if problem.fix else "")
            result.append(Problem(problem.path, problem.expected, problem.got, fix))
        else:
            result.append(problem)
    return result


def overridden_by(path: str, blamed: Mapping[str, str]) -> str | None:
    """The ``--set`` text that set ``path`` or a key above it, or None (the file's value)."""
    return _cause(path, blamed)


def _cause(path: str, blamed: Mapping[str, str]) -> str | None:
    for key, text in blamed.items():
        if path == key or path.startswith((f"{key}.", f"{key}[")):
            return text
    return None
