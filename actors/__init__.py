"""actors: a generic actor runtime on trio with a controlled, deterministic scheduler.

Actors are trio tasks that block only on the runtime's primitives (send, receive, call,
yield_point, sleep, choose_*).  At most one runs at a time; at every scheduling point a
strategy (random walk, PCT, DFS with DPOR, replay, portfolio) picks who runs next; the
ones that can be picked by name are in :data:`STRATEGIES`.  Every run has a replay token
that reproduces it byte for byte; failing runs shrink to minimal interleavings, and replay
once more with the values each step read and wrote (:func:`replay_with_state`).  Every
entry point comes in two forms: ``explore_async`` inside a trio run, ``explore`` in a
fresh one.  Tools for tests (Hypothesis-drawn schedules, trace patterns, running one actor
alone) are in :mod:`actors.testing`.  This package knows nothing of any particular domain.
"""

from actors._actor import Actor
from actors._blocking import blocking
from actors._chooser import PRUNE, Chooser, RunView
from actors._dfs import DFS
from actors._errors import ActorsError, ActorUsageError, ReplayDivergence, TokenError
from actors._explore import (
    Budget,
    Exploration,
    Progress,
    RunResult,
    explore,
    explore_async,
    replay_token,
    replay_token_async,
    run_choices_async,
    run_schedule,
    run_schedule_async,
)
from actors._footprint import Access, Footprint, dependent, reads, writes
from actors._message import Envelope
from actors._monitor import LivenessMonitor, QuiescenceMonitor, StateProbe, StepMonitor
from actors._outcome import BlockedActor, Outcome, Violation
from actors._pct import PCT
from actors._portfolio import Portfolio
from actors._random import RandomWalk
from actors._record import replay_with_state, replay_with_state_async
from actors._replay import Replay
from actors._scheduler import Program, Setup
from actors._shrink import SHRINK_BUDGET_LABEL, SHRINK_STEP_BUDGET, shrink, shrink_async
from actors._strategies import STRATEGIES, StrategyKind, make_strategy
from actors._strategy import FinishedRun, Strategy
from actors._subtree import SubtreeDFS
from actors._token import Token
from actors._trace import KeyState, Step, Trace

__all__ = [
    "DFS",
    "PCT",
    "PRUNE",
    "SHRINK_BUDGET_LABEL",
    "SHRINK_STEP_BUDGET",
    "STRATEGIES",
    "Access",
    "Actor",
    "ActorUsageError",
    "ActorsError",
    "BlockedActor",
    "Budget",
    "Chooser",
    "Envelope",
    "Exploration",
    "FinishedRun",
    "Footprint",
    "KeyState",
    "LivenessMonitor",
    "Outcome",
    "Portfolio",
    "Program",
    "Progress",
    "QuiescenceMonitor",
    "RandomWalk",
    "Replay",
    "ReplayDivergence",
    "RunResult",
    "RunView",
    "Setup",
    "StateProbe",
    "Step",
    "StepMonitor",
    "Strategy",
    "StrategyKind",
    "SubtreeDFS",
    "Token",
    "TokenError",
    "Trace",
    "Violation",
    "blocking",
    "dependent",
    "explore",
    "explore_async",
    "make_strategy",
    "reads",
    "replay_token",
    "replay_token_async",
    "replay_with_state",
    "replay_with_state_async",
    "run_choices_async",
    "run_schedule",
    "run_schedule_async",
    "shrink",
    "shrink_async",
    "writes",
]
