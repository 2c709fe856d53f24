"""The policies package's exception."""

from __future__ import annotations


class PolicyError(ValueError):
    """A policy name or plugin is wrong; the message says which and how to fix it."""
