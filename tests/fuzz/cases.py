"""Seeded malformed inputs for ``migsim``, derived from the scenario library.

Case ``i`` is built by its own ``random.Random(f"{SEED}:{kind}:{i}")`` (a string seed is
hashed with SHA-512, not with ``hash()``): the same case in every process, whatever
``PYTHONHASHSEED``, and any one case can be rebuilt alone from its id.  Choices are made
from lists and sorted keys only, never from set or dict-hash order.

Every case knows what it is (its ``verdict``):

- ``reject``: the command must refuse it (exit status 2, one line naming the input);
- ``accept``: ``migsim validate`` must pass it (e.g. a ``module:attr`` policy with
  ``--allow-policy-imports``: validate never imports it);
- ``either``: a mutation that may keep the file valid (deleting a key that has a
  default, truncating after the last key): ``validate`` decides, and ``explore`` must
  agree with it.

Three kinds of case: ``file`` (a mutated library scenario, checked by ``validate`` and
``explore``), ``token`` (a malformed replay token for ``replay`` / ``shrink``) and
``flags`` (a bad flag value, a bad flag combination).
"""

from __future__ import annotations

import copy
import datetime
import random
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import kernel_model
from tests.fuzz.toml_text import Raw, document

SEED = "migsim-fuzz-1"
ROOT = Path(__file__).resolve().parents[2]
LIBRARY: tuple[Path, ...] = tuple(sorted((ROOT / "scenarios").glob("*.toml")))
TEXTS: dict[str, str] = {p.stem: p.read_text(encoding="utf-8") for p in LIBRARY}
STEMS: tuple[str, ...] = tuple(sorted(TEXTS))
DOCS: dict[str, dict[str, Any]] = {stem: tomllib.loads(text) for stem, text in TEXTS.items()}
FILE = "{file}"
"""Stands for the scenario file's path in a case's argv and in what it must name."""

Verdict = Literal["reject", "accept", "either"]
Kind = Literal["file", "token", "flags"]
KINDS: tuple[Kind, ...] = ("file", "token", "flags")
SHARE: dict[Kind, int] = {"file": 1700, "token": 150, "flags": 150}
"""Cases of each kind at scale 1 (2,000 in all); ``MIGSIM_FUZZ_SCALE`` multiplies them."""


@dataclass(frozen=True)
class Case:
    """One input and what ``migsim`` must do with it."""

    ident: str
    kind: Kind
    family: str
    verdict: Verdict
    stem: str
    data: bytes
    argv: tuple[str, ...] = ()  # token and flags cases: the whole command line
    extra: tuple[str, ...] = ()  # file cases: flags given to both validate and explore
    names: str = FILE  # what the one-line message must contain
    json: bool = False
    imports: tuple[str, ...] = ()  # modules that must never be imported (no such module)


def case(kind: Kind, index: int, token: str) -> Case:
    """Case ``index`` of ``kind`` (``token``: a real replay token of the seed race)."""
    rng = random.Random(f"{SEED}:{kind}:{index}")
    ident = f"{kind}-{index}"
    if kind == "file":
        return _file_case(rng, ident, index)
    if kind == "token":
        return _token_case(rng, ident, token)
    return _flags_case(rng, ident, index)


def count(kind: Kind, scale: int) -> int:
    """How many cases of ``kind`` run at ``scale``."""
    return SHARE[kind] * scale


# ---------------------------------------------------------------------------- file cases

Doc = dict[str, Any]
Path_ = tuple[str | int, ...]


def paths(node: object, prefix: Path_ = ()) -> list[Path_]:
    """Every key path below ``node`` (dict keys in document order, list indexes)."""
    out: list[Path_] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += [(*prefix, k), *paths(v, (*prefix, k))]
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += [(*prefix, i), *paths(v, (*prefix, i))]
    return out


def _parent(doc: Doc, path: Path_) -> Any:
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    return node


def _set(doc: Doc, path: Path_, value: object) -> None:
    _parent(doc, path)[path[-1]] = value


def _get(doc: Doc, path: Path_) -> Any:
    return _parent(doc, path)[path[-1]]


Mutation = Callable[[random.Random, Doc, str], tuple[bytes, Verdict, tuple[str, ...]]]
"""(rng, a copy of the parsed document, its text) -> (file bytes, verdict, extra flags)."""


def _emit(doc: Doc) -> bytes:
    return document(doc).encode("utf-8")


