"""Blocking forms of the runtime's async entry points, derived rather than written twice.

Every entry point is an ``async def`` (``explore_async``, ``shrink_async``, ...) so that
it can run inside an existing trio run (pytest-trio, an application).  Its blocking twin
(``explore``, ``shrink``, ...) is the same call in a fresh ``trio.run``::

    explore = blocking(explore_async)

:func:`blocking` keeps the parameters typed (``ParamSpec``: mypy checks the callers of the
blocking form against the async signature) and writes the blocking form's docstring from
the async one's, so there is one signature and one docstring to maintain.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

import trio

from actors._errors import ActorUsageError

P = ParamSpec("P")
T = TypeVar("T")

SUFFIX = "_async"


def blocking(fn: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """The blocking form of ``fn`` (named ``x_async``): ``x(...)`` runs ``fn(...)`` in a
    fresh ``trio.run`` and returns its result.

    Called inside a trio run, the blocking form raises :class:`~actors.ActorUsageError`
    pointing to ``fn`` (trio runs do not nest).
    """
    async_name = fn.__name__
    if not async_name.endswith(SUFFIX):
        raise ActorUsageError(f"blocking() derives x from x_async; got {async_name!r}")
    name = async_name.removesuffix(SUFFIX)

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        if trio.lowlevel.in_trio_run():
            raise ActorUsageError(
                f"{name}() starts a trio run of its own and trio runs do not nest: "
                f"inside a trio run, use 'await {async_name}(...)'"
            )
        return trio.run(functools.partial(fn, *args, **kwargs))

    run.__name__ = name
    run.__qualname__ = fn.__qualname__.removesuffix(SUFFIX)
    run.__doc__ = _doc(async_name, fn.__doc__)
    return run


def _doc(async_name: str, doc: str | None) -> str:
    head = (
        f"Blocking form of :func:`{async_name}`: runs it in a fresh ``trio.run`` and "
        "returns its result (call it outside trio)."
    )
    return f"{head}\n\n{inspect.cleandoc(doc)}" if doc else head
