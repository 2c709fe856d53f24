"""The swapless races in detail: what the unguarded variant reports, and why the guard holds.

``test_races.py`` runs every race of the registry (these included): the unguarded variant
finds its invariant and replays, the guarded one is proven within its bound.  These check
the verdicts say what the race is.
"""

from __future__ import annotations

from actors import replay_token
from migsim import Scenario
from migsim.races import RACES, r10_waiter_pin, r18_mlock_count

from .found import search, unguarded


def _first(scenario_name: str, scenario: Scenario) -> str:
    program, found = search(scenario)
    assert found.first is not None, scenario_name
    again = replay_token(program, found.first.token)
    assert again.outcome == found.first.outcome
    return found.first.outcome.describe()


def test_r10_the_waiters_pin_is_a_retry_livelock_of_the_other_mapper() -> None:
    assert RACES["R10"].scenario() == r10_waiter_pin()
    _, found = unguarded("R10")  # the search test_races.py runs too (it is slow)
    assert found.first is not None
    verdict = found.first.outcome.describe()
    assert "K3" in verdict
    assert "retried 8 times" in verdict
    assert "unbounded retry" in verdict


def test_r18_is_a_count_too_high() -> None:
    verdict = _first("r18", r18_mlock_count())
    assert "L3" in verdict
    assert "mlock_count" in verdict
    assert "to 2" in verdict
