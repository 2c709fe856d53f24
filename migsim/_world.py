"""The world builder: a scenario becomes a program (a fresh simulated kernel per run).

``build_program(scenario)`` resolves the kernel era and the policies once (raising before
any run on a bad name), then returns a zero-argument callable that, on every call, builds
a fresh :class:`kernel_model.Kernel` in the scenario's initial state and the actors that
run on it (``kernel_actors``): one CPU actor per task, a migration daemon or kswapd per
daemon, a PTL actor per page-table page, the page lock, and the invariant monitor.
"""

from __future__ import annotations

from collections.abc import Callable

from actors import Actor, Setup
from kernel_actors import (
    PTL_SHARDS,
    CpuActor,
    InvariantMonitor,
    KernelContext,
    KernelPolicies,
    KernelProbe,
    Kswapd,
    MigrationDaemon,
    PageLockActor,
    PtlActor,
    Swapoff,
    UserInvariantMonitor,
)
from kernel_model import (
    ERAS,
    HOLDER_LRU,
    HOLDER_MAP,
    Content,
    Era,
    Kernel,
    MigsimError,
    PteMigCache,
    PtePresent,
    PteSwap,
    add_to_migration_cache,
    add_to_swap_cache,
    check_step,
    swap_duplicate,
    swap_entry,
    vpage_name,
)
from migsim.scenario import validate_scenario
from migsim.scenario._model import MmSpec, Scenario, Task
from policies import (
    FALLBACK_TO_SWAP,
    FAULT_RETRY,
    MLOCKED,
    InvariantChecker,
    budget_s,
    lets_mlocked_pages_migrate,
    resolve,
    user_invariants,
)

PAGELOCK_SHARDS = 16
"""At most this many page-lock actors (one per page on small machines)."""


class WorldError(MigsimError, ValueError):
    """A scenario that cannot be built into a consistent initial state."""


def resolve_policies(scenario: Scenario) -> KernelPolicies:
    """Resolve and validate the scenario's three policies (PolicyError on a bad name)."""
    chosen = scenario.policies
    return KernelPolicies(
        fallback=resolve(FALLBACK_TO_SWAP, chosen.fallback_to_swap),
        mlocked=resolve(MLOCKED, chosen.mlocked),
        fault_retry=resolve(FAULT_RETRY, chosen.fault_retry),
    )


def resolve_era(scenario: Scenario) -> Era:
    """The kernel era the scenario runs (WorldError on a name that is not in ERAS)."""
    name = scenario.kernel.era
    era = ERAS.get(name)
    if era is None:
        raise WorldError(
            f"scenario {scenario.name!r}: kernel.era = {name!r} is not a kernel era; "
            f"use one of {', '.join(ERAS)}"
        )
    if not era.swapoff and any(d.kind == "swapoff" for d in scenario.daemon):
        modelled = ", ".join(n for n, e in ERAS.items() if e.swapoff)
        raise WorldError(
            f"scenario {scenario.name!r}: a swapoff daemon needs an era whose swapoff is "
            f"modelled, and kernel.era = {name!r} is not one; use one of {modelled}"
        )
    return era


def build_program(scenario: Scenario) -> Callable[[], Setup]:
    """A program for the runtime: each call builds fresh state and fresh actors.

    The scenario is checked whole once, here (:func:`migsim.validate_scenario`: a
    :class:`ScenarioError` naming the key path), and its era and policies are resolved once;
    the per-run builder trusts all three.
    """
    validate_scenario(scenario, source=f"scenario {scenario.name!r}")
    era = resolve_era(scenario)
    policies = resolve_policies(scenario)
    mlock_migrate = lets_mlocked_pages_migrate(policies.mlocked)
    checkers = user_invariants()  # entry points of group migsim.invariants, validated
    budget_s()  # a malformed MIGSIM_POLICY_BUDGET is reported here, before any run

    def program() -> Setup:
        return _build(scenario, era, policies, mlock_migrate, checkers)

    return program


def build_kernel(scenario: Scenario, *, mlock_migrate: bool = False) -> Kernel:
    """The scenario's initial MM state (address spaces, pages, swap, migration cache)."""
    machine = scenario.machine
    k = Kernel(
        nodes=machine.nodes,
        pages_per_node=machine.pages_per_node,
        swap_slots=machine.swap_slots,
        ptes_per_table=machine.ptes_per_table,
        mlock_migrate=mlock_migrate,
    )
    for spec in scenario.mm:
        _populate(k, spec)
    for task in scenario.task:
        for step in task.program:
            if step.op == "fork" and step.child is not None and step.child not in k.mms:
                parent = k.mms[task.mm]
                k.add_mm(step.child, parent.npages, parent.nid).alive = False
    found = check_step(k)
    if found is not None:
        raise WorldError(
            f"scenario {scenario.name!r}: inconsistent initial state: {found.code} {found.message}"
        )
    k.touched.clear()  # the initial state is the baseline of state_key
    return k


