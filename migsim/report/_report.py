"""A failing (or passing) run, packaged for people: the inputs every renderer shares.

:func:`write_report` writes the four files a user opens after a violation into one
directory: ``trace.jsonl`` (one JSON object per step, for tools), ``trace.mermaid.md`` (a
sequence diagram GitHub renders), ``trace.chrome.json`` (Chrome trace-event format; open it
in Perfetto or chrome://tracing, one track per actor) and ``summary.txt`` (the outcome, the
explanation, the replay command and the last steps).  All output is deterministic.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import attrs

from actors import Outcome, Trace
from migsim._errors import ReportError
from migsim.report._explain import Explanation, explain


@attrs.frozen
class RunReport:
    """One run to render: the scenario name, its trace and outcome, and how to replay it.

    ``replay`` is the one-line command that reproduces the run; ``stats`` are extra
    ``(name, value)`` lines for the summary (schedules explored, coverage, ...);
    ``verdict`` says what the exploration proved.  ``has_run`` is False for an
    exploration that found nothing: then only ``summary.txt`` is written (the trace files
    of an older failure are removed, so that the directory never shows a stale answer).
    """

    scenario: str
    trace: Trace
    outcome: Outcome
    token: str = ""
    replay: str = ""
    preemptions: int = 0
    stats: tuple[tuple[str, str], ...] = ()
    explanation: Explanation | None = None
    verdict: str = ""
    has_run: bool = True

    def explained(self) -> Explanation:
        """The explanation (computed from the trace when none was given)."""
        if self.explanation is not None:
            return self.explanation
        return explain(self.trace, self.outcome)


FILES = ("trace.jsonl", "trace.mermaid.md", "trace.chrome.json", "summary.txt")


def write_report(report: RunReport, out_dir: str | Path) -> tuple[Path, ...]:
    """Write the report files into ``out_dir`` (created if needed); return their paths.

    Each file is written whole or not at all (a temporary file renamed over it), and a
    symbolic link placed at a report path is replaced, never followed.
    """
    from migsim.report._summary import render_summary

    if report.has_run:
        report = attrs.evolve(report, explanation=report.explained())
    texts = _trace_texts(report) if report.has_run else {}
    texts["summary.txt"] = render_summary(report)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            if name in texts:
                write_atomically(out / name, texts[name])
            elif (out / name).is_symlink() or (out / name).exists():
                (out / name).unlink()  # an older run's trace: it would contradict the summary
    except OSError as exc:
        raise ReportError(f"cannot write the report into {out}: {exc.strerror or exc}") from None
    return tuple(out / name for name in FILES if name in texts)


def _trace_texts(report: RunReport) -> dict[str, str]:
    from migsim.report._chrome import render_chrome
    from migsim.report._jsonl import render_jsonl
    from migsim.report._mermaid import render_mermaid

    return {
        "trace.jsonl": render_jsonl(report),
        "trace.mermaid.md": render_mermaid(report),
        "trace.chrome.json": render_chrome(report),
    }


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a fresh temporary file in the same directory and
    ``os.replace``: readers see the old file or the new one, never half of one, and a
    symbolic link at ``path`` is replaced by the file rather than followed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would have created it
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
