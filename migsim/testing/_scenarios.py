"""Whole scenarios for property tests, valid by construction.

:func:`scenarios` draws the parts (:mod:`migsim.testing._parts`) in an order where each
part can respect the ones before it: the machine's shape (nodes, CPUs), then the address
spaces on those nodes, then tasks on those CPUs and address spaces, then daemons on those
pages, and finally the memory sizes, chosen at least as large as the initial pages need.
So every scenario passes ``migsim.validate_scenario`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

from migsim.scenario._model import (
    DAEMON_KINDS,
    DEFAULT_ERA_DAEMON_KINDS,
    MIGRATE_MODES,
    PAGE_STATES,
    TASK_OPS,
    Explore,
    Machine,
    MmSpec,
    Policies,
    Scenario,
    Task,
)
from migsim.testing._parts import (
    address_spaces,
    check_choices,
    daemon_sets,
    policy_combinations,
    task_programs,
)


def scenarios(
    *,
    max_nodes: int = 2,
    max_cpus: int = 2,
    max_spaces: int = 2,
    max_pages: int = 2,
    max_tasks: int = 2,
    max_steps: int = 3,
    max_daemons: int = 2,
    max_start: int = 2,
    ops: Sequence[str] = TASK_OPS,
    page_states: Sequence[str] = PAGE_STATES,
    daemon_kinds: Sequence[str] = DEFAULT_ERA_DAEMON_KINDS,
    migrate_modes: Sequence[str] = MIGRATE_MODES,
    mlocked: bool = True,
    policies: st.SearchStrategy[Policies] | None = None,
    spare_pages: int = 2,
    explore: Explore | None = None,
    name: str = "generated",
) -> st.SearchStrategy[Scenario]:
    """A valid :class:`~migsim.Scenario` of at most the given sizes.

    - ``ops``: the task operations to use (e.g. ``("read", "write")``).
    - ``page_states`` / ``mlocked``: the initial page states, and whether mlocked pages occur.
    - ``daemon_kinds`` / ``migrate_modes``: which daemons run, and how migration works;
      ``max_start``: the latest virtual time a daemon starts at (``Daemon.at``).
    - ``policies``: a strategy for the policies (default: every built-in combination, see
      :func:`policy_combinations`).
    - ``spare_pages``: up to this many free pages per node (and swap slots) beyond what
      the initial pages take, so that migration and swap-in may or may not find room.
    - ``explore``: the scenario's ``[explore]`` section (default: ``Explore()``).
    """
    check_choices("ops", ops, TASK_OPS)
    check_choices("page_states", page_states, PAGE_STATES)
    check_choices("daemon_kinds", daemon_kinds, DAEMON_KINDS, allow_empty=True)
    check_choices("migrate_modes", migrate_modes, MIGRATE_MODES)
    sizes = _Sizes(
        max_nodes, max_cpus, max_spaces, max_pages, max_tasks, max_steps, max_daemons, max_start
    )
    return _scenarios(
        sizes=sizes,
        ops=tuple(ops),
        page_states=tuple(page_states),
        daemon_kinds=tuple(daemon_kinds),
        migrate_modes=tuple(migrate_modes),
        mlocked=mlocked,
        policies=policies if policies is not None else policy_combinations(),
        spare_pages=spare_pages,
        explore=explore if explore is not None else Explore(),
        name=name,
    )


@attrs.frozen
class _Sizes:
    nodes: int
    cpus: int
    spaces: int
    pages: int
    tasks: int
    steps: int
    daemons: int
    start: int


@st.composite
def _scenarios(
    draw: st.DrawFn,
    *,
    sizes: _Sizes,
    ops: tuple[str, ...],
    page_states: tuple[str, ...],
    daemon_kinds: tuple[str, ...],
    migrate_modes: tuple[str, ...],
    mlocked: bool,
    policies: st.SearchStrategy[Policies],
    spare_pages: int,
    explore: Explore,
    name: str,
) -> Scenario:
    nodes = draw(st.integers(1, sizes.nodes))
    cpus = draw(st.integers(1, sizes.cpus))
    ptes = draw(st.sampled_from((512, 1)))
    mms = draw(
        address_spaces(
            nodes=nodes,
            max_spaces=sizes.spaces,
            max_pages=sizes.pages,
            states=page_states,
            mlocked=mlocked,
        )
    )
    tasks = draw(_tasks(mms, cpus=cpus, max_tasks=sizes.tasks, max_steps=sizes.steps, ops=ops))
    daemons = draw(
        daemon_sets(
            mms,
            nodes=nodes,
            kinds=daemon_kinds,
            modes=migrate_modes,
            max_daemons=sizes.daemons,
            max_at=sizes.start,
        )
    )
    resident, swapped = _footprint(mms, nodes)
    machine = Machine(
        nodes=nodes,
        pages_per_node=max(resident) + draw(st.integers(0, spare_pages)),
        swap_slots=swapped + draw(st.integers(0, spare_pages)),
        cpus=cpus,
        ptes_per_table=ptes,
    )
    return Scenario(
        name=name,
        machine=machine,
        policies=draw(policies),
        mm=mms,
        task=tasks,
        daemon=daemons,
        explore=explore,
    )


@st.composite
def _tasks(
    draw: st.DrawFn,
    mms: tuple[MmSpec, ...],
    *,
    cpus: int,
    max_tasks: int,
    max_steps: int,
    ops: tuple[str, ...],
) -> tuple[Task, ...]:
    out = []
    for i in range(draw(st.integers(1, max_tasks))):
        mm = draw(st.sampled_from(mms))
        program = draw(
            task_programs(pages=mm.pages, ops=ops, max_steps=max_steps, child_prefix=f"T{i}F")
        )
        out.append(Task(f"T{i}", mm.name, draw(st.integers(0, cpus - 1)), program))
    return tuple(out)


def _footprint(mms: tuple[MmSpec, ...], nodes: int) -> tuple[list[int], int]:
    """Pages resident on each node at the start, and pages starting out in swap."""
    resident = [0] * nodes
    swapped = 0
    for mm in mms:
        for page in range(mm.pages):
            state = mm.page_state(page)
            if state in ("swapped", "cached"):
                swapped += 1  # a slot each
            if state != "swapped":
                resident[mm.node] += 1
    return resident, swapped
