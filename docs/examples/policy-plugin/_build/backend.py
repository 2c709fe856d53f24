"""A dependency-free PEP 517 build backend, so that the example installs offline.

It builds a plain wheel of ``src/``'s packages with the ``[project]`` name, version,
description and entry points of pyproject.toml.  A real plugin would name setuptools,
hatchling or flit instead; nothing else in the example depends on this file.
"""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TAG = "py3-none-any"


def _project() -> dict[str, object]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        project: dict[str, object] = tomllib.load(f)["project"]
    return project


def _dist_info(project: dict[str, object]) -> tuple[str, dict[str, str]]:
    name = str(project["name"]).replace("-", "_")
    version = str(project["version"])
    metadata = (
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {version}\n"
        f"Summary: {project.get('description', '')}\n"
    )
    groups = project.get("entry-points", {})
    assert isinstance(groups, dict)
    points = "".join(
        f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in entries.items()) + "\n"
        for group, entries in groups.items()
    )
    wheel = f"Wheel-Version: 1.0\nGenerator: example-backend\nRoot-Is-Purelib: true\nTag: {TAG}\n"
    folder = f"{name}-{version}.dist-info"
    files = {"METADATA": metadata, "WHEEL": wheel, "entry_points.txt": points}
    return folder, {f"{folder}/{key}": text for key, text in files.items()}


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}\n"


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, object] | None = None,
    metadata_directory: str | None = None,
) -> str:
    """Write the wheel into ``wheel_directory`` and return its file name."""
    project = _project()
    folder, meta = _dist_info(project)
    name = folder.removesuffix(".dist-info")
    filename = f"{name}-{TAG}.whl"
    src = ROOT / "src"
    contents = {
        str(p.relative_to(src)): p.read_bytes()
        for p in sorted(src.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    contents.update({path: text.encode() for path, text in meta.items()})
    record = "".join(_record_line(path, data) for path, data in contents.items())
    with zipfile.ZipFile(Path(wheel_directory) / filename, "w") as wheel:
        for path, data in contents.items():
            wheel.writestr(path, data)
        wheel.writestr(f"{folder}/RECORD", record + f"{folder}/RECORD,,\n")
    return filename


def get_requires_for_build_wheel(config_settings: dict[str, object] | None = None) -> list[str]:
    """Nothing: this backend needs only the standard library."""
    return []
