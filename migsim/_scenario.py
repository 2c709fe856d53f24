"""The scenario data model: what a migsim scenario states, as attrs frozen values.

A scenario describes one small machine (NUMA nodes, free pages, swap slots, CPUs), the
address spaces and tasks running on it, the background daemons (migration, kswapd), the
kernel policies in force, how to explore it, and what outcome is expected.  The TOML
loader (`migsim.load_scenario`) and the Python API build exactly these objects; the
world builder turns one into the actors of a simulated kernel.

Field names follow the TOML keys one to one (``[[mm]]`` -> ``Scenario.mm``).
"""

from __future__ import annotations

from typing import Literal

import attrs

PageState = Literal["present", "swapped", "lazy"]
TaskOp = Literal["read", "write", "mlock", "munlock", "fork", "exit", "sleep"]
DaemonKind = Literal["migrate", "kswapd"]
MigrateMode = Literal["eager", "lazy"]
StrategyName = Literal["random", "pct", "dfs", "portfolio"]
ExpectedOutcome = Literal["ok", "violation"]

PAGE_STATES: tuple[str, ...] = ("present", "swapped", "lazy")
TASK_OPS: tuple[str, ...] = ("read", "write", "mlock", "munlock", "fork", "exit", "sleep")
DAEMON_KINDS: tuple[str, ...] = ("migrate", "kswapd")
MIGRATE_MODES: tuple[str, ...] = ("eager", "lazy")
STRATEGIES: tuple[str, ...] = ("random", "pct", "dfs", "portfolio")
OUTCOMES: tuple[str, ...] = ("ok", "violation")


@attrs.frozen
class Machine:
    """The simulated hardware: NUMA nodes, free pages per node, swap, CPUs, PTL granularity."""

    nodes: int = 2
    pages_per_node: int = 8
    swap_slots: int = 8
    cpus: int = 2
    ptes_per_table: int = 512


@attrs.frozen
class Policies:
    """Kernel policy choices, by built-in name, entry-point name or ``module:attr``."""

    fallback_to_swap: str = "vmscan-only"
    mlocked: str = "refuse"
    fault_retry: str = "pte-same+private"


@attrs.frozen
class MmSpec:
    """An address space with anonymous pages ``0..pages-1`` allocated on ``node``.

    ``state`` holds one initial state per page: "present" (mapped), "swapped" (a swap pte,
    the page written out), or "lazy" (already unmapped into the migration cache by lazy
    migration).  ``mlocked`` lists the pages inside a VM_LOCKED vma.
    """

    name: str
    pages: int = 1
    node: int = 0
    state: tuple[PageState, ...] = ()
    mlocked: tuple[int, ...] = ()

    def page_state(self, page: int) -> PageState:
        """The initial state of ``page`` ("present" unless ``state`` says otherwise)."""
        if not self.state:
            return "present"
        if len(self.state) == 1:
            return self.state[0]
        return self.state[page]


@attrs.frozen
class TaskStep:
    """One step of a task's program.

    - ``read``: read ``page``; ``expect`` optionally names the version the read must see.
    - ``write``: write ``page`` (its version goes up by one).
    - ``mlock`` / ``munlock``: set or clear VM_LOCKED on ``page`` (all pages when omitted).
    - ``fork``: clone the mm into a child address space named ``child``.
    - ``exit``: unmap everything (zap) and end the task.
    - ``sleep``: wait ``ticks`` units of virtual time.
    """

    op: TaskOp
    page: int | None = None
    expect: int | None = None
    ticks: int | None = None
    child: str | None = None


@attrs.frozen
class Task:
    """A thread of ``mm`` pinned to ``cpu``, running ``program`` step by step."""

    name: str
    mm: str
    cpu: int = 0
    program: tuple[TaskStep, ...] = ()


@attrs.frozen
class Daemon:
    """A background kernel daemon.

    - kind "migrate": migrate ``pages`` (each "MM:PAGE", e.g. "A:0") to ``to_node``, either
      ``eager`` (2.6.16 direct migration) or ``lazy`` (unmap into the migration cache and
      leave the copy to migrate-on-fault).
    - kind "kswapd": reclaim ``pages`` (empty means: scan the LRU) for ``passes`` passes.
    ``at`` is the virtual time at which the daemon starts.
    """

    kind: DaemonKind
    name: str | None = None
    mode: MigrateMode = "eager"
    pages: tuple[str, ...] = ()
    to_node: int = 1
    passes: int = 1
    at: int = 0


@attrs.frozen
class Explore:
    """How to explore the scenario's interleavings."""

    strategy: StrategyName = "pct"
    schedules: int = 1000
    seed: int = 0
    depth: int = 3
    preemption_bound: int | None = None
    max_steps: int = 5000


@attrs.frozen
class Expect:
    """The outcome the scenario expects: "ok", or "violation" of ``invariant`` (e.g. "K3")."""

    outcome: ExpectedOutcome = "ok"
    invariant: str | None = None


@attrs.frozen
class Scenario:
    """A whole scenario: machine, policies, mms, tasks, daemons, exploration, expectation."""

    name: str
    description: str = ""
    races: tuple[str, ...] = ()
    machine: Machine = attrs.Factory(Machine)
    policies: Policies = attrs.Factory(Policies)
    mm: tuple[MmSpec, ...] = ()
    task: tuple[Task, ...] = ()
    daemon: tuple[Daemon, ...] = ()
    explore: Explore = attrs.Factory(Explore)
    expect: Expect = attrs.Factory(Expect)
