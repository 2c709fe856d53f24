"""Built-in policies decide as the kernel-domain reference says; the registry validates."""

from __future__ import annotations

from importlib import metadata

import attrs
import pytest

from kernel_model import ERAS, FaultView, PageView, migration_entry, swap_entry
from policies import (
    API_VERSION,
    BUILTINS,
    DEFAULTS,
    ENTRY_POINT_GROUP,
    FAULT_RETRY,
    KIND_FALLBACK,
    KIND_FAULT_RETRY,
    KIND_MLOCKED,
    KINDS,
    POLICY_KINDS,
    FallbackPolicy,
    FaultRetry,
    FaultRetryPolicy,
    MlockedPolicy,
    PolicyError,
    builtin_names,
    entry_point_names,
    resolve,
    validate,
)

PAGE = PageView(
    pfn=3,
    nid=0,
    refcount=2,
    mapcount=0,
    locked=True,
    swapcache=True,
    is_migration=True,
    private=migration_entry(1),
    mlocked=False,
    vm_locked=False,
    dirty=False,
    writeback=False,
)
LOCKED = attrs.evolve(PAGE, mlocked=True, vm_locked=True)


def fault(page: PageView | None, entry: object = migration_entry(1)) -> FaultView:
    return FaultView("A", 0, entry, page, False)  # type: ignore[arg-type]


def test_the_issue_lists_built_ins_exist() -> None:
    assert {"always", "never", "vmscan-only", "not-mlocked"} <= set(builtin_names(KIND_FALLBACK))
    assert set(builtin_names(KIND_MLOCKED)) == {"refuse", "migrate"}
    assert {"none", "pte-same", "pte-same+private", "eagain-refetch"} <= set(
        builtin_names(KIND_FAULT_RETRY)
    )


@pytest.mark.parametrize("kind", KINDS)
def test_every_built_in_passes_its_own_validation(kind: str) -> None:
    protocol = {
        KIND_FALLBACK: FallbackPolicy,
        KIND_MLOCKED: MlockedPolicy,
        KIND_FAULT_RETRY: FaultRetryPolicy,
    }[kind]
    for name, policy in BUILTINS[kind].items():
        assert validate(kind, name, policy) is policy
        assert isinstance(policy, protocol)


@pytest.mark.parametrize(
    ("name", "migrate", "vmscan", "locked"),
    [
        ("always", True, True, True),
        ("never", False, False, False),
        ("vmscan-only", False, True, False),
        ("not-mlocked", True, True, False),
    ],
)
def test_fallback_decisions(name: str, migrate: bool, vmscan: bool, locked: bool) -> None:
    policy = resolve(KIND_FALLBACK, name)
    assert isinstance(policy, FallbackPolicy)
    assert policy.fallback(PAGE, "migrate") is migrate
    assert policy.fallback(PAGE, "vmscan") is vmscan
    assert policy.fallback(LOCKED, "migrate") is locked


@pytest.mark.parametrize(
    ("name", "era", "use"),
    [
        ("v8-never", "2.6.16-mm1+v8-posted", "never"),
        ("v8-always", "2.6.16-mm1+v8-posted", "always"),
        ("v8-vmscan-only", "2.6.16-mm1+v8-posted", "vmscan-only"),
        ("v8-not-mlocked", "2.6.16-mm1+v8-posted", "not-mlocked"),
        ("hotplug-2005", "2.6.10-hotplug", "never"),
    ],
)
def test_a_removed_fallback_name_teaches_the_kernel_era(name: str, era: str, use: str) -> None:
    with pytest.raises(PolicyError) as info:
        resolve(KIND_FALLBACK, name)
    text = str(info.value)
    assert text.startswith(f'policy fallback_to_swap = "{name}" was removed: ')
    assert f'set kernel.era = "{era}" and fallback_to_swap = "{use}"' in text
    assert era in ERAS
    assert use in builtin_names(KIND_FALLBACK)
    assert name not in builtin_names(KIND_FALLBACK)


def test_the_posted_v8_message_says_why() -> None:
    with pytest.raises(PolicyError, match="the posted V8 code is a kernel era now"):
        resolve(KIND_FALLBACK, "v8-never")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_declares_exactly_its_protocols_members(kind: str) -> None:
    spec = POLICY_KINDS[kind]
    members = {n for n, v in vars(spec.protocol).items() if not n.startswith("_") and callable(v)}
    properties = {n for n, v in vars(spec.protocol).items() if isinstance(v, property)}
    assert set(spec.methods) == members
    assert set(spec.flags) == properties - {"name", "kind", "api_version"}
    assert spec.default in spec.builtins
    assert DEFAULTS[kind] == spec.default
    assert builtin_names(kind) == tuple(spec.builtins) == tuple(BUILTINS[kind])
    for name, policy in spec.builtins.items():
        assert (policy.name, policy.kind) == (name, kind)


def test_the_defaults_are_the_ones_scenarios_use() -> None:
    assert DEFAULTS == {
        "fallback_to_swap": "vmscan-only",
        "mlocked": "refuse",
        "fault_retry": "pte-same+private",
    }


