"""Trace patterns: sequences of step specs, where a set means "in any order"."""

from __future__ import annotations

import pytest

from actors import Step
from actors.testing import TraceMismatchError, assert_trace_matches, match_trace, spec_matches


def steps(*specs: tuple[str, str, str]) -> list[Step]:
    return [Step(i, a, op, label, (), 0) for i, (a, op, label) in enumerate(specs)]


TRACE = steps(
    ("a", "send", "Ping"),
    ("c", "yield", "x"),
    ("b", "receive", "Ping"),
    ("b", "send", "Pong"),
    ("a", "receive", "Pong"),
)


def test_specs_match_actor_op_and_label_with_none_as_wildcard() -> None:
    step = TRACE[0]
    assert spec_matches(("a", "send"), step)
    assert spec_matches(("a", "send", "Ping"), step)
    assert spec_matches((None, "send", None), step)
    assert not spec_matches(("a", "send", "Pong"), step)
    assert not spec_matches(("b", None), step)


def test_items_match_in_order_with_other_steps_in_between() -> None:
    assert match_trace(TRACE, [("a", "send"), ("b", "send")]) == [[0], [3]]
    assert match_trace(TRACE, [("b", "send"), ("a", "send")]) is None


def test_a_set_matches_its_steps_in_any_order() -> None:
    pattern = [("a", "send"), {("b", "receive"), ("c", "yield")}, ("a", "receive")]
    assert match_trace(TRACE, pattern) == [[0], [1, 2], [4]]
    swapped = [("a", "send"), {("c", "yield"), ("b", "receive")}, ("a", "receive")]
    assert match_trace(TRACE, swapped) == [[0], [1, 2], [4]]


def test_a_set_does_not_reach_past_the_item_after_it() -> None:
    # Both set members must come before the final item's step.
    assert match_trace(TRACE, [{("a", "receive"), ("c", "yield")}, ("b", "send")]) is None


def test_overlapping_specs_in_a_set_are_matched_without_getting_stuck() -> None:
    # A greedy matcher gives step 0 to ("a", None) and then finds no send for ("a", "send").
    pattern = [{("a", None), ("a", "send")}]
    assert match_trace(TRACE, pattern) == [[0, 4]]


def test_exact_demands_every_step_and_nothing_in_between() -> None:
    full = [
        ("a", "send"),
        {("b", "receive"), ("c", "yield")},
        ("b", "send"),
        ("a", "receive"),
    ]
    assert match_trace(TRACE, full, exact=True) == [[0], [1, 2], [3], [4]]
    assert match_trace(TRACE, full[:-1], exact=True) is None  # a step left over
    assert match_trace(TRACE, [("a", "send"), ("b", "receive")], exact=True) is None


def test_an_empty_set_matches_nothing_and_moves_nowhere() -> None:
    assert match_trace(TRACE, [set(), ("a", "send")]) == [[], [0]]


def test_a_mismatch_says_which_item_failed_and_shows_the_steps() -> None:
    with pytest.raises(TraceMismatchError) as info:
        assert_trace_matches(TRACE, [("a", "send"), ("d", "yield")])
    text = str(info.value)
    assert "item 1 of the pattern: ('d', 'yield')" in text
    assert "after step 0" in text
    assert "1: ('c', 'yield', 'x')" in text


def test_a_mismatch_is_an_assertion_error() -> None:
    assert issubclass(TraceMismatchError, AssertionError)


def test_leftover_steps_are_named_under_exact() -> None:
    with pytest.raises(TraceMismatchError, match="steps from 1 on are left over"):
        assert_trace_matches(TRACE, [("a", "send")], exact=True)


def test_bad_pattern_items_are_explained() -> None:
    with pytest.raises(ValueError, match=r"\(actor, op\) or \(actor, op, label\)"):
        match_trace(TRACE, [("a",)])
    with pytest.raises(ValueError, match=r"strings or None; got \('a', 3\)"):
        match_trace(TRACE, [{("a", 3)}])
    with pytest.raises(TypeError, match="a step spec tuple or a set of them; got list"):
        match_trace(TRACE, [["a", "send"]])
