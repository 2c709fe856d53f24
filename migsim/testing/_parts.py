"""Hypothesis strategies for the parts of a scenario: machine, address spaces, task
programs, daemons and policies.

Each part is valid on its own, and each strategy takes what it must agree with (the number
of nodes, the address spaces) as arguments, so that :func:`migsim.testing.scenarios` can
put them together into scenarios that pass ``migsim.validate_scenario`` by construction.
Everything shrinks toward the simplest value: fewer pages, fewer steps, "present" pages,
no daemons, the first option listed.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from migsim.scenario._model import (
    DAEMON_KINDS,
    DEFAULT_ERA_DAEMON_KINDS,
    MIGRATE_MODES,
    PAGE_STATES,
    TASK_OPS,
    Daemon,
    Machine,
    MmSpec,
    Policies,
    TaskStep,
)

MM_NAMES = "ABCDEFGH"
"""Address spaces are named A, B, ... in order."""


@st.composite
def machines(
    draw: st.DrawFn,
    *,
    max_nodes: int = 2,
    max_cpus: int = 2,
    max_pages_per_node: int = 8,
    max_swap_slots: int = 8,
    ptes_per_table: Sequence[int] = (512, 1, 2),
) -> Machine:
    """A :class:`Machine` with ``1..max_nodes`` nodes and ``1..max_cpus`` CPUs.

    ``ptes_per_table`` lists the page-table sizes to pick from: 512 puts every page of an
    address space under one PTL, 1 gives each page its own.
    """
    return Machine(
        nodes=draw(st.integers(1, max_nodes)),
        pages_per_node=draw(st.integers(0, max_pages_per_node)),
        swap_slots=draw(st.integers(0, max_swap_slots)),
        cpus=draw(st.integers(1, max_cpus)),
        ptes_per_table=draw(st.sampled_from(tuple(ptes_per_table))),
    )


def address_spaces(
    *,
    nodes: int = 2,
    max_spaces: int = 2,
    max_pages: int = 2,
    states: Sequence[str] = PAGE_STATES,
    mlocked: bool = True,
) -> st.SearchStrategy[tuple[MmSpec, ...]]:
    """``1..max_spaces`` address spaces named A, B, ..., each with ``1..max_pages`` pages
    on a node below ``nodes``, initial page states from ``states`` (the first listed is what
    shrinking tends to), and (if ``mlocked``) some present pages in a VM_LOCKED vma."""
    check_choices("states", states, PAGE_STATES)
    return _address_spaces(
        nodes=nodes,
        max_spaces=max_spaces,
        max_pages=max_pages,
        states=tuple(states),
        mlocked=mlocked,
    )


@st.composite
def _address_spaces(
    draw: st.DrawFn,
    *,
    nodes: int,
    max_spaces: int,
    max_pages: int,
    states: tuple[str, ...],
    mlocked: bool,
) -> tuple[MmSpec, ...]:
    count = draw(st.integers(1, min(max_spaces, len(MM_NAMES))))
    return tuple(
        draw(
            _address_space(
                MM_NAMES[i], nodes=nodes, max_pages=max_pages, states=states, mlocked=mlocked
            )
        )
        for i in range(count)
    )


@st.composite
def _address_space(
    draw: st.DrawFn,
    name: str,
    *,
    nodes: int,
    max_pages: int,
    states: tuple[str, ...],
    mlocked: bool,
) -> MmSpec:
    pages = draw(st.integers(1, max_pages))
    state: tuple[str, ...] = ()
    if states != ("present",):
        state = tuple(draw(st.lists(st.sampled_from(states), min_size=pages, max_size=pages)))
        if all(s == "present" for s in state):
            state = ()  # the canonical spelling of "all present" (what a loaded file gives)
    locked: tuple[int, ...] = ()
    present = [p for p in range(pages) if not state or state[p] == "present"]
    if mlocked and present:
        # Only present pages: a VM_LOCKED page is never swapped out (L1) nor, under the
        # default mlocked policy, unmapped into the migration cache (L2).
        locked = tuple(sorted(draw(st.sets(st.sampled_from(present), max_size=len(present)))))
    return MmSpec(name, pages, draw(st.integers(0, nodes - 1)), state, locked)  # type: ignore[arg-type]


def task_programs(
    *,
    pages: int = 1,
    ops: Sequence[str] = TASK_OPS,
    max_steps: int = 3,
    max_ticks: int = 2,
    child_prefix: str = "F",
) -> st.SearchStrategy[tuple[TaskStep, ...]]:
    """A task program of ``0..max_steps`` steps drawn from ``ops`` on pages ``0..pages-1``.

    Forks name their children ``<child_prefix>0``, ``<child_prefix>1``, ... (give every
    task its own prefix so that no two forks create the same address space); ``exit`` can
    only be the last step (nothing runs after it).  Reads carry no ``expect``: the version
    a read sees depends on the interleaving, which is what the D1 invariant checks anyway.
    """
    check_choices("ops", ops, TASK_OPS)
    return _task_programs(
        ops=tuple(ops),
        pages=pages,
        max_steps=max_steps,
        max_ticks=max_ticks,
        child_prefix=child_prefix,
    )


@st.composite
def _task_programs(
    draw: st.DrawFn,
    *,
    ops: tuple[str, ...],
    pages: int,
    max_steps: int,
    max_ticks: int,
    child_prefix: str,
) -> tuple[TaskStep, ...]:
    program: list[TaskStep] = []
    forks = 0
    for _ in range(draw(st.integers(0, max_steps))):
        op = draw(st.sampled_from(ops))
        if op == "fork":
            program.append(TaskStep("fork", child=f"{child_prefix}{forks}"))
            forks += 1
            continue
        program.append(draw(_step(op, pages, max_ticks)))
        if op == "exit":
            break
    return tuple(program)


def check_choices(
    what: str, given: Sequence[str], known: Sequence[str], *, allow_empty: bool = False
) -> None:
    """Refuse, when a strategy is defined, names that are not among ``known``."""
    if isinstance(given, str):
        raise TypeError(f"{what} takes a list of names; got the string {given!r}")
    if not given and not allow_empty:
        raise ValueError(f"{what} needs at least one of {', '.join(known)}")
    unknown = [g for g in given if g not in known]
    if unknown:
        raise ValueError(
            f"unknown {what} {', '.join(map(repr, unknown))}; expected some of {', '.join(known)}"
        )


def _step(op: str, pages: int, max_ticks: int) -> st.SearchStrategy[TaskStep]:
    page = st.integers(0, pages - 1)
    if op in ("read", "write", "gup_write"):
        return st.builds(TaskStep, st.just(op), page=page)
    if op in ("mlock", "munlock"):
        return st.builds(TaskStep, st.just(op), page=st.none() | page)
    if op == "sleep":
        return st.builds(TaskStep, st.just(op), ticks=st.integers(0, max_ticks))
    return st.just(TaskStep("exit"))


def page_refs(mms: Sequence[MmSpec]) -> tuple[str, ...]:
    """Every ``"MM:PAGE"`` reference of ``mms``, in order."""
    return tuple(f"{mm.name}:{p}" for mm in mms for p in range(mm.pages))


def daemon_sets(
    mms: Sequence[MmSpec],
    *,
    nodes: int = 2,
    kinds: Sequence[str] = DEFAULT_ERA_DAEMON_KINDS,
    modes: Sequence[str] = MIGRATE_MODES,
    max_daemons: int = 2,
    max_passes: int = 2,
    max_at: int = 2,
) -> st.SearchStrategy[tuple[Daemon, ...]]:
    """``0..max_daemons`` daemons of ``kinds`` working on pages of ``mms``, named
    ``<kind><i>`` (``migrate0``, ``kswapd1``); a migrate daemon moves at least one page to a
    node below ``nodes`` in one of ``modes``; a kswapd scans listed pages or the LRU."""
    check_choices("kinds", kinds, DAEMON_KINDS, allow_empty=True)
    check_choices("modes", modes, MIGRATE_MODES)
    limits = (max_daemons, max_passes, max_at)
    return _daemon_sets(
        page_refs(mms), nodes=nodes, kinds=tuple(kinds), modes=tuple(modes), limits=limits
    )


@st.composite
def _daemon_sets(
    draw: st.DrawFn,
    refs: tuple[str, ...],
    *,
    nodes: int,
    kinds: tuple[str, ...],
    modes: tuple[str, ...],
    limits: tuple[int, int, int],
) -> tuple[Daemon, ...]:
    max_daemons, max_passes, max_at = limits
    count = draw(st.integers(0, max_daemons)) if kinds and refs else 0
    out = []
    for i in range(count):
        kind = draw(st.sampled_from(kinds))
        at = draw(st.integers(0, max_at))
        if kind == "migrate":
            pages = draw(
                st.lists(st.sampled_from(refs), min_size=1, max_size=len(refs), unique=True)
            )
            mode = draw(st.sampled_from(modes))
            to_node = draw(st.integers(0, nodes - 1))
            out.append(Daemon("migrate", f"migrate{i}", mode, tuple(pages), to_node, at=at))  # type: ignore[arg-type]
        else:
            pages = draw(st.lists(st.sampled_from(refs), max_size=len(refs), unique=True))
            passes = draw(st.integers(1, max_passes))
            out.append(Daemon("kswapd", f"kswapd{i}", pages=tuple(pages), passes=passes, at=at))
    return tuple(out)


def policy_combinations(
    *,
    fallback_to_swap: Sequence[str] | None = None,
    mlocked: Sequence[str] | None = None,
    fault_retry: Sequence[str] | None = None,
) -> st.SearchStrategy[Policies]:
    """:class:`Policies` combining the names given for each kind (None: every built-in of
    that kind, as ``migsim policies`` lists them).  The first name of each list is the one
    shrinking goes to."""
    chosen = {"fallback_to_swap": fallback_to_swap, "mlocked": mlocked, "fault_retry": fault_retry}
    assert set(chosen) == set(_kinds()), "a policy kind without a parameter here"
    names = {kind: tuple(_builtins(kind) if v is None else v) for kind, v in chosen.items()}
    for kind, value in chosen.items():
        if isinstance(value, str):
            raise TypeError(
                f"policy_combinations: {kind} takes a list of policy names; got the string "
                f"{value!r} (write {kind}=[{value!r}])"
            )
        if not names[kind]:
            raise ValueError(f"policy_combinations: {kind} needs at least one policy name")
    return st.builds(Policies, **{kind: st.sampled_from(names[kind]) for kind in _kinds()})


def _kinds() -> tuple[str, ...]:
    import policies

    return policies.KINDS


def _builtins(kind: str) -> tuple[str, ...]:
    import policies

    return policies.builtin_names(kind)
