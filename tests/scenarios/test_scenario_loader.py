"""Loading scenario files: what a valid file becomes, and how each mistake is reported."""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs
import pytest

import migsim
from migsim import ScenarioError, loads_scenario


def load_error(text: str, overrides: tuple[str, ...] = ()) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, source="seed.toml", overrides=overrides)
    return info.value


def test_a_valid_file_builds_the_scenario_objects(seed_toml: str) -> None:
    s = loads_scenario(seed_toml)
    assert s.name == "seed"
    assert s.races == ("R1",)
    assert s.machine == migsim.Machine(nodes=2, cpus=2)
    assert s.policies.fault_retry == "none"
    assert s.policies.mlocked == "refuse"  # default kept
    assert s.mm == (migsim.MmSpec(name="A", pages=2, state=("lazy",)),)
    assert s.task[0].program == (
        migsim.TaskStep(op="read", page=0),
        migsim.TaskStep(op="write", page=1),
        migsim.TaskStep(op="sleep", ticks=2),
    )
    assert s.daemon[0] == migsim.Daemon(kind="migrate", mode="lazy", pages=("A:0",))
    assert s.daemon[1] == migsim.Daemon(kind="kswapd", passes=2)
    assert s.explore.strategy == "dfs"
    assert s.explore.schedules == 50
    assert s.expect == migsim.Expect(outcome="violation", invariant="K3")


def test_load_scenario_reads_a_file_and_names_it_in_errors(tmp_path: Path, seed_toml: str) -> None:
    good = tmp_path / "seed.toml"
    good.write_text(seed_toml)
    assert migsim.load_scenario(good).name == "seed"
    bad = tmp_path / "bad.toml"
    bad.write_text(seed_toml.replace("cpus = 2", "cpus = 0"))
    with pytest.raises(ScenarioError, match=r"bad\.toml: machine\.cpus: expected an integer"):
        migsim.load_scenario(bad)


def test_the_example_error_of_the_docs() -> None:
    text = 'name = "s"\n[[mm]]\nname = "A"\n[[task]]\nname = "t"\nmm = "A"\n'
    text += 'program = [{op = "read", page = 0}, {op = "wirte", page = 0}]\n'
    err = load_error(text)
    assert str(err) == (
        "seed.toml: task[0].program[1].op: expected one of read, write, gup_write, mlock, "
        'munlock, fork, exit, sleep; got "wirte" (did you mean "write"?)'
    )
    assert err.path == "task[0].program[1].op"
    assert isinstance(err, ValueError)
    assert isinstance(err, migsim.MigsimError)


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment"),
    [
        ("cpus = 2", "cpu = 2", "machine.cpu", 'got an unknown key (did you mean "cpus"?)'),
        ("cpus = 2", 'cpus = "2"', "machine.cpus", 'expected an integer from 1 to 1024; got "2"'),
        ("cpus = 2", "cpus = true", "machine.cpus", "got true (a boolean)"),
        ("cpus = 2", "cpus = 2.0", "machine.cpus", "got 2.0 (a float)"),
        ('strategy = "dfs"', 'strategy = "bfs"', "explore.strategy", 'got "bfs"'),
        (
            "schedules = 50",
            "schedules = 0",
            "explore.schedules",
            "expected an integer from 1 to 1000000000",
        ),
        (
            'state = "lazy"',
            'state = "gone"',
            "mm[0].state",
            "one of present, swapped, cached, lazy",
        ),
        ('state = "lazy"', 'state = ["lazy", "x"]', "mm[0].state[1]", 'got "x"'),
        ('name = "A"', "", "mm[0].name", "got nothing (missing key)"),
        ('{op = "sleep", ticks = 2}', '{op = "sleep"}', "task[0].program[2].ticks", "missing"),
        (
            '{op = "sleep", ticks = 2}',
            '{op = "sleep", page = 1, ticks = 2}',
            "task[0].program[2].page",
            "one of the keys op, ticks; got an unknown key",
        ),
        ('{op = "sleep", ticks = 2}', "{ticks = 2}", "task[0].program[2].op", "got nothing"),
        ('{op = "sleep", ticks = 2}', "3", "task[0].program[2]", "expected a step such as"),
        ('kind = "kswapd"', 'kind = "kswap"', "daemon[1].kind", 'did you mean "kswapd"?'),
        (
            'kind = "kswapd"\npasses = 2',
            'kind = "kswapd"\nmode = "lazy"',
            "daemon[1].mode",
            "got an unknown key",
        ),
        ('races = ["R1"]', 'races = "R1"', "races", "expected a list of strings"),
        ('races = ["R1"]', 'races = ["X1"]', "races[0]", "expected a race id of the domain"),
        ('fault_retry = "none"', "fault_retry = 3", "policies.fault_retry", "a policy name"),
        ('name = "seed"', 'name = "se ed"', "name", "a name of letters, digits"),
        ('name = "seed"', "", "name", "got nothing (missing key)"),
        ('name = "seed"', 'name = "seed"\ncolour = 1', "colour", "got an unknown key"),
    ],
)
def test_every_shape_mistake_names_its_key_path(
    seed_toml: str, old: str, new: str, path: str, fragment: str
) -> None:
    assert old in seed_toml
    err = load_error(seed_toml.replace(old, new, 1))
    assert err.path == path
    assert str(err).startswith(f"seed.toml: {path}: expected ")
    assert fragment in str(err)


