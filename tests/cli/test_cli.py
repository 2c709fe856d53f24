"""The ``migsim`` command through its real entry point, for every command and exit status.

Exit status: 0 no failure (or every expectation met), 1 a failure found (or an expectation
missed), 2 bad input or usage: always one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_render import parse_sequence_diagram

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
SEED = LIBRARY / "seed-race.toml"
JSON_KEYS = {
    "scenario",
    "outcome",
    "invariant",
    "message",
    "token",
    "schedules",
    "steps",
    "exhaustive_complete",
    "elapsed_s",
    "shrunk_steps",
    "preemptions",
}


def migsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m migsim ARGS`` (the same ``main`` as the console script)."""
    return subprocess.run(
        [sys.executable, "-m", "migsim", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
        check=False,
    )


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def found() -> dict[str, object]:
    """``explore --json`` of the seed race under fault_retry = none (a violation)."""
    out = Path(__file__).parent / "_out"
    shutil.rmtree(out, ignore_errors=True)
    proc = migsim("explore", str(SEED), "--json", "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    shutil.rmtree(out, ignore_errors=True)
    return result


def test_an_unwritable_out_dir_still_prints_the_result_then_exits_2() -> None:
    # The answer (and its token) is not thrown away because its files could not be written.
    proc = migsim("explore", str(SEED), "--json", "--out", "/dev/null/x")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("migsim: cannot write the report into /dev/null/x: ")
    result = json.loads(proc.stdout)
    assert result["invariant"] == "K3"
    assert str(result["token"]).startswith("ms1:seed-race@")
    assert result["report_error"].startswith("cannot write the report into /dev/null/x")
    assert result["files"] == []
    plain = migsim("explore", str(SEED), "--out", "/dev/null/x")
    assert plain.returncode == 2
    assert f"replay:    migsim replay {result['token']} " in plain.stdout


def test_explore_json_is_one_object_with_the_required_keys(found: dict[str, object]) -> None:
    assert set(found) >= JSON_KEYS
    assert found["scenario"] == "seed-race"
    assert found["outcome"] == "violation"
    assert found["invariant"] == "K3"
    assert str(found["token"]).startswith("ms1:seed-race@")
    assert found["replay"] == f"migsim replay {found['token']} {SEED}"
    assert isinstance(found["shrunk_steps"], int)
    assert isinstance(found["preemptions"], int)
    assert found["exhaustive_complete"] is False


def test_explore_finds_explains_and_reports_the_seed_race(tmp_path: Path) -> None:
    proc = migsim("explore", str(SEED), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    text = proc.stdout
    assert "result:    VIOLATION K3: " in text
    assert "invariant: K3: every fault completes" in text
    assert "why:" in text
    assert "cpu0:T read pte A:0 = mig:1 at step" in text
    assert "replay:    migsim replay ms1:seed-race@" in text
    # The minimal interleaving itself: every step, the racing ones starred.
    table = text.split("trace (last ", 1)[1].splitlines()
    steps = [line for line in table[2:] if line.strip()]
    assert table[0].startswith(f"{len(steps)} of {len(steps)} steps")
    starred = [line.split()[3] for line in steps if line.startswith(" *")]
    assert starred == ["cpu0:T", "kswapd", "cpu0:T"]  # read pte, update_pte, stale lookup
    for name in ("trace.jsonl", "trace.mermaid.md", "trace.chrome.json", "summary.txt"):
        assert (tmp_path / "out" / name).is_file()
        assert f"{tmp_path / 'out' / name}" in text
    mermaid = (tmp_path / "out" / "trace.mermaid.md").read_text()
    lifelines = parse_sequence_diagram(mermaid.split("```mermaid\n")[1].split("```")[0])
    assert "cpu0:T" in lifelines.values()
    chrome = json.loads((tmp_path / "out" / "trace.chrome.json").read_text())
    assert chrome["otherData"]["scenario"] == "seed-race"
    again = migsim("explore", str(SEED), "--out", str(tmp_path / "out2"))
    assert again.stdout.replace("out2", "out") == text  # deterministic, byte for byte
    for name in ("trace.jsonl", "trace.mermaid.md", "trace.chrome.json", "summary.txt"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()


def test_explore_default_out_dir_is_migsim_out_name(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "seed.toml")
    proc = migsim("explore", "seed.toml", "--no-progress", cwd=tmp_path)
    assert proc.returncode == 1
    assert (tmp_path / "migsim-out" / "seed-race" / "summary.txt").is_file()


def test_explore_guarded_policy_is_clean_and_exhaustive(tmp_path: Path) -> None:
    args = (
        "explore",
        str(SEED),
        "--set",
        "policies.fault_retry=pte-same+private",
        "--strategy",
        "dfs",
        "--schedules",
        "5000",
        "--json",
        "--out",
        str(tmp_path),
    )
    first, second = migsim(*args), migsim(*args)
    assert first.returncode == 0, first.stderr
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["outcome"] == "ok"
    assert a["exhaustive_complete"] is True
    assert a["token"] is None
    assert a["invariant"] is None
    assert a["proven"] == "all"
    assert a["verdict"].startswith("proven: no failure in any schedule (")
    del a["elapsed_s"], b["elapsed_s"]
    assert a == b  # everything but the elapsed time is deterministic


def test_explore_plain_ok_summary(tmp_path: Path) -> None:
    proc = migsim("explore", str(LIBRARY / "seed-race-pte-same.toml"), "--out", str(tmp_path))
    assert proc.returncode == 0
    found = re.search(
        r"result:   ok: no failure in (\d+) schedules \(exhaustive search complete\)", proc.stdout
    )
    assert found is not None, proc.stdout
    explored = re.search(r"explored: +(\d+) schedules", proc.stdout)
    assert explored is not None
    assert explored.group(1) == found.group(1)


def test_replay_with_and_without_the_file(found: dict[str, object], tmp_path: Path) -> None:
    token = str(found["token"])
    with_file = migsim("replay", token, str(SEED), "--out", str(tmp_path / "a"))
    assert with_file.returncode == 1, with_file.stderr
    assert "VIOLATION K3" in with_file.stdout
    assert f"schedule:  {found['shrunk_steps']} steps" in with_file.stdout
    # Without FILE the token's scenario name finds scenarios/seed-race.toml.
    without = migsim("replay", token, "--json", "--out", str(tmp_path / "b"))
    assert without.returncode == 1, without.stderr
    replayed = json.loads(without.stdout)
    assert replayed["token"] == token
    assert replayed["invariant"] == "K3"
    assert replayed["file"] == "scenarios/seed-race.toml"
    assert (tmp_path / "a" / "trace.jsonl").read_bytes() == (
        tmp_path / "b" / "trace.jsonl"
    ).read_bytes()


def test_replay_bad_tokens_are_one_line_errors(found: dict[str, object]) -> None:
    token = str(found["token"])
    assert "not a migsim replay token" in one_error_line(migsim("replay", "garbage", str(SEED)))
    other = LIBRARY / "r2-two-faulters-none.toml"
    line = one_error_line(migsim("replay", token, str(other)))
    assert 'name: expected "seed-race" (the scenario the token was found in)' in line
    parts = token.split(":")
    changed = ":".join([*parts[:3], "00000000", parts[4]])
    assert "replay diverged" in one_error_line(migsim("replay", changed, str(SEED)))
    nameless = ":".join(["ms1", "", *parts[2:]])
    assert "give the scenario FILE" in one_error_line(migsim("replay", nameless))


def test_shrink(found: dict[str, object], tmp_path: Path) -> None:
    proc = migsim("shrink", str(found["token"]), str(SEED), "--json", "--out", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    shrunk = json.loads(proc.stdout)
    assert shrunk["invariant"] == "K3"
    assert shrunk["shrunk_steps"] <= found["shrunk_steps"]
    ok = migsim("run", str(SEED), "--seed", "3", "--json")
    assert json.loads(ok.stdout)["outcome"] == "ok"
    line = one_error_line(migsim("shrink", json.loads(ok.stdout)["token"], str(SEED)))
    assert "nothing to shrink" in line


def test_run_prints_the_whole_trace() -> None:
    proc = migsim("run", str(SEED), "--seed", "3")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = re.match(r"trace \(last (\d+) of (\d+) steps", lines[0])
    assert header is not None
    assert header.group(1) == header.group(2)  # the whole trace, not a tail
    steps = header.group(2)
    assert f"result:   ok: the run ended without a failure ({steps} steps)" in proc.stdout
    assert sum(1 for line in lines if re.match(r"\s+\d+\s+\d+\s", line)) == int(steps)
    failing = migsim("run", str(SEED), "--seed", "0", "--strategy", "random", "--json")
    assert failing.returncode in (0, 1)
    assert json.loads(failing.stdout)["outcome"] in ("ok", "violation")
    assert "--seed" in one_error_line(migsim("run", str(SEED)))


def test_validate(tmp_path: Path) -> None:
    proc = migsim("validate", str(SEED), str(LIBRARY / "r2-two-faulters-none.toml"))
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        f"{SEED}: ok (seed-race)",
        f"{LIBRARY / 'r2-two-faulters-none.toml'}: ok (r2-two-faulters-none)",
    ]
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SEED.read_text().replace("cpus = 1", "cpus = 0").replace("depth = 4", "dpth = 4")
    )
    proc = migsim("validate", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"{bad}: machine.cpus: expected an integer from 1 to 1024; got 0",
        f"{bad}: explore.dpth: expected one of the keys strategy, schedules, seed, depth, "
        'preemption_bound, max_steps; got an unknown key (did you mean "depth"?)',
    ]
    policy = tmp_path / "policy.toml"
    policy.write_text(SEED.read_text().replace('fault_retry = "none"', 'fault_retry = "x:y"'))
    proc = migsim("validate", str(policy))
    assert proc.returncode == 2
    assert "--allow-policy-imports" in proc.stderr  # a file may not import code by itself
    assert "no such file" in one_error_line(migsim("validate", str(tmp_path / "nope.toml")))


def test_check_the_library_passes() -> None:
    proc = migsim("check", str(LIBRARY))
    assert proc.returncode == 0, proc.stdout
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["scenario", "races", "expect", "got", "schedules", "result"]
    assert any(line.split()[:2] == ["seed-race", "R1"] and line.endswith("PASS") for line in lines)
    assert lines[-1].endswith("passed, 0 failed")


def test_check_a_missed_expectation_and_a_broken_file(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        SEED.read_text().replace(
            'outcome = "violation"\ninvariant = "K3"', 'outcome = "violation"\ninvariant = "D1"'
        )
    )
    proc = migsim("check", str(wrong), "--json")
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert (result["passed"], result["failed"]) == (0, 1)
    assert result["scenarios"][0]["got"] == "violation K3"
    plain = migsim("check", str(wrong))
    assert plain.stdout.splitlines()[-1].startswith("seed-race: migsim replay ms1:seed-race@")
    broken = tmp_path / "broken.toml"
    broken.write_text("name = 3\n")
    proc = migsim("check", str(broken), str(LIBRARY / "seed-race.toml"))
    assert proc.returncode == 2
    assert f"{broken}: name: expected a name" in proc.stdout + proc.stderr


def test_policies_and_scenarios_lists() -> None:
    proc = migsim("policies")
    assert proc.returncode == 0
    rows = [line.split()[:3] for line in proc.stdout.splitlines()]
    assert ["fault_retry", "pte-same+private", "built-in"] in rows
    assert ["mlocked", "refuse", "built-in"] in rows
    proc = migsim("scenarios")
    assert proc.returncode == 0
    assert any(
        line.split()[:4] == ["seed-race", "R1", "2.6.16-mm1+v8", "violation"]
        for line in proc.stdout.splitlines()
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "the following arguments are required: command"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("explore",), "the following arguments are required: FILE"),
        (("explore", str(SEED), "--schedules", "0"), "expected an integer >= 1; got 0"),
        (("explore", str(SEED), "--schedules", "many"), "expected an integer >= 1; got 'many'"),
        (("explore", str(SEED), "--strategy", "bfs"), "invalid choice: 'bfs'"),
        (("explore", "missing.toml"), "missing.toml: expected a readable TOML file"),
        (
            ("explore", str(SEED), "--set", "policies.fault_retry=pte-sme"),
            "policies.fault_retry: expected a built-in",
        ),
        (
            ("explore", str(SEED), "--set", "explore.max_steps=0"),
            "(from --set explore.max_steps=0)",
        ),
        (("explore", str(SEED), "--set", "nonsense"), "expected KEY=VALUE"),
        (("check", "no-such-dir"), "no-such-dir: no such file or directory"),
        (("scenarios", "--dir", "/"), "no scenario files (*.toml) in this directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(args: tuple[str, ...], fragment: str) -> None:
    assert fragment in one_error_line(migsim(*args))


def test_console_script_and_version() -> None:
    script = Path(sys.executable).with_name("migsim")
    if not script.exists():
        pytest.skip("the migsim console script is not installed in this environment")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("migsim ")
