"""The one exploration pipeline: build -> explore -> shrink -> explain -> report.

Every way of asking migsim a question goes through here: ``migsim explore`` / ``replay`` /
``shrink`` / ``run``, ``migsim check``, and the pytest ``sim`` fixture.  Each answer is
one :class:`Result` with one JSON shape (:meth:`Result.to_json`), so what a terminal, a
script and a test see cannot drift apart.

The steps, each a short function below:

1. **build**: a :class:`Subject` (a scenario turned into a program, the policies resolved
   once, the initial state built once so that a bad one is reported before exploring);
2. **explore**: the runtime's ``explore_async`` under the ``[explore]`` settings (or one
   replayed or chosen schedule for ``replay`` / ``run``);
3. **shrink**: the first failure to a minimal interleaving (fewest preemptions, then
   steps);
4. **explain**: the racing operations of the shown run;
5. **report**: the report files, when an output directory is given;
6. **reduce** (``explore`` with ``Options(reduce=True)``): the failing scenario itself cut
   down to what its failure needs (:mod:`migsim._reduce`), written as ``reduced.toml``.

Everything is written once as ``async`` (the ``sim`` fixture runs inside pytest-trio's
trio run) and has a blocking twin for the CLI.  Only ``elapsed_s`` reads the clock.
"""

from __future__ import annotations

import contextlib
import hashlib
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

import actors
import policies
from migsim._errors import MigsimError, ReportError, ScenarioError
from migsim._result import Finding, Mode, Result, Search
from migsim._watch import Watched
from migsim.report import explain, write_report
from migsim.scenario import Expect, Explore, Scenario, dump_scenario

if TYPE_CHECKING:
    from migsim._reduce import Reduction
    from policies import PolicyCall

ProgressCallback = Callable[[actors.Progress], None]
"""Called with progress snapshots; the pipeline's own are :class:`SearchProgress`."""


class BuildError(MigsimError, ValueError):
    """The scenario is valid but cannot be built: a policy that does not resolve, or an
    initial state the kernel model rejects."""


@attrs.frozen
class Subject:
    """What the pipeline explores: a named program with its exploration settings.

    ``scenario`` is set when the program was built from one (``source`` names its file,
    or ``"<scenario>"`` for one built in Python); a bare program has neither.
    """

    name: str
    program: actors.Program
    settings: Explore
    scenario: Scenario | None = None
    source: str = ""
    digest: str = ""

    @classmethod
    def of_scenario(cls, scenario: Scenario, source: str = "<scenario>") -> Subject:
        """Build ``scenario`` into a program (raises :class:`BuildError`)."""
        program = build(scenario)
        return cls(scenario.name, program, scenario.explore, scenario, source, digest(scenario))

    @property
    def program_name(self) -> str:
        """The name the runs' replay tokens carry: ``name@digest`` for a scenario."""
        return f"{self.name}@{self.digest}" if self.digest else self.name

    @classmethod
    def of_program(cls, program: actors.Program, settings: Explore | None = None) -> Subject:
        """A bare program (any callable returning :class:`actors.Setup`)."""
        return cls(getattr(program, "__name__", ""), program, settings or Explore())


def build(scenario: Scenario) -> actors.Program:
    """The scenario's program (fresh kernel and actors per call), checked by building once."""
    from migsim._world import build_program

    try:
        program = build_program(scenario)
        program()  # build the initial state once, so that a bad one is reported up front
    except ScenarioError:
        raise  # already names the scenario and the key path
    except ValueError as exc:  # PolicyError and WorldError are ValueErrors
        raise BuildError(f"scenario {scenario.name!r}: {exc}") from None
    return program


def digest(scenario: Scenario) -> str:
    """8 hex digits of the scenario's content: what its program does, not how it is
    explored or what is expected of it (``[explore]``, ``[expect]``, description and races
    are left out), so that a token found with one file is not replayed against another."""
    kernel = attrs.evolve(scenario, description="", races=(), explore=Explore(), expect=Expect())
    return hashlib.sha256(dump_scenario(kernel).encode("utf-8")).hexdigest()[:8]