def mutate_delete(
    rng: random.Random, doc: Doc, text: str
) -> tuple[bytes, Verdict, tuple[str, ...]]:
    path = rng.choice(paths(doc))
    del _parent(doc, path)[path[-1]]
    return _emit(doc), "either", ()


RENAMES: tuple[Callable[[str], str], ...] = (
    lambda k: k + "_",
    lambda k: "_" + k,
    lambda k: k.upper(),
    lambda k: k[:-1] + "\u200b" + k[-1:],
    lambda k: k.replace("a", "\u0430", 1) if "a" in k else k + "\u0430",
    lambda k: k + " ",
    lambda k: k + "\x1b[0m",
)


def mutate_rename(
    rng: random.Random, doc: Doc, text: str
) -> tuple[bytes, Verdict, tuple[str, ...]]:
    keyed = [p for p in paths(doc) if isinstance(p[-1], str)]
    path = rng.choice(keyed)
    parent = _parent(doc, path)
    old = str(path[-1])
    new = rng.choice(RENAMES)(old)
    if new == old or new in parent:
        new = old + "_x"
    parent[new] = parent.pop(old)
    return _emit(doc), "reject", ()  # an unknown key (or a missing required one)


def _swaps(value: object) -> list[object]:
    """Values of another type than ``value`` that no field of that kind accepts."""
    when = datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.UTC)
    common: list[object] = [1.5, float("nan"), float("-inf"), True, when, datetime.date(2006, 2, 1)]
    if isinstance(value, bool):
        return [1.5, "true", [True]]
    if isinstance(value, int):
        return [*common, "1", [1], {"a": 1}, [], {}]
    if isinstance(value, str):
        return [*common, -1, [value, 1.5], {"k": value}, {}]  # -1: below every int bound
    if isinstance(value, list):
        return [*common, "not a list", 3, {"a": 1}]
    return [*common, 3, "x", [1, 2]]  # a table


