"""Code blocks in the docs run, so they cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS_WITH_RUNNABLE_CODE = ["docs/runtime.md"]


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("doc", DOCS_WITH_RUNNABLE_CODE)
def test_python_blocks_in_docs_run(doc: str, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = _python_blocks(ROOT / doc)
    assert blocks, f"{doc} has no python code block"
    namespace: dict[str, object] = {"__name__": "docs_example"}
    for block in blocks:
        exec(compile(block, doc, "exec"), namespace)
    out = capsys.readouterr().out
    assert out