def split_program_name(program: str) -> tuple[str, str]:
    """A token's program name as ``(scenario name, digest)`` (digest "" for old tokens)."""
    name, _, found = program.rpartition("@")
    return (name, found) if name else (program, "")


def make_strategy(settings: Explore) -> actors.Strategy:
    """The runtime strategy that ``[explore]`` settings name."""
    return actors.make_strategy(
        settings.strategy,
        seed=settings.seed,
        depth=settings.depth,
        preemption_bound=settings.preemption_bound,
    )


@attrs.frozen
class Options:
    """How to run the pipeline (everything but the subject).

    - ``overrides``: the ``--set`` texts the program was built with (the replay command
      repeats them);
    - ``out_dir``: where the report files go (None: write none); a run that ends ok is
      reported only when ``report_ok`` (``replay --out``);
    - ``shrink``: shrink the first failure (``check`` skips it: it only compares ids);
    - ``stop_on_first``, ``schedules_factor``: the ``sim`` fixture's knobs;
    - ``on_progress``: called every ``progress_every`` schedules, with a
      :class:`SearchProgress` (the runtime's snapshot and the bound being searched);
    - ``should_stop``: asked before every schedule; once it answers True the exploration
      stops at that schedule boundary and the result is ``interrupted`` (what it proved
      so far still holds); a failure found by then is not shrunk;
    - ``reduce``: after shrinking a failure of a scenario, reduce the scenario itself
      (:func:`migsim.reduce_scenario`) and write it as ``reduced.toml`` beside the report;
      ``on_reduce(attempt, removed)`` is told of each of its attempts;
    - ``on_shrink(runs, steps)``: told after each shrinking attempt (shrinking is bounded
      by :data:`actors.SHRINK_STEP_BUDGET` simulated steps, so this is its progress).
    """

    overrides: tuple[str, ...] = ()
    out_dir: Path | None = None
    report_ok: bool = False
    shrink: bool = True
    stop_on_first: bool = True
    schedules_factor: int = 1
    on_progress: ProgressCallback | None = attrs.field(default=None, eq=False)
    progress_every: int = 10
    should_stop: Callable[[], bool] | None = attrs.field(default=None, eq=False)
    reduce: bool = False
    on_reduce: Callable[[int, int], None] | None = attrs.field(default=None, eq=False)
    on_shrink: Callable[[int, int], None] | None = attrs.field(default=None, eq=False)


def replay_command(token: str, source: str, overrides: Sequence[str]) -> str:
    """The one-line shell command that replays ``token``."""
    sets = "".join(f" --set {shlex.quote(o)}" for o in overrides)
    return f"migsim replay {token} {shlex.quote(source)}{sets}"


async def explore_async(subject: Subject, options: Options = Options()) -> Result:
    """Explore ``subject`` under its settings; shrink, explain and report the first failure."""
    start = time.perf_counter()
    policies.reset_costs()
    settings = subject.settings
    budget = actors.Budget(
        schedules=settings.schedules * options.schedules_factor,
        max_steps=settings.max_steps,
        stop_on_first=options.stop_on_first,
    )
    strategy = make_strategy(settings)
    watched = Watched(strategy, options.should_stop)
    report = options.on_progress
    exploration = await actors.explore_async(
        subject.program,
        watched,
        budget,
        name=subject.program_name,
        on_progress=None if report is None else lambda p: report(watched.snapshot(p)),
        progress_every=options.progress_every,
    )
    search = _search(strategy, exploration, budget, stopped=watched.stopped)
    first = exploration.first
    shrink = options.shrink and not search.interrupted
    finding = None if first is None else await _finding(subject, first, shrink, options)
    result = _finish(
        subject, "explore", exploration, finding, options=options, start=start, search=search
    )
    # After the report (and ``elapsed_s``): the reduction is extra work on the answer.
    _warn(cost.warning() for cost in policies.slow_calls())
    reduced = await _reduce(subject, finding, exploration, options) if shrink else None
    return result if reduced is None else _with_reduction(result, reduced, options)