def mutate_type(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    path = rng.choice(paths(doc))
    _set(doc, path, rng.choice(_swaps(_get(doc, path))))
    return _emit(doc), "reject", ()


NUMBERS: tuple[tuple[object, Verdict], ...] = (
    (Raw("1" + "0" * 4300), "reject"),  # 4,301 digits: str(int) itself refuses it
    (Raw("-" + "9" * 4400), "reject"),
    (Raw("0x" + "f" * 41), "reject"),
    (Raw("9" * 41), "reject"),
    (10**39, "reject"),
    (-1, "reject"),
    (-(2**63), "reject"),
    (2**63, "either"),  # explore.seed takes up to 2^64 - 1
    (2**64, "reject"),
    (10**19, "either"),
    (0, "either"),
    (Raw("1_000"), "either"),
    (Raw("+5"), "either"),
    (Raw("0o777"), "either"),
    (Raw("1e3"), "reject"),  # a float
    (Raw("inf"), "reject"),
    (Raw("01"), "reject"),  # not TOML
    (Raw("0x"), "reject"),
)


def mutate_number(
    rng: random.Random, doc: Doc, text: str
) -> tuple[bytes, Verdict, tuple[str, ...]]:
    ints = [p for p in paths(doc) if type(_get(doc, p)) is int]
    value, verdict = rng.choice(NUMBERS)
    if not ints:
        doc.setdefault("explore", {})["schedules"] = value
    else:
        _set(doc, rng.choice(ints), value)
    return _emit(doc), verdict, ()


STRINGS: tuple[tuple[str, Verdict], ...] = (
    ("A:\uff10", "either"),  # fullwidth zero
    ("A:\u0663", "either"),  # Arabic-Indic three
    ("A:\u00b2", "either"),
    ("A:-1", "either"),
    ("A:0 ", "either"),
    ("A:" + "9" * 5000, "reject"),  # longer than any string may be
    ("\x1b[31mred\x1b[0m", "either"),
    ("\x1b]0;retitled\x07", "either"),
    ("\x1b[2J\x1b[H", "either"),
    ("\x00", "either"),
    ("\x7f\x08\x08", "either"),
    ("\u202egnp.exe", "either"),
    ("a\nb\r\nc", "either"),
    ("\t", "either"),
    ("", "either"),
    (" ", "either"),
    ("\U0001f600", "either"),
    ("x" * 100_000, "reject"),
    ("\ufeff", "either"),
)


def mutate_string(
    rng: random.Random, doc: Doc, text: str
) -> tuple[bytes, Verdict, tuple[str, ...]]:
    strs = [p for p in paths(doc) if isinstance(_get(doc, p), str)]
    value, verdict = rng.choice(STRINGS)
    _set(doc, rng.choice(strs), value)
    return _emit(doc), verdict, ()


def _deep(depth: int, rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return "[" * depth + "1" + "]" * depth
    if shape == 1:
        return "{a = " * depth + "1" + "}" * depth
    if shape == 2:
        return "[{b = " * (depth // 2) + "1" + "}]" * (depth // 2)
    return "[" * depth + "]" * depth


def mutate_deep(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    depth = rng.choice((33, 40, 100, 1000, 5000))
    where = rng.randrange(4)
    if where == 0:  # nested in place of a value of the document
        _set(doc, rng.choice(paths(doc)), Raw(_deep(depth, rng)))
        return _emit(doc), "reject", ()
    if where == 1:  # a table header of many dotted parts
        return (text + "\n[" + ".".join(["a"] * depth) + "]\nb = 1\n").encode(), "reject", ()
    if where == 2:  # a dotted key
        return (text + "\n" + ".".join(["a"] * depth) + " = 1\n").encode(), "reject", ()
    return (text + f"\ndeep = {_deep(depth, rng)}\n").encode(), "reject", ()


def _dangling(doc: Doc) -> list[tuple[Path_, object]]:
    """(path, value) pairs that make a reference dangle in this document."""
    out: list[tuple[Path_, object]] = [
        (("races",), ["R22"]),
        (("races",), ["R0"]),
        (("expect", "invariant"), "K99"),
    ]
    machine = doc.get("machine", {})
    cpus, nodes = machine.get("cpus", 2), machine.get("nodes", 2)
    mms = {m.get("name"): m for m in doc.get("mm", [])}
    for i, task in enumerate(doc.get("task", [])):
        out += [(("task", i, "mm"), "no_such_mm"), (("task", i, "cpu"), cpus + i % 3)]
        for j, step in enumerate(task.get("program", [])):
            if "page" in step:
                out.append((("task", i, "program", j, "page"), 100_000 + j))
        if mms:
            first = sorted(str(n) for n in mms)[0]
            fork = {"op": "fork", "child": first}
            out.append((("task", i, "program"), [*task.get("program", []), fork]))
    for i, mm in enumerate(doc.get("mm", [])):
        pages = mm.get("pages", 1)
        out += [(("mm", i, "node"), min(nodes + i, 63)), (("mm", i, "mlocked"), [pages + 1])]
    for i, daemon in enumerate(doc.get("daemon", [])):
        for ref in ("Z:0", "A:99999", "A:", ":0", "A:0:0", "A:0x1", "A"):
            out.append((("daemon", i, "pages"), [ref]))
        if daemon.get("kind") == "migrate":
            out.append((("daemon", i, "to_node"), nodes))
    return out


def mutate_dangling(
    rng: random.Random, doc: Doc, text: str
) -> tuple[bytes, Verdict, tuple[str, ...]]:
    path, value = rng.choice(_dangling(doc))
    node: Any = doc
    for part in path[:-1]:
        node = node.setdefault(part, {}) if isinstance(node, dict) else node[part]
    node[path[-1]] = value
    return _emit(doc), "reject", ()


POLICY_KINDS = ("fallback_to_swap", "mlocked", "fault_retry")
MALFORMED_REFS = (".rel:x", "..:x", "a..b:c", "mod:", ":attr", "mod:a.b", "\u00e9:x", "a/b:c")
IMPORT_REFS = ("os:system", "evilpol:policy", "subprocess:run", "builtins:eval")
UNKNOWN_POLICIES = ("bogus", "", "pte_same", "None", "\x1b[31m")


def mutate_policy(
    rng: random.Random, doc: Doc, text: str
) -> tuple[bytes, Verdict, tuple[str, ...]]:
    kind = rng.choice(POLICY_KINDS)
    group = rng.randrange(3)
    trusted = rng.random() < 0.3
    name = rng.choice((MALFORMED_REFS, IMPORT_REFS, UNKNOWN_POLICIES)[group])
    doc.setdefault("policies", {})[kind] = name
    extra = ("--allow-policy-imports",) if trusted else ()
    # A well-spelt module:attr from a trusted file passes validate (never imported) unless
    # the file's kernel era fixes that policy kind; either way nothing may be imported.
    era = kernel_model.ERAS[doc.get("kernel", {}).get("era", kernel_model.DEFAULT_ERA)]
    verdict: Verdict = "accept" if group == 1 and trusted else "reject"
    if verdict == "accept" and kind in era.allowed:
        verdict = "reject"
    return _emit(doc), verdict, extra


BAD_NAMES: tuple[tuple[str, Verdict], ...] = (
    ("..", "either"),  # a name may hold dots; its report directory is made safe
    (".", "either"),
    ("a/b", "reject"),
    ("../x", "reject"),
    ("/etc/passwd", "reject"),
    ("a\\b", "reject"),
    ("", "reject"),
    ("a b", "reject"),
    ("x" * 129, "reject"),
    ("\u00e9", "reject"),
    ("\x1b[2J", "reject"),
    ("name\n", "reject"),
    ("C:", "reject"),
)


def _name_paths(doc: Doc) -> list[Path_]:
    out: list[Path_] = [("name",)]
    for key in ("mm", "task", "daemon"):
        out += [(key, i, "name") for i, item in enumerate(doc.get(key, [])) if "name" in item]
    return out


def mutate_name(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    name, verdict = rng.choice(BAD_NAMES)
    _set(doc, rng.choice(_name_paths(doc)), name)
    return _emit(doc), verdict, ()


def mutate_bytes(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    data = text.encode("utf-8")
    at = rng.randrange(len(data) + 1)
    pick = rng.randrange(9)
    if pick == 0:
        return data[:at] + b"\xff" + data[at:], "reject", ()  # not UTF-8
    if pick == 1:
        return data[:at] + b"\xc3" + data[at:], "reject", ()  # a cut multi-byte character
    if pick == 2:
        return data[:at] + b"\x00" + data[at:], "either", ()
    if pick == 3:
        return b"\xef\xbb\xbf" + data, "either", ()  # a byte-order mark
    if pick == 4:
        return text.encode("utf-16"), "reject", ()
    if pick == 5:
        return data + b"#" * (1 << 20), "reject", ()  # over the size limit
    if pick == 6:
        return b"", "reject", ()  # no name, nothing to run
    if pick == 7:
        return data.replace(b"\n", b"\r\n"), "either", ()
    return data[:at] + b"\r" + data[at:], "either", ()


CHARS = ("[", "]", "{", "}", '"', "'", "=", "#", ".", ",", "\\", "\n", "\x1b", "\u0663", "0")


def mutate_text(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    lines = text.splitlines(keepends=True)
    pick = rng.randrange(4)
    if pick == 0:
        text = text[: rng.randrange(len(text))]
    elif pick == 1:
        del lines[rng.randrange(len(lines))]
        text = "".join(lines)
    elif pick == 2:
        i = rng.randrange(len(lines))
        text = "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    else:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(CHARS) + text[at:]
    return text.encode("utf-8"), "either", ()


BAD_SETS: tuple[str, ...] = (
    "explore.schedules=abc",
    "explore.schedules=" + "9" * 5000,
    "explore.schedules=1e3",
    "explore.schedules=-1",
    "explore.schedules=\uff11",
    "explore.seed=18446744073709551616",
    "explore.max_steps=10000001",
    "explore.strategy=bogus",
    "task[999].cpu=0",
    "mm[99].pages=1",
    "mm[0].pages=0",
    "machine=5",
    "machine.cpus=[1]",
    "=5",
    "no_equals_sign",
    "a..b=1",
    "task[0]..cpu=1",
    "task[-1].cpu=1",
    "policies.fault_retry=.rel:x",
    "policies.fault_retry=..:x",
    "policies.fault_retry=bogus",
    "name=a/b",
    "name=" + "x" * 100_000,
    "description=" + "[" * 1000,
    "description=" + "{a=" * 1000,
    "x" * 300 + "=1",
    "\x1b[2J=1",
    "expect.invariant=K99",
    'races=["R0"]',
    "kernel.era=1999",
    'daemon[0].pages=["Z:0"]',
)


def mutate_set(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    return text.encode("utf-8"), "reject", ("--set", rng.choice(BAD_SETS))


def mutate_combo(rng: random.Random, doc: Doc, text: str) -> tuple[bytes, Verdict, tuple[str, ...]]:
    for _ in range(rng.randrange(2, 4)):
        mutation = rng.choice((mutate_delete, mutate_type, mutate_number, mutate_string))
        data, _, _ = mutation(rng, doc, text)
        doc = tomllib.loads(data.decode("utf-8")) if _parses(data) else doc
    return data, "either", ()


def _parses(data: bytes) -> bool:
    try:
        tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        return False
    return True


FAMILIES: dict[str, Mutation] = {
    "delete": mutate_delete,
    "rename": mutate_rename,
    "type": mutate_type,
    "number": mutate_number,
    "string": mutate_string,
    "deep": mutate_deep,
    "dangling": mutate_dangling,
    "policy": mutate_policy,
    "name": mutate_name,
    "bytes": mutate_bytes,
    "text": mutate_text,
    "set": mutate_set,
    "combo": mutate_combo,
}
"""The file mutations, taken in turn (case ``i`` has family ``i mod 13``)."""


def _file_case(rng: random.Random, ident: str, index: int) -> Case:
    family = tuple(FAMILIES)[index % len(FAMILIES)]
    stem = rng.choice(STEMS)
    data, verdict, extra = FAMILIES[family](rng, copy.deepcopy(DOCS[stem]), TEXTS[stem])
    return Case(
        ident=f"{ident}-{family}-{stem}",
        kind="file",
        family=family,
        verdict=verdict,
        stem=stem,
        data=data,
        extra=extra,
        json=rng.random() < 0.25,
        imports=("evilpol",) if b"evilpol" in data else (),
    )


# --------------------------------------------------------------------------- token cases

FIXED_TOKENS: tuple[str, ...] = (
    "",
    "junk",
    "ms1",
    "ms1:",
    "ms1::::",
    "ms2:seed-race:pct:00000000:-",
    "MS1:seed-race:pct:00000000:-",
    "ms1:seed-race:pct:0000000g:-",
    "ms1:seed-race:pct:0000000:-",
    "ms1:seed-race:pct:\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10:-",
    "ms1:seed-race:pct:00000000:0x99999999999",
    "ms1:seed-race:pct:00000000:1x10000001",
    "ms1:seed-race:pct:00000000:c" + "9" * 5000,
    "ms1:seed-race:pct:00000000:" + "9" * 4400,
    "ms1:seed-race:pct:00000000:\u0663",
    "ms1:seed-race:pct:00000000:1x",
    "ms1:seed-race:pct:00000000:x1",
    "ms1:seed-race:pct:00000000:1..2",
    "ms1:seed-race:pct:00000000:-1",
    "ms1:seed-race:pct:00000000:1x0x2",
    "ms1:seed-race:pct:00000000:" + ".".join(["1"] * 60_000),
    "ms1:..%2F..%2Fetc%2Fpasswd:pct:00000000:-",
    "ms1:%2e%2e:pct:00000000:-",
    "ms1:a%2Fb:pct:00000000:-",
    "ms1:%1b%5b2J:pct:00000000:-",
    "ms1:no-such-scenario@12345678:pct:00000000:-",
    "ms1:\x1b[2J:pct:00000000:-",
    "ms1:seed-race:pct:00000000:0\n0",
    "x" * 100_000,
    "ms1:" + "a" * (1 << 20) + ":pct:00000000:-",
)


def _token_variants(token: str) -> list[str]:
    """Malformed versions of a real token: each part broken in turn."""
    version, program, strategy, fingerprint, choices = token.split(":")
    name = program.partition("@")[0]
    good = f"{version}:{program}:{strategy}"
    return [
        f"{good}:{'0' * 8 if fingerprint != '0' * 8 else '1' * 8}:{choices}",  # another trace
        f"{good}:{fingerprint}:{choices}.0",  # a choice after the run ended
        f"{good}:{fingerprint}:{choices}.9",
        f"{good}:{fingerprint}:7.{choices}",
        f"{good}:{fingerprint}:c9.{choices}",
        f"{version}:{name}@00000000:{strategy}:{fingerprint}:{choices}",  # another file
        f"{version}:{name}-x@{program.partition('@')[2]}:{strategy}:{fingerprint}:{choices}",
        f"{good}:{fingerprint.upper()}:{choices}",
        f"{good}:{fingerprint}:{choices}:extra",
        f"{good}:{fingerprint}",
    ]


def _mangle(rng: random.Random, token: str) -> str:
    """A random edit of a real token's program, fingerprint or choices."""
    for _ in range(rng.randrange(1, 4)):
        at = rng.randrange(len(token) + 1)
        pick = rng.randrange(3)
        if pick == 0 and at < len(token):
            token = token[:at] + token[at + 1 :]
        else:
            token = token[:at] + rng.choice((*CHARS, ":", "x", "c", "9", "%", "@")) + token[at:]
    return token


def _same_run(text: str, token: str) -> bool:
    """Whether ``text`` parses to the same program, fingerprint and choices as ``token``
    (its strategy is informational): such an edit is not malformed."""
    from actors import Token, TokenError

    try:
        a, b = Token.parse(text), Token.parse(token)
    except TokenError:
        return False
    return (a.program, a.fingerprint, a.choices) == (b.program, b.fingerprint, b.choices)


def _token_case(rng: random.Random, ident: str, token: str) -> Case:
    pick = rng.randrange(3)
    if pick == 0:
        bad = rng.choice(FIXED_TOKENS)
    elif pick == 1:
        bad = rng.choice(_token_variants(token))
    else:
        bad = _mangle(rng, token)
        while _same_run(bad, token):
            bad = _mangle(rng, bad + ".")
    command = rng.choice(("replay", "shrink"))
    with_file = rng.random() < 0.85
    stem = "seed-race" if rng.random() < 0.8 else rng.choice(STEMS)
    flags = ("--json",) if rng.random() < 0.3 else ()
    argv = (command, bad, *((FILE,) if with_file else ()), *flags)
    return Case(
        ident=f"{ident}-{command}",
        kind="token",
        family=("fixed", "variant", "mangled")[pick],
        verdict="reject",
        stem=stem,
        data=TEXTS[stem].encode("utf-8"),
        argv=argv,
        names="token",
        json=bool(flags),
    )


# --------------------------------------------------------------------------- flag cases

INT_FLAGS = ("--schedules", "--seed", "--depth", "--max-steps", "--preemption-bound")
BAD_INTS = ("0", "-1", "-9", "abc", "1.5", "\uff11", "\u0663", "9" * 50, "", " ", "0x10", "1e3")
GOOD_FOR = {"--seed": ("0",), "--preemption-bound": ("0",)}


def _bad_int(rng: random.Random) -> tuple[str, str]:
    flag = rng.choice(INT_FLAGS)
    bad = [v for v in BAD_INTS if v not in GOOD_FOR.get(flag, ())]
    return flag, rng.choice(bad)


def _flags_argv(rng: random.Random) -> tuple[tuple[str, ...], str]:
    """A bad command line around a valid file, and what its message must name."""
    pick = rng.randrange(10)
    if pick <= 2:
        flag, value = _bad_int(rng)
        command = rng.choice(("explore", "run"))
        seed = ("--seed=1",) if command == "run" and flag != "--seed" else ()
        return (command, FILE, f"{flag}={value}", *seed), flag
    if pick == 4:
        return (
            "explore",
            FILE,
            f"--strategy={rng.choice(('bogus', '', 'DFS', 'pct '))}",
        ), "--strategy"
    if pick == 5:
        command, flag = rng.choice(
            (
                ("validate", "--schedules=5"),
                ("validate", "--json"),
                ("explore", "--bogus"),
                ("explore", "--seeds=1"),
                ("check", "--seed=1"),
            )
        )
        return (command, FILE, flag), flag.partition("=")[0]
    if pick == 6:
        return ("run", FILE), "--seed"  # --seed is required
    if pick == 7:
        return (rng.choice(("replay", "shrink")),), "TOKEN"
    if pick == 8:
        return rng.choice(((("explore",), "FILE"), (("explore", FILE, "--set"), "--set")))
    out = rng.choice(("--out=", "--out=a\x00b", "--out=\x00"))
    return (rng.choice(("explore", "run")), FILE, out, "--seed=1"), "--out"


def _flags_case(rng: random.Random, ident: str, index: int) -> Case:
    stem = rng.choice(STEMS)
    argv, names = _flags_argv(rng)
    if rng.random() < 0.3 and argv[0] in ("explore", "run"):
        argv = (*argv, "--json")
    return Case(
        ident=f"{ident}-{argv[0]}",
        kind="flags",
        family=argv[0],
        verdict="reject",
        stem=stem,
        data=TEXTS[stem].encode("utf-8"),
        argv=argv,
        names=names,
        json="--json" in argv,
    )
