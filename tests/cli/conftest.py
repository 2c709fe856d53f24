"""Fixtures for the CLI and report tests."""

from __future__ import annotations

import pytest

from migsim import RunReport

from .report_fixtures import r1_report


@pytest.fixture
def report() -> RunReport:
    """The hand-made report of the seed race (see report_fixtures)."""
    return r1_report()
