"""policies: pure kernel decisions over read-only views, with a plugin registry.

Three kinds (``fallback_to_swap``, ``mlocked``, ``fault_retry``), each a ``typing.Protocol``
with built-ins from the 2004-2010 debate, declared once in :data:`POLICY_KINDS` (with the
default of each kind in :data:`DEFAULTS`); third-party policies register under the
entry-point group ``migsim.policies`` or are named as ``module:attr``.  Which version of
the kernel's code runs around a decision is not a policy but a kernel era
(``kernel_model.ERAS``).
"""

from __future__ import annotations

from policies._builtins import Fallback, FaultRetry, Mlocked
from policies._errors import PolicyError
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
    resolve,
    validate,
)

__all__ = [
    "BUILTINS",
    "DEFAULTS",
    "ENTRY_POINT_GROUP",
    "FALLBACK_TO_SWAP",
    "FAULT_RETRY",
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
    "Fallback",
    "FallbackPolicy",
    "FallbackReason",
    "FaultRetry",
    "FaultRetryPolicy",
    "LockedAction",
    "MissAction",
    "Mlocked",
    "MlockedPolicy",
    "PolicyError",
    "PolicyKind",
    "Removed",
    "builtin_names",
    "entry_point_names",
    "lets_mlocked_pages_migrate",
    "resolve",
    "validate",
]
