"""Explaining failures from trace footprints: the stale read, deadlocks, the fallbacks.

The hand-made traces carry no state (the wording without values); the races of the
scenario library are explored for real, replayed with state, and their explanation must
name the racing actors, the pte, the values and the operations, as the trace shows them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import attrs

import migsim
from actors import KeyState, Outcome, Step, Trace, reads, writes
from kernel_actors import CacheEntryValue, CacheValue, LockValue, PteValue
from migsim import Finding, Subject, explain, load_scenario

from .report_fixtures import R1_OUTCOME, deadlock_outcome, r1_trace


def test_without_state_the_stale_read_of_the_seed_race_is_named() -> None:
    e = explain(r1_trace(), R1_OUTCOME)
    assert e.headline == R1_OUTCOME.describe()
    assert e.lines[:3] == (
        'cpu0 read pte A:0 at step 3 ("read pte": E(31,1))',
        'kswapd then changed pte A:0 at step 8 ("update_pte": E(31,1) -> S(0,3)), '
        "before cpu0 ran again",
        'cpu0 went on at step 10 ("lookup migration cache": miss) with what it had read before',
    )
    assert e.lines[-1].startswith("=> violation K3 detected after step 12 (cpu0): fault on A:0")
    assert e.steps == (3, 8, 10)
    assert e.text().splitlines()[1] == "  " + e.lines[0]


def test_mailbox_traffic_is_not_mistaken_for_the_race() -> None:
    e = explain(r1_trace(), R1_OUTCOME)
    assert not any("mailbox" in line for line in e.lines)


def test_other_keys_changed_under_the_reader_are_mentioned() -> None:
    raw = list(r1_trace().raw)
    # cpu0 also looked at the cache entry before kswapd freed it.
    raw[3] = (0, "yield", "read pte", (reads("pte", "A", 0), reads("mcache", 1)), 0, -1, -1, "")
    e = explain(Trace(r1_trace().actors, tuple(raw)), R1_OUTCOME)
    assert "(also changed under cpu0: mcache/1 by kswapd at step 9)" in e.lines
    assert e.steps == (3, 8, 9, 10)


def test_the_failing_actor_is_preferred_as_the_reader() -> None:
    actors = ("a", "b")
    raw = (
        (0, "yield", "a reads x", (reads("x"),), 0, -1, -1, ""),
        (1, "yield", "b reads y", (reads("y"),), 0, -1, -1, ""),
        (0, "yield", "a writes y", (writes("y"),), 0, -1, -1, ""),
        (1, "yield", "b writes x", (writes("x"),), 0, -1, -1, ""),
        (0, "yield", "a uses x", (), 0, -1, -1, ""),
        (1, "yield", "b uses y", (), 0, -1, -1, ""),
    )
    trace = Trace(actors, raw)
    assert explain(trace, Outcome("violation", "D1", "m", 5)).lines[0].startswith("b read y")
    assert explain(trace, Outcome("violation", "D1", "m", 4)).lines[0].startswith("a read x")


def test_a_deadlock_is_explained_by_who_waits_for_what() -> None:
    e = explain(r1_trace(), deadlock_outcome())
    assert e.lines == (
        'cpu0 waits for PageLock on page 3 (its last step: 12 ("finish"))',
        'kswapd waits for PTL A:0 (its last step: 9 ("remove reference": counter 1 -> 0))',
    )
    assert e.steps == (9, 12)


def test_without_a_stale_read_the_last_steps_are_shown() -> None:
    trace = Trace(
        ("a",), ((0, "start", "", (), 0, -1, -1, ""), (0, "finish", "", (), 0, -1, -1, ""))
    )
    e = explain(trace, Outcome("error", "ValueError", "boom", 1))
    assert e.lines == (
        "no stale read of shared memory precedes the failure; the last steps were:",
        'step 0: a start ("start")',
        'step 1: a finish ("finish")',
    )


def test_ok_empty_and_out_of_range_outcomes() -> None:
    assert explain(r1_trace(), Outcome("ok")).lines == ("the run ended without a failure",)
    empty = Trace(("a",), ())
    assert explain(empty, Outcome("liveness", "K3", "hot")).lines == (
        "the run failed before any step was taken",
    )
    # A step index past the end (or -1) means: at the end of the run.
    late = attrs.evolve(R1_OUTCOME, step=99)
    assert explain(r1_trace(), late).steps == (3, 8, 10)


# -- the races of the library, explored for real and explained with their values ----------

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
PTE = ("pte", "A", 0)
MIGCACHE = ("migcache",)


@functools.cache
def explored(name: str) -> Finding:
    """Explore a library scenario as ``migsim explore`` does; its failure, with state."""
    path = LIBRARY / f"{name}.toml"
    result = migsim.explore(Subject.of_scenario(load_scenario(path), str(path)))
    assert result.finding is not None, f"{name} found no failure"
    assert result.finding.shrunk.trace.has_state
    return result.finding


def first(trace: Trace, start: int, test: Callable[[Step], bool]) -> Step:
    """The first step from ``start`` on that passes ``test``."""
    return next(s for s in trace.steps[start:] if test(s))


def pte_changed(step: Step) -> bool:
    state = step.value(PTE)
    return state is not None and state.changed


def holds(value: object, entry: str) -> bool:
    assert isinstance(value, CacheValue)
    return value.find(entry) is not None


def stale_pte_read(finding: Finding) -> tuple[Trace, Step, str, Step]:
    """The failing actor's unlocked pte read, the value it saw, and the first other actor's
    step that changed that pte afterwards, all found in the recorded trace."""
    trace, outcome = finding.shrunk.trace, finding.shrunk.outcome
    victim = trace.step(outcome.step).actor
    read = first(trace, 0, lambda s: s.actor == victim and s.value(PTE) is not None)
    state = read.value(PTE)
    assert state is not None
    seen = str(state.before)
    write = first(trace, read.index + 1, lambda s: s.actor != victim and pte_changed(s))
    return trace, read, seen, write


def assert_names_the_pte_race(
    finding: Finding, entries: tuple[str, ...] = ("mig:",)
) -> tuple[Trace, Step, str, Step]:
    trace, read, seen, write = stale_pte_read(finding)
    lines = finding.explanation.lines
    assert seen.startswith(entries)  # the fault saw a cache entry (migration, or swap too)
    assert not any(line.startswith("(also changed") and "lock" in line for line in lines)
    assert read.label == "read pte (unlocked)"
    assert lines[0].startswith(
        f"{read.actor} read pte A:0 = {seen} at step {read.index} (read pte (unlocked)), unlocked"
    )
    assert "PTL" not in lines[0] or "no PTL held" in lines[0]
    rewrite = write.value(PTE)
    assert rewrite is not None
    assert (
        f"{write.actor} rewrote pte A:0 from {seen} to {rewrite.after} at step {write.index} "
        f"({write.label}), before {read.actor} ran again"
    ) in lines
    assert {read.index, write.index} <= set(finding.explanation.steps)
    return trace, read, seen, write


def test_r1_the_unlocked_pte_read_kswapds_rewrite_and_the_missed_lookup() -> None:
    finding = explored("seed-race")
    trace, read, seen, write = assert_names_the_pte_race(finding)
    assert (write.actor, write.label) == ("kswapd", "update_pte")
    rewrite = write.value(PTE)
    assert rewrite is not None
    assert str(rewrite.after).startswith("swp0:")
    use = first(trace, write.index + 1, lambda s: s.actor == read.actor)
    assert use.label == "lookup_swap_cache"
    assert (
        f"{read.actor} went on at step {use.index} (lookup_swap_cache) with the stale {seen}, "
        f"and looked up {seen}: it missed (the migration cache no longer has it)"
    ) in finding.explanation.lines
    assert f"kswapd freed {seen} at step {write.index} (update_pte): cpu0:T still holds it" in (
        finding.explanation.lines
    )
    assert finding.explanation.steps == (read.index, write.index, use.index)


def test_r20_the_race_is_the_pte_read_and_lookup_against_update_pte_not_the_lock() -> None:
    finding = explored("r20-move-window-no-pte-same")
    trace, read, seen, write = assert_names_the_pte_race(finding)
    assert (write.actor, write.label) == ("kswapd", "update_pte")
    lookup = first(trace, read.index + 1, lambda s: s.label == "lookup_swap_cache")
    assert lookup.actor == read.actor
    assert lookup.index < write.index
    before = lookup.value(MIGCACHE)
    assert before is not None
    assert isinstance(before.before, CacheValue)
    found = before.before.find(seen)
    assert found is not None
    assert found.pfn is not None
    lines = finding.explanation.lines
    assert (
        f"{read.actor} looked up {seen} in the migration cache at step {lookup.index} "
        f"(lookup_swap_cache): page {found.pfn}"
    ) in lines
    # What the fault did next with the pte it had read: it mapped its page over the change.
    mapped = first(trace, write.index + 1, lambda s: s.actor == read.actor and pte_changed(s))
    change = mapped.value(PTE)
    assert change is not None
    assert (
        f"{read.actor} then wrote pte A:0 from {change.before} to {change.after} at step "
        f"{mapped.index} ({mapped.label})"
    ) in lines
    # The page-lock handoff is how the fault waited, not the race.
    assert not any(line.split(" at step")[0].endswith("lock page:0") for line in lines)
    assert not any("changed lock page" in line for line in lines)


def test_r7_the_explanation_says_the_id_was_freed_and_reused() -> None:
    finding = explored("r7-entry-aba-pte-same")
    trace, read, seen, _write = assert_names_the_pte_race(finding, ("mig:", "swp"))
    container = MIGCACHE if seen.startswith("mig:") else ("swap",)

    def cache(step: Step) -> tuple[bool, bool] | None:
        state = step.value(container)
        if state is None:
            return None
        return holds(state.before, seen), holds(state.after, seen)

    freed = first(trace, read.index + 1, lambda s: cache(s) == (True, False))
    again = first(trace, freed.index + 1, lambda s: cache(s) == (False, True))
    aba = [line for line in finding.explanation.lines if line.startswith("id reuse (ABA)")]
    assert aba == [
        f"id reuse (ABA): {freed.actor} freed {seen} at step {freed.index} ({freed.label}) "
        f"and {again.actor} allocated {seen} again at step {again.index} ({again.label})"
        + aba[0].split(f"({again.label})", 1)[1]
    ]
    assert aba[0].endswith(f"so the {seen} that {read.actor} read names another object now")
    assert {freed.index, again.index} <= set(finding.explanation.steps)
    # The pte came back to the very value the fault read: pte_same cannot see the change.
    others = [s for s in trace.steps[read.index + 1 :] if s.actor != read.actor]
    back = [s for s in others if pte_changed(s)][-1]
    state = back.value(PTE)
    assert state is not None
    assert str(state.after) == seen
    assert f"so pte A:0 holds {seen} again when {read.actor} goes on" in " ".join(
        finding.explanation.lines
    )


def test_the_seed_race_example_in_the_docs_is_what_migsim_says() -> None:
    doc = (LIBRARY.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    block = doc.split("reader; then it states the chain.  For the seed race:\n\n```\n", 1)[1]
    shown = block.split("```", 1)[0].splitlines()
    lines = [numbered(line) for line in explored("seed-race").explanation.lines]
    shown = [numbered(line) for line in shown]
    assert shown[:-1] == lines[:-1]
    assert lines[-1].startswith(shown[-1].removesuffix("..."))


def numbered(line: str) -> str:
    """The line with its step numbers left out (they move as the kernel model grows)."""
    return re.sub(r"step \d+", "step N", line)


def test_id_reuse_is_told_from_the_recorded_values_of_any_trace() -> None:
    """The ABA shape alone: f reads pte = mig:1; z frees mig:1 and a allocates it again for
    another page while the pte goes away and comes back; f goes on with its stale view."""
    mig1 = PteValue("mig:1", "mig:1")
    gone = PteValue("none")
    held = CacheValue((CacheEntryValue("mig:1", 1, 0),))
    other = CacheValue((CacheEntryValue("mig:1", 1, 5),))
    empty = CacheValue(())
    raw = (
        (0, "yield", "read pte (unlocked)", (reads(*PTE),), 0, -1, -1, None),
        (1, "yield", "zap pte", (writes(*PTE), writes(*MIGCACHE)), 0, -1, -1, None),
        (2, "yield", "add_to_migration_cache", (writes(*MIGCACHE),), 0, -1, -1, None),
        (2, "yield", "try_to_unmap_one", (writes(*PTE),), 0, -1, -1, None),
        (0, "yield", "map swap page", (writes(*PTE),), 0, -1, -1, None),
    )
    states = (
        (KeyState(PTE, mig1, mig1),),
        (KeyState(PTE, mig1, gone), KeyState(MIGCACHE, held, empty)),
        (KeyState(MIGCACHE, empty, other),),
        (KeyState(PTE, gone, mig1),),
        (KeyState(PTE, mig1, PteValue("pfn 0 ro")),),
    )
    trace = Trace(("f", "z", "a"), raw, states)
    e = explain(trace, Outcome("violation", "D1", "f read stale data", 4))
    assert e.lines[:6] == (
        "f read pte A:0 = mig:1 at step 0 (read pte (unlocked))",  # no lock state recorded
        "z rewrote pte A:0 from mig:1 to none at step 1 (zap pte), before f ran again",
        "a then changed pte A:0 to mig:1 at step 3 (try_to_unmap_one)",
        "so pte A:0 holds mig:1 again when f goes on: the same value it read, although it "
        "changed in between (pte_same cannot tell)",
        "id reuse (ABA): z freed mig:1 at step 1 (zap pte) and a allocated mig:1 again at "
        "step 2 (add_to_migration_cache), now for page 5, so the mig:1 that f read names "
        "another object now",
        "f went on at step 4 (map swap page) with the stale mig:1",
    )
    assert e.steps == (0, 1, 2, 3, 4)


def test_the_locks_the_reader_held_come_from_the_recorded_lock_holders() -> None:
    sem, ptl = ("lock", "mmap_sem:A"), ("lock", "ptl:A:0")
    raw = (
        (0, "yield", "down_read mmap_sem:A", (writes(*sem),), 0, -1, -1, None),
        (1, "yield", "spin_lock ptl:A:0", (writes(*ptl),), 0, -1, -1, None),
        (0, "yield", "read pte (unlocked)", (reads(*PTE),), 0, -1, -1, None),
        (1, "yield", "update_pte", (writes(*PTE),), 0, -1, -1, None),
        (0, "yield", "use", (), 0, -1, -1, None),
    )
    states: tuple[tuple[KeyState, ...], ...] = (
        (KeyState(sem, LockValue(None), LockValue(None, readers=("f",))),),
        (KeyState(ptl, LockValue(None), LockValue("k")),),
        (KeyState(PTE, PteValue("mig:1", "mig:1"), PteValue("mig:1", "mig:1")),),
        (KeyState(PTE, PteValue("mig:1", "mig:1"), PteValue("swp0:0", "swp0:0")),),
        (),
    )
    trace = Trace(("f", "k"), raw, states)
    line = explain(trace, Outcome("violation", "K3", "m", 4)).lines[0]
    assert line == (
        "f read pte A:0 = mig:1 at step 2 (read pte (unlocked)), "
        "unlocked: no PTL held (holding lock mmap_sem:A)"
    )