def _warn(lines: Iterable[str]) -> None:
    """Policy warnings (slow, impure) go to stderr: stdout may carry one JSON object."""
    for line in lines:
        print(f"migsim: warning: {line}", file=sys.stderr)


async def _check_purity(subject: Subject, shown: actors.RunResult, first: list[PolicyCall]) -> None:
    """Replay ``shown`` once more with freshly resolved policies and compare the policy
    calls with ``first`` (those of the replay before): a difference means a policy is not
    a pure function of its view; the warning names the call that differed."""
    if not first:
        return
    program = build(subject.scenario) if subject.scenario is not None else subject.program
    with policies.recording() as second, contextlib.suppress(actors.ReplayDivergence):
        await actors.replay_token_async(program, shown.token, max_steps=subject.settings.max_steps)
    message = policies.impurity_message(first, second)
    _warn(() if message is None else (message,))


async def _reduce(
    subject: Subject,
    finding: Finding | None,
    exploration: actors.Exploration,
    options: Options,
) -> Reduction | None:
    """The reduced scenario of a failure (None: not asked for, or nothing to reduce)."""
    from migsim._reduce import reduce_scenario_async

    code = finding.invariant if finding is not None else None
    if not options.reduce or subject.scenario is None or not code:
        return None
    return await reduce_scenario_async(
        subject.scenario,
        code,
        found_at=exploration.schedules,
        should_stop=options.should_stop,
        on_attempt=options.on_reduce,
    )


def _with_reduction(result: Result, reduced: Reduction, options: Options) -> Result:
    """``result`` with its reduced scenario, written as ``reduced.toml`` into the report
    directory when there is one (atomically, like the report files)."""
    from migsim.report._report import write_atomically

    if options.out_dir is None or result.report_error:
        return attrs.evolve(result, reduced=reduced)
    path = options.out_dir / REDUCED_FILE
    command = replay_command(reduced.token, str(path), ())
    header = f"# Reduced by migsim from {result.subject.name}; replay: {command}\n\n"
    try:
        write_atomically(path, header + dump_scenario(reduced.scenario))
    except OSError as exc:
        problem = f"cannot write {path}: {exc.strerror or exc}"
        return attrs.evolve(result, reduced=reduced, report_error=problem)
    placed = attrs.evolve(reduced, path=path)
    return attrs.evolve(result, reduced=placed, files=(*result.files, path))


REDUCED_FILE = "reduced.toml"
"""The reduced scenario's file name in the report directory."""


def _search(
    strategy: actors.Strategy, x: actors.Exploration, budget: actors.Budget, *, stopped: bool
) -> Search:
    """How far a search got: what a verdict may claim."""
    bound: int | None = getattr(strategy, "bound_completed", None)
    complete = bool(getattr(strategy, "complete", x.exhaustive_complete))
    limit: int | None = getattr(strategy, "unfinished", None)
    if isinstance(strategy, actors.DFS):
        limit = strategy.bound
        bound = limit if x.exhaustive_complete else None
        complete = x.exhaustive_complete and limit is None
    return Search(
        budget=budget.schedules,
        complete=complete and x.exhaustive_complete,
        bound_completed=bound,
        bound=limit,
        interrupted=stopped,
    )


async def replay_async(subject: Subject, token: str, options: Options = Options()) -> Result:
    """Replay ``token`` against ``subject`` (``ReplayDivergence`` if the program changed)."""
    start = time.perf_counter()
    run = await actors.replay_token_async(
        subject.program, token, max_steps=subject.settings.max_steps
    )
    return await _single(subject, "replay", run, options, start, shrink=False)


