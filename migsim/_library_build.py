"""The scenario library, generated from the race builders of :mod:`migsim.races`.

Every race gets two files: the unguarded policy, whose ``[expect]`` is the violation the
race causes, explored as its builder says; and the guarded policy, whose ``[expect]`` is
``ok`` under an *exhaustive* DPOR search (``strategy = "dfs"``), preemption-bounded where
the unbounded search is too large (``migsim._races.BOUNDS``).  ``migsim check scenarios/`` therefore
proves every guarded design safe within its stated bound.

After changing a builder, regenerate the files::

    python -m migsim._library_build scenarios/

``tests/scenarios/test_library.py`` fails when the files and the builders disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs

from migsim._dump import dump_scenario
from migsim._races import BOUNDS, GUARDED, R1_GUARDS, RACES, r1_seed, workload
from migsim._scenario import Explore, Scenario

GUARDED_SCHEDULES = 20_000
"""The schedule budget of a guarded search; each completes well inside it."""


def exhaustive(scenario: Scenario, race: str) -> Scenario:
    """``scenario`` explored by DPOR to completion (bounded as ``BOUNDS`` says)."""
    settings = Explore(
        strategy="dfs",
        schedules=GUARDED_SCHEDULES,
        preemption_bound=BOUNDS.get(race),
        max_steps=scenario.explore.max_steps,
    )
    return attrs.evolve(scenario, explore=settings)


def library() -> list[tuple[str, Scenario]]:
    """``(comment, scenario)`` for every file of the library, in file-name order."""
    entries: list[tuple[str, Scenario]] = []
    seed = attrs.evolve(r1_seed("none"), name="seed-race")
    entries.append(("fault_retry = none (the 2004 code): the explorer finds K3.", seed))
    for policy in R1_GUARDS:
        guarded = exhaustive(attrs.evolve(r1_seed(policy), name=f"seed-race-{policy}"), "R1")
        entries.append((_guarded_note(policy, "R1"), guarded))
    for race, build in RACES.items():
        if race == "R1":
            continue
        bad = build()
        entries.append((f"The unguarded policy: {_expected(bad)}.", bad))
        entries.append((_guarded_note(GUARDED[race], race), exhaustive(build(GUARDED[race]), race)))
    entries.append(("Every race's guard on at once: random schedules stay clean.", workload()))
    return sorted(entries, key=lambda e: e[1].name)


def _expected(s: Scenario) -> str:
    return f"the explorer finds {s.expect.invariant}"


def _guarded_note(policy: str, race: str) -> str:
    bound = BOUNDS.get(race)
    plural = "" if bound == 1 else "s"
    within = f"with at most {bound} preemption{plural}" if bound is not None else "unbounded"
    return f"The guarded policy ({policy}): exhaustive DPOR search, {within}, finds nothing."


def render(comment: str, scenario: Scenario, builder_doc: str) -> str:
    """The file text: the builder's explanation and the variant's note as comments."""
    lines = [f"# {line}".rstrip() for line in builder_doc.strip().splitlines()]
    lines.append(f"# {comment}")
    return "\n".join(lines) + "\n\n" + dump_scenario(scenario)


def _doc_of(scenario: Scenario) -> str:
    race = scenario.races[0] if scenario.races else ""
    build = RACES.get(race, workload)
    text = " ".join((build.__doc__ or "").split())
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


def write_library(directory: Path) -> list[Path]:
    """Write every library file into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for comment, scenario in library():
        path = directory / f"{scenario.name}.toml"
        path.write_text(render(comment, scenario, _doc_of(scenario)), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """``python -m migsim._library_build DIR``: regenerate the library in DIR."""
    if len(argv) != 1:
        print("usage: python -m migsim._library_build DIR", file=sys.stderr)
        return 2
    for path in write_library(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
