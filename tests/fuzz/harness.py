"""Run one fuzz case through the real entry point, ``migsim.cli.main(argv)``, in-process,
and check what every bad input must get: exit status 2, one line on stderr naming the
input, no traceback, nothing on stdout but JSON (with ``--json``), and nothing written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from migsim.cli import main
from tests.fuzz.cases import FILE, Case


@dataclass(frozen=True)
class Ran:
    """What one command did."""

    argv: tuple[str, ...]
    status: int
    stdout: str
    stderr: str

    def lines(self) -> list[str]:
        """The non-empty lines of stderr."""
        return [line for line in self.stderr.splitlines() if line.strip()]

    def __str__(self) -> str:
        shown = [a if len(a) < 100 else f"{a[:100]}...({len(a)})" for a in self.argv]
        return (
            f"argv={shown} status={self.status}\n"
            f"stdout={self.stdout[:500]!r}\nstderr={self.stderr[:1500]!r}"
        )


@dataclass(frozen=True)
class Place:
    """Where a case runs: an empty working directory, and the input file elsewhere."""

    cwd: Path
    inputs: Path
    file: Path

    @classmethod
    def make(cls, tmp_path: Path, case: Case, monkeypatch: pytest.MonkeyPatch) -> Place:
        cwd, inputs = tmp_path / "cwd", tmp_path / "in"
        cwd.mkdir()
        inputs.mkdir()
        file = inputs / f"{case.stem}.toml"
        file.write_bytes(case.data)
        monkeypatch.chdir(cwd)
        return cls(cwd, inputs, file)

    def argv(self, argv: Sequence[str]) -> tuple[str, ...]:
        return tuple(str(self.file) if a == FILE else a for a in argv)

    def check_untouched(self, ran: Ran) -> None:
        """Nothing written: the working directory stays empty, the input is alone."""
        assert sorted(p.name for p in self.cwd.iterdir()) == [], ran
        assert sorted(p.name for p in self.inputs.iterdir()) == [self.file.name], ran


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> Ran:
    """``migsim ARGV`` in this process (a usage error exits through SystemExit)."""
    capsys.readouterr()
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return Ran(tuple(argv), status, out.out, out.err)


def check_refused(ran: Ran, names: str, *, as_json: bool, one_line: bool = True) -> None:
    """Exit status 2, the message on stderr naming ``names``, no traceback, clean stdout."""
    assert ran.status == 2, ran
    assert "Traceback" not in ran.stderr, ran
    assert "internal error" not in ran.stderr, ran
    lines = ran.lines()
    assert lines, ran
    if one_line:
        assert len(lines) == 1, ran
        assert ran.stderr == lines[0] + "\n", ran
    assert names in lines[0], ran
    check_stdout(ran, as_json=as_json)


def check_stdout(ran: Ran, *, as_json: bool) -> None:
    """Empty, or one JSON document when ``--json`` was given."""
    if as_json and ran.stdout.strip():
        json.loads(ran.stdout)
    else:
        assert ran.stdout == "", ran


def check_validate_refused(ran: Ran, file: str) -> None:
    """``validate`` prints every problem, one line each, each naming the file (its
    documented form: docs/cli.md)."""
    check_refused(ran, file, as_json=False, one_line=False)
    for line in ran.lines():
        assert line.startswith((f"{file}: ", "migsim: ")), ran


def check_agrees(validate: Ran, explore: Ran) -> None:
    """explore refuses a file validate refused with the same first problem, one line."""
    first, more = validate.lines()[0], len(validate.lines()) - 1
    if first.startswith("migsim: "):
        expected = first
    else:
        suffix = f" [and {more} more problem{'s' if more > 1 else ''}]" if more else ""
        expected = f"migsim: {first}{suffix}"
    assert explore.lines() == [expected], f"{validate}\n---\n{explore}"


def check_valid(ran: Ran, file: str, imports: Sequence[str]) -> None:
    """``validate`` passed the file: one ``ok`` line, nothing on stderr, nothing imported."""
    assert ran.status == 0, ran
    assert ran.stderr == "", ran
    assert ran.stdout.startswith(f"{file}: ok ("), ran
    for module in imports:
        assert module not in sys.modules, f"validate imported {module}"
