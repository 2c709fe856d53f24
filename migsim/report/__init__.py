"""migsim.report: a failing (or passing) run, explained and drawn for people.

- :func:`explain`: the racing operations of a failure, as an :class:`Explanation`;
- :class:`RunReport` and :func:`write_report`: the four report files (JSONL, Mermaid,
  Chrome trace, summary) of one run;
- the renderers behind those files (:func:`render_jsonl`, :func:`render_mermaid`,
  :func:`render_chrome`, :func:`render_summary`) and the terminal's :func:`trace_table`;
- :func:`invariant_meaning`: what a failure's id means, from the one invariant registry.
"""

from __future__ import annotations

from migsim.report._chrome import render_chrome
from migsim.report._explain import Explanation, explain
from migsim.report._invariants import invariant_meaning
from migsim.report._jsonl import render_jsonl
from migsim.report._mermaid import MAX_STEPS as MERMAID_MAX_STEPS
from migsim.report._mermaid import escape as mermaid_escape
from migsim.report._mermaid import render_mermaid, sequence_diagram
from migsim.report._report import FILES, RunReport, write_report
from migsim.report._summary import render_summary, trace_table

__all__ = [
    "FILES",
    "MERMAID_MAX_STEPS",
    "Explanation",
    "RunReport",
    "explain",
    "invariant_meaning",
    "mermaid_escape",
    "render_chrome",
    "render_jsonl",
    "render_mermaid",
    "render_summary",
    "sequence_diagram",
    "trace_table",
    "write_report",
]
