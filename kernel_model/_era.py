"""Kernel eras: which version of the migration-cache code the kernel's actors run.

The 2004-2006 thread argued about *code*, not only about decisions: the V8 patches as
Lee Schermerhorn posted them differ from the code the thread converged on in three places
(R4, R15, R16), and the 2004/2005 memory-hotplug migration cache drops the entry when a
migration fails (R3).  An era is the switch between those code paths; the policies
(``policies``) are the decisions taken inside whichever code runs.  Eras are pure data:
the kernel's actors read them from their context.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen
class Era:
    """One version of the kernel's migration code.

    - ``posted_v8``: run the V8 migration-cache patches exactly as posted: ``update_pte``
      in ``migration_move_to_swap`` without ``swap_duplicate`` (R16), ``lock_page`` under
      the PTL when exit zaps a migration-cache pte (R15), and no cleanup of entries whose
      counter reached 0 (R4).
    - ``detach_on_failure``: when direct migration finds no destination page, detach the
      migration-cache entry anyway instead of restoring the ptes (Ray Bryant's R3).
    - ``source``: where the code of the era comes from.
    """

    name: str
    description: str
    posted_v8: bool
    detach_on_failure: bool
    source: str


def _registry(*eras: Era) -> Mapping[str, Era]:
    return {era.name: era for era in eras}


ERAS: Mapping[str, Era] = _registry(
    Era(
        name="2.6.16-mm1+v8",
        description="the migration cache with the corrections the thread converged on",
        posted_v8=False,
        detach_on_failure=False,
        source=(
            "Schermerhorn's migration cache V8 on 2.6.16-rc3-mm1 (Feb 2006), with the "
            "fixes of the thread: swap_duplicate in update_pte, counter-0 entries reaped by "
            "the page-lock holder, no lock_page under the PTL in zap_pte_range"
        ),
    ),
    Era(
        name="2.6.16-mm1+v8-posted",
        description="the V8 migration-cache patches exactly as posted",
        posted_v8=True,
        detach_on_failure=False,
        source="Schermerhorn's migration cache V8 patches 1-4 on 2.6.16-rc3-mm1 (Feb 2006)",
    ),
    Era(
        name="2.6.10-hotplug",
        description="the 2004/2005 memory-hotplug migration cache (detach on failure)",
        posted_v8=False,
        detach_on_failure=True,
        source=(
            "Tosatti's migration cache in the memory-hotplug tree on 2.6.10 (2004/2005), "
            "as Ray Bryant reported it: a failed migration detaches the entry (R3)"
        ),
    ),
)
"""The kernel eras by name."""

DEFAULT_ERA = "2.6.16-mm1+v8"
"""The era a scenario runs unless it names another: the corrected migration cache."""
