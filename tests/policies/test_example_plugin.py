"""The example plugin of docs/examples/policy-plugin, installed for real into a fresh
virtual environment (offline), listed and run through the ``migsim`` command."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "policy-plugin"


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv that sees this environment's packages (migsim, its dependencies)
    and has the example installed: what a user gets from ``pip install``."""
    where = tmp_path_factory.mktemp("plugin") / "venv"
    made = run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", where)
    assert made.returncode == 0, made.stderr
    python = where / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    # The new venv's "system" site is the base interpreter's; add this environment's too
    # (an addsitedir, so that its own .pth files, migsim's editable install, are read).
    ours = sysconfig.get_paths()["purelib"]
    Path(site.stdout.strip(), "zz-migsim-parent.pth").write_text(
        f"import site; site.addsitedir({ours!r})\n"
    )
    install = run(
        sys.executable,
        *("-m", "pip", "--python", python, "install", "--no-deps", "--no-build-isolation"),
        *("--no-index", "--quiet", EXAMPLE),
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python


def test_the_installed_plugin_is_listed_with_its_source_and_version(venv: Path) -> None:
    proc = run(venv, "-m", "migsim", "policies")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[1]: line.split() for line in proc.stdout.splitlines()[1:]}
    assert rows["example-bounded-retry"][:2] == ["fault_retry", "example-bounded-retry"]
    assert "migsim_example_plugin:BOUNDED_RETRY" in rows["example-bounded-retry"]
    assert rows["example-clean-fallback"][0] == "fallback_to_swap"
    assert rows["example-migrate-idle"][0] == "mlocked"
    assert rows["EX1"][0] == "invariant"
    for name in ("example-bounded-retry", "example-clean-fallback", "example-migrate-idle", "EX1"):
        assert rows[name][rows[name].index("entry") + 3 : rows[name].index("entry") + 5] == [
            "1",
            "ok",
        ], rows[name]
    assert "warning" not in proc.stderr
    # This environment does not see the plugin: it is installed only in the new venv.
    import policies

    assert "example-bounded-retry" not in policies.entry_point_names()


def test_the_plugin_policy_runs_through_the_cli(venv: Path) -> None:
    seed = str(ROOT / "scenarios" / "seed-race.toml")
    proc = run(venv, "-m", "migsim", "explore", seed, "--json", "--schedules", "200")
    assert proc.returncode == 1, proc.stderr  # the seed race, with the 2004 policy
    fixed = run(
        venv,
        *("-m", "migsim", "explore", seed, "--json", "--schedules", "200"),
        *("--set", "policies.fault_retry=example-bounded-retry"),
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert '"outcome": "ok"' in fixed.stdout


def test_the_example_plugins_own_tests_pass(venv: Path) -> None:
    proc = run(venv, "-m", "pytest", "-q", "-p", "no:randomly", "tests", cwd=EXAMPLE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
