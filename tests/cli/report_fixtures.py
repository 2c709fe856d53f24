"""Shared pieces for the CLI and report tests: a hand-made failing trace (no kernel needed)."""

from __future__ import annotations

from actors import BlockedActor, Outcome, Trace, reads, writes
from migsim import RunReport

ACTORS = ("cpu0", "kswapd", "ptl:A:0")
NONE = ()


def r1_trace() -> Trace:
    """The seed race, by hand: cpu0 reads the pte unlocked, kswapd rewrites it and frees the
    migration-cache entry, cpu0's lookup misses and the fault ends in OOM."""
    raw = (
        (0, "start", "", NONE, 0, -1, -1, ""),
        (1, "start", "", NONE, 0, -1, -1, ""),
        (2, "start", "", NONE, 0, -1, -1, ""),
        (0, "yield", "read pte", (reads("pte", "A", 0),), 0, -1, -1, "E(31,1)"),
        (1, "send", "PtlLock", (writes("mailbox", "ptl:A:0"),), 0, 2, 1, ""),
        (2, "receive", "PtlLock", (writes("mailbox", "ptl:A:0"),), 0, 1, 1, ""),
        (2, "send", "PtlGranted", (writes("mailbox", "kswapd"),), 0, 1, 2, ""),
        (1, "receive", "PtlGranted", (writes("mailbox", "kswapd"),), 0, 2, 2, ""),
        (1, "yield", "update_pte", (writes("pte", "A", 0),), 0, -1, -1, "E(31,1) -> S(0,3)"),
        (1, "yield", "remove reference", (writes("mcache", 1),), 1, -1, -1, "counter 1 -> 0"),
        (0, "yield", "lookup migration cache", (reads("mcache", 1),), 1, -1, -1, "miss"),
        (0, "choose", "oom", NONE, 1, -1, -1, "1"),
        (0, "finish", "", NONE, 2, -1, -1, ""),
    )
    return Trace(ACTORS, raw)


R1_OUTCOME = Outcome(
    "violation", "K3", "fault on A:0 ended in OOM; its pte names a freed entry", 12, ("A:0",)
)
R1_TOKEN = "ms1:seed-race:shrunk:0123abcd:0x3.1.2x2.1x3.0x3"


def r1_report() -> RunReport:
    """The report of the hand-made R1 run."""
    return RunReport(
        scenario="seed-race",
        trace=r1_trace(),
        outcome=R1_OUTCOME,
        token=R1_TOKEN,
        replay=f"migsim replay {R1_TOKEN} scenarios/seed-race.toml",
        preemptions=1,
        stats=(("schedules", "7"),),
    )


def deadlock_outcome() -> Outcome:
    """Two actors waiting for each other (R15's shape)."""
    return Outcome(
        "deadlock",
        "deadlock",
        "2 actors blocked",
        -1,
        blocked=(BlockedActor("cpu0", "PageLock on page 3"), BlockedActor("kswapd", "PTL A:0")),
    )