def test_a_section_of_the_wrong_kind() -> None:
    with pytest.raises(ScenarioError) as info:
        migsim.scenario.scenario_from_dict(
            {"name": "s", "policies": 3, "mm": 1}, source="seed.toml"
        )
    assert info.value.lines() == (
        "seed.toml: policies: expected a table ([policies]); got 3",
        "seed.toml: mm: expected an array of tables ([[mm]] entries); got 1",
    )


@pytest.mark.parametrize(
    ("old", "new", "path", "fragment"),
    [
        ("cpu = 0", "cpu = 2", "task[0].cpu", "expected a number below machine.cpus = 2; got 2"),
        ('mm = "A"', 'mm = "B"', "task[0].mm", "the name of an [[mm]] or a fork child (A)"),
        (
            '{op = "read", page = 0}',
            '{op = "read", page = 2}',
            "task[0].program[0].page",
            "a page from 0 to 1 (mm A has 2); got 2",
        ),
        ('pages = ["A:0"]', 'pages = ["A:5"]', "daemon[0].pages[0]", "a page from 0 to 1 of mm A"),
        ('pages = ["A:0"]', 'pages = ["B:0"]', "daemon[0].pages[0]", "an [[mm]] name"),
        ('pages = ["A:0"]', 'pages = ["A0"]', "daemon[0].pages[0]", 'expected "MM:PAGE"'),
        ('pages = ["A:0"]', "pages = []", "daemon[0].pages", "at least one page"),
        (
            'mode = "lazy"\npages = ["A:0"]\nto_node = 1',
            'mode = "eager"\npages = ["A:0"]\nto_node = 2',
            "daemon[0].to_node",
            "below machine.nodes = 2",
        ),
        ('invariant = "K3"', "", "expect.invariant", 'an invariant id when outcome = "violation"'),
        ('outcome = "violation"', 'outcome = "ok"', "expect.invariant", "no invariant when"),
        ('invariant = "K3"', 'invariant = "Z99"', "expect.invariant", "an invariant id (D1, D2"),
        ('state = "lazy"', 'state = ["lazy"]', "mm[0].state", "a list of 2 (one per page)"),
        ("pages = 2\n", "pages = 2\nnode = 2\n", "mm[0].node", "below machine.nodes"),
        ("pages = 2\n", "pages = 2\nmlocked = [0, 0]\n", "mm[0].mlocked", "each page at most"),
        ("pages = 2\n", "pages = 2\nmlocked = [3]\n", "mm[0].mlocked[0]", "a page from 0 to 1"),
        ("cpus = 2", "cpus = 2\nswap_slots = 1", "machine.swap_slots", "at least 2"),
        (
            'fault_retry = "none"',
            'fault_retry = "pte-sme"',
            "policies.fault_retry",
            'got "pte-sme" (did you mean "pte-same"?)',
        ),
        (
            'fault_retry = "none"',
            'fault_retry = "none"\nmlocked = "keep"',
            "policies.mlocked",
            "expected a built-in (refuse, migrate",
        ),
        ("cpus = 2", "cpus = 2\npages_per_node = 1", "machine.pages_per_node", "at least 2"),
    ],
)
def test_every_cross_reference_mistake_names_its_key_path(
    seed_toml: str, old: str, new: str, path: str, fragment: str
) -> None:
    text = seed_toml.replace(old, new, 1)
    if "swap_slots" in new:
        text = text.replace('state = "lazy"', 'state = "swapped"')
    err = load_error(text)
    assert err.path == path, str(err)
    assert fragment in str(err)


