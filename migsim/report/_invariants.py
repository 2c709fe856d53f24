"""What a failure's id means, in one line, for reports, ``--json`` and the CLI.

The kernel's invariants are declared once, in :data:`kernel_model.INVARIANTS` (id,
meaning, when it is checked); the runtime adds its own codes for runs that fail without an
invariant (a deadlock, the step bound).  This module only looks them up.
"""

from __future__ import annotations

RUNTIME_CODES: dict[str, str] = {
    "deadlock": "some actor stayed blocked forever with nothing left to wake it",
    "step-bound": "the run did not finish within the step bound (max_steps)",
}


def invariant_meaning(code: str | None) -> str:
    """The one-line meaning of ``code``, or "" for an id migsim does not know."""
    if not code:
        return ""
    if code in RUNTIME_CODES:
        return RUNTIME_CODES[code]
    import kernel_model

    found = kernel_model.INVARIANTS.get(code)
    if found is None:
        import policies  # a user invariant (entry-point group migsim.invariants)

        return policies.user_invariant_meanings().get(code, "")
    return found if isinstance(found, str) else str(found.meaning)
