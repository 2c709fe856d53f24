"""Blocking forms: one async definition, its blocking twin derived with ``blocking``."""

from __future__ import annotations

import inspect

import pytest

import actors
from actors import ActorUsageError, Budget, RandomWalk, blocking, explore
from tests.runtime.programs import lost_update

PAIRS = ["explore", "shrink", "replay_token", "run_schedule"]


@pytest.mark.parametrize("name", PAIRS)
def test_the_blocking_form_has_the_async_forms_signature_and_docs(name: str) -> None:
    sync, coro = getattr(actors, name), getattr(actors, f"{name}_async")
    assert inspect.iscoroutinefunction(coro)
    assert not inspect.iscoroutinefunction(sync)
    assert sync.__name__ == name
    assert inspect.signature(sync) == inspect.signature(coro)
    doc = inspect.getdoc(sync) or ""
    assert doc.startswith(f"Blocking form of :func:`{name}_async`: runs it in a fresh ``trio.run``")
    assert (inspect.getdoc(coro) or "") in doc


async def test_a_blocking_form_inside_trio_points_to_the_async_form() -> None:
    with pytest.raises(ActorUsageError, match=r"inside a trio run, use 'await explore_async"):
        explore(lambda: lost_update(2), RandomWalk(0), Budget(schedules=1))


def test_blocking_derives_only_from_async_names() -> None:
    async def compute(x: int) -> int:
        return x

    with pytest.raises(ActorUsageError, match="x from x_async"):
        blocking(compute)


def test_blocking_passes_arguments_through() -> None:
    async def double_async(x: int, *, times: int = 2) -> int:
        """Multiply ``x``."""
        return x * times

    double = blocking(double_async)
    assert double(3) == 6
    assert double(3, times=3) == 9
    assert double.__name__ == "double"
