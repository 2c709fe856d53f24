"""docs/testing.md cannot rot: its code blocks run, in order, as one test module, and the
failure it shows is the failure pytest prints."""

from __future__ import annotations

import re
from pathlib import Path

from tests.testing.userland import run_pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

EXPECTED_TO_FAIL = "test_tickets_are_unique"  # the tutorial's deliberate bug


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(DOC.read_text()) if lang == language]


def mirrored(text: str) -> str:
    """The tutorial's report with the two clerks swapped: Hypothesis may settle on either
    of the two equally minimal interleavings (the tutorial says so), and the mirror image
    names the other clerk and the mirrored schedule."""
    swap = {"clerk0": "clerk1", "clerk1": "clerk0", "0.1x2": "1.0x2"}
    return re.sub("|".join(map(re.escape, swap)), lambda m: swap[m.group(0)], text)


def test_the_tutorial_runs_and_fails_exactly_where_it_says(tmp_path: Path) -> None:
    module = "\n\n".join(blocks("python"))
    tests = re.findall(r"^(?:async )?def (test_\w+)", module, re.MULTILINE)
    assert EXPECTED_TO_FAIL in tests
    run = run_pytest(tmp_path, module, "-rfE", name="test_tutorial.py")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert f"1 failed, {len(tests) - 1} passed" in out, out
    assert f"FAILED test_tutorial.py::{EXPECTED_TO_FAIL}" in out
    (shown,) = blocks("text")
    if ":1.0x2" in out:
        shown = mirrored(shown)
    for line in shown.splitlines():
        if line.strip() and "..." not in line:
            assert line.strip() in out, (
                f"the tutorial shows {line.strip()!r}; pytest printed:\n{out}"
            )
