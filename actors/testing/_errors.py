"""The errors of actors.testing, under the runtime's root :class:`actors.ActorsError`.

Each also inherits the builtin a test framework expects: a trace that does not match is an
``AssertionError`` (pytest and Hypothesis report it as a test failure, not as a crash); a
helper called the wrong way is an :class:`actors.ActorUsageError` and a ``ValueError``.
"""

from __future__ import annotations

from actors import ActorsError, ActorUsageError


class TraceMismatchError(ActorsError, AssertionError):
    """A trace does not match a pattern; the message shows where matching stopped."""


class HelperUsageError(ActorUsageError, ValueError):
    """A testing helper used the wrong way: :func:`~actors.testing.find_failure` called
    inside a trio run, or an unknown or ill-typed setting of a test fixture."""
