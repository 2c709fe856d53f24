"""The policy kinds, declared once: name, protocol, required members, built-ins, default.

Everything that needs to know the kinds reads this table: the registry validates plugins
against a kind's ``methods`` and ``flags``, ``migsim policies`` lists its built-ins, and
scenarios take their defaults from it.  A built-in name that was retired stays here as a
:class:`Removed` entry, so that resolving it explains what replaced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from policies._builtins import (
    BUILTIN_FALLBACKS,
    BUILTIN_FAULT_RETRIES,
    BUILTIN_MLOCKED,
    FALLBACK_MODES,
)
from policies._protocols import (
    KIND_FALLBACK,
    KIND_FAULT_RETRY,
    KIND_MLOCKED,
    FallbackPolicy,
    FaultRetryPolicy,
    MlockedPolicy,
)

P = TypeVar("P")


@attrs.frozen
class Removed:
    """A retired built-in name: the kernel ``era`` that now carries the code it selected,
    the policy to ``use`` with it, and ``why`` (one clause)."""

    era: str
    use: str
    why: str

    def message(self, kind: str, name: str) -> str:
        """The error that teaches the replacement."""
        return (
            f'policy {kind} = "{name}" was removed: {self.why}; '
            f'set kernel.era = "{self.era}" and {kind} = "{self.use}"'
        )


@attrs.frozen
class PolicyKind(Generic[P]):
    """One kind of policy.

    - ``name``: the scenario key ("fault_retry").
    - ``protocol``: the ``typing.Protocol`` its policies implement.
    - ``methods``: the decision methods a policy must define; ``flags``: the bool
      attributes it must have (both are members of ``protocol``).
    - ``builtins``: the built-in policies by name; ``default``: the one scenarios use.
    - ``removed``: retired built-in names and what replaced them.
    """

    name: str
    protocol: type
    methods: tuple[str, ...]
    flags: tuple[str, ...]
    builtins: Mapping[str, P]
    default: str
    removed: Mapping[str, Removed] = attrs.field(factory=dict)


def _retired_fallbacks() -> dict[str, Removed]:
    """The fallback names that used to select kernel code rather than a decision."""
    posted = "the posted V8 code is a kernel era now"
    retired = {
        f"v8-{mode}": Removed("2.6.16-mm1+v8-posted", mode, posted) for mode in FALLBACK_MODES
    }
    hotplug = Removed("2.6.10-hotplug", "never", "the 2005 memory-hotplug code is a kernel era now")
    return {**retired, "hotplug-2005": hotplug}


FALLBACK_TO_SWAP: PolicyKind[FallbackPolicy] = PolicyKind(
    name=KIND_FALLBACK,
    protocol=FallbackPolicy,
    methods=("fallback",),
    flags=(),
    builtins=BUILTIN_FALLBACKS,
    default="vmscan-only",
    removed=_retired_fallbacks(),
)
"""When a migration-cache page may move to swap."""

MLOCKED: PolicyKind[MlockedPolicy] = PolicyKind(
    name=KIND_MLOCKED,
    protocol=MlockedPolicy,
    methods=("may_migrate",),
    flags=(),
    builtins=BUILTIN_MLOCKED,
    default="refuse",
)
"""Whether pages of a VM_LOCKED vma may migrate."""

FAULT_RETRY: PolicyKind[FaultRetryPolicy] = PolicyKind(
    name=KIND_FAULT_RETRY,
    protocol=FaultRetryPolicy,
    methods=("on_miss", "after_lock"),
    flags=("pte_same",),
    builtins=BUILTIN_FAULT_RETRIES,
    default="pte-same+private",
)
"""How the fault path revalidates what it read without the PTL."""

POLICY_KINDS: Mapping[str, PolicyKind[Any]] = {
    kind.name: kind for kind in (FALLBACK_TO_SWAP, MLOCKED, FAULT_RETRY)
}
"""Every policy kind, by name, in scenario order."""

KINDS: tuple[str, ...] = tuple(POLICY_KINDS)
"""The kind names, in scenario order."""

DEFAULTS: Mapping[str, str] = {name: kind.default for name, kind in POLICY_KINDS.items()}
"""The default policy name of each kind (what a scenario uses unless it says otherwise)."""

BUILTINS: Mapping[str, Mapping[str, object]] = {
    name: kind.builtins for name, kind in POLICY_KINDS.items()
}
"""Built-in policies by kind and name."""
