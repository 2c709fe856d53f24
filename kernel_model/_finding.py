"""A broken invariant, as the model reports it (the runtime turns it into a Violation)."""

from __future__ import annotations

import attrs


@attrs.frozen
class Finding:
    """Invariant ``code`` (e.g. "C1") broken, why, and the objects involved."""

    code: str
    message: str
    objects: tuple[str, ...] = ()
