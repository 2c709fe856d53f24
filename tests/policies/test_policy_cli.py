"""Misbehaving and broken policy plugins through the real ``migsim`` command and the ``sim``
fixture: a looping policy is a P1 result within its budget (every other result kept), and a
plugin that cannot be used is refused with its real reason, the key path and the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migsim.races import r1_seed
from migsim.testing import FailingRunError, Sim

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
LOOPING = "tests.kernel.plugins:LOOPING"


def migsim(*args: str, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m migsim ARGS`` from the repository root, with a 0.2 s policy budget."""
    env = {**os.environ, "MIGSIM_POLICY_BUDGET": "0.2"}
    env.pop("MIGSIM_NO_PLUGINS", None)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "migsim", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_explore_with_a_looping_policy_reports_p1_within_its_budget() -> None:
    start = time.perf_counter()
    proc = migsim(
        "explore", str(LIBRARY / "seed-race.toml"), "--set", f"policies.fault_retry={LOOPING}"
    )
    assert time.perf_counter() - start < 60
    assert proc.returncode == 1, proc.stderr
    assert "P1" in proc.stdout
    assert "policy 'looping'.on_miss() ran past its budget of 0.2 s" in proc.stdout
    assert "is slow" not in proc.stderr  # a call over budget is P1, not also "slow"


def test_check_keeps_every_other_result(tmp_path: Path) -> None:
    looping = (
        (LIBRARY / "seed-race.toml")
        .read_text()
        .replace("[policies]", f'[policies]\nfault_retry = "{LOOPING}"', 1)
    )
    assert LOOPING in looping
    (tmp_path / "looping.toml").write_text(looping.replace('fault_retry = "none"\n', ""))
    good = ("r2-two-faulters-none.toml", "r2-two-faulters-pte-same.toml")
    for name in good:
        shutil.copy(LIBRARY / name, tmp_path / name)
    proc = migsim("check", str(tmp_path), "--allow-policy-imports")
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    assert rows["r2-two-faulters-none"].endswith("PASS")
    assert rows["r2-two-faulters-pte-same"].endswith("PASS")
    assert "violation P1" in rows["seed-race"]
    assert "2 passed, 1 failed" in proc.stdout


async def test_the_sim_fixture_fails_with_p1_instead_of_hanging() -> None:
    import policies

    with policies.call_budget(0.2), pytest.raises(FailingRunError, match="P1"):
        await Sim({"strategy": "pct", "schedules": 50}).check(r1_seed(LOOPING))


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A directory that makes two broken plugins look installed (entry-point metadata)."""
    info = tmp_path / "broken_plugins-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugins\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[migsim.policies]\n"
        "no-import = no_such_module_for_migsim:POLICY\n"
        "swapless = tests.policies.test_policies:NO_SWAP\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "no-import",
            "plugin 'no-import' (entry point no_such_module_for_migsim:POLICY) failed to load: "
            "ModuleNotFoundError: No module named 'no_such_module_for_migsim'",
        ),
        ("swapless", "declares kind 'fallback_to_swap' but was given for 'fault_retry'"),
    ],
)
@pytest.mark.parametrize("command", ["explore", "validate", "check"])
def test_a_plugin_that_cannot_be_used_is_refused_with_its_real_reason(
    installed: Path, command: str, name: str, reason: str
) -> None:
    seed = str(LIBRARY / "seed-race.toml")
    proc = migsim(command, seed, "--set", f"policies.fault_retry={name}", extra_path=installed)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    line = next(line for line in out.splitlines() if reason in line)
    assert "policies.fault_retry: " in line
    assert "expected a built-in (" not in out


def test_migsim_policies_lists_source_version_and_status(installed: Path) -> None:
    proc = migsim("policies", extra_path=installed)
    assert proc.returncode == 0, proc.stderr
    header, *rows = (line.split() for line in proc.stdout.splitlines())
    assert header == ["kind", "name", "source", "api", "status", "description"]
    assert ["fault_retry", "pte-same+private", "built-in", "1", "ok"] in [r[:5] for r in rows]
    listed = {r[1]: r for r in rows}
    assert listed["swapless"][:6] == [
        "fallback_to_swap",
        "swapless",
        "entry",
        "point",
        "tests.policies.test_policies:NO_SWAP",
        "1",
    ]
    assert listed["swapless"][6] == "ok"
    assert listed["no-import"][0] == "?"
    assert "error" in listed["no-import"]
    warning = next(line for line in proc.stderr.splitlines() if "no-import" in line)
    assert warning.startswith("migsim: warning: migsim.policies: plugin 'no-import'")
    assert "No module named 'no_such_module_for_migsim'" in warning


def test_a_malformed_budget_is_one_error_line_before_any_run() -> None:
    env = {**os.environ, "MIGSIM_POLICY_BUDGET": "soon"}
    proc = subprocess.run(
        [sys.executable, "-m", "migsim", "explore", str(LIBRARY / "seed-race.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "MIGSIM_POLICY_BUDGET: expected a policy-call budget in seconds" in proc.stderr
    assert "got 'soon'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_policy_budget_flag_sets_the_budget_in_the_message() -> None:
    proc = migsim(
        "explore",
        str(LIBRARY / "seed-race.toml"),
        "--set",
        f"policies.fault_retry={LOOPING}",
        "--policy-budget",
        "0.3",
    )
    assert proc.returncode == 1, proc.stderr
    assert "policy 'looping'.on_miss() ran past its budget of 0.3 s" in proc.stdout


def test_a_bad_policy_budget_is_one_line() -> None:
    proc = migsim("explore", str(LIBRARY / "seed-race.toml"), "--policy-budget", "-1")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert "--policy-budget" in proc.stderr
    assert "expected seconds (a number >= 0; 0 turns the guard off); got '-1'" in proc.stderr
