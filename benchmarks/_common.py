"""Shared helpers for benchmarks: repeated measurement, medians, the headline line."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable


def parse_args(description: str) -> argparse.Namespace:
    """``--quick`` (a run under 20 s) and ``--repeat N``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a short run (under 20 s)")
    parser.add_argument("--repeat", type=int, default=0, help="measurements per figure")
    return parser.parse_args()


def median_rate(work: Callable[[], int], repeat: int) -> float:
    """Run ``work`` (which returns how many units it did) ``repeat`` times; median units/s."""
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        units = work()
        rates.append(units / (time.perf_counter() - start))
    return statistics.median(rates)


def headline(**figures: float | int | str) -> str:
    """The last line of a benchmark: ``key=value`` pairs."""
    return " ".join(f"{key}={_fmt(value)}" for key, value in figures.items())


def _fmt(value: float | int | str) -> str:
    """Ratios keep two decimals; rates are whole numbers."""
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)
