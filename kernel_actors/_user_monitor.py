"""User invariants (entry-point group ``migsim.invariants``) as a runtime monitor.

Each checker sees a fresh :class:`kernel_model.KernelView`; a message it returns is a
violation with the checker's id, reported, shrunk and replayed like a built-in invariant.
A checker that raises or answers something that is neither None nor a string is reported
as P1 naming it, like a misbehaving policy.
"""

from __future__ import annotations

from collections.abc import Sequence

from actors import Violation
from kernel_model import Kernel, KernelView, kernel_view
from policies import InvariantChecker, PolicyTimeoutError, guarded_call


class UserInvariantMonitor:
    """Runs the "step" checkers after every step and all of them at quiescence."""

    def __init__(self, kernel: Kernel, checkers: Sequence[InvariantChecker]) -> None:
        self.kernel = kernel
        self.every_step = tuple(c for c in checkers if c.at == "step")
        self.checkers = tuple(checkers)

    def on_step(self, step_index: int, actor: str) -> Violation | None:
        """The first "step" user invariant the step broke."""
        if not self.every_step:
            return None
        return _first(self.every_step, self.kernel, quiescent=False)

    def on_quiescence(self) -> Violation | None:
        """The first user invariant broken in the final state."""
        return _first(self.checkers, self.kernel, quiescent=True)


def _first(
    checkers: Sequence[InvariantChecker], kernel: Kernel, *, quiescent: bool
) -> Violation | None:
    view = kernel_view(kernel, quiescent=quiescent)
    for checker in checkers:
        found = _ask(checker, view)
        if found is not None:
            return found
    return None


def _ask(checker: InvariantChecker, view: KernelView) -> Violation | None:
    who = f"invariant:{checker.id}"
    try:
        answer = guarded_call(checker.id, "check", (view,), lambda: checker.check(view))
    except PolicyTimeoutError as exc:
        return Violation("P1", f"user invariant {checker.id!r}.check() {exc}", (who,))
    except Exception as exc:
        text = f"user invariant {checker.id!r}.check() raised {type(exc).__name__}: {exc}"
        return Violation("P1", text, (who,))
    if answer is None:
        return None
    if type(answer) is not str:
        text = f"user invariant {checker.id!r}.check() returned {answer!r}; expected None or a str"
        return Violation("P1", text, (who,))
    return Violation(checker.id, answer, (who,))
