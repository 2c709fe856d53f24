"""DPOR is sound: on random programs it reaches every final state plain DFS reaches.

Programs are 2-3 actors doing reads and writes on a few shared cells, sends and receives.
A write folds the writer into the cell's value (order-sensitive), a read records what it
saw, a receive records who sent the message: so two runs end in the same state exactly
when they order every pair of dependent operations the same way.  Plain DFS enumerates
every interleaving; DPOR must find the same set of final states (and outcomes) with fewer
or equally many schedules.
"""

from __future__ import annotations

from collections.abc import Hashable

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from actors import DFS, Actor, Budget, Setup, explore, reads, writes

Op = tuple[str, int]  # ("r", cell) | ("w", cell) | ("s", target actor) | ("v", 0) receive


@attrs.define
class World:
    cells: dict[int, int] = attrs.Factory(dict)
    seen: dict[str, list[object]] = attrs.Factory(dict)


@attrs.frozen
class Note:
    payload: int


class Worker(Actor):
    def __init__(self, name: str, ops: list[Op], world: World) -> None:
        super().__init__(name)
        self.ops, self.world = ops, world
        self.peers: list[Actor] = []
        world.seen[name] = []

    async def run(self) -> None:
        seen = self.world.seen[self.name]
        for kind, arg in self.ops:
            if kind == "r":
                await self.yield_point("read", reads("cell", arg))
                seen.append(self.world.cells.get(arg, 0))
            elif kind == "w":
                await self.yield_point("write", writes("cell", arg))
                self.world.cells[arg] = self.world.cells.get(arg, 0) * 7 + self.id + 1
            elif kind == "s":
                await self.send(self.peers[arg], Note(self.id))
            else:
                env = await self.receive(Note)
                seen.append(("from", env.sender.name))


class Final:
    def __init__(self, world: World) -> None:
        self.world = world

    def state_key(self) -> Hashable:
        return (
            tuple(sorted(self.world.cells.items())),
            tuple((k, tuple(map(str, v))) for k, v in sorted(self.world.seen.items())),
        )


def _program(plan: list[list[Op]]) -> Setup:
    world = World()
    workers = [Worker(f"w{i}", ops, world) for i, ops in enumerate(plan)]
    for w in workers:
        w.peers = workers
    return Setup(workers, [Final(world)])


@st.composite
def plans(draw: st.DrawFn, with_messages: bool) -> list[list[Op]]:
    n = draw(st.integers(2, 3))
    kinds = ["r", "w", "s", "v"] if with_messages else ["r", "w"]
    plan: list[list[Op]] = []
    for _ in range(n):
        ops = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3))
        plan.append(
            [(k, draw(st.integers(0, n - 1)) if k == "s" else draw(st.integers(0, 1))) for k in ops]
        )
    return plan


def _states_of(plan: list[list[Op]], **kw: object) -> tuple[set[Hashable], int]:
    keys: set[Hashable] = set()

    class Collect(Final):
        def on_quiescence(self) -> None:
            keys.add(("ok", self.state_key()))

    def program() -> Setup:
        setup = _program(plan)
        final = setup.monitors[0]
        assert isinstance(final, Final)
        return Setup(setup.actors, [Collect(final.world)])

    budget = Budget(schedules=20_000, stop_on_first=False)
    result = explore(program, DFS(**kw), budget)  # type: ignore[arg-type]
    assert not result.step_bound_hits
    # Deadlocked runs end without quiescence: their final states come with the outcome.
    keys.update((v.outcome.kind, v.state) for v in result.violations)
    return keys, result.schedules


@settings(max_examples=150, deadline=None)
@given(plans(with_messages=False))
def test_dpor_reaches_every_final_state_of_shared_memory_programs(plan: list[list[Op]]) -> None:
    full, n_full = _states_of(plan, dpor=False)
    reduced, n_reduced = _states_of(plan, dpor=True)
    assert reduced == full
    assert n_reduced <= n_full


@settings(max_examples=150, deadline=None)
@given(plans(with_messages=True))
def test_dpor_reaches_every_final_state_of_message_passing_programs(plan: list[list[Op]]) -> None:
    full, _ = _states_of(plan, dpor=False)
    reduced, _ = _states_of(plan, dpor=True)
    assert reduced == full


@settings(max_examples=150, deadline=None)
@given(plans(with_messages=True), st.integers(0, 2))
def test_bounded_dpor_reaches_every_final_state_of_bounded_dfs(
    plan: list[list[Op]], bound: int
) -> None:
    full, _ = _states_of(plan, dpor=False, preemption_bound=bound)
    reduced, _ = _states_of(plan, dpor=True, preemption_bound=bound)
    assert reduced == full
