"""Scenario builders for the races of the domain reference (R1..R20), as Python values.

Each builder returns a :class:`migsim.Scenario` whose ``races``, ``policies``, ``explore``
and ``expect`` say which race it exercises, under which policy, how to search for it and
what should happen; the TOML files in ``scenarios/`` were dumped from these.
"""

from migsim._races import (
    r1_seed,
    r2_two_faulters,
    r3_vanished_entry,
    r4_exit_leak,
    r6_stale_entry,
    r7_entry_aba,
    r15_zap_deadlock,
    r16_swap_undercount,
    r20_move_window,
    workload,
)

__all__ = [
    "r1_seed",
    "r2_two_faulters",
    "r3_vanished_entry",
    "r4_exit_leak",
    "r6_stale_entry",
    "r7_entry_aba",
    "r15_zap_deadlock",
    "r16_swap_undercount",
    "r20_move_window",
    "workload",
]
