"""Shared pieces for the scenario-file tests: a small valid document to start from."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_TOML = (Path(__file__).parent / "data" / "seed.toml").read_text()


@pytest.fixture
def seed_toml() -> str:
    """A valid scenario document exercising every section."""
    return SEED_TOML
