"""One cell of the matrix: a scenario explored under one policy combination.

A :class:`CellPlan` is a work unit (plain strings and numbers, so it pickles to a worker
process); :func:`run_cell` turns it into a :class:`Cell` through the one pipeline: the
scenario file is loaded with the combination as ``--set policies.KIND=NAME`` overrides,
explored by the bounded systematic search (``bounded``: exhaustive DPOR at preemption
bound 0, 1, 2, ... until the schedule budget runs out), and its first failure shrunk and
reported.  A combination the scenario rejects (its validation, or the kernel build) is a
cell with outcome ``n/a`` and the reason, not an error: it is an answer too.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from migsim import _pipeline as pipeline
from migsim._errors import MigsimError
from migsim._result import Result
from migsim.matrix._axes import Combination
from migsim.scenario import load_scenario, parse_override_value

NA = "n/a"
"""The outcome of a combination that is invalid for its scenario."""

STRATEGY = "bounded"
"""Every cell's search: proves "no failure within preemption bound k" as it goes."""

LINKED = (
    ("summary", "summary.txt"),
    ("trace", "trace.mermaid.md"),
    ("chrome", "trace.chrome.json"),
    ("reduced", "reduced.toml"),
)
"""The report files a cell links to, by label, when its report directory holds them."""


@attrs.frozen
class Budget:
    """What every cell's search may spend: ``schedules`` per cell, the highest
    ``preemption_bound`` to search (None: as far as the schedules go), and the step bound
    of one run (None: the scenario's own ``max_steps``)."""

    schedules: int
    preemption_bound: int | None = None
    max_steps: int | None = None

    def overrides(self) -> tuple[str, ...]:
        """The ``--set`` texts of the budget (the strategy included)."""
        sets = [f'explore.strategy="{STRATEGY}"', f"explore.schedules={self.schedules}"]
        if self.preemption_bound is not None:
            sets.append(f"explore.preemption_bound={self.preemption_bound}")
        return (*sets, *self.replay_overrides())

    def replay_overrides(self) -> tuple[str, ...]:
        """What a replay of a cell's token needs beyond the policies: the step bound."""
        return () if self.max_steps is None else (f"explore.max_steps={self.max_steps}",)

    def to_json(self) -> dict[str, object]:
        """The budget's fields, with the strategy."""
        return {"strategy": STRATEGY, **attrs.asdict(self)}


@attrs.frozen
class CellPlan:
    """A work unit: scenario ``file`` (named ``scenario``, of kernel ``era``, reproducing
    ``races``) under ``policies`` within ``budget``; its report goes to ``out_dir``
    (None: no report), with the failing scenario reduced to ``reduced.toml`` when
    ``reduce``."""

    file: str
    scenario: str
    era: str
    races: tuple[str, ...]
    policies: Combination
    budget: Budget
    out_dir: str | None = None
    allow_policy_imports: bool = False
    reduce: bool = False

    def policy_overrides(self) -> tuple[str, ...]:
        """``policies.KIND=NAME`` for each kind of the combination."""
        return tuple(f"policies.{kind}={_literal(name)}" for kind, name in self.policies)


def _literal(name: str) -> str:
    """``name`` as a ``--set`` value: bare when it reads back as itself, else quoted."""
    bare = parse_override_value(name) == name and name.strip() == name
    return name if bare else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


@attrs.frozen
class Cell:
    """What one cell found: ``outcome`` ("ok", "violation", "deadlock", ..., or "n/a" with
    its ``reason``), the failure's ``invariant`` and the ``token`` that replays it (with
    its ``replay`` command), and what the search proved: ``proven`` ("all", "bound",
    "none", "refuted"), ``bound_completed``, ``verdict``.  ``links`` are the report files
    as ``(label, path)``."""

    plan: CellPlan
    outcome: str
    invariant: str | None = None
    schedules: int = 0
    exhaustive_complete: bool = False
    token: str | None = None
    proven: str = "none"
    bound_completed: int | None = None
    verdict: str = ""
    replay: str | None = None
    reason: str = ""
    report: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    report_error: str = ""
    elapsed_s: float = attrs.field(default=0.0, eq=False)

    @property
    def policies(self) -> dict[str, str]:
        """The combination, as ``{kind: name}``."""
        return dict(self.plan.policies)

    def to_json(self) -> dict[str, object]:
        """The cell's JSON object (the keys of ``migsim matrix --json``)."""
        return {
            "scenario": self.plan.scenario,
            "policies": self.policies,
            "outcome": self.outcome,
            "invariant": self.invariant,
            "schedules": self.schedules,
            "exhaustive_complete": self.exhaustive_complete,
            "token": self.token,
            "file": self.plan.file,
            "era": self.plan.era,
            "races": list(self.plan.races),
            "proven": self.proven,
            "bound_completed": self.bound_completed,
            "verdict": self.verdict,
            "replay": self.replay,
            "reason": self.reason or None,
            "report": self.report,
            "links": dict(self.links),
            "elapsed_s": round(self.elapsed_s, 3),
        }


def cell_dir(out: str, scenario: str, combination: Combination) -> str:
    """The report directory of a cell: ``OUT/<scenario>/<kind=name,...>/``, every
    character that a path or a link would misread replaced by ``_``."""
    slug = ",".join(f"{k}={n}" for k, n in combination) or "own"
    return str(Path(out) / _safe(scenario) / _safe(slug))


def _safe(name: str) -> str:
    """A directory name that stays where it is put (``..`` or ``.x`` gets a leading ``_``)."""
    name = re.sub(r"[^A-Za-z0-9._+=,-]", "_", name)
    return f"_{name}" if name.startswith(".") or not name else name


def run_cell(plan: CellPlan) -> Cell:
    """Explore one cell (a top-level function of plain data: a worker process runs it)."""
    try:
        scenario = load_scenario(
            plan.file,
            (*plan.policy_overrides(), *plan.budget.overrides()),
            allow_policy_imports=plan.allow_policy_imports,
        )
        subject = pipeline.Subject.of_scenario(scenario, plan.file)
    except MigsimError as err:  # the scenario rejects this combination
        return Cell(plan, NA, reason=" ".join(str(err).split()))
    options = pipeline.Options(
        overrides=(*plan.policy_overrides(), *plan.budget.replay_overrides()),
        out_dir=Path(plan.out_dir) if plan.out_dir else None,
        report_ok=True,  # a clean summary replaces an older failure's trace files
        reduce=plan.reduce,
    )
    try:
        result = pipeline.explore(subject, options)
    except MigsimError as err:  # e.g. a policy the kernel cannot run in this scenario
        return Cell(plan, NA, reason=" ".join(str(err).split()))
    return _cell_of(plan, result)


def _cell_of(plan: CellPlan, result: Result) -> Cell:
    x = result.exploration
    found = result.finding
    links: tuple[tuple[str, str], ...] = ()
    if plan.out_dir and not result.report_error:
        links = tuple(
            (label, str(Path(plan.out_dir) / name))
            for label, name in LINKED
            if (Path(plan.out_dir) / name).is_file()
        )
    return Cell(
        plan,
        result.outcome,
        invariant=found.invariant if found else None,
        schedules=x.schedules,
        exhaustive_complete=x.exhaustive_complete,
        token=found.shrunk.token if found else None,
        proven=result.proven,
        bound_completed=result.search.bound_completed,
        verdict=result.verdict,
        replay=result.replay or None,
        report=plan.out_dir if links else None,
        links=links,
        report_error=result.report_error,
        elapsed_s=result.elapsed_s,
    )
