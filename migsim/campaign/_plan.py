"""A campaign's plan: the work units, each independent and deterministic.

Random and PCT units are ranges of schedules, each unit's strategy seeded from the one
campaign seed and the unit's index, so the same command explores the same schedules
whatever the number of workers.  Systematic units are subtrees of the choice tree at a
fixed depth (:class:`actors.SubtreeDFS`): independent, and together the whole search.
"""

from __future__ import annotations

import hashlib
import json

import attrs

import actors
from migsim._pipeline import Subject
from migsim.scenario import Scenario, dump_scenario, loads_scenario


@attrs.frozen
class Unit:
    """One work unit: ``count`` schedules from ``seed``, or the subtree under ``prefix``.

    ``index`` is the unit's place in its scenario's deterministic order (the order a
    single process would explore them in); ``stop_on_first`` ends the unit at its first
    failing schedule (``explore --workers``) instead of collecting every failure.
    """

    key: str
    scenario: str
    text: str  # the scenario's TOML (overrides applied): workers need no file
    strategy: str
    seed: int = 0
    count: int = 0
    prefix: tuple[int, ...] = ()
    index: int = 0
    stop_on_first: bool = False

    @property
    def systematic(self) -> bool:
        """True for a subtree of a systematic search (its size is known once searched)."""
        return bool(actors.STRATEGIES[self.strategy].systematic)


def unit_seed(campaign_seed: int, scenario: str, index: int) -> int:
    """The seed of unit ``index``: a hash of the campaign seed, scenario and index."""
    text = f"{campaign_seed}:{scenario}:{index}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def plan_units(
    scenario: Scenario,
    *,
    unit_size: int,
    split_depth: int,
    seed: int | None = None,
    stop_on_first: bool = False,
) -> list[Unit]:
    """The units of one scenario under its ``[explore]`` settings.

    ``seed`` is the campaign seed the random units' seeds derive from (default: the
    scenario's ``explore.seed``).
    """
    text = dump_scenario(scenario)
    settings = scenario.explore
    if actors.STRATEGIES[settings.strategy].systematic:
        program = Subject.of_scenario(loads_scenario(text)).program
        prefixes = actors.SubtreeDFS.split(
            program,
            split_depth,
            preemption_bound=settings.preemption_bound,
            max_steps=settings.max_steps,
        )
        return [
            Unit(
                f"{scenario.name}/t{i}",
                scenario.name,
                text,
                settings.strategy,
                prefix=p,
                index=i,
                stop_on_first=stop_on_first,
            )
            for i, p in enumerate(prefixes)
        ]
    campaign_seed = settings.seed if seed is None else seed
    units = []
    for i, start in enumerate(range(0, settings.schedules, unit_size)):
        count = min(unit_size, settings.schedules - start)
        s = unit_seed(campaign_seed, scenario.name, i)
        name = f"{scenario.name}/s{i}"
        units.append(
            Unit(name, scenario.name, text, settings.strategy, s, count, (), i, stop_on_first)
        )
    return units


def campaign_key(units: list[Unit], unit_size: int, split_depth: int) -> str:
    """16 hex digits naming the campaign: the same command gives the same key."""
    spec = [unit_size, split_depth] + [attrs.astuple(u) for u in units]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:16]