def test_tasks_may_run_in_a_fork_child(seed_toml: str) -> None:
    text = seed_toml.replace('{op = "sleep", ticks = 2}]', '{op = "fork", child = "C"}]')
    text += '\n[[task]]\nname = "c"\nmm = "C"\nprogram = [{op = "read", page = 1}]\n'
    s = loads_scenario(text)
    assert s.task[1].mm == "C"
    err = load_error(text.replace('{op = "read", page = 1}]', '{op = "read", page = 2}]'))
    assert err.path == "task[1].program[0].page"
    err = load_error(text.replace('child = "C"', 'child = "A"'))
    assert err.path == "task[0].program[2].child"


def test_all_problems_are_collected_and_counted(seed_toml: str) -> None:
    text = seed_toml.replace("cpus = 2", "cpus = 0").replace("schedules = 50", "schedules = -1")
    err = load_error(text)
    assert [p.path for p in err.problems] == ["machine.cpus", "explore.schedules"]
    assert str(err).endswith("[and 1 more problem]")
    assert err.lines()[1].startswith("seed.toml: explore.schedules: ")


def test_a_toml_syntax_error_is_a_scenario_error() -> None:
    err = load_error('name = "s"\n[machine\n')
    assert err.path == ""
    assert str(err).startswith("seed.toml: expected valid TOML; got ")
    assert "line 2" in str(err)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"nope\.toml: expected a readable TOML file"):
        migsim.load_scenario(tmp_path / "nope.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match="expected UTF-8 text"):
        migsim.load_scenario(binary)


def test_state_as_a_string_or_one_entry_per_page(seed_toml: str) -> None:
    text = seed_toml.replace('state = "lazy"', 'state = ["present", "swapped"]')
    mm = loads_scenario(text).mm[0]
    assert mm.state == ("present", "swapped")
    assert [mm.page_state(p) for p in range(2)] == ["present", "swapped"]
    assert loads_scenario(seed_toml).mm[0].page_state(1) == "lazy"


def test_overrides_apply_before_checking(seed_toml: str) -> None:
    s = loads_scenario(
        seed_toml,
        overrides=(
            "policies.fault_retry=pte-same",
            "explore.schedules=7",
            "task[0].cpu=1",
            'mm[0].state=["present", "swapped"]',
            "explore.preemption_bound = 2",
        ),
    )
    assert s.policies.fault_retry == "pte-same"
    assert s.explore.schedules == 7
    assert s.explore.preemption_bound == 2
    assert s.task[0].cpu == 1
    assert s.mm[0].state == ("present", "swapped")


def test_overrides_create_missing_tables(seed_toml: str) -> None:
    text = seed_toml.split("[explore]", maxsplit=1)[0]
    assert loads_scenario(text, overrides=("explore.seed=9",)).explore.seed == 9


@pytest.mark.parametrize(
    ("override", "path", "fragment"),
    [
        ("explore.schedules=abc", "explore.schedules", "(from --set explore.schedules=abc)"),
        ("task[0].cpu=5", "task[0].cpu", "(from --set task[0].cpu=5)"),
        ("task[3].cpu=1", "task[3]", "expected an index below 1"),
        ("machine.cpus.x=1", "machine.cpus", "expected a table to set a key in"),
        ("explore.schedules", "--set explore.schedules", "expected KEY=VALUE"),
        ("=3", "--set =3", "expected KEY=VALUE"),
        ("a..b=3", "--set a..b=3", "expected KEY=VALUE"),
        ("explor.seed=1", "explor", 'unknown key (did you mean "explore"?)'),
    ],
)
def test_override_errors_name_the_set_key(
    seed_toml: str, override: str, path: str, fragment: str
) -> None:
    err = load_error(seed_toml, (override,))
    assert err.path == path
    assert fragment in str(err)


def test_override_values_are_toml_literals_when_possible() -> None:
    from migsim.scenario import parse_override_value as parse_value

    assert parse_value("50") == 50
    assert parse_value("true") is True
    assert parse_value('["A:0", "A:1"]') == ["A:0", "A:1"]
    assert parse_value('"quoted"') == "quoted"
    assert parse_value("pte-same+private") == "pte-same+private"
    assert parse_value("module:attr") == "module:attr"


def test_python_built_scenarios_are_checked_the_same_way() -> None:
    ok = migsim.Scenario(
        name="py",
        mm=(migsim.MmSpec(name="A"),),
        task=(migsim.Task(name="t", mm="A", program=(migsim.TaskStep(op="read", page=0),)),),
    )
    assert migsim.validate_scenario(ok) == ok
    bad = migsim.Scenario(name="py", task=(migsim.Task(name="t", mm="A", cpu=7),))
    with pytest.raises(ScenarioError) as info:
        migsim.validate_scenario(bad)
    assert str(info.value).startswith("<scenario>: task[0].cpu: expected a number below")
    wrong_type = migsim.Scenario(name="py", machine=migsim.Machine(cpus="2"))  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match=r"machine\.cpus: expected an integer"):
        migsim.validate_scenario(wrong_type)


