"""How a run ends: ok, an invariant violation, a deadlock, a liveness failure, or an error.

Outcomes are values, not exceptions: a run that finds a bug *returns* it, with enough
detail to explain it (who is blocked on what, which invariant, the traceback).
"""

from __future__ import annotations

from typing import Literal

import attrs

OutcomeKind = Literal["ok", "violation", "deadlock", "liveness", "error"]


@attrs.frozen
class Violation:
    """What a monitor reports: a stable invariant ``code`` ("C1"), a message, the objects."""

    code: str
    message: str
    objects: tuple[str, ...] = ()


@attrs.frozen
class BlockedActor:
    """An actor left blocked at the end of a run, and what it was waiting for."""

    actor: str
    waiting_for: str


@attrs.frozen
class Outcome:
    """The end of one run.

    - ``kind``: "ok", "violation", "deadlock", "liveness" or "error".
    - ``code``: the invariant id for a violation or liveness monitor ("K3"), "step-bound"
      when the step bound was exceeded, "deadlock", the exception type for an error.
    - ``message``: one line for humans.
    - ``step``: the index of the step at which it was detected (-1 for none).
    - ``blocked``: for a deadlock, every blocked actor and its wait point.
    - ``traceback``: for an actor exception, the formatted traceback.
    """

    kind: OutcomeKind
    code: str = ""
    message: str = ""
    step: int = -1
    objects: tuple[str, ...] = ()
    blocked: tuple[BlockedActor, ...] = ()
    traceback: str = ""

    @property
    def failed(self) -> bool:
        """True for anything but ok."""
        return self.kind != "ok"

    def signature(self) -> tuple[str, str]:
        """What must stay the same for two failures to count as "the same bug" (kind, code)."""
        return (self.kind, self.code)

    def describe(self) -> str:
        """A one-line summary: ``violation C1 at step 41: refcount of page 3 ...``."""
        if self.kind == "ok":
            return "ok"
        where = f" at step {self.step}" if self.step >= 0 else ""
        code = f" {self.code}" if self.code else ""
        return f"{self.kind}{code}{where}: {self.message}"


OK = Outcome("ok")
