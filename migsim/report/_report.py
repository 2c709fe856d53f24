"""A failing (or passing) run, packaged for people: the inputs every renderer shares.

:func:`write_report` writes the four files a user opens after a violation into one
directory: ``trace.jsonl`` (one JSON object per step, for tools), ``trace.mermaid.md`` (a
sequence diagram GitHub renders), ``trace.chrome.json`` (Chrome trace-event format; open it
in Perfetto or chrome://tracing, one track per actor) and ``summary.txt`` (the outcome, the
explanation, the replay command and the last steps).  All output is deterministic.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from actors import Outcome, Trace
from migsim._errors import ReportError
from migsim.report._explain import Explanation, explain


@attrs.frozen
class RunReport:
    """One run to render: the scenario name, its trace and outcome, and how to replay it.

    ``replay`` is the one-line command that reproduces the run; ``stats`` are extra
    ``(name, value)`` lines for the summary (schedules explored, coverage, ...).
    """

    scenario: str
    trace: Trace
    outcome: Outcome
    token: str = ""
    replay: str = ""
    preemptions: int = 0
    stats: tuple[tuple[str, str], ...] = ()
    explanation: Explanation | None = None

    def explained(self) -> Explanation:
        """The explanation (computed from the trace when none was given)."""
        if self.explanation is not None:
            return self.explanation
        return explain(self.trace, self.outcome)


FILES = ("trace.jsonl", "trace.mermaid.md", "trace.chrome.json", "summary.txt")


def write_report(report: RunReport, out_dir: str | Path) -> tuple[Path, ...]:
    """Write the four report files into ``out_dir`` (created if needed); return their paths."""
    from migsim.report._chrome import render_chrome
    from migsim.report._jsonl import render_jsonl
    from migsim.report._mermaid import render_mermaid
    from migsim.report._summary import render_summary

    report = attrs.evolve(report, explanation=report.explained())
    texts = (
        render_jsonl(report),
        render_mermaid(report),
        render_chrome(report),
        render_summary(report),
    )
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        paths = tuple(out / name for name in FILES)
        for path, text in zip(paths, texts, strict=True):
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write the report into {out}: {exc.strerror or exc}") from None
    return paths
