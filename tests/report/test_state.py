"""State in the trace: replaying a run with the program's state probe records, for every
step, the values of its footprint's objects before and after it; exploring never asks."""

from __future__ import annotations

import attrs
import pytest

from actors import (
    Actor,
    ActorUsageError,
    KeyState,
    Replay,
    ReplayDivergence,
    RunResult,
    Setup,
    Violation,
    explore,
    reads,
    replay_with_state,
    run_schedule,
    writes,
)


@attrs.define
class Cells:
    values: dict[str, int] = attrs.field(factory=lambda: {"x": 0})
    probes: int = 0


class Incrementer(Actor):
    """Reads x, then writes x + 1 (a lost update when two interleave)."""

    def __init__(self, name: str, cells: Cells) -> None:
        super().__init__(name)
        self.cells = cells

    async def run(self) -> None:
        await self.yield_point("read x", reads("x"), writes("mailbox-like", self.name))
        seen = self.cells.values["x"]
        await self.yield_point("write x", writes("x"))
        self.cells.values["x"] = seen + 1


class Probe:
    """The state probe: the value of x; None for any other key."""

    def __init__(self, cells: Cells) -> None:
        self.cells = cells

    def probe(self, key: tuple[str | int, ...]) -> int | None:
        self.cells.probes += 1
        return self.cells.values.get(str(key[0]))


class Lost:
    def __init__(self, cells: Cells) -> None:
        self.cells = cells

    def on_quiescence(self) -> Violation | None:
        if self.cells.values["x"] != 2:
            return Violation("LOST", f"x is {self.cells.values['x']}, expected 2")
        return None


CELLS: list[Cells] = []


def program() -> Setup:
    cells = Cells()
    CELLS.append(cells)
    actors = [Incrementer("a", cells), Incrementer("b", cells)]
    return Setup(actors, [Lost(cells), Probe(cells)])


def lost_update_run() -> RunResult:
    # a reads, b reads, a writes, b writes: both read 0.
    run = run_schedule(program, Replay([0, 1, 0, 1]))
    assert run.outcome.code == "LOST"
    return run


def test_a_replay_with_state_records_before_and_after_values() -> None:
    run = lost_update_run()
    assert not run.trace.has_state
    recorded = replay_with_state(program, run)
    assert recorded.trace == run.trace  # the same run ...
    assert recorded.token == run.token
    assert recorded.trace.has_state  # ... with its values
    steps = [(s.actor, s.label, s.state) for s in recorded.trace if s.op == "yield"]
    x = ("x",)
    assert steps == [
        ("a", "read x", (KeyState(x, 0, 0),)),  # mailbox-like: the probe does not know it
        ("b", "read x", (KeyState(x, 0, 0),)),
        ("a", "write x", (KeyState(x, 0, 1),)),
        ("b", "write x", (KeyState(x, 1, 1),)),  # b wrote what it had read: the lost update
    ]
    write = recorded.trace.step(2)
    assert write.value(x) is not None
    assert write.value(x).changed
    assert str(write.value(x)) == "x: 0 -> 1"
    assert write.as_dict()["state"] == [{"key": "x", "before": "0", "after": "1"}]


def test_exploring_never_calls_the_probe() -> None:
    CELLS.clear()
    found = explore(program, Replay([0, 1, 0, 1]))
    assert found.first is not None
    assert CELLS
    assert all(c.probes == 0 for c in CELLS)
    assert not found.first.trace.has_state


def test_a_program_without_a_probe_gets_its_run_back() -> None:
    def plain() -> Setup:
        cells = Cells()
        return Setup([Incrementer("a", cells), Incrementer("b", cells)], [Lost(cells)])

    run = run_schedule(plain, Replay([0, 1, 0, 1]))
    assert replay_with_state(plain, run) is run


def test_a_replay_that_takes_other_steps_is_a_divergence() -> None:
    run = lost_update_run()
    with pytest.raises(ReplayDivergence):
        replay_with_state(program, attrs.evolve(run, choices=(1, 0, 1, 0)))


def test_a_program_must_return_a_setup() -> None:
    run = lost_update_run()
    with pytest.raises(ActorUsageError, match=r"must return actors\.Setup"):
        replay_with_state(lambda: None, run)  # type: ignore[arg-type, return-value]
