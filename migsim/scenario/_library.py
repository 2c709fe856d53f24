"""The scenario library: where scenario files live, and finding one by name.

``migsim scenarios`` lists the library, ``migsim check`` runs it, and ``migsim replay
TOKEN`` without a file finds ``<library>/<name>.toml`` from the scenario name inside the
token.  The library is the ``scenarios/`` directory of the current directory when there is
one, else the one next to the migsim package (a source checkout).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from migsim._errors import UsageError


def library_dir() -> Path:
    """The scenario library directory (it may not exist)."""
    here = Path("scenarios")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "scenarios"


def scenario_files(targets: Sequence[str]) -> list[Path]:
    """Expand files and directories (their ``*.toml``, sorted) into scenario files."""
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise UsageError(f"{target}: no scenario files (*.toml) in this directory")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{target}: no such file or directory")
    return files


def find_scenario(name: str) -> Path:
    """The library file of scenario ``name`` (``<library>/<name>.toml``)."""
    if not name:
        raise UsageError("this token does not name its scenario; give the scenario FILE too")
    from migsim.scenario._model import NAME_CHARS

    if name.startswith(".") or not all(c in NAME_CHARS for c in name):
        # A name from a token is data: "../x" must not lead outside the library.
        shown = name if len(name) <= 60 else f"{name[:60]}..."
        raise UsageError(
            f"the token names {shown!r}, which is not a library scenario name; give the "
            "scenario FILE after the token"
        )
    library = library_dir()
    path = library / f"{name}.toml"
    if path.is_file():
        return path
    from migsim.scenario._loader import load_scenario

    for candidate in sorted(library.glob("*.toml")) if library.is_dir() else []:
        try:
            if load_scenario(candidate).name == name:
                return candidate
        except ValueError:
            continue
    raise UsageError(
        f"no scenario named {name!r} in {library}/ (the token names it); give the scenario "
        "FILE after the token"
    )
