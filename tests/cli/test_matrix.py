"""``migsim matrix``: every scenario under every policy combination, and docs/results.md.

Through ``migsim.cli.main`` (the console script's function), on small matrices of the
library's scenarios: the JSON cells, a counterexample whose token replays, a guarded
design proven within a bound, an invalid combination shown as n/a, bad flags, the
Markdown and HTML tables, and the same cells on one or two worker processes.  The last
test regenerates part of docs/results.md and fails when the checked-in file drifted.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from migsim import matrix
from migsim.cli import main
from migsim.scenario import library_dir, load_scenario

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
SEED = str(LIBRARY / "seed-race.toml")
HOTPLUG = str(LIBRARY / "r3-vanished-entry-hotplug-2005.toml")
RESULTS = ROOT / "docs" / "results.md"
CELL_KEYS = {
    "scenario",
    "policies",
    "outcome",
    "invariant",
    "schedules",
    "exhaustive_complete",
    "token",
}


def quiet_main(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)``: its exit status (a usage error's too), stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def run_json(out: Path, *args: str) -> tuple[dict[str, object], str]:
    """``migsim matrix ARGS --json``: the object printed, and stderr."""
    status, stdout, stderr = quiet_main(
        ["matrix", *args, "--out", str(out), "--no-progress", "--no-reduce", "--json"]
    )
    assert status == 0, stderr
    result: dict[str, object] = json.loads(stdout)
    return result, stderr


def cells_of(result: dict[str, object]) -> list[dict[str, Any]]:
    cells = result["cells"]
    assert isinstance(cells, list)
    return cells


@pytest.fixture(scope="module")
def seed_matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The seed race under the 2004 prototype and mainline's fault retry."""
    out = tmp_path_factory.mktemp("matrix")
    policies = "fault_retry=none,pte-same+private"
    result, _ = run_json(out, "--scenarios", SEED, "--policies", policies, "--workers", "1")
    return result


def test_every_cell_has_the_keys_and_the_cells_follow_the_grid(
    seed_matrix: dict[str, object],
) -> None:
    cells = cells_of(seed_matrix)
    assert [c["policies"] for c in cells] == [
        {"fault_retry": "none"},
        {"fault_retry": "pte-same+private"},
    ]
    for cell in cells:
        assert set(cell) >= CELL_KEYS
        assert cell["scenario"] == "seed-race"
        assert cell["era"] == load_scenario(SEED).kernel.era
    assert seed_matrix["axes"] == {"fault_retry": ["none", "pte-same+private"]}


def test_r1_under_none_is_refuted_and_its_token_replays(
    seed_matrix: dict[str, object], tmp_path: Path
) -> None:
    cell = cells_of(seed_matrix)[0]
    assert (cell["outcome"], cell["invariant"], cell["proven"]) == ("violation", "K3", "refuted")
    assert isinstance(cell["token"], str)
    assert isinstance(cell["replay"], str)
    argv = shlex.split(cell["replay"])
    assert argv[:3] == ["migsim", "replay", cell["token"]]
    assert "policies.fault_retry=none" in argv  # the design the cell ran, not the file's
    status, stdout, _ = quiet_main([*argv[1:], "--json", "--out", str(tmp_path)])
    replayed = json.loads(stdout)
    assert status == 1
    assert (replayed["invariant"], replayed["token"]) == ("K3", cell["token"])


def test_the_guarded_design_is_proven_and_a_bound_limits_the_proof(
    seed_matrix: dict[str, object], tmp_path: Path
) -> None:
    guarded = cells_of(seed_matrix)[1]
    assert (guarded["outcome"], guarded["proven"], guarded["token"]) == ("ok", "all", None)
    result, _ = run_json(
        tmp_path,
        "--scenarios",
        SEED,
        "--policies",
        "fault_retry=pte-same+private",
        "--preemption-bound",
        "1",
    )
    (cell,) = cells_of(result)
    assert (cell["outcome"], cell["proven"], cell["bound_completed"]) == ("ok", "bound", 1)
    assert cell["verdict"].startswith("proven up to 1 preemption")


