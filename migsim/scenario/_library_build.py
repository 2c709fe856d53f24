"""The scenario library, generated from the race builders of :mod:`migsim.races`.

Every race gets two files: the unguarded policy, whose ``[expect]`` is the violation the
race causes, explored as its builder says; and the guarded policy, whose ``[expect]`` is
``ok`` under an *exhaustive* DPOR search (``strategy = "dfs"``), preemption-bounded where
the unbounded search is too large (``Race.bound``).  ``migsim check scenarios/`` therefore
proves every guarded design safe within its stated bound.

After changing a builder, regenerate the files::

    python -m migsim.scenario._library_build scenarios/

``tests/scenarios/test_library.py`` fails when the files and the builders disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs

from migsim.scenario._dump import dump_scenario
from migsim.scenario._model import Explore, ProvenBound, Scenario
from migsim.scenario._races import RACES, Race
from migsim.scenario._workload import workload

GUARDED_SCHEDULES = 20_000
"""The schedule budget of a guarded search; each completes well inside it."""


def exhaustive(scenario: Scenario, race: Race) -> Scenario:
    """``scenario`` explored by DPOR to completion (bounded as the race says)."""
    settings = Explore(
        strategy="dfs",
        schedules=GUARDED_SCHEDULES,
        preemption_bound=race.bound,
        max_steps=scenario.explore.max_steps,
    )
    # The check requires the proof, not just a clean run: a search that ran out of its
    # budget before finishing its bound fails it.
    proof: ProvenBound = race.bound if race.bound is not None else "all"
    expect = attrs.evolve(scenario.expect, proven_bound=proof)
    return attrs.evolve(scenario, explore=settings, expect=expect)


def library() -> list[tuple[str, Scenario]]:
    """``(comment, scenario)`` for every file of the library, in file-name order.

    Each race gives its unguarded variant and every guard; the seed race's files are
    named ``seed-race*`` (the thread's race, the README's demo).
    """
    entries: list[tuple[str, Scenario]] = []
    for race in RACES.values():
        bad = race.scenario()
        entries.append(
            (f"The unguarded variant: the explorer finds {race.invariant}.", _named(bad, race, ""))
        )
        for guard in race.guards:
            guarded = exhaustive(race.scenario(guard), race)
            entries.append((_guarded_note(guard, race), _named(guarded, race, guard)))
    entries.append(("Every race's guard on at once: random schedules stay clean.", workload()))
    return sorted(entries, key=lambda e: e[1].name)


def _named(scenario: Scenario, race: Race, guard: str) -> Scenario:
    if race.id != "R1":
        return scenario
    return attrs.evolve(scenario, name=f"seed-race-{guard}" if guard else "seed-race")


def _guarded_note(guard: str, race: Race) -> str:
    bound = race.bound
    plural = "" if bound == 1 else "s"
    within = f"with at most {bound} preemption{plural}" if bound is not None else "unbounded"
    return f"The guarded variant ({guard}): exhaustive DPOR search, {within}, finds nothing."


def render(comment: str, scenario: Scenario, builder_doc: str) -> str:
    """The file text: the builder's explanation and the variant's note as comments."""
    lines = [f"# {line}".rstrip() for line in builder_doc.strip().splitlines()]
    lines.append(f"# {comment}")
    return "\n".join(lines) + "\n\n" + dump_scenario(scenario)


def _doc_of(scenario: Scenario) -> str:
    race = RACES.get(scenario.races[0]) if scenario.races else None
    text = race.doc if race is not None else " ".join((workload.__doc__ or "").split())
    return "\n".join(_wrap(text.replace("``", ""), 90))


def _wrap(text: str, width: int) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*out, line] if line else out


def library_texts() -> dict[str, tuple[Scenario, str]]:
    """Every library file: its name -> (the scenario, the exact text of the file)."""
    return {
        f"{scenario.name}.toml": (scenario, render(comment, scenario, _doc_of(scenario)))
        for comment, scenario in library()
    }


def write_library(directory: Path) -> list[Path]:
    """Write every library file into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (_scenario, text) in library_texts().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """``python -m migsim.scenario._library_build DIR``: regenerate the library in DIR."""
    if len(argv) != 1:
        print("usage: python -m migsim.scenario._library_build DIR", file=sys.stderr)
        return 2
    for path in write_library(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
