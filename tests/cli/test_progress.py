"""Progress that answers "how long?": rate, ETA, the bound being proven and its size.

The display is driven by a fake clock and a fake stream here; through the command it
goes to stderr only (``--json`` keeps stdout one JSON object), only on a terminal unless
``--progress`` forces it, and never with ``--no-progress``.
"""

from __future__ import annotations

import io
import itertools
import json

import attrs

import actors
import migsim
from migsim.cli import ProgressDisplay
from migsim.races import r1_seed, r6_stale_entry

from .test_cli import LIBRARY, SEED
from .test_cli import migsim as run_cli


class FakeClock:
    """The tool's wall clock, advanced by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _snapshot(schedules: int, **search: object) -> migsim.SearchProgress:
    return migsim.SearchProgress(schedules, schedules * 10, 5, 0, 1000, **search)  # type: ignore[arg-type]


def test_the_line_shows_rate_eta_bound_and_an_estimated_level_size() -> None:
    clock, stream = FakeClock(), io.StringIO()
    with ProgressDisplay("r6", 1000, enabled=True, stream=stream, clock=clock) as bar:
        clock.now += 2.0
        bar.update(_snapshot(200, bound=2, level_schedules=80, level_estimate=640))
    line = stream.getvalue().splitlines()[-1]
    assert line.startswith("r6  200/1,000 schedules  100/s  ETA 8s")
    assert "bound 2: 80 of ~640 (estimate)" in line
    assert line.endswith("violations 0")


def test_a_random_search_shows_no_bound_and_eta_uses_minutes() -> None:
    clock, stream = FakeClock(), io.StringIO()
    with ProgressDisplay("w", 1000, enabled=True, stream=stream, clock=clock) as bar:
        clock.now += 10.0
        bar.update(actors.Progress(10, 100, 5, 0, 1000))
    line = stream.getvalue().splitlines()[-1]
    assert "1/s  ETA 16m30s" in line
    assert "bound" not in line


def test_updates_are_throttled_by_the_tools_clock() -> None:
    clock, stream = FakeClock(), io.StringIO()
    with ProgressDisplay("x", 1000, enabled=True, stream=stream, clock=clock) as bar:
        for n in range(1, 31):  # 30 updates in 3 seconds; a log line at most once a second
            clock.now += 0.1
            bar.update(_snapshot(n))
    assert len(stream.getvalue().splitlines()) == 3


def test_on_a_terminal_the_line_is_redrawn_in_place_and_cleared_at_the_end() -> None:
    clock, stream = FakeClock(), Terminal()
    with ProgressDisplay("x", 1000, enabled=True, stream=stream, clock=clock) as bar:
        bar.update(_snapshot(1))
        clock.now += 1.0
        bar.update(_snapshot(2))
    text = stream.getvalue()
    assert "\n" not in text
    assert text.count("\r") == 3
    assert text.endswith("\r\x1b[K")


def test_check_shows_which_scenario_of_how_many() -> None:
    clock, stream = FakeClock(), io.StringIO()
    with ProgressDisplay("check", 0, enabled=True, stream=stream, clock=clock) as bar:
        bar.item("first", 10, 1, 2)
        bar.item("second", 20, 2, 2)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("first [1/2]  0/10 schedules")
    assert lines[1].startswith("second [2/2]  0/20 schedules")


def test_a_disabled_display_writes_nothing() -> None:
    stream = io.StringIO()
    with ProgressDisplay("x", 10, enabled=False, stream=stream) as bar:
        bar.update(_snapshot(5))
        bar.item("y", 10, 1, 1)
    assert stream.getvalue() == ""


def test_the_pipeline_reports_the_bound_levels_of_the_systematic_search() -> None:
    scenario = r6_stale_entry("pte-same")
    scenario = attrs.evolve(
        scenario, explore=attrs.evolve(scenario.explore, strategy="bounded", schedules=600)
    )
    seen: list[actors.Progress] = []
    options = migsim.Options(on_progress=seen.append, progress_every=10, shrink=False)
    result = migsim.explore(migsim.Subject.of_scenario(scenario), options)
    snaps = [p for p in seen if isinstance(p, migsim.SearchProgress)]
    assert len(snaps) == len(seen) > 2
    bounds = [p.bound for p in snaps if p.bound is not None]
    assert bounds == sorted(bounds)
    assert bounds[-1] >= 1
    last = snaps[-1]
    done = result.search.bound_completed
    assert done is not None
    assert len(last.levels) >= done + 1
    assert sum(last.levels) <= last.schedules
    for p in snaps:
        if p.bound is not None:
            assert p.level_schedules <= p.schedules
            assert p.level_estimate is None or p.level_estimate >= p.level_schedules


def test_json_stays_on_stdout_and_progress_goes_to_stderr_when_forced(tmp_path: object) -> None:
    proc = run_cli("explore", str(SEED), "--json", "--progress", "--out", str(tmp_path))
    assert proc.returncode == 1
    json.loads(proc.stdout)  # one JSON object, nothing else
    assert "schedules" in proc.stderr
    assert "violations" in proc.stderr
    quiet = run_cli("explore", str(SEED), "--json", "--out", str(tmp_path))
    assert quiet.stderr == ""  # stderr is a pipe here: no progress unless forced
    off = run_cli("explore", str(SEED), "--json", "--progress", "--no-progress")
    assert "schedules" not in off.stderr


def test_check_progress_names_each_scenario() -> None:
    files = [str(LIBRARY / "seed-race.toml"), str(LIBRARY / "r2-two-faulters-none.toml")]
    proc = run_cli("check", *files, "--progress")
    assert proc.returncode == 0, proc.stdout
    assert "seed-race [1/2]" in proc.stderr
    assert "r2-two-faulters-none [2/2]" in proc.stderr
    assert "[1/2]" not in proc.stdout


def test_the_guarded_seed_race_progress_names_its_bound() -> None:
    scenario = r1_seed("pte-same+private")
    scenario = attrs.evolve(scenario, explore=attrs.evolve(scenario.explore, strategy="bounded"))
    seen: list[actors.Progress] = []
    options = migsim.Options(on_progress=seen.append, progress_every=1, shrink=False)
    migsim.explore(migsim.Subject.of_scenario(scenario), options)
    first = seen[0]
    assert isinstance(first, migsim.SearchProgress)
    assert first.bound == 0


def test_the_reduction_shows_its_attempts() -> None:
    clock, stream = FakeClock(), io.StringIO()
    with ProgressDisplay("w", 500, enabled=True, stream=stream, clock=clock) as bar:
        clock.now += 65.0
        bar.reducing(3, 1)
        bar.reducing(4, 1)  # within the same second: not drawn
    assert stream.getvalue() == "w  reducing: attempt 3, 1 removed, 1m05s\n"


def test_shrinking_shows_its_runs_and_step_budget() -> None:
    clock, stream = FakeClock(), io.StringIO()
    with ProgressDisplay("r1", 500, enabled=True, stream=stream, clock=clock) as bar:
        clock.now += 3.0
        bar.shrinking(12, 4_321)
        bar.shrinking(13, 4_400)  # within the same second: not drawn
    budget = f"{actors.SHRINK_STEP_BUDGET:,}"
    assert stream.getvalue() == f"r1  shrinking: 12 runs, 4,321 of {budget} steps, 3s\n"


def test_the_pipeline_reports_each_shrinking_attempt() -> None:
    seen: list[tuple[int, int]] = []
    options = migsim.Options(on_shrink=lambda runs, steps: seen.append((runs, steps)))
    result = migsim.explore(migsim.Subject.of_scenario(r1_seed("none")), options)
    assert result.finding is not None
    assert seen, "the shrinker ran but told nobody"
    assert [runs for runs, _ in seen] == list(range(1, len(seen) + 1))
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(seen))
