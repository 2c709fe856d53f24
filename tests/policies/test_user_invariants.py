"""User invariants of entry-point group ``migsim.invariants``: found, reported, shrunk
and replayed like built-in ones; a clash with a built-in id is a clear error."""

from __future__ import annotations

from importlib import metadata

import attrs
import pytest

import policies
from kernel_model import KernelView
from migsim import BuildError, Subject, explore, invariant_meaning, replay
from migsim.races import r1_seed


@attrs.frozen
class NoMigrationCache:
    """Broken as soon as a pte names the migration cache (the seed race starts so)."""

    id: str = "X1"
    meaning: str = "no pte names the migration cache"
    at: str = "step"
    api_version: int = policies.API_VERSION

    def check(self, view: KernelView) -> str | None:
        """The first pte that names the migration cache."""
        named = [p for p in view.ptes if p.state == "migcache"]
        return f"{named[0].mm}:{named[0].vpage} names {named[0].entry}" if named else None


@attrs.frozen
class EndsWithFreePages:
    """At the end of a run, some page is free (holds in the seed race)."""

    id: str = "X2"
    meaning: str = "some page is free at the end"
    at: str = "quiescence"
    api_version: int = policies.API_VERSION

    def check(self, view: KernelView) -> str | None:
        """None while a page is free."""
        assert view.quiescent
        return None if view.free else "no free page left"


@attrs.frozen
class Raises(EndsWithFreePages):
    """A checker with a bug."""

    id: str = "X3"

    def check(self, view: KernelView) -> str | None:
        """Raise."""
        raise KeyError("oops")


class Entry:
    group = policies.INVARIANT_GROUP

    def __init__(self, name: str, obj: object) -> None:
        self.name, self.value, self.obj = name, f"tests:{name}", obj

    def load(self) -> object:
        return self.obj


def install(monkeypatch: pytest.MonkeyPatch, *checkers: object) -> None:
    entries = [Entry(getattr(c, "id", "?"), c) for c in checkers]

    def entry_points(*, group: str) -> list[Entry]:
        return entries if group == policies.INVARIANT_GROUP else []

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    monkeypatch.delenv("MIGSIM_NO_PLUGINS", raising=False)


def guarded() -> Subject:
    seed = r1_seed("pte-same+private")
    small = attrs.evolve(seed, explore=attrs.evolve(seed.explore, schedules=30))
    return Subject.of_scenario(small)


def test_a_broken_user_invariant_is_found_shrunk_and_replayed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install(monkeypatch, NoMigrationCache())
    subject = guarded()
    result = explore(subject)
    assert result.finding is not None
    assert result.finding.invariant == "X1"
    assert "A:0 names" in result.finding.shrunk.outcome.message
    assert invariant_meaning("X1") == "no pte names the migration cache"
    assert replay(subject, result.finding.shrunk.token).finding.invariant == "X1"  # type: ignore[union-attr]


def test_a_user_invariant_that_holds_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, EndsWithFreePages())
    assert explore(guarded()).finding is None


def test_a_checker_that_raises_is_p1_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, Raises())
    result = explore(guarded())
    assert result.finding is not None
    assert result.finding.invariant == "P1"
    assert "user invariant 'X3'.check() raised KeyError" in result.finding.shrunk.outcome.message


@pytest.mark.parametrize(
    ("checker", "words"),
    [
        (attrs.evolve(EndsWithFreePages(), id="K3"), "'K3', which is migsim's own"),
        (attrs.evolve(EndsWithFreePages(), id="x1"), "expected an 'id' such as 'X1'"),
        (attrs.evolve(EndsWithFreePages(), at="sometimes"), "expected 'at' to be one of"),
        (attrs.evolve(EndsWithFreePages(), api_version=0), "expected api_version 1"),
        (attrs.evolve(EndsWithFreePages(), meaning=""), "expected a one-line 'meaning'"),
    ],
)
def test_an_unusable_user_invariant_is_refused_before_exploring(
    monkeypatch: pytest.MonkeyPatch, checker: object, words: str
) -> None:
    install(monkeypatch, checker)
    with pytest.raises(BuildError, match=words) as info:
        guarded()
    assert "migsim.invariants: " in str(info.value)


def test_two_plugins_may_not_share_an_id(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, EndsWithFreePages(), attrs.evolve(NoMigrationCache(), id="X2"))
    with pytest.raises(policies.PolicyError, match="another installed invariant also declares"):
        policies.user_invariants()


def test_no_user_invariants_when_plugins_are_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, NoMigrationCache())
    monkeypatch.setenv("MIGSIM_NO_PLUGINS", "1")
    assert policies.user_invariants() == ()
    assert explore(guarded()).finding is None
