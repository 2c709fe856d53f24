"""policies: pure kernel decisions over read-only views, with a plugin registry.

The API of policy plugins is documented in docs/policies.md: the protocols below, the
views of ``kernel_model`` (``PageView``, ``FaultView``), the allowed answers, the purity
rule, the per-call wall budget (:func:`guarded_call`) and :data:`API_VERSION`.

Three kinds (``fallback_to_swap``, ``mlocked``, ``fault_retry``), each a ``typing.Protocol``
with built-ins from the 2004-2010 debate, declared once in :data:`POLICY_KINDS` (with the
default of each kind in :data:`DEFAULTS`); third-party policies register under the
entry-point group ``migsim.policies`` or are named as ``module:attr``.  Which version of
the kernel's code runs around a decision is not a policy but a kernel era
(``kernel_model.ERAS``).
"""

from __future__ import annotations

from policies._builtins import Fallback, FaultRetry, Mlocked
from policies._catalog import PolicyInfo, catalog
from policies._errors import PolicyError
from policies._guard import (
    BUDGET_ENV,
    DEFAULT_BUDGET_S,
    SLOW_CALL_S,
    CallCost,
    PolicyCall,
    PolicyTimeoutError,
    budget_s,
    call_budget,
    call_costs,
    first_divergence,
    guarded_call,
    impurity_message,
    parse_budget,
    recording,
    reset_costs,
    slow_calls,
)
from policies._invariants import (
    CHECK_AT,
    INVARIANT_GROUP,
    CheckAt,
    InvariantChecker,
    user_invariant_meanings,
    user_invariants,
    validate_invariant,
)
from policies._kinds import (
    BUILTINS,
    DEFAULTS,
    FALLBACK_TO_SWAP,
    FAULT_RETRY,
    KINDS,
    MLOCKED,
    POLICY_KINDS,
    PolicyKind,
    Removed,
)
from policies._probe import MLOCKED_PROBE, lets_mlocked_pages_migrate
from policies._protocols import (
    API_VERSION,
    KIND_FALLBACK,
    KIND_FAULT_RETRY,
    KIND_MLOCKED,
    LOCKED_ACTIONS,
    MISS_ACTIONS,
    FallbackPolicy,
    FallbackReason,
    FaultRetryPolicy,
    LockedAction,
    MissAction,
    MlockedPolicy,
)
from policies._registry import (
    ENTRY_POINT_GROUP,
    NO_PLUGINS_ENV,
    builtin_names,
    entry_point_names,
    is_import_ref,
    load_entry_point,
    resolve,
    validate,
)

__all__ = [
    "API_VERSION",
    "BUDGET_ENV",
    "BUILTINS",
    "CHECK_AT",
    "DEFAULTS",
    "DEFAULT_BUDGET_S",
    "ENTRY_POINT_GROUP",
    "FALLBACK_TO_SWAP",
    "FAULT_RETRY",
    "INVARIANT_GROUP",
    "KINDS",
    "KIND_FALLBACK",
    "KIND_FAULT_RETRY",
    "KIND_MLOCKED",
    "LOCKED_ACTIONS",
    "MISS_ACTIONS",
    "MLOCKED",
    "MLOCKED_PROBE",
    "NO_PLUGINS_ENV",
    "POLICY_KINDS",
    "SLOW_CALL_S",
    "CallCost",
    "CheckAt",
    "Fallback",
    "FallbackPolicy",
    "FallbackReason",
    "FaultRetry",
    "FaultRetryPolicy",
    "InvariantChecker",
    "LockedAction",
    "MissAction",
    "Mlocked",
    "MlockedPolicy",
    "PolicyCall",
    "PolicyError",
    "PolicyInfo",
    "PolicyKind",
    "PolicyTimeoutError",
    "Removed",
    "budget_s",
    "builtin_names",
    "call_budget",
    "call_costs",
    "catalog",
    "entry_point_names",
    "first_divergence",
    "guarded_call",
    "impurity_message",
    "is_import_ref",
    "lets_mlocked_pages_migrate",
    "load_entry_point",
    "parse_budget",
    "recording",
    "reset_costs",
    "resolve",
    "slow_calls",
    "user_invariant_meanings",
    "user_invariants",
    "validate",
    "validate_invariant",
]
