"""The runtime's exceptions: one root, each subclass also a familiar builtin."""

from __future__ import annotations


class ActorsError(Exception):
    """Root of every error the runtime raises."""


class ActorUsageError(ActorsError, RuntimeError):
    """The runtime used wrongly: a primitive called outside a run, a program that does not
    return a Setup, an unknown strategy name, a blocking entry point called inside trio."""


class TokenError(ActorsError, ValueError):
    """A replay token could not be parsed."""


class ReplayDivergence(ActorsError, RuntimeError):  # noqa: N818 - a divergence is the finding
    """Replaying a schedule went somewhere the recording did not: the program changed.

    ``step`` is the index of the first step that differs, ``expected`` what the recording
    says (an actor name, or a description) and ``found`` what the program offered instead.
    """

    def __init__(self, step: int, expected: str, found: str, reason: str = "") -> None:
        self.step = step
        self.expected = expected
        self.found = found
        self.reason = reason
        text = f"replay diverged at step {step}: expected {expected}, found {found}"
        super().__init__(f"{text} ({reason})" if reason else text)
