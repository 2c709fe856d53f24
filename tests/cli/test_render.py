"""Golden tests of the report files, one per format, from a hand-made trace with state.

Set MIGSIM_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change (and
review the diff).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import attrs
import pytest

from actors import KeyState, Outcome, Trace
from migsim import ReportError, RunReport, write_report
from migsim.report import MERMAID_MAX_STEPS as MAX_STEPS
from migsim.report import mermaid_escape as escape
from migsim.report import (
    render_chrome,
    render_jsonl,
    render_mermaid,
    render_summary,
    sequence_diagram,
)

from .report_fixtures import deadlock_outcome

GOLDEN = Path(__file__).parent / "golden"
PTE = ("pte", "A", 0)
MCACHE = ("mcache", 1)


def with_state(report: RunReport) -> RunReport:
    """The hand-made R1 report as a replay with state would record it."""
    trace = report.trace
    states: list[tuple[KeyState, ...]] = [() for _ in range(len(trace))]
    states[3] = (KeyState(PTE, "mig:1", "mig:1"),)
    states[8] = (KeyState(PTE, "mig:1", "swp0:3"),)
    states[9] = (KeyState(MCACHE, "count 1", "freed"),)
    states[10] = (KeyState(MCACHE, "freed", "freed"),)
    return attrs.evolve(report, trace=Trace(trace.actors, trace.raw, tuple(states)))


@pytest.fixture
def stateful(report: RunReport) -> RunReport:
    return with_state(report)


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MIGSIM_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_jsonl_golden(stateful: RunReport) -> None:
    report = stateful
    text = render_jsonl(report)
    assert_golden("r1.trace.jsonl", text)
    events = [json.loads(line) for line in text.splitlines()]
    assert [e["event"] for e in events] == ["run"] + ["step"] * 13 + ["outcome"]
    assert events[4] == {**report.trace.step(3).as_dict(), "event": "step", "scenario": "seed-race"}
    assert events[-1]["code"] == "K3"
    assert events[9]["state"] == [{"key": "pte/A/0", "before": "mig:1", "after": "swp0:3"}]


def test_chrome_golden(stateful: RunReport) -> None:
    report = stateful
    text = render_chrome(report)
    assert_golden("r1.trace.chrome.json", text)
    doc = json.loads(text)
    check_trace_events(doc)
    events = doc["traceEvents"]
    threads = {e["tid"]: e["args"]["name"] for e in events if e["name"] == "thread_name"}
    assert threads == {1: "cpu0", 2: "kswapd", 3: "ptl:A:0"}
    slices = [e for e in events if e["ph"] == "X"]
    # Virtual time, ties broken by step: 13 steps, so ts = time * 100 + step.
    assert [e["ts"] for e in slices] == [s.time * 100 + s.index for s in report.trace]
    assert slices[10]["ts"] > slices[8]["ts"] + 99  # step 9 is one virtual tick later
    assert [e["name"] for e in slices[3:6]] == ["read pte", "send PtlLock", "receive PtlLock"]
    racing = [e["args"]["step"] for e in slices if e["cat"] == "race"]
    assert racing == list(report.explained().steps) == [3, 8, 10]
    assert all(e["args"]["race"] for e in slices if e["cat"] == "race")
    assert slices[8]["args"]["changed"] == ["pte A:0: mig:1 -> swp0:3"]
    flows = [(e["cat"], e["ph"], e["ts"] % 100) for e in events if e["ph"] in "sf"]
    assert flows == [
        ("message", "s", 4),
        ("message", "f", 5),
        ("message", "s", 6),
        ("message", "f", 7),
        ("race", "s", 3),  # cpu0's read -> kswapd's write -> cpu0's stale use
        ("race", "f", 8),
        ("race", "s", 8),
        ("race", "f", 10),
    ]
    assert events[-1]["ph"] == "i"
    assert events[-1]["name"] == "violation K3"


def check_trace_events(doc: dict[str, object]) -> None:
    """The trace-event format, as far as chrome://tracing and Perfetto need it: every
    event has a phase, pid and tid; slices have a name, ts and dur; instants have ts; a
    flow's start and finish share an id, category and name, the finish comes no earlier,
    and each binds to a slice of its thread that covers its timestamp."""
    events = doc["traceEvents"]
    assert isinstance(events, list)
    slices: dict[int, list[tuple[int, int]]] = {}
    flows: dict[int, list[dict[str, object]]] = {}
    for e in events:
        assert e["ph"] in ("M", "X", "s", "f", "i"), e
        assert isinstance(e["pid"], int), e
        assert isinstance(e["tid"], int), e
        if e["ph"] == "X":
            assert isinstance(e["name"], str), e
            assert e["name"], e
            assert isinstance(e["ts"], int), e
            assert e["ts"] >= 0, e
            assert e["dur"] > 0, e
            slices.setdefault(e["tid"], []).append((e["ts"], e["ts"] + e["dur"]))
        elif e["ph"] in "sf":
            flows.setdefault(e["id"], []).append(e)
        elif e["ph"] == "i":
            assert isinstance(e["ts"], int), e
            assert e["s"] in "gpt", e
    for flow_id, pair in flows.items():
        assert [e["ph"] for e in pair] == ["s", "f"], flow_id
        start, finish = pair
        assert (start["cat"], start["name"]) == (finish["cat"], finish["name"]), flow_id
        assert finish["ts"] >= start["ts"], flow_id
        for e in pair:
            covering = [a for a, b in slices.get(e["tid"], []) if a <= e["ts"] < b]
            assert covering, f"flow {flow_id} {e['ph']} binds to no slice of tid {e['tid']}"


def test_summary_golden(stateful: RunReport) -> None:
    report = stateful
    text = render_summary(report)
    assert_golden("r1.summary.txt", text)
    assert "invariant:   K3: every fault completes" in text
    assert f"replay:      {report.replay}" in text
    assert (
        " *     8     0  kswapd   yield   update_pte [W:pte/A/0] E(31,1) -> S(0,3)"
        " | pte A:0: mig:1 -> swp0:3\n"
    ) in text
    assert "  kswapd rewrote pte A:0 from mig:1 to swp0:3 at step 8 (update_pte)" in text


def test_mermaid_golden(stateful: RunReport) -> None:
    report = stateful
    text = render_mermaid(report)
    assert_golden("r1.trace.mermaid.md", text)
    assert text.count("```mermaid\n") == 1
    parse_sequence_diagram(sequence_diagram(report))


ARROW = re.compile(
    r"^(?P<src>[A-Za-z0-9_]+)(?P<arrow>-->>|->>|-->|->|--x|-x|--\)|-\))(?P<dst>[A-Za-z0-9_]+)"
    r": (?P<text>[^#;\n]|#[0-9a-z]+;)+$"
)
PARTICIPANT = re.compile(
    r"^participant (?P<id>[A-Za-z0-9_]+) as (?P<alias>([^#;\n]|#[0-9a-z]+;)+)$"
)
NOTE = re.compile(r"^Note (over|left of|right of) (?P<ids>[A-Za-z0-9_,]+): ([^#;\n]|#[0-9a-z]+;)+$")


def parse_sequence_diagram(source: str) -> dict[str, str]:
    """A small checker of Mermaid's sequence-diagram grammar, as far as migsim uses it.

    Header ``sequenceDiagram``; participants declared before use; each line a participant,
    a message arrow, a note, or a ``rect``/``end`` block; blocks balanced.  Returns the
    participants (id -> alias).
    """
    lines = source.splitlines()
    assert lines[0] == "sequenceDiagram"
    participants: dict[str, str] = {}
    depth = 0
    for raw in lines[1:]:
        line = raw.strip()
        if m := PARTICIPANT.match(line):
            assert not depth, "participants are declared before any block"
            participants[m["id"]] = m["alias"]
        elif m := ARROW.match(line):
            assert m["src"] in participants, line
            assert m["dst"] in participants, line
        elif m := NOTE.match(line):
            assert all(i in participants for i in m["ids"].split(",")), line
        elif line.startswith("rect rgb"):
            depth += 1
        elif line == "end":
            depth -= 1
            assert depth >= 0, "end without a block"
        else:
            raise AssertionError(f"not a sequence-diagram line: {line!r}")
    assert depth == 0, "unclosed block"
    return participants


def test_the_mermaid_checker_rejects_broken_diagrams() -> None:
    with pytest.raises(AssertionError):
        parse_sequence_diagram("graph TD\n")
    with pytest.raises(AssertionError):
        parse_sequence_diagram("sequenceDiagram\n    a0->>a1: hi\n")  # undeclared
    with pytest.raises(AssertionError):
        parse_sequence_diagram("sequenceDiagram\n    participant a0 as x\n    a0=>a0: hi\n")
    with pytest.raises(AssertionError):
        parse_sequence_diagram("sequenceDiagram\n    participant a0 as x\n    a0->>a0: a;b\n")
    with pytest.raises(AssertionError):
        parse_sequence_diagram("sequenceDiagram\n    rect rgb(1, 2, 3)\n")


def test_mermaid_lifelines_highlight_and_escapes(stateful: RunReport) -> None:
    report = stateful
    source = sequence_diagram(report)
    # ptl:A:0 only serves messages; it has a lifeline because kswapd contended for it.
    assert parse_sequence_diagram(source) == {"a0": "cpu0", "a1": "kswapd", "a2": "ptl:A:0"}
    assert "    a1-)a2: 4>5 PtlLock\n" in source  # the send and receive steps
    assert "    a2-)a1: 6>7 PtlGranted\n" in source
    assert "receive" not in source  # a receive is the end of its arrow
    assert source.count("rect rgba") == 3  # the racing steps 3, 8 and 10
    assert f"    Note over a1: 8 * update_pte E(31,1) {escape('->')} S(0,3)<br/>" in source
    assert f"<br/>pte A:0: mig:1 {escape('->')} swp0:3\n" in source  # the state change
    assert "Note over a0: 3 * read pte E(31,1)<br/>pte A:0 = mig:1\n" in source
    assert source.rstrip().endswith(f"Note over a0: {escape(report.outcome.describe())}")
    assert escape("a#b;c<d>\ne") == "a#35;b#59;c#lt;d#gt; e"
    weird = attrs.evolve(
        report,
        trace=Trace(("x;y#z",), ((0, "yield", "l;#", (), 0, -1, -1, "d"),)),
        outcome=Outcome("ok"),
    )
    parse_sequence_diagram(sequence_diagram(weird))


def test_uncontended_lock_actors_have_no_lifeline(report: RunReport) -> None:
    raw = [r for r in report.trace.raw if r[0] != 2 and r[1] not in ("send", "receive")]
    quiet = attrs.evolve(report, trace=Trace(report.trace.actors, tuple(raw)))
    assert set(parse_sequence_diagram(sequence_diagram(quiet)).values()) == {"cpu0", "kswapd"}


def test_long_traces_keep_their_tail(report: RunReport) -> None:
    raw = tuple((0, "yield", f"s{i}", (), i, -1, -1, "") for i in range(MAX_STEPS + 50))
    long = attrs.evolve(report, trace=Trace(("a",), raw), outcome=Outcome("error", "E", "x", -1))
    source = sequence_diagram(long)
    parse_sequence_diagram(source)
    assert "Note over a0: steps 0 to 49 not shown" in source
    assert f"Note over a0: {MAX_STEPS + 49} * s{MAX_STEPS + 49}" in source  # the failing step


def test_a_deadlock_report_renders_in_every_format(report: RunReport, tmp_path: Path) -> None:
    dead = attrs.evolve(report, outcome=deadlock_outcome())
    paths = write_report(dead, tmp_path / "out")
    assert [p.name for p in paths] == [
        "trace.jsonl",
        "trace.mermaid.md",
        "trace.chrome.json",
        "summary.txt",
    ]
    summary = paths[3].read_text()
    assert "cpu0 waits for PageLock on page 3" in summary
    assert "invariant:   deadlock: some actor stayed blocked" in summary
    json.loads(paths[2].read_text())
    assert json.loads(paths[0].read_text().splitlines()[-1])["blocked"][1] == {
        "actor": "kswapd",
        "waiting_for": "PTL A:0",
    }


def test_write_report_is_deterministic_and_reports_errors(
    report: RunReport, tmp_path: Path
) -> None:
    first = [p.read_bytes() for p in write_report(report, tmp_path / "a")]
    second = [p.read_bytes() for p in write_report(report, tmp_path / "b")]
    assert first == second
    (tmp_path / "file").write_text("")
    with pytest.raises(ReportError, match="cannot write the report into"):
        write_report(report, tmp_path / "file" / "sub")


def test_terminal_output_uses_rich_tables_and_a_progress_bar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    from actors import Progress
    from migsim.cli import Printer, ProgressDisplay

    buffer = io.StringIO()
    Printer(buffer, rich=True).rows([("result", "ok")], title="migsim explore x")
    assert "migsim explore x" in buffer.getvalue()
    assert "result" in buffer.getvalue()
    plain = io.StringIO()
    Printer(plain).rows([("result", "two\nlines"), ("x", "")])
    assert plain.getvalue() == "result: two\n        lines\nx:\n"
    with ProgressDisplay("x", 10, enabled=True) as bar:
        bar.update(Progress(schedules=5, steps=50, coverage=3, violations=0, budget=10))
    with ProgressDisplay("x", 10, enabled=False) as bar:
        bar.update(Progress(schedules=5, steps=50, coverage=3, violations=0, budget=10))
    assert capsys.readouterr().out == ""  # progress never goes to stdout
