"""Small programs that exercise the runtime; shared by the runtime tests."""

from __future__ import annotations

import attrs

from actors import Actor, Setup, Violation, reads, writes


class Writer(Actor):
    """Writes ``key`` ``n`` times, one step each."""

    def __init__(self, name: str, key: str, n: int = 2) -> None:
        super().__init__(name)
        self.key, self.n = key, n

    async def run(self) -> None:
        for i in range(self.n):
            await self.yield_point(f"write {self.key} #{i}", writes(self.key))


def two_writers(shared: bool) -> Setup:
    """Two actors of two steps; on one object (dependent) or two (independent)."""
    return Setup([Writer("a", "x"), Writer("b", "x" if shared else "y")])


@attrs.define
class Cell:
    """A shared memory cell for racy programs."""

    value: int = 0


class Incrementer(Actor):
    """A non-atomic increment: read, then write (the classic lost update)."""

    def __init__(self, name: str, cell: Cell) -> None:
        super().__init__(name)
        self.cell = cell

    async def run(self) -> None:
        await self.yield_point("read", reads("cell"))
        seen = self.cell.value
        await self.yield_point("write", writes("cell"))
        self.cell.value = seen + 1


class LostUpdate:
    """Monitor: at quiescence the cell must equal the number of incrementers."""

    def __init__(self, cell: Cell, expected: int) -> None:
        self.cell, self.expected = cell, expected

    def on_quiescence(self) -> Violation | None:
        if self.cell.value != self.expected:
            return Violation("LOST", f"cell is {self.cell.value}, expected {self.expected}")
        return None

    def state_key(self) -> int:
        return self.cell.value


def lost_update(n: int = 2) -> Setup:
    """``n`` racing incrementers and the lost-update monitor."""
    cell = Cell()
    return Setup([Incrementer(f"inc{i}", cell) for i in range(n)], [LostUpdate(cell, n)])


class Busy(Actor):
    """Does ``n`` private steps (no shared footprint) before doing ``tail``."""

    def __init__(self, name: str, n: int) -> None:
        super().__init__(name)
        self.n = n

    async def run(self) -> None:
        for i in range(self.n):
            await self.yield_point(f"local {i}", writes("local", self.name))


@attrs.frozen
class Ping:
    n: int


@attrs.frozen
class Pong:
    n: int


class Server(Actor):
    """Answers every Ping call with a Pong."""

    def __init__(self) -> None:
        super().__init__("server", daemon=True)

    async def run(self) -> None:
        while True:
            env = await self.receive(Ping)
            assert isinstance(env.msg, Ping)
            await self.reply(env, Pong(env.msg.n))


class Client(Actor):
    """Calls the server ``n`` times and records the answers."""

    def __init__(self, name: str, server: Actor, n: int) -> None:
        super().__init__(name)
        self.server, self.n = server, n
        self.answers: list[int] = []

    async def run(self) -> None:
        for i in range(self.n):
            reply = await self.call(self.server, Ping(i))
            assert isinstance(reply, Pong)
            self.answers.append(reply.n)


class Waiter(Actor):
    """Waits forever for a message nobody sends."""

    async def run(self) -> None:
        await self.receive(Ping)


class Flipper(Actor):
    """Makes a data choice, then writes a shared cell that depends on it."""

    async def run(self) -> None:
        if await self.choose_bool("flip"):
            await self.yield_point("heads", writes("coin"))
        else:
            await self.yield_point("tails", reads("coin"))


def _chatty() -> Setup:
    """Messages, calls, data choices and shared memory in one program (determinism tests)."""
    server = Server()
    cell = Cell()
    return Setup(
        [
            server,
            Client("c0", server, 2),
            Client("c1", server, 2),
            Flipper("flip"),
            Incrementer("inc0", cell),
            Incrementer("inc1", cell),
        ],
        [LostUpdate(cell, 2)],
    )
