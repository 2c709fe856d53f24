"""Capturing the trace of one run, for assertions about what a program does.

A trace is the frozen record of a run (:class:`actors.Trace`): who did what, in order.
Tests capture one and check it with :func:`actors.testing.assert_trace_matches`::

    trace = await capture_trace(program)
    assert_trace_matches(trace, [("client", "send", "Ping"), ("server", "receive")])
"""

from __future__ import annotations

from collections.abc import Sequence

from actors import Program, RunResult, Trace, replay_token_async, run_choices_async


async def capture_run(
    program: Program,
    *,
    choices: Sequence[int] = (),
    token: str | None = None,
    max_steps: int = 10_000,
) -> RunResult:
    """Run ``program`` once and return the whole result (outcome, trace, token).

    Without ``choices`` or ``token`` the run takes the runtime's default schedule: the
    running actor goes on until it blocks or finishes, then the enabled actor with the
    lowest id runs.  ``choices`` (a choice list, e.g. ``result.choices``) is followed
    leniently: where it no longer fits, the default applies.  ``token`` replays a token
    strictly (:class:`actors.ReplayDivergence` if the program changed since).
    """
    if token is not None:
        return await replay_token_async(program, token, max_steps=max_steps)
    return await run_choices_async(
        program, list(choices), strict=False, max_steps=max_steps, strategy="capture"
    )


async def capture_trace(
    program: Program,
    *,
    choices: Sequence[int] = (),
    token: str | None = None,
    max_steps: int = 10_000,
) -> Trace:
    """The trace of one run of ``program`` (see :func:`capture_run` for the schedule)."""
    result = await capture_run(program, choices=choices, token=token, max_steps=max_steps)
    return result.trace
