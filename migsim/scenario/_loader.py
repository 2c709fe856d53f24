"""Load a scenario from TOML: parse, check every key, build the attrs values, cross-check.

The whole document is checked before anything runs: wrong types, out-of-range numbers,
misspelt choices, unknown keys (typos) and dangling references (a task naming an address
space that does not exist) all become one :class:`~migsim._errors.ScenarioError` listing
every problem with its key path.  Checking happens in two passes:

1. shape: each table against its schema (:mod:`migsim.scenario._schema`), on the raw dict;
2. meaning: the built :class:`~migsim.scenario._model.Scenario` against itself
   (:mod:`migsim.scenario._crossref`), e.g. ``cpu < machine.cpus``.

``--set KEY=VALUE`` overrides (:mod:`migsim.scenario._overrides`) are applied to the raw dict
before the first pass, so they are checked like the file itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.strategies import configure_union_passthrough

from migsim._errors import Problem, ScenarioError
from migsim.scenario import _limits as lim
from migsim.scenario import _model as sc
from migsim.scenario._crossref import cross_check
from migsim.scenario._overrides import apply_overrides, blame_overrides, overridden_by
from migsim.scenario._schema import (
    Checker,
    Choice,
    ListOf,
    check_table,
    describe,
    join,
)

TOP: dict[str, Checker] = sc.schema_of(sc.Scenario)
SECTIONS = (*sc.TABLES, *sc.ARRAYS)


def _keys(cls: type, names: tuple[str, ...]) -> dict[str, Checker]:
    schema = sc.schema_of(cls)
    return {name: schema[name] for name in names}


_converter = cattrs.Converter(forbid_extra_keys=True)
# ``expect.proven_bound`` is an int or "all": the checked value passes through unchanged.
configure_union_passthrough(int | str | None, _converter)


def load_scenario(
    path: str | Path, overrides: Sequence[str] = (), *, allow_policy_imports: bool = False
) -> sc.Scenario:
    """Read, check and build the scenario in the TOML file ``path``.

    ``overrides`` are ``KEY=VALUE`` strings (``"explore.schedules=50"``) applied before the
    check.  Raises :class:`ScenarioError` naming the file and key path of every problem.
    A file is data: a ``module:attr`` policy in it is refused unless
    ``allow_policy_imports`` (one given by an override is the caller's own choice).
    """
    source = str(path) or '""'
    data = _read(path, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(source, [Problem("", "UTF-8 text", "undecodable bytes")]) from None
    return loads_scenario(
        text, source=source, overrides=overrides, allow_policy_imports=allow_policy_imports
    )


def _read(path: str | Path, source: str) -> bytes:
    """The file's bytes, refusing one larger than :data:`~._limits.MAX_BYTES` unread."""
    if str(path) == "":
        raise ScenarioError(source, [Problem("", "a scenario file name", "an empty name")])
    try:
        with Path(path).open("rb") as f:
            data = f.read(lim.MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ScenarioError(source, [Problem("", "a readable TOML file", reason)]) from None
    if len(data) > lim.MAX_BYTES:
        expected = f"a scenario file of at most {lim.MAX_BYTES} bytes"
        raise ScenarioError(source, [Problem("", expected, "a larger file")])
    return data


def loads_scenario(
    text: str,
    *,
    source: str = "<string>",
    overrides: Sequence[str] = (),
    allow_policy_imports: bool = False,
) -> sc.Scenario:
    """Like :func:`load_scenario`, from TOML ``text``; ``source`` names it in errors."""
    raw, problem = lim.parse_toml(text)
    if raw is None:
        raise ScenarioError(source, [problem or Problem("", "valid TOML", "nothing")])
    return scenario_from_dict(
        raw, source=source, overrides=overrides, allow_policy_imports=allow_policy_imports
    )


def scenario_from_dict(
    raw: Mapping[str, Any],
    *,
    source: str = "<dict>",
    overrides: Sequence[str] = (),
    allow_policy_imports: bool = False,
) -> sc.Scenario:
    """Check and build a scenario from a dict shaped like the TOML document.

    The document's own values are checked even where an override replaces them (a
    ``--set`` does not hide a bad value in the file); ``module:attr`` policies in it are
    refused unless ``allow_policy_imports``.
    """
    too_deep = lim.check_depth(raw)
    if too_deep is not None:
        raise ScenarioError(source, [too_deep])
    own: list[Problem] = []
    if overrides:
        check_document(raw, own)
    raw, blamed = apply_overrides(raw, overrides, source)
    found: list[Problem] = []
    clean = check_document(raw, found)
    problems = _own_problems(own, blamed)
    problems += blame_overrides([p for p in found if p not in own], blamed)
    if not problems:
        scenario = _structure(clean, source)
        untrusted = () if allow_policy_imports else _from_document(blamed)
        problems.extend(blame_overrides(cross_check(scenario, untrusted=untrusted), blamed))
    if problems:
        raise ScenarioError(source, problems)
    return scenario


def _own_problems(own: list[Problem], blamed: Mapping[str, str]) -> list[Problem]:
    """The file's own problems; where an override replaced the value, say so."""
    hint = "the file's own value: fix it in the file, a --set does not hide it"
    return [
        attrs.evolve(p, fix=hint) if overridden_by(p.path, blamed) and not p.fix else p for p in own
    ]


def _from_document(blamed: Mapping[str, str]) -> tuple[str, ...]:
    """The policy kinds whose value the document gave (no override replaced it)."""
    return tuple(k for k in sc.schema_of(sc.Policies) if not overridden_by(f"policies.{k}", blamed))


def check_document(raw: object, out: list[Problem]) -> dict[str, object]:
    """Pass one: check the document's shape; return the normalised dict of valid values."""
    if not isinstance(raw, Mapping):
        out.append(Problem("", "a TOML document (a table)", describe(raw)))
        return {}
    clean = check_table(raw, "", TOP, out, required=("name",), also_known=SECTIONS) or {}
    for key, cls in sc.TABLES.items():
        if key in raw:
            schema = sc.schema_of(cls)
            clean[key] = check_table(raw[key], key, schema, out, what=f"a table ([{key}])") or {}
    for key, check_item in (("mm", _check_mm), ("task", _check_task), ("daemon", _check_daemon)):
        if key in raw:
            clean[key] = _check_array(raw[key], key, check_item, out)
    return clean


def _check_array(
    value: object, path: str, check_item: Any, out: list[Problem], what: str = ""
) -> list[object]:
    if not isinstance(value, list | tuple):
        what = what or f"an array of tables ([[{path}]] entries)"
        out.append(Problem(path, what, describe(value)))
        return []
    return [check_item(item, join(path, i), out) for i, item in enumerate(value)]


def _check_mm(value: object, path: str, out: list[Problem]) -> dict[str, object]:
    state = value.get("state") if isinstance(value, Mapping) else None
    fields = sc.schema_of(sc.MmSpec)
    if isinstance(state, list | tuple):
        fields["state"] = ListOf(Choice(sc.PAGE_STATES))
    required = sc.required_of(sc.MmSpec)
    clean = check_table(value, path, fields, out, required=required, what="a table ([[mm]])")
    if clean is None:
        return {}
    state = clean.get("state")
    if isinstance(state, str):
        clean["state"] = (state,)
    elif isinstance(state, tuple) and len(state) != clean.get("pages", 1):
        expected = f"one state, or a list of {clean.get('pages', 1)} (one per page)"
        out.append(Problem(join(path, "state"), expected, f"a list of {len(state)}"))
    return clean


def _check_task(value: object, path: str, out: list[Problem]) -> dict[str, object]:
    program = value.get("program") if isinstance(value, Mapping) else None
    clean = check_table(
        value,
        path,
        sc.schema_of(sc.Task),
        out,
        required=sc.required_of(sc.Task),
        what="a table ([[task]])",
        also_known=("program",),
    )
    if clean is None:
        return {}
    if program is not None:
        where = join(path, "program")
        clean["program"] = _check_array(program, where, _check_step, out, "a list of steps")
    return clean


def _check_step(value: object, path: str, out: list[Problem]) -> dict[str, object]:
    if not isinstance(value, Mapping):
        out.append(Problem(path, 'a step such as {op = "write", page = 0}', describe(value)))
        return {}
    op = _check_tag(value, "op", sc.TASK_OPS, path, out, fix='e.g. {op = "read", page = 0}')
    if op is None:
        return {}
    required, optional = sc.STEP_KEYS[op]
    fields = _keys(sc.TaskStep, ("op", *required, *optional))
    return check_table(value, path, fields, out, required=required) or {}


def _check_daemon(value: object, path: str, out: list[Problem]) -> dict[str, object]:
    if not isinstance(value, Mapping):
        out.append(Problem(path, "a table ([[daemon]])", describe(value)))
        return {}
    kind = _check_tag(value, "kind", sc.DAEMON_KINDS, path, out, fix='add kind = "migrate"')
    if kind is None:
        return {}
    required, optional = sc.DAEMON_KEYS[kind]
    fields = _keys(sc.Daemon, ("kind", "name", *required, *optional, "at"))
    return check_table(value, path, fields, out, required=required) or {}


def _check_tag(
    table: Mapping[Any, object],
    key: str,
    options: tuple[str, ...],
    path: str,
    out: list[Problem],
    *,
    fix: str,
) -> str | None:
    """Check the key that decides which other keys a table may have (a step's ``op``)."""
    where = join(path, key)
    if key not in table:
        out.append(Problem(where, f"one of {', '.join(options)}", "nothing", fix))
        return None
    value = Choice(options).check(table[key], where, out)
    return value if isinstance(value, str) else None


def _structure(clean: Mapping[str, object], source: str) -> sc.Scenario:
    """Build the attrs values with cattrs (the dict is already checked, so this succeeds)."""
    try:
        return _converter.structure(clean, sc.Scenario)
    except Exception as exc:  # a checker let something through: still report, never crash
        messages = (
            cattrs.transform_error(exc)
            if isinstance(exc, cattrs.BaseValidationError)
            else [str(exc)]
        )
        raise ScenarioError(
            source, [Problem("", "a well-formed scenario", "; ".join(messages))]
        ) from None


def validate_scenario(s: sc.Scenario, *, source: str = "<scenario>") -> sc.Scenario:
    """Check a scenario built in Python exactly as a loaded file is checked; return it.

    Raises :class:`ScenarioError` with key paths (``task[0].cpu``) when it is malformed.
    """
    from migsim.scenario._dump import scenario_to_dict

    return scenario_from_dict(scenario_to_dict(s), source=source, allow_policy_imports=True)