def test_the_documentation_mentions_every_key() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "scenarios.md").read_text()
    classes = (
        migsim.Scenario,
        migsim.Machine,
        migsim.KernelSpec,
        migsim.Policies,
        migsim.MmSpec,
        migsim.Task,
        migsim.TaskStep,
        migsim.Daemon,
        migsim.Explore,
        migsim.Expect,
    )
    keys = {f.name for cls in classes for f in attrs.fields(cls)}
    forms = ("`{}`", "`[{}]`", "`[[{}]]`")
    missing = sorted(k for k in keys if not any(f.format(k) in doc for f in forms))
    assert not missing, f"docs/scenarios.md does not document {missing}"


def test_toml_documents_in_the_docs_load() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "scenarios.md").read_text()
    blocks = doc.split("```toml\n")[1:]
    assert blocks
    for block in blocks:
        text = block.split("```")[0]
        if tomllib.loads(text).get("name"):
            loads_scenario(text, source="docs/scenarios.md")


def test_mlocked_pages_must_start_resident_unless_they_may_migrate() -> None:
    import attrs

    from migsim import validate_scenario
    from migsim.races import r1_seed

    base = r1_seed("none")
    for state, policy, ok in [
        ("swapped", "refuse", False),
        ("swapped", "migrate", False),
        ("lazy", "refuse", False),
        ("lazy", "migrate", True),
        ("present", "refuse", True),
    ]:
        mm = attrs.evolve(base.mm[0], state=(state,), mlocked=(0,))
        scenario = attrs.evolve(
            base, mm=(mm,), policies=attrs.evolve(base.policies, mlocked=policy)
        )
        if ok:
            validate_scenario(scenario)
            continue
        with pytest.raises(ScenarioError, match=r"mm\[0\]\.state: expected .*mlocked page 0"):
            validate_scenario(scenario)


def test_every_migrate_daemon_needs_a_real_target_node() -> None:
    import attrs

    from migsim import Daemon, validate_scenario
    from migsim.races import r1_seed

    base = attrs.evolve(r1_seed("none"), machine=attrs.evolve(r1_seed("none").machine, nodes=1))
    for mode in ("eager", "lazy"):
        lazy = attrs.evolve(base, daemon=(Daemon("migrate", mode=mode, pages=("A:0",)),))
        with pytest.raises(ScenarioError, match=r"daemon\[0\]\.to_node"):
            validate_scenario(lazy)
