"""Pass two of scenario checking: does the scenario make sense as a whole?

Shape checks (:mod:`migsim.scenario._schema`) see one value at a time; these see the built
:class:`~migsim.scenario._model.Scenario` and check references between its parts: a task's ``mm``
exists, its ``cpu`` is below ``machine.cpus``, pages are in range, a daemon's ``"MM:PAGE"``
names a real page, names are unique, the initial pages fit in memory and swap, and
``expect.invariant`` is given exactly when a violation is expected.
"""

from __future__ import annotations

import re

import attrs

from migsim._errors import Problem
from migsim.scenario import _model as sc
from migsim.scenario._schema import describe, suggest

RACE_ID = re.compile(r"R[1-9][0-9]*")
INVARIANT_ID = re.compile(r"[A-Z][0-9]+|deadlock|step-bound")


def cross_check(s: sc.Scenario) -> list[Problem]:
    """Every cross-reference problem of ``s``, in document order (empty when it is sound)."""
    out: list[Problem] = []
    _check_races(s, out)
    _check_policies(s, out)
    mms = _check_mms(s, out)
    _check_tasks(s, mms, out)
    _check_daemons(s, mms, out)
    _check_capacity(s, out)
    _check_expect(s, out)
    return out


def _check_races(s: sc.Scenario, out: list[Problem]) -> None:
    for i, race in enumerate(s.races):
        if not RACE_ID.fullmatch(race):
            out.append(Problem(f"races[{i}]", 'a race id such as "R1"', describe(race)))


def _check_policies(s: sc.Scenario, out: list[Problem]) -> None:
    """Names are checked here without loading anything: built-ins and retired names from
    the kinds' declarations, entry points from the installed metadata.  ``module:attr``
    names, and loading entry points, are left to the world builder, which resolves each
    policy once (loading a file must not import arbitrary modules)."""
    import policies

    installed = policies.entry_point_names()
    for kind, spec in policies.POLICY_KINDS.items():
        name = getattr(s.policies, kind)
        where = f"policies.{kind}"
        if name in spec.builtins or ":" in name or name in installed:
            continue
        if name in spec.removed:
            retired = spec.removed[name]
            out.append(
                Problem(
                    where,
                    f'a policy; "{name}" was removed ({retired.why})',
                    describe(name),
                    f'set kernel.era = "{retired.era}" and {kind} = "{retired.use}"',
                )
            )
            continue
        known = tuple(spec.builtins)
        expected = f"a built-in ({', '.join(known)}), an entry point or module:attr"
        out.append(Problem(where, expected, describe(name), suggest(name, known)))


def _check_mms(s: sc.Scenario, out: list[Problem]) -> dict[str, sc.MmSpec]:
    mms: dict[str, sc.MmSpec] = {}
    for i, mm in enumerate(s.mm):
        path = f"mm[{i}]"
        if mm.name in mms:
            out.append(
                Problem(f"{path}.name", "a name not used by another [[mm]]", describe(mm.name))
            )
        mms.setdefault(mm.name, mm)
        if mm.node >= s.machine.nodes:
            out.append(_below(f"{path}.node", mm.node, s.machine.nodes, "machine.nodes"))
        if len(mm.state) not in (0, 1, mm.pages):
            out.append(
                Problem(
                    f"{path}.state",
                    f"one state, or a list of {mm.pages} (one per page)",
                    f"a list of {len(mm.state)}",
                )
            )
        for j, page in enumerate(mm.mlocked):
            if page >= mm.pages:
                out.append(_page_range(f"{path}.mlocked[{j}]", page, mm))
        if len(set(mm.mlocked)) != len(mm.mlocked):
            out.append(Problem(f"{path}.mlocked", "each page at most once", "a repeated page"))
        _check_mlocked_states(s, mm, path, out)
    return mms


def _check_mlocked_states(s: sc.Scenario, mm: sc.MmSpec, path: str, out: list[Problem]) -> None:
    """A VM_LOCKED page is never swapped out (L1), and sits in the migration cache only
    when the mlocked policy lets such pages migrate at all (L2)."""
    may_migrate = _mlocked_may_migrate(s.policies.mlocked)
    for page in mm.mlocked:
        if page >= mm.pages:
            continue
        state = mm.page_state(page)
        if state == "swapped" or (state == "lazy" and may_migrate is False):
            allowed = '"present"' if may_migrate is False else '"present" or "lazy"'
            out.append(
                Problem(
                    f"{path}.state",
                    f"{allowed} for mlocked page {page} (policies.mlocked = "
                    f"{s.policies.mlocked!r}); drop it from mlocked or change its state",
                    describe(state),
                )
            )


def _mlocked_may_migrate(name: str) -> bool | None:
    """Whether the built-in mlocked policy ``name`` lets locked pages migrate; None for a
    plugin (its answer is known only once the world builder has loaded it, and the world
    builder rejects an inconsistent initial state then)."""
    import policies

    builtin = policies.POLICY_KINDS["mlocked"].builtins.get(name)
    return None if builtin is None else policies.lets_mlocked_pages_migrate(builtin)


def fork_children(s: sc.Scenario, mms: dict[str, sc.MmSpec]) -> dict[str, sc.MmSpec]:
    """The address spaces created by ``fork`` steps (child name -> the parent's shape)."""
    spaces = dict(mms)
    changed = True
    while changed:  # a child may fork again; stop when no new space appears
        changed = False
        for task in s.task:
            parent = spaces.get(task.mm)
            for step in task.program:
                if parent and step.child is not None and step.child not in spaces:
                    spaces[step.child] = attrs.evolve(parent, name=step.child)
                    changed = True
    return {name: spec for name, spec in spaces.items() if name not in mms}


