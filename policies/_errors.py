"""The policies package's exception."""

from __future__ import annotations

from kernel_model import MigsimError


class PolicyError(MigsimError, ValueError):
    """A policy name or plugin is wrong; the message says which and how to fix it."""
