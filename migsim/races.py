"""The races of the domain reference (R1..R21) as scenarios, built in Python.

:data:`RACES` maps a race id to its :class:`Race`: the base scenario, the variants it is
built under (a policy, or an era and a policy) and which of them fail.  The named
builders return one variant each, e.g. ``r1_seed("pte-same")``; the TOML files of
``scenarios/`` are dumped from these (see ``make library``).
"""

from migsim.scenario._racematrix import RaceVariant, race_variants, render_race_matrix
from migsim.scenario._races import (
    RACES,
    Race,
    r1_seed,
    r2_two_faulters,
    r3_vanished_entry,
    r4_exit_leak,
    r6_stale_entry,
    r7_entry_aba,
    r8_orphan_entry,
    r9_fork_write_entry,
    r10_waiter_pin,
    r11_anon_vma_freed,
    r13_swapoff,
    r15_zap_deadlock,
    r16_swap_undercount,
    r17_pinned_write,
    r18_mlock_count,
    r20_move_window,
    r21_relookup_aba,
)
from migsim.scenario._workload import workload

__all__ = [
    "RACES",
    "Race",
    "RaceVariant",
    "r1_seed",
    "r2_two_faulters",
    "r3_vanished_entry",
    "r4_exit_leak",
    "r6_stale_entry",
    "r7_entry_aba",
    "r8_orphan_entry",
    "r9_fork_write_entry",
    "r10_waiter_pin",
    "r11_anon_vma_freed",
    "r13_swapoff",
    "r15_zap_deadlock",
    "r16_swap_undercount",
    "r17_pinned_write",
    "r18_mlock_count",
    "r20_move_window",
    "r21_relookup_aba",
    "race_variants",
    "render_race_matrix",
    "workload",
]
