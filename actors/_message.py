"""Envelopes: a message in a mailbox, with who sent it and how to answer it."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from actors._actor import Actor


class Envelope(NamedTuple):
    """A delivered message (immutable; a named tuple because one is built per send).

    - ``sender``: the actor that sent it (answer a call with ``await self.reply(env, msg)``).
    - ``msg``: the message itself, an attrs frozen value.
    - ``msg_id``: a per-run sequence number; pairs the send and the receive in a trace.
    - ``call_id``: set when the message is a request made with ``call``.
    - ``reply_to``: set when the message answers the call with that id.
    """

    sender: Actor
    msg: object
    msg_id: int
    call_id: int | None = None
    reply_to: int | None = None
