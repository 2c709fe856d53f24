"""policies: pure kernel decisions over read-only views, with a plugin registry.

Three kinds (``fallback_to_swap``, ``mlocked``, ``fault_retry``), each a ``typing.Protocol``
with built-ins from the 2004-2010 debate; third-party policies register under the
entry-point group ``migsim.policies`` or are named as ``module:attr``.
"""

from __future__ import annotations

from policies._builtins import BUILTINS, Fallback, FaultRetry, Mlocked
from policies._errors import PolicyError
from policies._probe import MLOCKED_PROBE, lets_mlocked_pages_migrate
from policies._protocols import (
    KIND_FALLBACK,
    KIND_FAULT_RETRY,
    KIND_MLOCKED,
    KINDS,
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
    resolve,
    validate,
)

__all__ = [
    "BUILTINS",
    "ENTRY_POINT_GROUP",
    "KINDS",
    "KIND_FALLBACK",
    "KIND_FAULT_RETRY",
    "KIND_MLOCKED",
    "LOCKED_ACTIONS",
    "MISS_ACTIONS",
    "MLOCKED_PROBE",
    "NO_PLUGINS_ENV",
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
    "builtin_names",
    "lets_mlocked_pages_migrate",
    "resolve",
    "validate",
]
