"""Write a scenario back as TOML: ``load(dump(s)) == s`` for every valid scenario.

The output is the canonical form of a scenario: sections in a fixed order, the machine,
policies, exploration and expectation written out in full (so a dumped file documents
every setting in force), task steps and daemons with only the keys that differ from the
defaults.  Nothing here depends on dict or set ordering, so dumps are byte-stable.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from migsim.scenario import _model as sc


def scenario_to_dict(s: sc.Scenario) -> dict[str, Any]:
    """The scenario as a TOML-shaped dict (tuples become lists, defaults of steps left out)."""
    out: dict[str, Any] = {"name": s.name}
    if s.description:
        out["description"] = s.description
    out["races"] = list(s.races)
    for key in sc.TABLES:
        out[key] = _plain(attrs.asdict(getattr(s, key)))
    out["mm"] = [_mm(mm) for mm in s.mm]
    out["task"] = [_task(t) for t in s.task]
    out["daemon"] = [_daemon(d) for d in s.daemon]
    return out


def _plain(d: dict[str, Any]) -> dict[str, Any]:
    """Drop None values (TOML has no null) and turn tuples into lists."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items() if v is not None}


def _mm(mm: sc.MmSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": mm.name, "pages": mm.pages, "node": mm.node}
    if len(mm.state) == 1:
        out["state"] = mm.state[0]
    elif mm.state:
        out["state"] = list(mm.state)
    if mm.mlocked:
        out["mlocked"] = list(mm.mlocked)
    return out


def _task(t: sc.Task) -> dict[str, Any]:
    steps = [_plain(attrs.asdict(st)) for st in t.program]
    return {"name": t.name, "mm": t.mm, "cpu": t.cpu, "program": steps}


def _daemon(d: sc.Daemon) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": d.kind}
    if d.name is not None:
        out["name"] = d.name
    required, optional = sc.DAEMON_KEYS[d.kind]
    for f in attrs.fields(sc.Daemon):  # declaration order, the keys this kind takes
        if f.name in (*required, *optional, "at"):
            value = getattr(d, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def dump_scenario(s: sc.Scenario) -> str:
    """The scenario as TOML text that :func:`migsim.load_scenario` reads back equal to ``s``."""
    d = scenario_to_dict(s)
    lines: list[str] = []
    for key in ("name", "description", "races"):
        if key in d:
            lines.append(f"{key} = {toml_value(d[key])}")
    for key in ("machine", "kernel", "policies"):
        lines += ["", f"[{key}]", *_pairs(d[key])]
    for key in sc.ARRAYS:
        for entry in d[key]:
            lines += ["", f"[[{key}]]", *_entry(entry)]
    for key in ("explore", "expect"):
        lines += ["", f"[{key}]", *_pairs(d[key])]
    return "\n".join(lines) + "\n"


def _pairs(table: dict[str, Any]) -> list[str]:
    return [f"{k} = {toml_value(v)}" for k, v in table.items()]


def _entry(entry: dict[str, Any]) -> list[str]:
    lines = []
    for k, v in entry.items():
        if k == "program":
            lines.append("program = [")
            lines += [f"    {toml_value(step)}," for step in v]
            lines.append("]")
        else:
            lines.append(f"{k} = {toml_value(v)}")
    return lines


def toml_value(value: object) -> str:
    """A TOML literal: strings as basic strings, lists inline, dicts as inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_string(text: str) -> str:
    """A TOML basic string.

    JSON's escapes (quote, backslash, newline, ``\\u001f``) are valid TOML; non-ASCII text
    is kept as it is (JSON's surrogate pairs are not valid TOML), and DEL, which TOML
    forbids unescaped, is escaped.
    """
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else toml_string(key)
