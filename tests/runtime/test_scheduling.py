"""Scheduling semantics: enumeration, messages, time, deadlock, bounds, errors."""

from __future__ import annotations

import attrs

from actors import (
    DFS,
    Actor,
    Budget,
    RandomWalk,
    Setup,
    explore,
    replay_token,
    run_schedule,
    writes,
)
from tests.runtime.programs import Client, Server, Waiter, lost_update, two_writers


def test_dfs_without_dpor_enumerates_every_interleaving() -> None:
    # Two actors of two steps each: C(4, 2) = 6 interleavings, dependent or not.
    for shared in (True, False):
        result = explore(lambda s=shared: two_writers(s), DFS(dpor=False), Budget(schedules=100))
        assert result.schedules == 6
        assert result.exhaustive_complete


def test_dpor_explores_one_schedule_for_independent_steps() -> None:
    result = explore(lambda: two_writers(False), DFS(dpor=True), Budget(schedules=100))
    assert result.schedules == 1
    assert result.exhaustive_complete


def test_dpor_explores_every_order_of_dependent_steps() -> None:
    result = explore(lambda: two_writers(True), DFS(dpor=True), Budget(schedules=100))
    assert result.schedules == 6
    assert result.exhaustive_complete


def test_dpor_finds_every_distinct_final_state_of_a_race() -> None:
    result = explore(
        lambda: lost_update(2), DFS(dpor=True), Budget(schedules=100, stop_on_first=False)
    )
    assert result.exhaustive_complete is False  # violations were found, so not "complete and clean"
    assert result.distinct_states == 2  # the cell ends at 1 (lost update) or 2
    assert {v.outcome.code for v in result.violations} == {"LOST"}


def test_budget_stops_an_unfinished_search() -> None:
    result = explore(lambda: two_writers(True), DFS(dpor=False), Budget(schedules=3))
    assert result.schedules == 3
    assert not result.exhaustive_complete


def test_call_and_reply_pair_requests_with_answers() -> None:
    clients: list[Client] = []

    def program() -> Setup:
        server = Server()
        clients[:] = [Client("c0", server, 3), Client("c1", server, 2)]
        return Setup([server, *clients])

    result = explore(program, RandomWalk(3), Budget(schedules=20))
    assert not result.violations
    assert [c.answers for c in clients] == [[0, 1, 2], [0, 1]]


def test_send_and_receive_steps_are_paired_in_the_trace() -> None:
    run = run_schedule(_pair, DFS())
    sends = {s.msg_id: s for s in run.trace if s.op == "send"}
    receives = [s for s in run.trace if s.op == "receive"]
    assert receives
    for r in receives:
        assert r.msg_id in sends
        assert sends[r.msg_id].peer == r.actor
        assert r.peer == sends[r.msg_id].actor


def _pair() -> Setup:
    server = Server()
    return Setup([server, Client("c", server, 1)])


def test_deadlock_names_each_blocked_actor_and_its_wait_point() -> None:
    result = run_schedule(lambda: Setup([Waiter("w"), Server()]), DFS())
    assert result.outcome.kind == "deadlock"
    assert [(b.actor, b.waiting_for) for b in result.outcome.blocked] == [("w", "receive Ping")]
    assert "w (receive Ping)" in result.outcome.message


def test_blocked_daemons_alone_are_quiescence_not_deadlock() -> None:
    result = run_schedule(_pair, DFS())
    assert result.outcome.kind == "ok"


class Spinner(Actor):
    async def run(self) -> None:
        while True:
            await self.yield_point("spin", writes("x"))


def test_step_bound_is_reported_as_liveness() -> None:
    result = explore(lambda: Setup([Spinner("s")]), DFS(), Budget(schedules=1, max_steps=50))
    run = result.first
    assert run is not None
    assert (run.outcome.kind, run.outcome.code) == ("liveness", "step-bound")
    assert run.steps == 50
    assert result.step_bound_hits == 1


class Boom(Actor):
    async def run(self) -> None:
        await self.yield_point("before", writes("x"))
        raise KeyError("page 7")


def test_actor_exception_is_an_outcome_with_traceback_and_trace() -> None:
    result = run_schedule(lambda: Setup([Boom("boom"), Spinner("s")]), RandomWalk(0), max_steps=40)
    assert result.outcome.kind == "error"
    assert result.outcome.code == "KeyError"
    assert "boom raised KeyError" in result.outcome.message
    assert "raise KeyError" in result.outcome.traceback
    assert any(s.actor == "boom" and s.label == "before" for s in result.trace)


@attrs.define
class Log:
    events: list[tuple[int, str]] = attrs.Factory(list)


class Sleeper(Actor):
    def __init__(self, name: str, ticks: list[int], log: Log) -> None:
        super().__init__(name)
        self.ticks, self.log = ticks, log

    async def run(self) -> None:
        for t in self.ticks:
            await self.sleep(t)
            self.log.events.append((self.now, self.name))


def test_virtual_time_orders_wakeups_by_time() -> None:
    log = Log()

    def program() -> Setup:
        log.events.clear()
        return Setup([Sleeper("slow", [30], log), Sleeper("fast", [10, 10], log)])

    result = explore(program, RandomWalk(5), Budget(schedules=10))
    assert not result.violations
    assert log.events == [(10, "fast"), (20, "fast"), (30, "slow")]


def test_virtual_time_is_recorded_in_steps() -> None:
    log = Log()
    run = run_schedule(lambda: Setup([Sleeper("s", [5, 7], log)]), DFS())
    assert [s.time for s in run.trace if s.op == "sleep"] == [5, 12]


class Chooser(Actor):
    def __init__(self, seen: list[tuple[bool, int]]) -> None:
        super().__init__("chooser")
        self.seen = seen

    async def run(self) -> None:
        self.seen.append((await self.choose_bool("fail?"), await self.choose_int(3, "which")))


def test_dfs_explores_every_data_choice_and_replay_repeats_it() -> None:
    seen: list[tuple[bool, int]] = []
    result = explore(lambda: Setup([Chooser(seen)]), DFS(), Budget(schedules=100))
    assert result.schedules == 6
    assert sorted(seen) == [(b, i) for b in (False, True) for i in range(3)]
    last = run_schedule(lambda: Setup([Chooser(seen)]), RandomWalk(9))
    seen.clear()
    replay_token(lambda: Setup([Chooser(seen)]), last.token)
    assert len(seen) == 1


def test_spin_yields_let_other_actors_progress_so_search_terminates() -> None:
    @attrs.define
    class Flag:
        up: bool = False

    class Setter(Actor):
        def __init__(self, flag: Flag) -> None:
            super().__init__("setter")
            self.flag = flag

        async def run(self) -> None:
            await self.yield_point("set", writes("flag"))
            self.flag.up = True

    class Poller(Actor):
        def __init__(self, flag: Flag) -> None:
            super().__init__("poller")
            self.flag = flag

        async def run(self) -> None:
            await self.yield_point("poll", writes("flag"), spin=True)
            while not self.flag.up:
                await self.yield_point("poll", writes("flag"), spin=True)

    def program() -> Setup:
        flag = Flag()
        return Setup([Poller(flag), Setter(flag)])

    result = explore(program, DFS(), Budget(schedules=1000, max_steps=100))
    assert result.exhaustive_complete
    assert result.step_bound_hits == 0


def test_a_run_restores_the_garbage_collector_threshold() -> None:
    import gc

    before = gc.get_threshold()
    run_schedule(lambda: two_writers(True), RandomWalk(0))
    run_schedule(lambda: Setup([Boom("boom")]), RandomWalk(0))  # ends with an actor error
    assert gc.get_threshold() == before
