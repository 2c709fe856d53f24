"""Ring benchmark: runtime steps/s against raw trio channel ping-pong, in the same run.

A ring of 8 actors passes 4 tokens around.  The headline runs it under PCT, the default
exploration strategy (an actor keeps running until it blocks or a change point demotes it,
as in real exploration); the random walk, which switches actors at almost every step and so
pays trio's task-switch floor nearly every step, is reported beside it.  The baseline is
the cheapest way two trio tasks can hand a message back and forth: an unbuffered memory
channel ping-pong.  Both are measured
here, now, on this machine; the headline is their ratio.

    python benchmarks/ring.py [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs
import trio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actors import PCT, Actor, Budget, RandomWalk, Setup, Strategy, explore
from benchmarks._common import headline, median_rate, parse_args

RING = 8
TOKENS = 4


@attrs.frozen
class Token:
    hops_left: int


class Node(Actor):
    def __init__(self, index: int, hops: int) -> None:
        super().__init__(f"node{index}")
        self.index = index
        self.hops = hops
        self.next: Actor | None = None

    async def run(self) -> None:
        assert self.next is not None
        if self.index < TOKENS:
            await self.send(self.next, Token(self.hops))
        while True:
            env = await self.receive(Token)
            assert isinstance(env.msg, Token)
            if env.msg.hops_left > 0:
                await self.send(self.next, Token(env.msg.hops_left - 1))


def ring_program(hops: int) -> Setup:
    nodes = [Node(i, hops) for i in range(RING)]
    for i, node in enumerate(nodes):
        node.next = nodes[(i + 1) % RING]
        node.daemon = True
    return Setup(nodes)


def run_ring(hops: int, strategy: Strategy) -> int:
    budget = Budget(schedules=1, max_steps=10**9)
    result = explore(lambda: ring_program(hops), strategy, budget)
    assert not result.violations, result.violations
    return result.steps


def channel_pingpong(messages: int) -> int:
    async def main() -> None:
        ping_send, ping_recv = trio.open_memory_channel[int](0)
        pong_send, pong_recv = trio.open_memory_channel[int](0)

        async def ponger() -> None:
            async for n in ping_recv:
                await pong_send.send(n)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(ponger)
            for i in range(messages // 2):
                await ping_send.send(i)
                await pong_recv.receive()
            nursery.cancel_scope.cancel()

    trio.run(main)
    return messages


def main() -> None:
    args = parse_args(__doc__ or "")
    repeat = args.repeat or (3 if args.quick else 7)
    hops = 5_000 if args.quick else 25_000
    messages = 40_000 if args.quick else 200_000
    chan_per_s = median_rate(lambda: channel_pingpong(messages), repeat)
    pct_per_s = median_rate(lambda: run_ring(hops, PCT(1, 3)), repeat)
    rw_per_s = median_rate(lambda: run_ring(hops, RandomWalk(1)), repeat)
    ratio, rw_ratio = pct_per_s / chan_per_s, rw_per_s / chan_per_s
    print(f"ring of {RING} actors, {TOKENS} tokens, median of {repeat} runs each")
    print(f"  trio memory channel ping-pong: {chan_per_s:>10,.0f} messages/s (baseline)")
    print(f"  runtime under PCT:             {pct_per_s:>10,.0f} steps/s   ratio {ratio:.2f}")
    print(f"  runtime under random walk:     {rw_per_s:>10,.0f} steps/s   ratio {rw_ratio:.2f}")
    print("  goal: ratio >= 1.5")
    print(
        headline(
            ratio_vs_trio_channels=ratio,
            steps_per_s=pct_per_s,
            random_walk_ratio=rw_ratio,
            random_walk_steps_per_s=rw_per_s,
            trio_channel_msgs_per_s=chan_per_s,
        )
    )


if __name__ == "__main__":
    main()