def test_a_combination_the_scenario_rejects_is_n_a_with_the_reason(tmp_path: Path) -> None:
    result, _ = run_json(
        tmp_path,
        "--scenarios",
        SEED,
        "--policies",
        "fallback_to_swap=v8-never,never",
    )
    retired, kept = cells_of(result)
    assert retired["outcome"] == "n/a"
    assert retired["token"] is None
    assert "removed" in retired["reason"]
    assert "kernel.era" in retired["reason"]
    assert kept["outcome"] == "ok"
    assert kept["reason"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--policies", "fault_retry"], "expected KIND=NAME"),
        (["--policies", "fault_rety=none"], 'did you mean "fault_retry"'),
        (["--policies", "fault_retry=pte-sam"], 'did you mean "pte-same"'),
        (["--policies", "fault_retry=none,"], "an empty name"),
        (["--policies", "fault_retry=none", "--policies", "fault_retry=pte-same"], "twice"),
        (["--workers", "0"], "expected an integer >= 1"),
        (["--schedules", "many"], "expected an integer >= 1"),
        (["--format", "pdf"], "invalid choice"),
        (["--json", "--format", "html"], "give one"),
        (["--scenarios", "no/such/dir"], "no such file or directory"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(args: list[str], says: str) -> None:
    status, stdout, err = quiet_main(["matrix", "--scenarios", SEED, *args])
    assert (status, stdout) == (2, "")
    lines = err.splitlines()
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert says in lines[0]


def render(out: Path, *args: str, fmt: str = "text", reduce: bool = False) -> str:
    """The matrix of the seed race and the 2005 hotplug scenario in format ``fmt``
    (counterexamples' scenarios reduced when ``reduce``)."""
    if not reduce:
        args = (*args, "--no-reduce")
    status, stdout, err = quiet_main(
        [
            "matrix",
            "--scenarios",
            SEED,
            "--scenarios",
            HOTPLUG,
            *args,
            "--format",
            fmt,
            "--workers",
            "1",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert status == 0, err
    return stdout


TWO_AXES = ("--policies", "fallback_to_swap=never,vmscan-only", "--policies", "fault_retry=none")


def test_markdown_has_a_table_per_section_with_a_row_per_scenario(tmp_path: Path) -> None:
    md = render(tmp_path, *TWO_AXES, fmt="markdown")
    assert md.startswith("# ")
    assert "do not edit it by hand" in md
    sections = re.findall(r"^## (.*)$", md, re.M)
    assert sections[:3] == [
        "How to read it",
        "fallback_to_swap = never",
        "fallback_to_swap = vmscan-only",
    ]
    rows = re.findall(r"^\| (seed-race|r3-vanished-entry-hotplug-2005) \|.*$", md, re.M)
    assert rows == ["seed-race", "r3-vanished-entry-hotplug-2005"] * 2
    assert "| scenario | races | era | none |" in md
    assert re.search(r"^\| seed-race \| R1 \| [^|]+ \| ✗ K3 \|$", md, re.M)  # vmscan-only
    assert re.search(
        r"^\| r3-vanished-entry-hotplug-2005 \| R3 \| 2.6.10-hotplug \| ✗ D3 \|$", md, re.M
    )
    assert "| D3 |" in md  # the failures found, with their meaning


def test_html_links_each_counterexample_to_its_report(tmp_path: Path) -> None:
    page = render(
        tmp_path, "--policies", "fault_retry=none,pte-same+private", fmt="html", reduce=True
    )
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert page.count("<table>") == 1
    refuted = str(tmp_path / "seed-race" / "fault_retry=none")
    for name in ("summary.txt", "trace.mermaid.md", "reduced.toml"):
        assert f'href="{refuted}/{name}"' in page
    assert 'class="refuted"' in page
    assert 'class="all"' in page
    proven = str(tmp_path / "seed-race" / "fault_retry=pte-same+private")
    assert f'href="{proven}/summary.txt"' in page  # its verdict; no trace to show
    assert f'href="{proven}/trace' not in page


def test_no_reduce_leaves_the_reduced_scenario_out(tmp_path: Path) -> None:
    page = render(tmp_path, "--policies", "fault_retry=none", fmt="html")
    assert "trace.mermaid.md" in page
    assert "reduced.toml" not in page


def test_the_text_table_says_how_many_cells_run(tmp_path: Path) -> None:
    status, stdout, err = quiet_main(
        [
            "matrix",
            "--scenarios",
            SEED,
            "--policies",
            "fault_retry=none",
            "--workers",
            "1",
            "--no-progress",
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 0
    assert "1 cells (1 scenarios x 1 policy combinations)" in err
    assert re.search(r"^seed-race\s+R1\s+\S+\s+✗ K3$", stdout, re.M)


def without_times(result: dict[str, object]) -> dict[str, object]:
    cells = [{k: v for k, v in c.items() if k != "elapsed_s"} for c in cells_of(result)]
    return {**{k: v for k, v in result.items() if k != "elapsed_s"}, "cells": cells}


def test_cells_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    args = ("--scenarios", SEED, "--scenarios", HOTPLUG, "--policies", "fault_retry=none,pte-same")
    one, _ = run_json(tmp_path, *args, "--workers", "1")
    two, err = run_json(tmp_path, *args, "--workers", "2")
    assert "on 2 workers" in err
    assert without_times(one) == without_times(two)
    assert len(cells_of(one)) == 4


def test_the_default_grid_is_what_the_library_uses_of_the_kinds_it_varies() -> None:
    import policies

    scenarios = [load_scenario(f) for f in sorted(LIBRARY.glob("*.toml"))]
    grid, plans = matrix.plan_matrix([str(LIBRARY)], None, matrix.Budget(1))
    used = {k: {getattr(s.policies, k) for s in scenarios} for k in policies.KINDS}
    assert grid.kinds == tuple(k for k in policies.KINDS if len(used[k]) > 1)
    for axis in grid.axes:
        assert set(axis.names) == used[axis.kind]
    assert len(plans) == len(scenarios) * len(grid.combinations())


def test_one_scenario_varies_every_builtin_of_every_kind() -> None:
    import policies

    grid, _ = matrix.plan_matrix([SEED], None, matrix.Budget(1))
    assert grid.to_json() == {k: list(policies.builtin_names(k)) for k in policies.KINDS}


def _tables(md: str) -> dict[str, list[str]]:
    """Each ``## section`` of a results document: its table lines."""
    tables: dict[str, list[str]] = {}
    section = ""
    for line in md.splitlines():
        if line.startswith("## "):
            section = line
            tables[section] = []
        elif line.startswith("| ") and section:
            tables[section].append(line)
    return tables


def test_docs_results_is_what_make_results_prints() -> None:
    """docs/results.md is the default matrix of the library.  The whole matrix takes
    minutes, so this runs the first table's cells of one scenario per kernel era (the
    first of each) and checks their rows, the text above the tables, and every table's
    columns and scenarios against the checked-in file; ``make results`` regenerates it."""
    budget = matrix.Budget(matrix.DEFAULT_SCHEDULES)
    grid, plans = matrix.plan_matrix([str(library_dir())], None, budget)
    firsts: dict[str, str] = {}
    for p in plans:
        firsts.setdefault(p.era, p.file)
    outer = grid.combinations()[0][:-1]  # the first table: the other kinds' first policies
    chosen = [
        i
        for i, p in enumerate(plans)
        if p.file in firsts.values() and p.policies[: len(outer)] == outer
    ]
    ran = dict(zip(chosen, matrix.run_cells([plans[i] for i in chosen], 2), strict=True))
    cells = tuple(ran.get(i) or matrix.Cell(p, matrix.NA) for i, p in enumerate(plans))
    regenerated = matrix.render_markdown(matrix.Matrix(grid, budget, cells))
    docs = RESULTS.read_text(encoding="utf-8")
    intro = "\n## ".join(regenerated.split("\n## ", 2)[:2])
    assert docs.startswith(intro), "docs/results.md: the text above the tables drifted"
    names = {load_scenario(f).name for f in firsts.values()}
    want, got = _tables(regenerated), _tables(docs)
    tables = [s for s, rows in want.items() if rows and rows[0].startswith("| scenario |")]
    for section in tables:
        assert section in got, f"docs/results.md lacks {section}: run make results"
        rows = want[section]
        assert rows[0] == got[section][0], f"{section}: the columns drifted"
        assert [r.split(" | ")[0] for r in rows] == [r.split(" | ")[0] for r in got[section]]
    unnumbered = [_unnumbered(r) for r in got[tables[0]]]
    for row in want[tables[0]]:  # an n/a's note number counts the whole matrix's reasons
        if row.split(" | ")[0].removeprefix("| ") in names:
            assert _unnumbered(row) in unnumbered, f"{row} drifted; run make results"


def _unnumbered(row: str) -> str:
    return re.sub(r"n/a \[\d+\]", "n/a", row)
