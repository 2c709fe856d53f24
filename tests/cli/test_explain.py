"""Explaining failures from trace footprints: the stale read, deadlocks, the fallbacks."""

from __future__ import annotations

import attrs

from actors import Outcome, Trace, reads, writes
from migsim import explain

from .report_fixtures import R1_OUTCOME, deadlock_outcome, r1_trace


def test_the_stale_read_of_the_seed_race_is_named() -> None:
    e = explain(r1_trace(), R1_OUTCOME)
    assert e.headline == R1_OUTCOME.describe()
    assert e.lines[:3] == (
        'cpu0 read pte/A/0 at step 3 ("read pte": E(31,1))',
        'kswapd then changed pte/A/0 at step 8 ("update_pte": E(31,1) -> S(0,3)), '
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
