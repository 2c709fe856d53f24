"""Whole scenarios for property tests, valid by construction.

:func:`scenarios` draws the parts (:mod:`migsim.testing._parts`) in an order where each
part can respect the ones before it: the machine's shape (nodes, CPUs), then the address
spaces on those nodes, then tasks on those CPUs and address spaces, then daemons on those
pages, and finally the memory sizes, chosen at least as large as the initial pages need.
So every scenario passes ``migsim.validate_scenario`` unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from migsim._scenario import (
    DAEMON_KINDS,
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
from migsim.testing._parts import address_spaces, daemon_sets, policy_combinations, task_programs


@st.composite
def scenarios(
    draw: st.DrawFn,
    *,
    max_nodes: int = 2,
    max_cpus: int = 2,
    max_spaces: int = 2,
    max_pages: int = 2,
    max_tasks: int = 2,
    max_steps: int = 3,
    max_daemons: int = 2,
    ops: Sequence[str] = TASK_OPS,
    page_states: Sequence[str] = PAGE_STATES,
    daemon_kinds: Sequence[str] = DAEMON_KINDS,
    migrate_modes: Sequence[str] = MIGRATE_MODES,
    mlocked: bool = True,
    policies: st.SearchStrategy[Policies] | None = None,
    spare_pages: int = 2,
    explore: Explore | None = None,
    name: str = "generated",
) -> Scenario:
    """A valid :class:`~migsim.Scenario` of at most the given sizes.

    - ``ops``: the task operations to use (e.g. ``("read", "write")``).
    - ``page_states`` / ``mlocked``: the initial page states, and whether mlocked pages occur.
    - ``daemon_kinds`` / ``migrate_modes``: which daemons run, and how migration works.
    - ``policies``: a strategy for the policies (default: every built-in combination, see
      :func:`policy_combinations`).
    - ``spare_pages``: up to this many free pages per node (and swap slots) beyond what
      the initial pages take, so that migration and swap-in may or may not find room.
    - ``explore``: the scenario's ``[explore]`` section (default: ``Explore()``).
    """
    nodes = draw(st.integers(1, max_nodes))
    cpus = draw(st.integers(1, max_cpus))
    ptes = draw(st.sampled_from((512, 1)))
    mms = draw(
        address_spaces(
            nodes=nodes,
            max_spaces=max_spaces,
            max_pages=max_pages,
            states=page_states,
            mlocked=mlocked,
        )
    )
    tasks = draw(_tasks(mms, cpus, max_tasks, max_steps, tuple(ops)))
    daemons = draw(
        daemon_sets(
            mms, nodes=nodes, kinds=daemon_kinds, modes=migrate_modes, max_daemons=max_daemons
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
        policies=draw(policies if policies is not None else policy_combinations()),
        mm=mms,
        task=tasks,
        daemon=daemons,
        explore=explore if explore is not None else Explore(),
    )


@st.composite
def _tasks(
    draw: st.DrawFn,
    mms: tuple[MmSpec, ...],
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
            if mm.page_state(page) == "swapped":
                swapped += 1
            else:
                resident[mm.node] += 1
    return resident, swapped
