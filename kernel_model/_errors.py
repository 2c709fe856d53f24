"""The root of migsim's errors, at the bottom of its domain layers.

:class:`MigsimError` lives here, in the lowest layer every migsim package builds on
(``policies`` and ``kernel_actors`` import ``kernel_model``; the composition root imports
all of them), so that a policy's error, a world that cannot be built and a malformed
scenario share one root: ``except migsim.MigsimError`` catches every error migsim raises
on purpose.  The generic runtime ``actors`` knows nothing of migsim and keeps its own root,
``actors.ActorsError``.
"""

from __future__ import annotations


class MigsimError(Exception):
    """The root of every error migsim raises on purpose (bad input, missing pieces).

    Each subclass also derives from the builtin it is closest to (``ScenarioError`` is a
    ``ValueError``), so callers that do not know migsim keep working.
    """
