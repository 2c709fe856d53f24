"""The exact one-line message of representative bad inputs, through ``migsim.cli.main``.

Each message says where (the file and key path, or the flag), what was expected, what was
found, and how to fix it when there is a fix; these tests pin the wording so that a change
to it is a decision, not an accident.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

import migsim
import policies
from migsim.cli import main

SCENARIO = """\
name = "msg"

[machine]
cpus = 2

[[mm]]
name = "A"
pages = 2

[[task]]
name = "T"
mm = "A"
program = [{op = "read", page = 0}]

[policies]
fault_retry = "pte-same"
"""


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid scenario file; the working directory is an empty scratch directory."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    path = tmp_path / "msg.toml"
    path.write_text(SCENARIO)
    return path


def error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``migsim ARGV``; it must exit 2 with one line on stderr and none on stdout."""
    capsys.readouterr()
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(str(exc.code))
    out = capsys.readouterr()
    assert status == 2, out.err
    assert out.out == ""
    assert out.err.count("\n") == 1, out.err
    assert out.err.endswith("\n")
    return out.err[:-1]


def rewrite(path: Path, old: str, new: str) -> str:
    path.write_text(path.read_text().replace(old, new, 1))
    return str(path)


def test_a_bad_flag_value(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert error_line(capsys, "explore", str(scenario), "--schedules=0") == (
        "migsim explore: argument --schedules: expected an integer >= 1; got 0 "
        "(see migsim explore --help)"
    )


def test_a_flag_number_in_another_script(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert error_line(capsys, "explore", str(scenario), "--max-steps=\u0663") == (
        "migsim explore: argument --max-steps: expected an integer >= 1; got '\u0663' "
        "(see migsim explore --help)"
    )


def test_an_unknown_policy(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = rewrite(scenario, '"pte-same"', '"pte-sam"')
    known = ", ".join(policies.builtin_names("fault_retry"))
    assert error_line(capsys, "explore", file) == (
        f"migsim: {file}: policies.fault_retry: expected a built-in ({known}), an entry "
        'point or module:attr; got "pte-sam" (did you mean "pte-same"?)'
    )


def test_a_policy_import_from_a_file(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = rewrite(scenario, '"pte-same"', '"evilpol:policy"')
    known = ", ".join(policies.builtin_names("fault_retry"))
    assert error_line(capsys, "validate", file) == (
        f"{file}: policies.fault_retry: expected a built-in ({known}) or an installed entry "
        'point; a scenario file may not import code; got "evilpol:policy" (pass '
        "--allow-policy-imports if you trust this file, or --set "
        "policies.fault_retry=evilpol:policy)"
    )


def test_a_dangling_reference(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = rewrite(scenario, 'mm = "A"', 'mm = "B"')
    assert error_line(capsys, "explore", file) == (
        f'migsim: {file}: task[0].mm: expected the name of an [[mm]] or a fork child (A); got "B"'
    )


def test_a_page_out_of_range(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = rewrite(scenario, "page = 0", "page = 2")
    assert error_line(capsys, "explore", file) == (
        f"migsim: {file}: task[0].program[0].page: expected a page from 0 to 1 (mm A has 2); got 2"
    )


def test_an_oversized_number(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = rewrite(scenario, "cpus = 2", "cpus = 1" + "0" * 4300)
    assert error_line(capsys, "explore", file) == (
        f"migsim: {file}: expected a number of at most 40 digits; got more, at line 4"
    )


def test_a_number_over_its_bound(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = rewrite(scenario, "cpus = 2", f"cpus = {2**63}")
    assert error_line(capsys, "explore", file) == (
        f"migsim: {file}: machine.cpus: expected an integer from 1 to 1024; got 9223372036854775808"
    )


def test_a_bad_override(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert error_line(capsys, "explore", str(scenario), "--set", "explore.schedules=abc") == (
        f"migsim: {scenario}: explore.schedules: expected an integer from 1 to 1000000000; got "
        '"abc" (from --set explore.schedules=abc)'
    )


def test_a_token_that_is_not_one(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert error_line(capsys, "replay", "junk", str(scenario)) == (
        "migsim: not a migsim replay token: 'junk'; expected "
        "'ms1:<program>:<strategy>:<fingerprint>:<choices>' as printed by explore"
    )


def test_a_token_of_too_many_choices(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = "ms1:msg:pct:00000000:0x99999999999"
    assert error_line(capsys, "replay", token, str(scenario)) == (
        "migsim: token has more than 10000000 choices (a run takes at most one per step)"
    )


def test_a_token_choice_in_another_script(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert error_line(capsys, "replay", "ms1:msg:pct:00000000:\u0663", str(scenario)) == (
        "migsim: bad choice '\u0663' in token: expected an actor id like '3', a data choice "
        "like 'c1', optionally repeated like '3x4' (ASCII digits, at most 19)"
    )


def test_a_token_that_does_not_replay(scenario: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = error_line(capsys, "replay", "ms1:msg:pct:00000000:-", str(scenario))
    assert line.startswith(f"migsim: {scenario}: the token does not replay on this file (")
    assert line.endswith("); give the file and the --set options the token was found with")


def test_a_token_that_does_not_replay_on_its_library_file(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = error_line(capsys, "replay", "ms1:seed-race:pct:00000000:-")  # no FILE given
    library = migsim.library_dir() / "seed-race.toml"
    assert line.startswith(f"migsim: {library}: the token does not replay on this file (")


def test_a_token_name_does_not_lead_outside_the_library(
    scenario: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without FILE the token's name finds ``<library>/<name>.toml``: "../x" may not."""
    outside = os.path.relpath(scenario.with_suffix(""), migsim.library_dir())
    assert outside.startswith("..")
    token = f"ms1:{quote(outside, safe='')}:pct:00000000:-"
    line = error_line(capsys, "replay", token)
    assert line.startswith("migsim: the token names '../")  # shown cut to 60 characters
    assert line.endswith(
        "which is not a library scenario name; give the scenario FILE after the token"
    )


@pytest.mark.parametrize(
    ("out", "got"), [("", "an empty name"), ("a\x00b", "a name with a NUL character")]
)
def test_an_output_directory_no_directory_can_have(
    scenario: Path, capsys: pytest.CaptureFixture[str], out: str, got: str
) -> None:
    assert error_line(capsys, "explore", str(scenario), f"--out={out}") == (
        f"migsim: {scenario}: --out: expected a directory path; got {got}"
    )
    assert list(Path().iterdir()) == []  # nothing explored, nothing written
