"""The pytest plugin, through pytest itself: marker, sim fixture, failure report, --slow."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from migsim import _pytest_plugin
from migsim.testing import _budget
from tests.testing.userland import run_pytest

FAILING = """
    import pytest
    from migsim.races import r1_seed

    @pytest.mark.migsim(strategy="pct", schedules=300, seed=1)
    async def test_seed_race_is_guarded(sim):
        await sim.check(r1_seed("none"))

    @pytest.mark.migsim(strategy="dfs")
    async def test_seed_race_fix(sim):
        found = await sim.check(r1_seed("pte-same+private"))
        assert found.exhaustive_complete
"""


def test_a_failing_exploration_reports_invariant_explanation_token_and_trace(
    tmp_path: Path,
) -> None:
    run = run_pytest(tmp_path, FAILING)
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "1 failed, 1 passed" in out
    assert "migsim: violation of invariant K3 in r1-seed-none (every fault completes" in out
    assert "kswapd rewrote pte A:0 from mig:1 to swp0:0" in out  # the explanation, with values
    assert "replay token: ms1:r1-seed-none@" in out
    assert "found by pct,seed=1,depth=4 after" in out
    assert "migsim trace of r1-seed-none (Mermaid)" in out
    assert "sequenceDiagram" in out


def test_slow_tests_are_skipped_unless_asked_for_and_examples_grow(tmp_path: Path) -> None:
    source = """
        import os

        import pytest
        from migsim.testing import examples

        @pytest.mark.slow
        def test_long():
            assert examples(200) == 2000

        def test_short():
            assert examples(200) == (2000 if os.environ.get("MIGSIM_SLOW") else 200)
    """
    quick = run_pytest(tmp_path, source, "-rs")
    assert quick.returncode == 0, quick.stdout
    assert "1 passed, 1 skipped" in quick.stdout
    assert "slow: run with --slow" in quick.stdout
    slow = run_pytest(tmp_path, source, "--slow")
    assert slow.returncode == 0, slow.stdout
    assert "2 passed" in slow.stdout


def test_the_marker_takes_keywords_only(tmp_path: Path) -> None:
    source = """
        import pytest

        @pytest.mark.migsim("pct")
        async def test_positional(sim):
            pass
    """
    run = run_pytest(tmp_path, source)
    assert run.returncode != 0
    assert "@pytest.mark.migsim takes keyword arguments only" in run.stdout + run.stderr


def test_the_plugin_is_registered_under_pytest11() -> None:
    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("migsim") == "migsim._pytest_plugin"


def test_loading_the_plugin_imports_no_testing_machinery() -> None:
    code = (
        "import sys, migsim._pytest_plugin\n"
        "heavy = [m for m in ('hypothesis', 'migsim.testing', 'actors.testing', 'kernel_model',"
        " 'kernel_actors', 'migsim._world') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_plugin_and_testing_agree_on_the_slow_switch() -> None:
    assert _pytest_plugin.SLOW_ENV == _budget.SLOW_ENV
