"""Pass two of scenario checking: does the scenario make sense as a whole?

Shape checks (:mod:`migsim.scenario._schema`) see one value at a time; these see the built
:class:`~migsim.scenario._model.Scenario` and check references between its parts: a task's ``mm``
exists, its ``cpu`` is below ``machine.cpus``, pages are in range, a daemon's ``"MM:PAGE"``
names a real page, names are unique, the initial pages fit in memory and swap, and
``expect.invariant`` is given exactly when a violation is expected.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection

import attrs

from migsim._errors import Problem
from migsim.scenario import _limits as lim
from migsim.scenario import _model as sc
from migsim.scenario._schema import describe, suggest

KNOWN_RACES: tuple[str, ...] = tuple(f"R{i}" for i in range(1, 22))
"""The races of the domain reference, R1..R21 (docs/kernel-model.md)."""
PAGE_NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: superscripts, fullwidth: no


def cross_check(s: sc.Scenario, *, untrusted: Collection[str] = ()) -> list[Problem]:
    """Every cross-reference problem of ``s``, in document order (empty when it is sound).

    ``untrusted`` names the policy kinds whose value came from a document without the
    opt-in to imports: a ``module:attr`` reference there is refused (docs/security.md).
    """
    out: list[Problem] = []
    _check_runnable(s, out)
    _check_races(s, out)
    _check_policies(s, out, untrusted)
    _check_era(s, out)
    mms = _check_mms(s, out)
    _check_tasks(s, mms, out)
    _check_daemons(s, mms, out)
    _check_capacity(s, out)
    _check_expect(s, out)
    return out


def _check_runnable(s: sc.Scenario, out: list[Problem]) -> None:
    if not s.task and not s.daemon:
        out.append(
            Problem(
                "task",
                "at least one [[task]] or [[daemon]] (something to run)",
                "none",
                'add a [[task]] with a program, or a [[daemon]] such as kind = "kswapd"',
            )
        )


def _check_races(s: sc.Scenario, out: list[Problem]) -> None:
    for i, race in enumerate(s.races):
        if race not in KNOWN_RACES:
            expected = "a race id of the domain reference, R1 to R21"
            out.append(Problem(f"races[{i}]", expected, describe(race), suggest(race, KNOWN_RACES)))


def _check_policies(s: sc.Scenario, out: list[Problem], untrusted: Collection[str]) -> None:
    """Names are checked here without loading anything: built-ins and retired names from
    the kinds' declarations, entry points from the installed metadata, ``module:attr``
    by its spelling.  Importing a ``module:attr`` name, and loading entry points, are left
    to the world builder, which resolves each policy once (loading a file must not import
    arbitrary modules)."""
    import policies

    installed = policies.entry_point_names()
    for kind, spec in policies.POLICY_KINDS.items():
        name = getattr(s.policies, kind)
        where = f"policies.{kind}"
        if name in spec.builtins or name in installed:
            continue
        if ":" in name:
            problem = _check_import_ref(kind, name, kind in untrusted)
            if problem is not None:
                out.append(problem)
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


def _check_era(s: sc.Scenario, out: list[Problem]) -> None:
    """Era x policy: a policy the era's code has no use for (a fallback to swap without a
    migration cache), and lazy migration or lazy pages where there is no migration cache."""
    import kernel_model

    era = kernel_model.ERAS.get(s.kernel.era)
    if era is None:
        return  # the schema reports the unknown name
    for kind in era.allowed:
        name = getattr(s.policies, kind)
        if not era.allows(kind, name):
            choices = " or ".join(f'"{n}"' for n in era.allowed[kind])
            out.append(
                Problem(
                    f"policies.{kind}",
                    f'{choices} under kernel.era = "{era.name}" ({era.description})',
                    describe(name),
                    f'set policies.{kind} = "{era.defaults.get(kind, era.allowed[kind][0])}" '
                    "(the era's default), or choose another kernel.era",
                )
            )
    if not era.swapless:
        return
    for i, daemon in enumerate(s.daemon):
        if daemon.kind == "migrate" and daemon.mode == "lazy":
            out.append(_no_migration_cache(era.name, f"daemon[{i}].mode", "lazy", '"eager"'))
    for i, mm in enumerate(s.mm):
        if "lazy" in mm.state:
            out.append(_no_migration_cache(era.name, f"mm[{i}].state", "lazy", '"present"'))


def _no_migration_cache(era: str, path: str, got: str, use: str) -> Problem:
    return Problem(
        path,
        f'no "{got}" under kernel.era = "{era}": swapless migration has no migration cache',
        describe(got),
        f"use {use}, or choose an era with the migration cache (2.6.16-mm1+v8)",
    )


def _check_import_ref(kind: str, name: str, untrusted: bool) -> Problem | None:
    """A ``module:attr`` policy reference: spelt as one, and given by someone trusted."""
    import policies
    from policies._registry import is_import_ref  # policies.is_import_ref once exported

    where = f"policies.{kind}"
    if not is_import_ref(name):
        expected = "module:attr with a dotted module name and an attribute (Python identifiers)"
        return Problem(where, expected, describe(name), "e.g. mypolicies:retry")
    if untrusted:
        known = ", ".join(policies.builtin_names(kind))
        return Problem(
            where,
            f"a built-in ({known}) or an installed entry point; a scenario file may not "
            "import code",
            describe(name),
            f"pass --allow-policy-imports if you trust this file, or --set {where}={name}",
        )
    return None


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
        if state in ("swapped", "cached") or (state == "lazy" and may_migrate is False):
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
    forks: dict[str, list[str]] = {}  # address space -> the children its tasks fork
    for task in s.task:
        forks.setdefault(task.mm, []).extend(
            step.child for step in task.program if step.child is not None
        )
    spaces = dict(mms)
    todo = deque(mms)
    while todo:  # a child may fork again: each space is visited once
        parent = spaces[todo.popleft()]
        for child in forks.get(parent.name, ()):
            if child not in spaces:
                spaces[child] = attrs.evolve(parent, name=child)
                todo.append(child)
    return {name: spec for name, spec in spaces.items() if name not in mms}


def _check_tasks(s: sc.Scenario, mms: dict[str, sc.MmSpec], out: list[Problem]) -> None:
    names: set[str] = set()
    spaces = mms | fork_children(s, mms)
    total = sum(mm.pages for mm in spaces.values())
    if total > lim.MAX_SPACE_PAGES:
        expected = f"at most {lim.MAX_SPACE_PAGES} pages in all address spaces and fork children"
        out.append(Problem("mm", expected, f"{total} pages"))
        return
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
    if not sep or not PAGE_NUMBER.fullmatch(page) or not name:
        return ('"MM:PAGE" with a page number in ASCII digits, e.g. "A:0"', describe(ref), "")
    mm = mms.get(name)
    if mm is None:
        return (
            f"an [[mm]] name before the colon ({', '.join(mms) or 'none declared'})",
            describe(ref),
            suggest(name, list(mms)),
        )
    page = page.lstrip("0") or "0"
    if len(page) > len(str(lim.MAX_PAGES)) or int(page) >= mm.pages:
        return (f"a page from 0 to {mm.pages - 1} of mm {name}", describe(ref), "")
    return None


def _check_capacity(s: sc.Scenario, out: list[Problem]) -> None:
    """Initial pages fit in memory and swap: counted per mm from its states, in O(mms)."""
    machine = s.machine
    if machine.nodes * machine.pages_per_node > lim.MAX_PAGES:
        out.append(
            Problem(
                "machine.pages_per_node",
                f"at most {lim.MAX_PAGES} pages in the whole machine (nodes x pages_per_node)",
                f"{machine.nodes} x {machine.pages_per_node}",
            )
        )
    # A "cached" page holds a slot too (and, unlike a "swapped" one, a page frame).
    swapped = sum(_count(mm, "swapped") + _count(mm, "cached") for mm in s.mm)
    if swapped > s.machine.swap_slots:
        out.append(
            Problem(
                "machine.swap_slots",
                f"at least {swapped} (pages initially swapped)",
                str(s.machine.swap_slots),
            )
        )
    for node in range(s.machine.nodes):
        used = sum(mm.pages - _count(mm, "swapped") for mm in s.mm if mm.node == node)
        if used > s.machine.pages_per_node:
            out.append(
                Problem(
                    "machine.pages_per_node",
                    f"at least {used} (resident pages initially on node {node})",
                    str(s.machine.pages_per_node),
                )
            )


def _count(mm: sc.MmSpec, state: str) -> int:
    """How many of ``mm``'s pages start in ``state``, without walking its pages."""
    if len(mm.state) not in (0, 1, mm.pages):
        return 0  # already reported; count them all "present"
    if len(mm.state) == 1:
        return mm.pages if mm.state[0] == state else 0
    return mm.state.count(state) if mm.state else int(state == "present") * mm.pages


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
    if s.expect.outcome == "violation" and s.expect.proven_bound is not None:
        out.append(
            Problem(
                "expect.proven_bound",
                'no proven_bound when outcome = "violation" (a failure proves the point)',
                describe(s.expect.proven_bound),
                'remove it, or set outcome = "ok"',
            )
        )
    known = invariant_ids()
    if inv is not None and inv not in known:
        out.append(
            Problem(
                "expect.invariant",
                f"an invariant id ({', '.join(known)})",
                describe(inv),
                suggest(inv, known),
            )
        )


def invariant_ids() -> tuple[str, ...]:
    """The ids a failure can have: :data:`kernel_model.INVARIANTS` and the runtime's codes
    (``deadlock``, ``step-bound``), the registry the reports explain failures from."""
    import kernel_model
    from migsim.report._invariants import RUNTIME_CODES

    return (*kernel_model.INVARIANTS, *RUNTIME_CODES)


def _below(path: str, value: int, limit: int, limit_key: str) -> Problem:
    return Problem(path, f"a number below {limit_key} = {limit}", str(value))


def _page_range(path: str, page: int, mm: sc.MmSpec) -> Problem:
    return Problem(
        path, f"a page from 0 to {mm.pages - 1} (mm {mm.name} has {mm.pages})", str(page)
    )