def test_resolving_by_kind_object_gives_the_same_policy() -> None:
    assert resolve(FAULT_RETRY, "none") is resolve(KIND_FAULT_RETRY, "none")


def test_mlocked_decisions() -> None:
    refuse = resolve(KIND_MLOCKED, "refuse")
    migrate = resolve(KIND_MLOCKED, "migrate")
    assert isinstance(refuse, MlockedPolicy)
    assert isinstance(migrate, MlockedPolicy)
    assert refuse.may_migrate(PAGE)
    assert not refuse.may_migrate(LOCKED)
    assert migrate.may_migrate(LOCKED)


@pytest.mark.parametrize(
    ("name", "miss", "stale", "unflagged", "pte_same"),
    [
        ("none", "oom", "proceed", "proceed", True),
        ("no-pte-same", "recheck", "proceed", "proceed", False),
        ("pte-same", "recheck", "proceed", "proceed", True),
        ("pte-same+private", "recheck", "retry", "retry", True),
        ("eagain-refetch", "refetch", "retry", "retry", True),
        ("swapcache-goto", "recheck", "proceed", "goto-again", True),
    ],
)
def test_fault_retry_decisions(
    name: str, miss: str, stale: str, unflagged: str, pte_same: bool
) -> None:
    policy = resolve(KIND_FAULT_RETRY, name)
    assert isinstance(policy, FaultRetryPolicy)
    assert policy.on_miss(fault(None)) == miss
    assert policy.after_lock(fault(PAGE)) == "proceed"
    reused = attrs.evolve(PAGE, private=migration_entry(2))  # same page, other entry: ABA
    assert policy.after_lock(fault(reused)) == stale
    left = attrs.evolve(PAGE, swapcache=False, private=None, is_migration=False)
    assert policy.after_lock(fault(left)) == unflagged
    assert policy.pte_same is pte_same


def test_an_unknown_name_lists_the_built_ins() -> None:
    with pytest.raises(PolicyError, match="pte-same\\+private") as info:
        resolve(KIND_FAULT_RETRY, "pte_same")
    assert isinstance(info.value, ValueError)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(PolicyError, match="unknown policy kind 'fallback'"):
        resolve("fallback", "never")


@attrs.frozen
class NoSwap:
    """A third-party fallback policy."""

    name: str = "no-swap"
    kind: str = KIND_FALLBACK
    api_version: int = API_VERSION

    def fallback(self, page: PageView, reason: str) -> bool:
        """Never."""
        return False


NO_SWAP = NoSwap()
WRONG_KIND = attrs.evolve(NO_SWAP, kind=KIND_MLOCKED)


def test_module_attr_references_are_imported_and_validated() -> None:
    assert resolve(KIND_FALLBACK, f"{__name__}:NO_SWAP") is NO_SWAP
    with pytest.raises(PolicyError, match="declares kind 'mlocked'"):
        resolve(KIND_FALLBACK, f"{__name__}:WRONG_KIND")
    with pytest.raises(PolicyError, match="has no attribute 'MISSING'"):
        resolve(KIND_FALLBACK, f"{__name__}:MISSING")
    with pytest.raises(PolicyError, match="cannot import module"):
        resolve(KIND_FALLBACK, "no_such_module_xyz:THING")


def test_validation_names_a_missing_method_and_a_bad_attribute() -> None:
    @attrs.frozen
    class Half:
        name: str = "half"
        kind: str = KIND_FAULT_RETRY
        api_version: int = API_VERSION
        pte_same: bool = True

    with pytest.raises(PolicyError, match="on_miss"):
        validate(KIND_FAULT_RETRY, "half", Half())
    not_a_bool = FaultRetry("x", "recheck", None, pte_same="yes")  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="bool attribute 'pte_same'"):
        validate(KIND_FAULT_RETRY, "x", not_a_bool)


class FakeEntryPoint:
    name = "no-swap"
    value = "somewhere:NO_SWAP"
    group = ENTRY_POINT_GROUP

    def load(self) -> object:
        return NO_SWAP


def test_entry_points_are_found_unless_plugins_are_disabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        return [FakeEntryPoint()] if group == ENTRY_POINT_GROUP else []

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    monkeypatch.delenv("MIGSIM_NO_PLUGINS", raising=False)
    assert resolve(KIND_FALLBACK, "no-swap") is NO_SWAP
    monkeypatch.setenv("MIGSIM_NO_PLUGINS", "1")
    with pytest.raises(PolicyError, match="not a built-in"):
        resolve(KIND_FALLBACK, "no-swap")


def test_entry_point_names_are_listed_without_loading_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Unloadable(FakeEntryPoint):
        def load(self) -> object:
            raise AssertionError("listing must not load the plugin")

    monkeypatch.setattr(metadata, "entry_points", lambda *, group: [Unloadable()])
    monkeypatch.delenv("MIGSIM_NO_PLUGINS", raising=False)
    assert entry_point_names() == ("no-swap",)
    monkeypatch.setenv("MIGSIM_NO_PLUGINS", "1")
    assert entry_point_names() == ()


