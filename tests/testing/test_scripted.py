"""run_alone: one actor against a scripted peer."""

from __future__ import annotations

import attrs

from actors import Actor
from actors.testing import Call, ScriptedPeer, run_alone
from kernel_actors import Granted, Handoff, LockActor, Wait
from tests.runtime.programs import Ping, Pong, Server


async def test_a_server_answers_the_scripted_calls() -> None:
    alone = await run_alone(Server(), [Call(Ping(1)), Call(Ping(2))])
    assert alone.replies == (Pong(1), Pong(2))
    assert alone.result.outcome.kind == "ok"
    assert alone.received == ()


async def test_plain_messages_are_sent_without_waiting_for_a_reply() -> None:
    # The server replies to a plain send? It cannot: that is an error in the server's run.
    alone = await run_alone(Server(), [Ping(1)])
    assert alone.result.outcome.kind == "error"
    assert "not call()" in alone.result.outcome.message


async def test_a_lock_grants_a_waiter_its_handoff_in_either_order() -> None:
    # A kernel lock's wait queue pairs each Wait call with the Handoff naming its waiter.
    early = await run_alone(
        LockActor("ptl:A:0"), [Handoff("ptl:A:0", "peer"), Call(Wait("ptl:A:0"))]
    )
    assert early.replies == (Granted("ptl:A:0"),)
    late = await run_alone(LockActor("ptl:A:0"), [Call(Wait("ptl:A:0"))])
    assert late.replies == ()  # nobody handed the lock over: the waiter still sleeps
    assert late.result.outcome.kind == "ok"  # both are daemons: the run quiesces


@attrs.frozen
class Ask:
    n: int


class Asker(Actor):
    """Calls its peer, then tells it the answer plus one."""

    def __init__(self, peer: Actor) -> None:
        super().__init__("asker")
        self.peer = peer

    async def run(self) -> None:
        answer = await self.call(self.peer, Ask(20))
        assert isinstance(answer, int)
        await self.send(self.peer, answer + 1)


async def test_the_peer_answers_calls_and_records_what_it_gets() -> None:
    peer = ScriptedPeer("oracle", answer=lambda msg: 2 * msg.n)  # type: ignore[attr-defined]
    alone = await run_alone(Asker(peer), peer)
    assert alone.received == (Ask(20), 41)
    assert alone.result.trace.actors == ("asker", "oracle")


async def test_a_call_the_peer_cannot_answer_is_reported() -> None:
    peer = ScriptedPeer()
    alone = await run_alone(Asker(peer), peer)
    assert alone.result.outcome.kind == "error"
    assert "pass ScriptedPeer(answer=...)" in alone.result.outcome.message
