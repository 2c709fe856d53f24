"""The example plugin's policies: legal answers everywhere, and the races they close."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from migsim_example_plugin import BOUNDED_RETRY, CLEAN_FALLBACK, MIGRATE_IDLE

import policies
from migsim import Subject, explore
from migsim.races import r1_seed
from migsim.testing import examples, policy_combinations, scenarios


def test_each_policy_is_valid_for_its_kind() -> None:
    for kind, policy in [
        ("fault_retry", BOUNDED_RETRY),
        ("fallback_to_swap", CLEAN_FALLBACK),
        ("mlocked", MIGRATE_IDLE),
    ]:
        assert policies.validate(kind, policy.name, policy) is policy


def test_the_bounded_retry_closes_the_seed_race() -> None:
    seed = r1_seed("none")
    fixed = attrs.evolve(seed, policies=attrs.evolve(seed.policies, fault_retry=BOUNDED_RETRY.name))
    assert explore(Subject.of_scenario(seed)).finding is not None  # the 2004 code: OOM
    assert explore(Subject.of_scenario(fixed)).finding is None


@settings(max_examples=examples(10), deadline=None)
@given(
    scenarios(
        policies=policy_combinations(
            fault_retry=[BOUNDED_RETRY.name],
            fallback_to_swap=[CLEAN_FALLBACK.name],
            mlocked=[MIGRATE_IDLE.name],
        )
    )
)
def test_the_policies_never_answer_illegally(scenario: object) -> None:
    small = attrs.evolve(scenario, explore=attrs.evolve(scenario.explore, schedules=5))  # type: ignore[attr-defined]
    result = explore(Subject.of_scenario(small))
    assert result.finding is None or result.finding.invariant != "P1", result.finding
