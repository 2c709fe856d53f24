"""Running pytest on a user's test file, in a fresh process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

INI = "[pytest]\ntrio_mode = true\n"


def run_pytest(
    folder: Path, source: str, *args: str, name: str = "test_user.py"
) -> subprocess.CompletedProcess[str]:
    """Run pytest (strict markers, warnings as errors) on ``source`` saved in ``folder``."""
    (folder / "pytest.ini").write_text(INI)
    (folder / name).write_text(textwrap.dedent(source))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--strict-markers"]
    env = {k: v for k, v in os.environ.items() if k != "MIGSIM_SLOW"}  # as from a shell
    return subprocess.run(
        [*command, "-W", "error", "-q", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
