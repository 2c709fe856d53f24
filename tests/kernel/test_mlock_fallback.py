"""mlock vs. reclaim of a lazily migrated page (the "not for mlocked" fallback of §5.1).

A task mlocks a page that lazy migration left in the migration cache (no present pte),
while kswapd looks at it.  A fallback that moves cache pages to swap from reclaim gives
the VM_LOCKED pte a swap entry (L1).

``not-mlocked`` judges by the vmas of the ptes that name the cache entry (the page's own
PG_mlocked is set only once mlock has faulted it in, too late).  That closes every
interleaving in which mlock_fixup comes first, but not the one where kswapd decides
before mlock_fixup and rewrites the pte after it: a decision taken before the move cannot
see a later mlock.  Closing it needs a VM_LOCKED recheck under the PTL in update_pte, as
try_to_unmap_one does for swap-out; the posted migration_move_to_swap has none.
"""

from __future__ import annotations

from actors import DFS, Budget, explore, replay_token
from migsim import Daemon, Machine, MmSpec, Policies, Scenario, Task, TaskStep, build_program


def mlock_vs_kswapd(fallback: str) -> Scenario:
    return Scenario(
        name=f"mlock-vs-kswapd-{fallback}",
        machine=Machine(nodes=1, pages_per_node=2, swap_slots=2, cpus=1),
        policies=Policies(fallback_to_swap=fallback, fault_retry="pte-same+private"),
        mm=(MmSpec("A", pages=1, state=("lazy",)),),
        task=(Task("T", "A", 0, (TaskStep("mlock", page=0),)),),
        daemon=(Daemon("kswapd", name="kswapd", pages=("A:0",)),),
    )


def test_reclaim_fallback_swaps_a_page_mlock_is_populating() -> None:
    program = build_program(mlock_vs_kswapd("vmscan-only"))
    found = explore(program, DFS(dpor=True), Budget(schedules=2000, max_steps=400))
    first = found.first
    assert first is not None
    assert first.outcome.code == "L1"
    assert replay_token(program, first.token).outcome == first.outcome


def _order(labels: list[str], *wanted: str) -> list[int]:
    return [labels.index(w) for w in wanted]


def test_not_mlocked_fails_only_when_kswapd_decides_before_mlock_fixup() -> None:
    program = build_program(mlock_vs_kswapd("not-mlocked"))
    budget = Budget(schedules=2000, max_steps=400, stop_on_first=False)
    found = explore(program, DFS(dpor=True), budget)
    assert found.schedules < 2000  # the search completed
    assert found.violations, "the decide-then-mlock interleaving must still be found"
    for bad in found.violations:
        assert bad.outcome.code == "L1"
        labels = [step.label for step in bad.trace]
        decide, fixup, rewrite = _order(labels, "shrink_list: examine", "mlock_fixup", "update_pte")
        assert decide < fixup < rewrite
    # ... whereas under vmscan-only reclaim also swaps a page mlock has already claimed.
    unguarded = explore(build_program(mlock_vs_kswapd("vmscan-only")), DFS(dpor=True), budget)
    late = [bad for bad in unguarded.violations if _fixup_first([s.label for s in bad.trace])]
    assert late, "vmscan-only should also fail when mlock_fixup came first"


def _fixup_first(labels: list[str]) -> bool:
    return labels.index("mlock_fixup") < labels.index("shrink_list: examine")
