"""Issue 11: every bad scenario input is one clear ScenarioError, found before any work.

One test per class of bad input the issue lists: parser limits (nesting, huge numbers,
size), number limits in the schema, O(1) capacity checks, page and policy references,
registry ids, the file's own values under ``--set``, long values, and module:attr
policies named by a file (data may not import code).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import actors
import migsim
import policies
from migsim import ScenarioError, loads_scenario
from migsim.scenario import load_scenario


def load_error(text: str, overrides: tuple[str, ...] = (), **kwargs: bool) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, source="s.toml", overrides=overrides, **kwargs)
    assert "\n" not in str(info.value)
    return info.value


@pytest.mark.parametrize(
    "body",
    [
        "v = " + "[" * 1000 + "]" * 1000,
        "v = " + "{a = " * 1000 + "1" + "}" * 1000,
        "[" + ".".join(["a"] * 2000) + "]\nb = 1",
        "a" + ".a" * 2000 + " = 1",
    ],
    ids=["arrays", "inline-tables", "table-header", "dotted-key"],
)
def test_deep_nesting_is_refused_before_parsing(seed_toml: str, body: str) -> None:
    err = load_error(f"{seed_toml}\n{body}\n")
    assert "nested at most 32 deep" in str(err)
    err = load_error(f"{seed_toml}\n{body}\n", ("explore.schedules=3",))  # no deep copy
    assert "nested at most 32 deep" in str(err)


@pytest.mark.parametrize("number", ["1" * 5000, "0x" + "f" * 5000, "1" * 41])
def test_huge_numbers_are_refused_with_their_line(seed_toml: str, number: str) -> None:
    text = seed_toml.replace("cpus = 2", f"cpus = {number}")
    err = load_error(text)
    assert "a number of at most 40 digits" in str(err)
    assert "line 7" in str(err)


@pytest.mark.parametrize(
    "override",
    [
        "explore.schedules=" + "1" * 5000,
        "description=" + "[" * 2000,
        "description=" + "{a=" * 2000,
    ],
)
def test_huge_and_deep_override_values_are_refused(seed_toml: str, override: str) -> None:
    err = load_error(seed_toml, (override,))
    assert err.path.startswith("--set ")
    assert len(str(err)) < 300


def test_a_file_over_the_size_limit_is_not_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text('name = "x"\n' + "#" * (2 << 20))
    with pytest.raises(ScenarioError, match="at most 1048576 bytes"):
        load_scenario(big)


def test_an_empty_file_name_is_named(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r'^"": expected a scenario file name'):
        load_scenario("")


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("cpus = 2", "cpus = 2\nswap_slots = 9223372036854775808", "machine.swap_slots"),
        ("cpus = 2", "cpus = 2\nswap_slots = 1000000000000", "machine.swap_slots"),
        ("cpus = 2", "cpus = 2\npages_per_node = 1000000000000", "machine.pages_per_node"),
        ("pages = 2", "pages = 1000000000000", "mm[0].pages"),
        ("schedules = 50", "schedules = 1000000000000", "explore.schedules"),
        ("schedules = 50", "schedules = 50\nmax_steps = 1000000000000", "explore.max_steps"),
        ("ticks = 2", "ticks = 100000000000000000000", "task[0].program[2].ticks"),
    ],
)
def test_numbers_have_documented_upper_bounds(
    seed_toml: str, old: str, new: str, path: str
) -> None:
    err = load_error(seed_toml.replace(old, new, 1))
    assert err.path == path
    assert "expected an integer from" in str(err)


def test_a_whole_machine_over_the_page_limit_is_refused(seed_toml: str) -> None:
    err = load_error(seed_toml.replace("cpus = 2", "cpus = 2\npages_per_node = 131072"))
    assert err.path == "machine.pages_per_node"
    assert "whole machine" in str(err)


def test_capacity_is_checked_without_walking_the_pages() -> None:
    """mm.pages at its limit on a tiny node: the check counts states, it does not loop."""
    s = migsim.Scenario(
        name="big",
        mm=tuple(migsim.MmSpec(name=f"M{i}", pages=65536) for i in range(3)),
        daemon=(migsim.Daemon(kind="kswapd"),),
    )
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        migsim.validate_scenario(s)
    assert time.perf_counter() - start < 0.5
    assert any("pages_per_node" in p.path for p in info.value.problems)


def test_fork_children_count_against_the_address_space_limit(seed_toml: str) -> None:
    forks = ", ".join(f'{{op = "fork", child = "C{i}"}}' for i in range(5))
    text = seed_toml.replace("pages = 2", "pages = 65536").replace(
        'program = [{op = "read", page = 0}', f'program = [{forks}, {{op = "read", page = 0}}'
    )
    text = text.replace("cpus = 2", "cpus = 2\npages_per_node = 32768")
    err = load_error(text)
    assert "in all address spaces and fork children" in str(err)


@pytest.mark.parametrize("ref", ["A:²", "A:\uff10", "A:٣", "A:" + "9" * 5000, "A:-1", "A: 0"])
def test_page_numbers_are_ascii_digits(seed_toml: str, ref: str) -> None:
    err = load_error(seed_toml.replace('"A:0"', f'"{ref}"'))
    assert err.path == "daemon[0].pages[0]"


def test_leading_zeros_still_name_a_page(seed_toml: str) -> None:
    assert loads_scenario(seed_toml.replace('"A:0"', '"A:000"')).daemon[0].pages == ("A:000",)


@pytest.mark.parametrize("race", ["R99999999999999999999", "R22", "R0", "r1"])
def test_race_ids_are_the_domain_references(seed_toml: str, race: str) -> None:
    err = load_error(seed_toml.replace('"R1"', f'"{race}"'))
    assert err.path == "races[0]"
    assert "R1 to R21" in str(err)


def test_every_known_race_id_is_accepted(seed_toml: str) -> None:
    ids = ", ".join(f'"R{i}"' for i in range(1, 22))
    assert len(loads_scenario(seed_toml.replace('["R1"]', f"[{ids}]")).races) == 21


@pytest.mark.parametrize("inv", ["Z99", "K99", "Deadlock"])
def test_expected_invariants_come_from_the_registry(seed_toml: str, inv: str) -> None:
    err = load_error(seed_toml.replace('"K3"', f'"{inv}"'))
    assert err.path == "expect.invariant"
    assert "step-bound" in str(err)


@pytest.mark.parametrize("inv", ["D1", "Q4", "P1", "deadlock", "step-bound"])
def test_registered_invariants_are_accepted(seed_toml: str, inv: str) -> None:
    assert loads_scenario(seed_toml.replace('"K3"', f'"{inv}"')).expect.invariant == inv


def test_a_scenario_with_nothing_to_run_is_refused() -> None:
    err = load_error('name = "idle"\n[[mm]]\nname = "A"\n')
    assert err.path == "task"
    assert "[[daemon]]" in str(err)


def test_a_bad_file_value_is_not_masked_by_an_override(seed_toml: str) -> None:
    text = seed_toml.replace("schedules = 50", "schedules = 0")
    err = load_error(text, ("explore.schedules=5",))
    assert err.path == "explore.schedules"
    assert "fix it in the file" in str(err)
    bad_both = load_error(text, ("explore.schedules=-1",))
    assert len(bad_both.problems) == 2


def test_long_values_are_cut_with_their_length(seed_toml: str) -> None:
    long = "x" * 100_000
    err = load_error(seed_toml.replace('name = "A"', f'name = "{long}"'))
    assert "(100002 characters)" in str(err)
    assert len(str(err)) < 400
    err = load_error(seed_toml.replace("[machine]", f'[machine]\n"{long}" = 1'))
    assert len(str(err)) < 600


@pytest.mark.parametrize("ref", [".rel:x", "..:x", "a..b:c", "mod:", ":attr", "mod:a.b", "é:x"])
def test_malformed_module_attr_policies_are_refused(seed_toml: str, ref: str) -> None:
    text = seed_toml.replace('fault_retry = "none"', f'fault_retry = "{ref}"')
    err = load_error(text, allow_policy_imports=True)
    assert err.path == "policies.fault_retry"
    assert "dotted module name" in str(err)


@pytest.mark.parametrize("ref", [".rel:x", "..:x", "a..b:c"])
def test_resolving_a_malformed_reference_is_a_policy_error(ref: str) -> None:
    with pytest.raises(policies.PolicyError, match=r"policies\.fault_retry: expected module:attr"):
        policies.resolve("fault_retry", ref)


def test_a_file_may_not_import_a_policy(seed_toml: str, tmp_path: Path) -> None:
    text = seed_toml.replace('fault_retry = "none"', 'fault_retry = "evilpol:policy"')
    err = load_error(text)
    assert err.path == "policies.fault_retry"
    assert "--allow-policy-imports" in str(err)
    assert loads_scenario(text, allow_policy_imports=True).policies.fault_retry == "evilpol:policy"


def test_an_override_may_name_a_policy_import(seed_toml: str) -> None:
    s = loads_scenario(seed_toml, overrides=("policies.fault_retry=mod:attr",))
    assert s.policies.fault_retry == "mod:attr"
    s = loads_scenario(seed_toml, overrides=('policies={fault_retry = "mod:attr"}',))
    assert s.policies.fault_retry == "mod:attr"


def test_the_python_api_may_name_a_policy_import() -> None:
    s = migsim.Scenario(
        name="py",
        policies=migsim.Policies(fault_retry="mod:attr"),
        daemon=(migsim.Daemon(kind="kswapd"),),
    )
    assert migsim.validate_scenario(s) == s


def test_policy_errors_name_the_key_and_what_was_expected() -> None:
    with pytest.raises(policies.PolicyError) as info:
        policies.resolve("fault_retry", "os:system")
    text = str(info.value)
    assert text.startswith("policies.fault_retry: expected a policy of kind 'fault_retry'")
    assert "got 'os:system'" in text


@pytest.mark.parametrize(
    "choices",
    ["0x99999999999", "1x5000000.2x5000001", "c1x10000001"],
    ids=["one-huge-repeat", "repeats-adding-up", "data-choice"],
)
def test_token_repeats_are_counted_before_the_list_is_built(choices: str) -> None:
    start = time.perf_counter()
    with pytest.raises(actors.TokenError, match="more than 10000000 choices"):
        actors.Token.parse(f"ms1:x:pct:00000000:{choices}")
    assert time.perf_counter() - start < 0.5  # refused from the counts, nothing expanded


@pytest.mark.parametrize(
    "item", ["\u0663", "\uff11", "1x\u0663", "9" * 20, "c" + "9" * 5000, "1x" + "9" * 4400, "1\n"]
)
def test_token_numbers_are_short_ascii_digits(item: str) -> None:
    with pytest.raises(actors.TokenError, match="bad choice"):
        actors.Token.parse(f"ms1:x:pct:00000000:{item}.0")


def test_a_token_longer_than_the_limit_is_refused_unsplit() -> None:
    with pytest.raises(actors.TokenError, match="a token has at most 1048576"):
        actors.Token.parse("ms1:" + "a" * (1 << 20) + ":pct:00000000:-")


@pytest.mark.parametrize(
    "body",
    [
        "a" + ".a" * 200_000 + " = 1",
        '"a"' + '."a"' * 200_000 + " = 1",
        "a" + " . a" * 100_000 + " = 1",
        "v = {" + "a." * 200_000 + "a = 1}",
    ],
    ids=["bare", "quoted", "spaced", "inline"],
)
def test_long_dotted_keys_are_refused_before_parsing(seed_toml: str, body: str) -> None:
    """tomllib's cost is quadratic in a dotted key's parts (20,000 take half a minute)."""
    start = time.perf_counter()
    err = load_error(f"{seed_toml}\n{body}\n")
    assert time.perf_counter() - start < 1.0
    assert "a dotted key of at most 32 parts" in str(err)


def test_short_dotted_keys_are_still_parsed(seed_toml: str) -> None:
    err = load_error(f"{seed_toml}\nx" + ".x" * 19 + " = 1\n")
    assert "unknown key" in str(err)  # parsed, then refused as a typo
    err = load_error(f"{seed_toml}\nx" + ".x" * 31 + " = 1\n")
    assert "dotted key" not in str(err)  # parsed: 32 tables and a value are 33 levels
    assert "nested at most 32 deep" in str(err)
