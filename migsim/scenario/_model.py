"""The scenario data model and its schema, stated once: what a migsim scenario holds.

A scenario describes one small machine (NUMA nodes, free pages, swap slots, CPUs), the
kernel era whose code runs on it, the address spaces and tasks, the background daemons
(migration, kswapd), the kernel policies in force, how to explore it, and what outcome is
expected.  The TOML loader (:func:`migsim.load_scenario`) and the Python API build exactly
these objects; the world builder turns one into the actors of a simulated kernel.

Each field carries its own checker (``metadata["check"]``, see :mod:`._schema`): the
loader, the dumper and the documentation test all read the schema from these classes,
so a key is declared in one place.  Field names follow the TOML keys one to one
(``[[mm]]`` -> ``Scenario.mm``).  Choices that another layer owns are read from it: the
strategies from :data:`actors.STRATEGIES`, the eras from :data:`kernel_model.ERAS`.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

import attrs

import actors
import kernel_model
from migsim.scenario import _limits as lim
from migsim.scenario._schema import Checker, Choice, Int, IntOrChoice, ListOf, Str

PageState = Literal["present", "swapped", "cached", "lazy"]
TaskOp = Literal["read", "write", "gup_write", "mlock", "munlock", "fork", "exit", "sleep"]
DaemonKind = Literal["migrate", "kswapd", "swapoff"]
MigrateMode = Literal["eager", "lazy"]
ExpectedOutcome = Literal["ok", "violation"]

PAGE_STATES: tuple[str, ...] = get_args(PageState)
TASK_OPS: tuple[str, ...] = get_args(TaskOp)
DAEMON_KINDS: tuple[str, ...] = get_args(DaemonKind)
DEFAULT_ERA_DAEMON_KINDS: tuple[str, ...] = ("migrate", "kswapd")
"""The daemon kinds the default era runs (a swapoff daemon needs a 6.1 era)."""
MIGRATE_MODES: tuple[str, ...] = get_args(MigrateMode)
OUTCOMES: tuple[str, ...] = get_args(ExpectedOutcome)
STRATEGIES: tuple[str, ...] = tuple(actors.STRATEGIES)
DEFAULT_ERA: str = kernel_model.DEFAULT_ERA

NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-+"
NAME = Str(
    charset=NAME_CHARS,
    what="a name of letters, digits, '_', '.', '-' or '+'",
    max_len=lim.MAX_NAME,
)
PAGE_REF = Str(nonempty=True, what='a page such as "A:0"')
POLICY = Str(
    nonempty=True,
    what="a policy name (built-in, entry point or module:attr)",
    max_len=lim.MAX_NAME,
)
NODE = Int(0, lim.MAX_NODES - 1)
PAGE = Int(0, lim.MAX_PAGES - 1)
TIME = Int(0, lim.MAX_TIME)


def _policy_default(kind: str) -> str:
    import policies

    return policies.DEFAULTS[kind]


def field(default: Any, check: Checker, *, factory: bool = False) -> Any:
    """An attrs field with its schema checker (``attrs.NOTHING``: a required key)."""
    if factory:
        return attrs.field(factory=default, metadata={"check": check})
    return attrs.field(default=default, metadata={"check": check})


def schema_of(cls: type) -> dict[str, Checker]:
    """The TOML keys of ``cls`` and their checkers, in declaration order."""
    return {f.name: f.metadata["check"] for f in attrs.fields(cls) if "check" in f.metadata}


def required_of(cls: type) -> tuple[str, ...]:
    """The keys of ``cls`` that have no default (a missing one is an error)."""
    return tuple(f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING)


@attrs.frozen
class Machine:
    """The simulated hardware: NUMA nodes, free pages per node, swap, CPUs, PTL granularity."""

    nodes: int = field(2, Int(1, lim.MAX_NODES))
    pages_per_node: int = field(8, Int(0, lim.MAX_PAGES))
    swap_slots: int = field(8, Int(0, lim.MAX_PAGES))
    cpus: int = field(2, Int(1, lim.MAX_CPUS))
    ptes_per_table: int = field(512, Int(1, lim.MAX_PTES_PER_TABLE))


@attrs.frozen
class KernelSpec:
    """Which kernel's code paths run: an era of :data:`kernel_model.ERAS`.

    ``"2.6.16-mm1+v8"`` (the default) is the migration cache with the corrections the
    thread converged on; ``"2.6.16-mm1+v8-posted"`` runs the V8 patches exactly as posted;
    ``"2.6.10-hotplug"`` is the 2004/2005 memory-hotplug code (Ray Bryant's R3);
    ``"2.6.18-swapless"`` and ``"6.1"`` migrate with swapless migration entries and no
    migration cache (``"6.1-mlock-no-vm-io"``: R18's strawman;
    ``"6.1-dirty-before-freeze"``: R17's; ``"6.1-fork-no-downgrade"``: R9's).
    """

    era: str = field(DEFAULT_ERA, Choice(tuple(kernel_model.ERAS)))


@attrs.frozen
class Policies:
    """Kernel policy choices, by built-in name, entry-point name or ``module:attr``.

    The fields are the policy kinds of :data:`policies.KINDS` and their defaults are the
    kinds' own (:data:`policies.DEFAULTS`); a test keeps the field names equal to the kinds.
    """

    fallback_to_swap: str = field(_policy_default("fallback_to_swap"), POLICY)
    mlocked: str = field(_policy_default("mlocked"), POLICY)
    fault_retry: str = field(_policy_default("fault_retry"), POLICY)


@attrs.frozen
class MmSpec:
    """An address space with anonymous pages ``0..pages-1`` allocated on ``node``.

    ``state`` holds one initial state per page (or one for all): "present" (mapped),
    "swapped" (a swap pte, the page written out), "cached" (swapped, with the clean page
    still in the swap cache: read ahead, or written out and not yet freed), or "lazy"
    (already unmapped into the migration cache by lazy migration).  ``mlocked`` lists the
    pages inside a VM_LOCKED vma.
    """

    name: str = field(attrs.NOTHING, NAME)
    pages: int = field(1, Int(1, lim.MAX_PAGES))
    node: int = field(0, NODE)
    state: tuple[PageState, ...] = field((), Choice(PAGE_STATES))  # or a list: the loader
    mlocked: tuple[int, ...] = field((), ListOf(PAGE))

    def page_state(self, page: int) -> PageState:
        """The initial state of ``page`` ("present" unless ``state`` says otherwise)."""
        if not self.state:
            return "present"
        if len(self.state) == 1:
            return self.state[0]
        return self.state[page]


@attrs.frozen
class TaskStep:
    """One step of a task's program (:data:`STEP_KEYS` says which keys each op takes).

    - ``read``: read ``page``; ``expect`` optionally names the version the read must see.
    - ``write``: write ``page`` (its version goes up by one).
    - ``mlock`` / ``munlock``: set or clear VM_LOCKED on ``page`` (all pages when omitted).
    - ``gup_write``: pin ``page`` with ``get_user_pages(FOLL_WRITE)``, write it through
      the pin (a device's DMA) and unpin it dirty; the pte may be gone meanwhile (R17).
    - ``fork``: clone the mm into a child address space named ``child``.
    - ``exit``: unmap everything (zap) and end the task.
    - ``sleep``: wait ``ticks`` units of virtual time.
    """

    op: TaskOp = field(attrs.NOTHING, Choice(TASK_OPS))
    page: int | None = field(None, PAGE)
    expect: int | None = field(None, TIME)
    ticks: int | None = field(None, TIME)
    child: str | None = field(None, NAME)


STEP_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # op: (required keys, optional keys), besides "op"
    "read": (("page",), ("expect",)),
    "write": (("page",), ()),
    "gup_write": (("page",), ()),
    "mlock": ((), ("page",)),
    "munlock": ((), ("page",)),
    "fork": (("child",), ()),
    "exit": ((), ()),
    "sleep": (("ticks",), ()),
}


@attrs.frozen
class Task:
    """A thread of ``mm`` pinned to ``cpu``, running ``program`` step by step."""

    name: str = field(attrs.NOTHING, NAME)
    mm: str = field(attrs.NOTHING, Str(nonempty=True))
    cpu: int = field(0, Int(0, lim.MAX_CPUS - 1))
    program: tuple[TaskStep, ...] = ()  # checked step by step against TaskStep


@attrs.frozen
class Daemon:
    """A background kernel daemon (:data:`DAEMON_KEYS` says which keys each kind takes).

    - kind "migrate": migrate ``pages`` (each "MM:PAGE", e.g. "A:0") to ``to_node``, either
      ``eager`` (2.6.16 direct migration) or ``lazy`` (unmap into the migration cache and
      leave the copy to migrate-on-fault).
    - kind "kswapd": reclaim ``pages`` (empty means: scan the LRU) for ``passes`` passes.
    - kind "swapoff": swap every swapped page back in, then tear the swap device down
      (6.1 eras only, R13).
    ``at`` is the virtual time at which the daemon starts.
    """

    kind: DaemonKind = field(attrs.NOTHING, Choice(DAEMON_KINDS))
    name: str | None = field(None, NAME)
    mode: MigrateMode = field("eager", Choice(MIGRATE_MODES))
    pages: tuple[str, ...] = field((), ListOf(PAGE_REF))
    to_node: int = field(1, NODE)
    passes: int = field(1, Int(1, lim.MAX_PASSES))
    at: int = field(0, TIME)


DAEMON_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required keys, optional keys), besides "kind", "name" and "at"
    "migrate": (("pages",), ("mode", "to_node")),
    "kswapd": ((), ("pages", "passes")),
    "swapoff": ((), ()),
}


@attrs.frozen
class Explore:
    """How to explore the scenario's interleavings (``strategy``: a name of
    :data:`actors.STRATEGIES`)."""

    strategy: str = field("pct", Choice(STRATEGIES))
    schedules: int = field(1000, Int(1, lim.MAX_SCHEDULES))
    seed: int = field(0, Int(0, lim.MAX_SEED))
    depth: int = field(3, Int(1, lim.MAX_DEPTH_PCT))
    preemption_bound: int | None = field(None, Int(0, lim.MAX_PREEMPTIONS))
    max_steps: int = field(5000, Int(1, lim.MAX_STEPS))


ProvenBound = int | Literal["all"]
"""What an ok expectation requires the search to prove: no failure in any schedule with at
most that many preemptions, or ``"all"``: no failure in any schedule at all."""


@attrs.frozen
class Expect:
    """The outcome the scenario expects: "ok", or "violation" of ``invariant`` (e.g. "K3").

    ``proven_bound`` (only with "ok") makes finding nothing not enough: the search must
    also have *proven* the absence of failures up to that preemption bound, or in every
    schedule (``"all"``); a search that ran out of budget first fails the check.
    """

    outcome: ExpectedOutcome = field("ok", Choice(OUTCOMES))
    invariant: str | None = field(None, Str(nonempty=True, what='an invariant id such as "K3"'))
    proven_bound: ProvenBound | None = field(
        None, IntOrChoice(Int(0, lim.MAX_PREEMPTIONS), ("all",))
    )


@attrs.frozen
class Scenario:
    """A whole scenario: machine, kernel era, policies, mms, tasks, daemons, exploration,
    expectation."""

    name: str = field(attrs.NOTHING, NAME)
    description: str = field("", Str())
    races: tuple[str, ...] = field(
        (), ListOf(Str(nonempty=True, what='a race id such as "R1"', max_len=lim.MAX_NAME))
    )
    machine: Machine = attrs.Factory(Machine)
    kernel: KernelSpec = attrs.Factory(KernelSpec)
    policies: Policies = attrs.Factory(Policies)
    mm: tuple[MmSpec, ...] = ()
    task: tuple[Task, ...] = ()
    daemon: tuple[Daemon, ...] = ()
    explore: Explore = attrs.Factory(Explore)
    expect: Expect = attrs.Factory(Expect)


TABLES: dict[str, type] = {
    "machine": Machine,
    "kernel": KernelSpec,
    "policies": Policies,
    "explore": Explore,
    "expect": Expect,
}
"""The single tables (``[machine]`` ...) of a scenario and their classes."""

ARRAYS: dict[str, type] = {"mm": MmSpec, "task": Task, "daemon": Daemon}
"""The arrays of tables (``[[mm]]`` ...) of a scenario and their classes."""