def test_a_broken_entry_point_is_a_policy_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(FakeEntryPoint):
        def load(self) -> object:
            raise ImportError("no module named somewhere")

    monkeypatch.setattr(metadata, "entry_points", lambda *, group: [Broken()])
    monkeypatch.delenv("MIGSIM_NO_PLUGINS", raising=False)
    with pytest.raises(PolicyError) as info:
        resolve(KIND_FALLBACK, "no-swap")
    text = str(info.value)
    assert text.startswith("policies.fallback_to_swap: plugin 'no-swap' (entry point ")
    assert "failed to load: ImportError: no module named somewhere" in text
    assert "MIGSIM_NO_PLUGINS=1" in text
    assert "\n" not in text


def test_swap_entries_are_not_migration_entries() -> None:
    assert not swap_entry(1).is_migration


def test_whether_mlocked_pages_may_migrate_is_asked_once_with_a_probe() -> None:
    from policies import lets_mlocked_pages_migrate

    assert lets_mlocked_pages_migrate(resolve(KIND_MLOCKED, "migrate")) is True
    assert lets_mlocked_pages_migrate(resolve(KIND_MLOCKED, "refuse")) is False

    class Raises:
        def may_migrate(self, page: PageView) -> bool:
            raise RuntimeError("no")

    class Garbage:
        def may_migrate(self, page: PageView) -> object:
            return "yes"

    assert lets_mlocked_pages_migrate(Raises()) is False
    assert lets_mlocked_pages_migrate(Garbage()) is False  # only True means yes
    assert lets_mlocked_pages_migrate(object()) is False


def test_a_policy_for_another_kind_says_which_kind_it_is_for() -> None:
    with pytest.raises(PolicyError) as info:
        resolve(KIND_FAULT_RETRY, f"{__name__}:NO_SWAP")
    text = str(info.value)
    assert text.startswith("policies.fault_retry: ")
    assert "declares kind 'fallback_to_swap' but was given for 'fault_retry'" in text
    assert "use it for policies.fallback_to_swap instead" in text


@pytest.mark.parametrize(
    ("version", "words"),
    [(None, "which declares none"), (2, "declares api_version 2"), ("1", "api_version '1'")],
)
def test_a_plugin_must_declare_this_api_version(version: object, words: str) -> None:
    policy = attrs.evolve(NO_SWAP, api_version=version)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match=f"policy API version {API_VERSION}") as info:
        validate(KIND_FALLBACK, "no-swap", policy)
    assert words in str(info.value)
    assert f"add 'api_version = {API_VERSION}'" in str(info.value)


def test_every_built_in_declares_the_api_version() -> None:
    for kind in KINDS:
        for policy in BUILTINS[kind].values():
            assert getattr(policy, "api_version", None) == API_VERSION


def test_a_decision_method_with_the_wrong_signature_is_refused() -> None:
    @attrs.frozen
    class OneArgument(NoSwap):
        def fallback(self, page: PageView) -> bool:  # type: ignore[override]
            """Forgets the reason."""
            return False

    with pytest.raises(PolicyError) as info:
        validate(KIND_FALLBACK, "one", OneArgument())
    assert "expected fallback(page, reason) as in policies.FallbackPolicy" in str(info.value)
    assert "takes (page: 'PageView')" in str(info.value)


def test_the_catalogue_lists_built_ins_and_every_plugin_with_its_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from policies import catalog

    class Broken(FakeEntryPoint):
        name = "broken"
        value = "nowhere:THING"

        def load(self) -> object:
            raise ModuleNotFoundError("No module named 'nowhere'")

    class Unversioned(FakeEntryPoint):
        name = "old"

        def load(self) -> object:
            return attrs.evolve(NO_SWAP, api_version=None)  # type: ignore[arg-type]

    installed = [FakeEntryPoint(), Broken(), Unversioned()]
    monkeypatch.setattr(
        metadata, "entry_points", lambda *, group: installed if group == ENTRY_POINT_GROUP else []
    )
    monkeypatch.delenv("MIGSIM_NO_PLUGINS", raising=False)
    rows = {row.name: row for row in catalog()}
    assert rows["pte-same+private"].source == "built-in"
    assert rows["pte-same+private"].api_version == API_VERSION
    assert rows["none"].ok
    good = rows["no-swap"]
    assert (good.kind, good.source, good.api_version, good.status) == (
        KIND_FALLBACK,
        "entry point somewhere:NO_SWAP",
        API_VERSION,
        "ok",
    )
    assert good.description == "A third-party fallback policy."
    assert rows["broken"].kind == "?"
    assert not rows["broken"].ok
    assert "failed to load: ModuleNotFoundError: No module named 'nowhere'" in rows["broken"].status
    assert "declares none" in rows["old"].status
    assert rows["old"].kind == KIND_FALLBACK
    monkeypatch.setenv("MIGSIM_NO_PLUGINS", "1")
    assert all(row.source == "built-in" for row in catalog())


def test_the_package_ships_its_type_information() -> None:
    from pathlib import Path

    import policies

    assert (Path(policies.__file__).parent / "py.typed").is_file()