async def shrink_async(subject: Subject, token: str, options: Options = Options()) -> Result:
    """Replay a failing ``token`` and shrink it to a minimal failing schedule."""
    start = time.perf_counter()
    run = await actors.replay_token_async(
        subject.program, token, max_steps=subject.settings.max_steps
    )
    if not run.failed:
        from migsim._errors import UsageError

        raise UsageError("the token replays to a run that ends ok; there is nothing to shrink")
    return await _single(subject, "shrink", run, options, start, shrink=True)


async def run_once_async(subject: Subject, options: Options = Options()) -> Result:
    """One schedule, chosen by the subject's strategy and seed."""
    start = time.perf_counter()
    run = await actors.run_schedule_async(
        subject.program,
        make_strategy(subject.settings),
        max_steps=subject.settings.max_steps,
        name=subject.program_name,
    )
    return await _single(subject, "run", run, options, start, shrink=False)


explore = actors.blocking(explore_async)
replay = actors.blocking(replay_async)
shrink = actors.blocking(shrink_async)
run_once = actors.blocking(run_once_async)


async def _single(
    subject: Subject,
    mode: Mode,
    run: actors.RunResult,
    options: Options,
    start: float,
    *,
    shrink: bool,
) -> Result:
    finding = await _finding(subject, run, shrink, options) if run.failed else None
    exploration = _one_schedule(run)
    return _finish(subject, mode, exploration, finding, options=options, start=start, shown=run)


async def _finding(
    subject: Subject, first: actors.RunResult, shrink: bool, options: Options
) -> Finding:
    shrunk = first
    if shrink:
        shrunk = await actors.shrink_async(
            subject.program,
            first,
            max_steps=subject.settings.max_steps,
            on_progress=options.on_shrink,
        )
    # Once more with the values each step read and wrote, for the explanation and report
    # (a program that does not replay step for step keeps its run without them).
    with policies.recording() as calls, contextlib.suppress(actors.ReplayDivergence):
        shrunk = await actors.replay_with_state_async(
            subject.program, shrunk, max_steps=subject.settings.max_steps
        )
    await _check_purity(subject, shrunk, calls)
    return Finding(first, shrunk, explain(shrunk.trace, shrunk.outcome))


def _one_schedule(run: actors.RunResult) -> actors.Exploration:
    """A single run, described as the exploration of one schedule."""
    return actors.Exploration(
        strategy=run.strategy,
        schedules=1,
        pruned=0,
        steps=run.steps,
        coverage=len({(s.actor, s.op) for s in run.trace}),
        distinct_states=1,
        max_preemptions=run.preemptions,
        step_bound_hits=int(run.outcome.code == "step-bound"),
        exhaustive_complete=False,
        violations=(run,) if run.failed else (),
    )


def _finish(
    subject: Subject,
    mode: Mode,
    exploration: actors.Exploration,
    finding: Finding | None,
    *,
    options: Options,
    start: float,
    shown: actors.RunResult | None = None,
    search: Search | None = None,
) -> Result:
    if finding is not None:
        shown = finding.shrunk
    command = ""
    if shown is not None and (finding is not None or mode != "explore"):
        command = replay_command(shown.token, subject.source, options.overrides)
    result = Result(
        subject, mode, exploration, finding, shown, (), command, 0.0, search or Search()
    )
    result = attrs.evolve(result, elapsed_s=time.perf_counter() - start)
    if options.out_dir is None or not (finding or options.report_ok):
        return result
    try:
        files = write_report(result.report(), options.out_dir)
        _remove_stale_reduction(options.out_dir)
    except ReportError as exc:  # the answer is still worth printing: the caller reports it
        return attrs.evolve(result, report_error=str(exc))
    return attrs.evolve(result, files=files)


def _remove_stale_reduction(out_dir: Path) -> None:
    """Remove an older failure's ``reduced.toml`` (this run's is written after)."""
    stale = out_dir / REDUCED_FILE
    try:
        if stale.is_symlink() or stale.exists():
            stale.unlink()
    except OSError as exc:
        raise ReportError(f"cannot remove {stale}: {exc.strerror or exc}") from None
