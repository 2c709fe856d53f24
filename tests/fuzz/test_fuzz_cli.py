"""Seeded malformed inputs through ``migsim.cli.main``: every one refused cleanly.

2,000 cases by default (under a minute); ``MIGSIM_FUZZ_SCALE=10`` runs ten times as many
(``make fuzz``).  A case's id names its kind, index, family and library file, so one
failure can be rerun alone (``pytest tests/fuzz -k file-123-``).  See docs/security.md.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

import pytest

from migsim.cli import main
from tests.fuzz.cases import FILE, ROOT, Case, Kind, case, count
from tests.fuzz.harness import (
    Place,
    check_agrees,
    check_refused,
    check_valid,
    check_validate_refused,
    run,
)

SCALE = int(os.environ.get("MIGSIM_FUZZ_SCALE", "1"))
ID_TOKEN = "ms1:seed-race@00000000:shrunk:00000000:-"


def ids(kind: Kind) -> list[str]:
    """The cases' ids (kind, index, family, file), so that ``-k file-123-`` picks one."""
    return [case(kind, i, ID_TOKEN).ident for i in range(count(kind, SCALE))]


@pytest.fixture(scope="session")
def real_token(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed race's shrunk token, found once (its report goes to a scratch directory)."""
    out = tmp_path_factory.mktemp("token") / "report"
    seed = str(ROOT / "scenarios" / "seed-race.toml")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        status = main(["explore", seed, "--json", "--no-progress", "--out", str(out)])
    assert status == 1
    return str(json.loads(buffer.getvalue())["token"])


@pytest.mark.parametrize("index", range(count("file", SCALE)), ids=ids("file"))
def test_mutated_scenario_files(
    index: int,
    real_token: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    c = case("file", index, real_token)
    place = Place.make(tmp_path, c, monkeypatch)
    file = str(place.file)
    validate = run(("validate", file, *c.extra), capsys)
    place.check_untouched(validate)
    if validate.status == 0:
        assert c.verdict != "reject", f"{c.ident}: validate accepted a bad file\n{validate}"
        check_valid(validate, file, c.imports)
        return
    assert c.verdict != "accept", f"{c.ident}: validate refused a valid file\n{validate}"
    check_validate_refused(validate, file)
    flags = ("--json",) if c.json else ("--no-progress",)
    explore = run(("explore", file, *c.extra, *flags), capsys)
    check_refused(explore, file, as_json=c.json)
    check_agrees(validate, explore)
    place.check_untouched(explore)
    for module in c.imports:
        assert module not in sys.modules


def _run_case(
    c: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    place = Place.make(tmp_path, c, monkeypatch)
    ran = run(place.argv(c.argv), capsys)
    check_refused(ran, c.names.replace(FILE, str(place.file)), as_json=c.json)
    place.check_untouched(ran)


@pytest.mark.parametrize("index", range(count("token", SCALE)), ids=ids("token"))
def test_malformed_replay_tokens(
    index: int,
    real_token: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _run_case(case("token", index, real_token), tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("index", range(count("flags", SCALE)), ids=ids("flags"))
def test_bad_flags(
    index: int,
    real_token: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _run_case(case("flags", index, real_token), tmp_path, monkeypatch, capsys)
