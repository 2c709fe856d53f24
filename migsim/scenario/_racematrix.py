"""The race matrix: for each race, the kernel eras it shows in and what closes it there.

Read from the race registry (:data:`migsim.races.RACES`), never written by hand: every
variant of a race runs one era under one policy, and the registry says whether it is
expected to fail (the race *shows*), to stay clean because a guard *closes* it, or to stay
clean because that era's kernel *cannot* produce it at all (``Race.unreachable``).  An era
a race has no variant for is not modelled for it.  ``docs/races.md`` is this module's
output (``make library`` regenerates it; a test fails on drift); the policy matrix
(``migsim matrix``) reads the same variants.

Run ``python -m migsim.scenario._racematrix docs/races.md`` to rewrite the file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

import attrs

from migsim.scenario._races import RACES, Race

Verdict = Literal["shows", "closed", "cannot"]
"""What a variant says about its race in its era (see the module docstring)."""


@attrs.frozen
class RaceVariant:
    """One variant of race ``race``: ``label`` runs ``era`` with ``knob = value``.

    ``by_era``: the label picks an era, so what decides is that era's *code* (the
    policy is the era's own); otherwise the policy is the variable.  ``reason`` explains
    a ``cannot`` verdict; ``bound`` is the preemption bound the library proves a clean
    variant within (None: every schedule).
    """

    race: str
    label: str
    era: str
    knob: str
    value: str
    verdict: Verdict
    invariant: str
    by_era: bool = False
    reason: str = ""
    bound: int | None = None


def race_variants(races: Mapping[str, Race] = RACES) -> tuple[RaceVariant, ...]:
    """Every variant of every race, races in registry order, the unguarded one first."""
    return tuple(v for race in races.values() for v in _variants(race))


def _variants(race: Race) -> Iterable[RaceVariant]:
    labels = dict.fromkeys((race.unguarded, *race.failing, *race.guards))
    unreachable = race.unreachable
    for label in labels:
        era, value = race.eras.get(label, (race.base.kernel.era, label))
        if label in race.failing:
            verdict: Verdict = "shows"
        elif label in unreachable:
            verdict = "cannot"
        else:
            verdict = "closed"
        yield RaceVariant(
            race=race.id,
            label=label,
            era=era,
            knob=race.knob,
            value=value,
            verdict=verdict,
            invariant=race.invariant,
            by_era=label in race.eras,
            reason=unreachable.get(label, ""),
            bound=None if verdict == "shows" else race.bound,
        )


def _eras() -> tuple[str, ...]:
    import kernel_model

    return tuple(kernel_model.ERAS)


def _cell(variants: list[RaceVariant]) -> str:
    if not variants:
        return "-"
    words = {"shows": "**shows**", "closed": "closed", "cannot": "cannot happen"}
    return "; ".join(f"{words[v.verdict]} ({_decided_by(v)})" for v in variants)


def _decided_by(v: RaceVariant) -> str:
    policy = f"`{v.knob} = {v.value}`"
    return f"the era's code, {policy}" if v.by_era else policy


def render_race_matrix(races: Mapping[str, Race] = RACES) -> str:
    """``docs/races.md``: the race x era table, then each race's variants in full."""
    eras = _eras()
    variants = race_variants(races)
    lines = [
        "# Races across kernel eras",
        "",
        "Generated from the race registry (`migsim.races.RACES`) by `make library`; do not",
        "edit by hand (a test fails on drift). A cell lists the variants of the race that",
        "run that era: **shows** (the unguarded variant finds the race's invariant and its",
        "token replays it), closed (a guard: an exhaustive DPOR search, within the stated",
        "preemption bound, finds nothing), cannot happen (that era's kernel has no path to",
        'the race). "The era\'s code": the variant differs from the others by its era,',
        "not by a policy. `-`: the race has no variant in that era.",
        "",
        "| race | invariant | " + " | ".join(f"`{e}`" for e in eras) + " |",
        "|---|---|" + "---|" * len(eras),
    ]
    for race in races.values():
        mine = [v for v in variants if v.race == race.id]
        cells = [_cell([v for v in mine if v.era == era]) for era in eras]
        lines.append(f"| {race.id} | {race.invariant} | " + " | ".join(cells) + " |")
    lines += ["", "## Variants", ""]
    lines += ["| race | variant | era | policy | verdict | bound |", "|---|---|---|---|---|---|"]
    for v in variants:
        bound = "-" if v.verdict == "shows" else ("all" if v.bound is None else str(v.bound))
        verdict = f"{v.verdict} ({v.invariant})" if v.verdict == "shows" else v.verdict
        if v.reason:
            verdict = f"{verdict}: {v.reason}"
        policy = f"`{v.knob} = {v.value}`"
        lines.append(f"| {v.race} | `{v.label}` | `{v.era}` | {policy} | {verdict} | {bound} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """``python -m migsim.scenario._racematrix FILE``: write the race matrix to FILE."""
    if len(argv) != 1:
        print("usage: python -m migsim.scenario._racematrix FILE", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(render_race_matrix(), encoding="utf-8")
    print(argv[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