def _build(
    scenario: Scenario,
    era: Era,
    policies: KernelPolicies,
    mlock_migrate: bool,
    checkers: tuple[InvariantChecker, ...] = (),
) -> Setup:
    k = build_kernel(scenario, mlock_migrate=mlock_migrate)
    shards = min(len(k.pages), PAGELOCK_SHARDS)
    pagelocks = [PageLockActor(i) for i in range(shards)]
    ctx = KernelContext(kernel=k, policies=policies, pagelocks=pagelocks, era=era)
    for name, space in k.mms.items():
        for table in range(min(space.ntables, PTL_SHARDS)):
            ctx.ptls[(name, table)] = PtlActor(name, table)
    cpus = _cpus(scenario, ctx)
    daemons: list[Actor] = []
    for i, d in enumerate(scenario.daemon):
        name = d.name or f"{d.kind}{i}"
        if d.kind == "kswapd":
            daemons.append(Kswapd(name, ctx, d.pages, passes=d.passes, at=d.at))
        elif d.kind == "swapoff":
            daemons.append(Swapoff(name, ctx, at=d.at))
        else:
            daemons.append(
                MigrationDaemon(name, ctx, d.pages, to_node=d.to_node, mode=d.mode, at=d.at)
            )
    actors: list[Actor] = [*cpus, *daemons, *pagelocks, *ctx.ptls.values()]
    # The probe only answers when a failing run is replayed for its report.
    users = (UserInvariantMonitor(k, checkers),) if checkers else ()
    return Setup(actors=actors, monitors=(InvariantMonitor(k), KernelProbe(k), *users))


def _cpus(scenario: Scenario, ctx: KernelContext) -> list[CpuActor]:
    nodes = scenario.machine.nodes
    children = {s.child for t in scenario.task for s in t.program if s.op == "fork"}
    cpus = [
        CpuActor(
            _cpu_name(t),
            ctx,
            t.mm,
            t.program,
            node=t.cpu % nodes,
            forked_child=t.mm in children,
        )
        for t in scenario.task
    ]
    for cpu in cpus:
        for step in cpu.program:
            if step.op == "fork" and step.child is not None:
                cpu.children[step.child] = [c for c in cpus if c.mm == step.child]
    return cpus


def _cpu_name(task: Task) -> str:
    return f"cpu{task.cpu}:{task.name}"


def _cache_clean_copy(k: Kernel, spec: MmSpec, slot: int, content: Content) -> None:
    """A "cached" page: the clean copy of ``slot`` in the swap cache, on the LRU."""
    page = k.alloc_page(spec.node, HOLDER_LRU)
    if page is None:
        raise WorldError(
            f"mm {spec.name!r}: node {spec.node} has no free page for a cached page; "
            "raise machine.pages_per_node"
        )
    page.content = content
    page.lru = True
    add_to_swap_cache(k, page, swap_entry(slot))


def _populate(k: Kernel, spec: MmSpec) -> None:
    space = k.add_mm(spec.name, spec.pages, spec.node)
    for vpage in spec.mlocked:
        space.vm_locked[vpage] = True
    for vpage in range(spec.pages):
        state = spec.page_state(vpage)
        content = (vpage_name(spec.name, vpage), 0)
        k.expected[(spec.name, vpage)] = content
        if state in ("swapped", "cached"):
            slot = k.swap.alloc_slot()
            if slot is None:
                raise WorldError(f"mm {spec.name!r}: not enough swap slots for swapped pages")
            k.swap.store[slot] = content
            k.install_pte(spec.name, vpage, PteSwap(swap_entry(slot)))
            if state == "cached":
                _cache_clean_copy(k, spec, slot, content)
            continue
        holder = HOLDER_MAP if state == "present" else HOLDER_LRU
        page = k.alloc_page(spec.node, holder)
        if page is None:
            raise WorldError(
                f"mm {spec.name!r}: node {spec.node} has no free page for "
                f"page {vpage}; raise machine.pages_per_node"
            )
        page.content = content
        page.lru = True
        page.mlocked = space.vm_locked[vpage]
        if state == "present":
            k.get_page(page, HOLDER_LRU)
            k.install_pte(spec.name, vpage, PtePresent(page.pfn, writable=True))
            k.add_rmap(page)
        else:
            entry = add_to_migration_cache(k, page)
            swap_duplicate(k, entry)
            k.install_pte(spec.name, vpage, PteMigCache(entry))