def _check_tasks(s: sc.Scenario, mms: dict[str, sc.MmSpec], out: list[Problem]) -> None:
    names: set[str] = set()
    spaces = mms | fork_children(s, mms)
    for i, task in enumerate(s.task):
        path = f"task[{i}]"
        if task.name in names:
            out.append(
                Problem(f"{path}.name", "a name not used by another [[task]]", describe(task.name))
            )
        names.add(task.name)
        if task.cpu >= s.machine.cpus:
            out.append(_below(f"{path}.cpu", task.cpu, s.machine.cpus, "machine.cpus"))
        mm = spaces.get(task.mm)
        if mm is None:
            known = ", ".join(spaces) or "none"
            out.append(
                Problem(
                    f"{path}.mm",
                    f"the name of an [[mm]] or a fork child ({known})",
                    describe(task.mm),
                    suggest(task.mm, list(spaces)),
                )
            )
            continue
        for j, step in enumerate(task.program):
            _check_step(step, f"{path}.program[{j}]", mm, mms, out)


def _check_step(
    step: sc.TaskStep,
    path: str,
    mm: sc.MmSpec,
    mms: dict[str, sc.MmSpec],
    out: list[Problem],
) -> None:
    if step.page is not None and step.page >= mm.pages:
        out.append(_page_range(f"{path}.page", step.page, mm))
    if step.child is not None and step.child in mms:
        out.append(
            Problem(
                f"{path}.child", "a new address-space name (not an [[mm]])", describe(step.child)
            )
        )


def _check_daemons(s: sc.Scenario, mms: dict[str, sc.MmSpec], out: list[Problem]) -> None:
    names = {t.name for t in s.task}
    for i, daemon in enumerate(s.daemon):
        path = f"daemon[{i}]"
        if daemon.name is not None and daemon.name in names:
            out.append(
                Problem(
                    f"{path}.name",
                    "a name not used by another task or daemon",
                    describe(daemon.name),
                )
            )
        if daemon.name is not None:
            names.add(daemon.name)
        if daemon.kind == "migrate" and daemon.to_node >= s.machine.nodes:
            out.append(_below(f"{path}.to_node", daemon.to_node, s.machine.nodes, "machine.nodes"))
        if daemon.kind == "migrate" and not daemon.pages:
            out.append(
                Problem(
                    f"{path}.pages", 'at least one page to migrate, e.g. ["A:0"]', "an empty list"
                )
            )
        if daemon.kind == "kswapd" and (daemon.mode != "eager" or daemon.to_node != 1):
            out.append(
                Problem(
                    f"{path}.kind",
                    'kind "migrate" for mode/to_node',
                    '"kswapd"',
                    "kswapd takes pages, passes and at only",
                )
            )
        for j, ref in enumerate(daemon.pages):
            problem = check_page_ref(ref, mms)
            if problem:
                out.append(Problem(f"{path}.pages[{j}]", *problem))


def check_page_ref(ref: str, mms: dict[str, sc.MmSpec]) -> tuple[str, str, str] | None:
    """Check one ``"MM:PAGE"`` reference; return (expected, got, fix) when it is wrong."""
    name, sep, page = ref.rpartition(":")
    if not sep or not page.isdigit() or not name:
        return ('"MM:PAGE", e.g. "A:0"', describe(ref), "")
    mm = mms.get(name)
    if mm is None:
        return (
            f"an [[mm]] name before the colon ({', '.join(mms) or 'none declared'})",
            describe(ref),
            suggest(name, list(mms)),
        )
    if int(page) >= mm.pages:
        return (f"a page from 0 to {mm.pages - 1} of mm {name}", describe(ref), "")
    return None


def _check_capacity(s: sc.Scenario, out: list[Problem]) -> None:
    swapped = sum(1 for mm in s.mm for p in range(mm.pages) if _state(mm, p) == "swapped")
    if swapped > s.machine.swap_slots:
        out.append(
            Problem(
                "machine.swap_slots",
                f"at least {swapped} (pages initially swapped)",
                str(s.machine.swap_slots),
            )
        )
    for node in range(s.machine.nodes):
        used = sum(
            1
            for mm in s.mm
            if mm.node == node
            for p in range(mm.pages)
            if _state(mm, p) != "swapped"
        )
        if used > s.machine.pages_per_node:
            out.append(
                Problem(
                    "machine.pages_per_node",
                    f"at least {used} (resident pages initially on node {node})",
                    str(s.machine.pages_per_node),
                )
            )


def _state(mm: sc.MmSpec, page: int) -> str:
    if len(mm.state) not in (0, 1, mm.pages):
        return "present"  # already reported; do not index out of range
    return mm.page_state(page)


def _check_expect(s: sc.Scenario, out: list[Problem]) -> None:
    inv = s.expect.invariant
    if s.expect.outcome == "violation" and inv is None:
        out.append(
            Problem(
                "expect.invariant",
                'an invariant id when outcome = "violation"',
                "nothing",
                'add invariant = "K3" (the id the violation must have)',
            )
        )
    if s.expect.outcome == "ok" and inv is not None:
        out.append(
            Problem(
                "expect.invariant",
                'no invariant when outcome = "ok"',
                describe(inv),
                'remove it, or set outcome = "violation"',
            )
        )
    if inv is not None and not INVARIANT_ID.fullmatch(inv):
        out.append(
            Problem("expect.invariant", 'an invariant id such as "K3" or "deadlock"', describe(inv))
        )


def _below(path: str, value: int, limit: int, limit_key: str) -> Problem:
    return Problem(path, f"a number below {limit_key} = {limit}", str(value))


def _page_range(path: str, page: int, mm: sc.MmSpec) -> Problem:
    return Problem(
        path, f"a page from 0 to {mm.pages - 1} (mm {mm.name} has {mm.pages})", str(page)
    )
