"""The pictures of real failures, looked at as a person would: the Mermaid diagram rendered
by mermaid.js in headless Chromium, the Chrome trace checked against the trace-event format.

Chromium comes from Debian (``apt-get install -y chromium``) and mermaid.js from npm's
``mermaid`` package, installed into ``.venv/mermaid`` (``.ci/run`` installs both; this
test installs mermaid itself when npm is there).  The browser test is skipped, saying
why, only when one of them cannot be had.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import migsim
from migsim import Finding, Subject, load_scenario
from migsim.report import render_chrome, sequence_diagram
from tests.cli.test_render import check_trace_events, parse_sequence_diagram

ROOT = Path(__file__).resolve().parents[2]
MERMAID_DIR = ROOT / ".venv" / "mermaid"
MERMAID_JS = MERMAID_DIR / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
MERMAID_VERSION = "11"


def explored(name: str) -> Finding:
    path = ROOT / "scenarios" / f"{name}.toml"
    result = migsim.explore(Subject.of_scenario(load_scenario(path), str(path)))
    assert result.finding is not None
    return result.finding


@pytest.fixture(scope="module")
def r1() -> migsim.Result:
    path = ROOT / "scenarios" / "seed-race.toml"
    return migsim.explore(Subject.of_scenario(load_scenario(path), str(path)))


@pytest.fixture(scope="module")
def r20() -> migsim.Result:
    path = ROOT / "scenarios" / "r20-move-window-no-pte-same.toml"
    return migsim.explore(Subject.of_scenario(load_scenario(path), str(path)))


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed and could not be (apt-get install -y chromium)")
    return found


@pytest.fixture(scope="module")
def mermaid_js() -> Path:
    if not MERMAID_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("mermaid.js is not installed and there is no npm to install it")
        proc = subprocess.run(
            [npm, "install", "--prefix", str(MERMAID_DIR), "--no-audit", "--no-fund",
             f"mermaid@{MERMAID_VERSION}"],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if proc.returncode != 0 or not MERMAID_JS.is_file():
            pytest.skip(f"npm could not install mermaid: {proc.stderr.strip()[-300:]}")
    return MERMAID_JS


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="{script}"></script></head>
<body><div id="out">pending</div>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
mermaid.render("diagram", {source})
  .then(function (r) {{ document.getElementById("out").innerHTML = r.svg; }})
  .catch(function (e) {{ document.getElementById("out").textContent = "RENDER-ERROR " + e; }});
</script></body></html>
"""


def render(chromium: str, mermaid_js: Path, source: str, tmp_path: Path) -> str:
    """The output element after mermaid.js rendered ``source`` in headless Chromium."""
    page = tmp_path / "diagram.html"
    page.write_text(
        PAGE.format(script=mermaid_js.as_uri(), source=json.dumps(source)), encoding="utf-8"
    )
    proc = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--allow-file-access-from-files", "--virtual-time-budget=15000",
            f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    start = dom.index('<div id="out">')
    return dom[start : dom.index("<script>", start)]  # what mermaid.js put on the page


def texts(dom: str) -> str:
    """The SVG's text, entities decoded."""
    return html.unescape(dom)


def test_r1_renders_with_its_two_lifelines_and_state_notes(
    r1: migsim.Result, chromium: str, mermaid_js: Path, tmp_path: Path
) -> None:
    report = r1.report()
    source = sequence_diagram(report)
    names = set(parse_sequence_diagram(source).values())
    assert names == {"cpu0:T", "kswapd"}  # the uncontended lock actors are folded away
    dom = render(chromium, mermaid_js, source, tmp_path)
    assert "RENDER-ERROR" not in dom, dom[-2000:]
    assert "Syntax error" not in dom, dom[-2000:]
    assert "<svg" in dom
    shown = texts(dom)
    for name in names:
        assert f">{name}<" in shown
    assert "pagelock:0" not in shown
    assert "pte A:0: mig:1 -> swp0:0" in shown  # the state change as a note
    update = next(s for s in report.trace if s.label == "update_pte")
    assert f"{update.index} * update_pte" in shown  # the racing step, numbered as in the trace


def test_r20_shows_the_contended_page_lock_and_its_handoff(
    r20: migsim.Result, chromium: str, mermaid_js: Path, tmp_path: Path
) -> None:
    report = r20.report()
    source = sequence_diagram(report)
    names = set(parse_sequence_diagram(source).values())
    assert names == {"cpu0:T", "kswapd", "pagelock:0"}
    handoff = next(s for s in report.trace if s.op == "send" and s.label == "Handoff")
    dom = render(chromium, mermaid_js, source, tmp_path)
    assert "RENDER-ERROR" not in dom, dom[-2000:]
    assert "Syntax error" not in dom, dom[-2000:]
    shown = texts(dom)
    for name in names:
        assert f">{name}<" in shown
    assert f"{handoff.index}>" in shown  # the handoff arrow, numbered by its send


def test_the_chrome_traces_of_real_failures_are_valid_trace_events(
    r1: migsim.Result, r20: migsim.Result
) -> None:
    for result in (r1, r20):
        report = result.report()
        doc = json.loads(render_chrome(report))
        check_trace_events(doc)
        slices = [e for e in doc["traceEvents"] if e["ph"] == "X"]
        assert not any(e["name"].startswith("yield") for e in slices)
        times = [(e["args"]["time"], e["args"]["step"]) for e in slices]
        assert [e["ts"] for e in slices] == sorted(e["ts"] for e in slices)
        assert times == sorted(times)
        racing = sorted(e["args"]["step"] for e in slices if e["cat"] == "race")
        assert racing == list(report.explained().steps)
        assert any(e["args"]["changed"] for e in slices)
    flows = {e["cat"] for e in json.loads(render_chrome(r20.report()))["traceEvents"]
             if e["ph"] == "s"}  # fmt: skip
    assert flows == {"message", "lock", "race"}
