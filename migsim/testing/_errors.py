"""The errors of migsim.testing (all under :class:`migsim.MigsimError`)."""

from __future__ import annotations

from migsim._errors import MigsimError


class HelperUsageError(MigsimError, ValueError):
    """A migsim.testing helper used the wrong way: an unknown or ill-typed ``migsim``
    marker or ``sim`` setting, or :func:`find_failure` called inside a trio run."""
