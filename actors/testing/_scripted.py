"""Running one actor alone, against a scripted peer.

Unit-testing an actor means cutting it off from the actors it normally talks to.  A
:class:`ScriptedPeer` stands in for all of them: it sends the actor a fixed script of
messages (plain messages, or :class:`Call` requests whose replies it records), records
every message the actor sends it, and answers the actor's own calls with a function you
give.  :func:`run_alone` runs the pair and returns what happened::

    alone = await run_alone(TicketServer(), [Call(Take()), Call(Take())])
    assert alone.replies == (0, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from actors import Actor, ActorUsageError, RunResult, Setup
from actors.testing._capture import capture_run


@attrs.frozen
class Call:
    """A script entry: send ``msg`` as a request (``Actor.call``) and record the reply."""

    msg: object


class ScriptedPeer(Actor):
    """A stand-in for every actor the actor under test talks to.

    - ``script``: sent to the target in order; a :class:`Call` waits for its reply and
      appends it to :attr:`replies`, anything else is sent with ``send``.
    - :attr:`received`: every message the target sent to the peer, in order (after the
      script is done, the peer serves its mailbox).
    - ``answer``: the reply to a request the target makes with ``call`` (given the
      request message); without it, such a call is a test error.

    The peer is a daemon: a run where the target finishes while the peer waits for more
    messages ends normally.
    """

    def __init__(
        self,
        name: str = "peer",
        script: Sequence[object] = (),
        *,
        answer: Callable[[object], object] | None = None,
    ) -> None:
        super().__init__(name, daemon=True)
        self.script = tuple(script)
        self.answer = answer
        self.target: Actor | None = None
        self.replies: list[object] = []
        self.received: list[object] = []

    async def run(self) -> None:
        """Play the script, then record (and answer) whatever the target sends."""
        target = self.target
        if target is None:
            raise ActorUsageError(f"scripted peer {self.name!r} has no target: use run_alone()")
        for entry in self.script:
            if isinstance(entry, Call):
                self.replies.append(await self.call(target, entry.msg))
            else:
                await self.send(target, entry)
        while True:
            env = await self.receive()
            self.received.append(env.msg)
            if env.call_id is not None:
                await self.reply(env, self._answer(env.msg))

    def _answer(self, request: object) -> object:
        if self.answer is None:
            raise ActorUsageError(
                f"the actor under test called scripted peer {self.name!r} with {request!r}, "
                "but the peer has no answer function: pass ScriptedPeer(answer=...)"
            )
        return self.answer(request)


@attrs.frozen
class Alone:
    """The result of :func:`run_alone`: the run, the replies to the script's calls, and the
    messages the actor sent to the peer."""

    result: RunResult
    replies: tuple[object, ...]
    received: tuple[object, ...]


async def run_alone(
    actor: Actor,
    peer: ScriptedPeer | Sequence[object] = (),
    *,
    monitors: Sequence[object] = (),
    choices: Sequence[int] = (),
    max_steps: int = 10_000,
) -> Alone:
    """Run ``actor`` against ``peer`` (a :class:`ScriptedPeer`, or just its script).

    Create the peer first when the actor needs to know it (to send to it or call it).
    ``monitors`` watch the run as in :class:`actors.Setup`.  The run takes the default
    schedule unless ``choices`` says otherwise (see :func:`~actors.testing.capture_run`).
    Actors keep their fields from run to run: build fresh ones for each call.
    """
    if not isinstance(peer, ScriptedPeer):
        peer = ScriptedPeer(script=peer)
    peer.target = actor
    setup = Setup([actor, peer], monitors)
    result = await capture_run(lambda: setup, choices=choices, max_steps=max_steps)
    return Alone(result, tuple(peer.replies), tuple(peer.received))
