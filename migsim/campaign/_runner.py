"""Run picklable work on N local worker processes or on a Dask cluster.

:func:`run_parallel` is the one place that knows about pools.  Local workers are a
``concurrent.futures.ProcessPoolExecutor`` (forkserver: trio and threads do not survive
``fork``); a Dask cluster is reached through ``Client.get_executor()``, the same interface.
A local worker killed mid-unit breaks the pool: a new pool is started and the items not
yet finished are submitted again (an item is deterministic, so running it twice changes
nothing, and its result is handed back once).  Dask reschedules the work of a lost worker
itself.  ``on_result`` sees each result in the driver, as it arrives, which is where a
caller records it.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from migsim._errors import UsageError
from migsim.campaign._plan import Unit
from migsim.campaign._work import UnitResult, run_unit

T = TypeVar("T")
R = TypeVar("R")

MAX_RESTARTS = 8
"""How many times a broken local pool (a worker killed) is replaced before giving up."""

POLL_S = 0.2
"""How often the driver looks at ``should_stop`` while waiting for results."""


def default_workers() -> int:
    """The number of local workers when none is given: every core."""
    return os.cpu_count() or 1


def run_parallel(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 0,
    dask_scheduler: str | None = None,
    on_result: Callable[[int, R], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[R | None]:
    """``[fn(item) for item in items]``, computed on ``workers`` local processes (0: every
    core) or on the Dask cluster at ``dask_scheduler`` (``tcp://HOST:PORT``).

    ``fn`` and the items must be picklable (a module-level function; a
    ``functools.partial`` of one).  Results come back in the items' order; an item not
    finished because ``should_stop()`` answered True is None.  ``on_result(i, r)`` is
    called in this process as each result arrives (in completion order).
    """
    results: list[R | None] = [None] * len(items)
    left = dict(enumerate(items))
    stop = should_stop or (lambda: False)
    for _attempt in range(MAX_RESTARTS + 1):
        if not left or stop():
            return results
        try:
            with _executor(workers, dask_scheduler) as pool:
                _pass(pool, fn, left, results, on_result, stop)
        except cf.process.BrokenProcessPool:
            continue  # a worker died: what it held is still in ``left``
    if left and not stop():
        raise UsageError(
            f"{len(left)} work units left after {MAX_RESTARTS} worker pools broke "
            "(workers killed, or out of memory); rerun the same command to resume"
        )
    return results


def _pass(  # noqa: PLR0917 (one pass of run_parallel, its state passed in)
    pool: cf.Executor,
    fn: Callable[[T], R],
    left: dict[int, T],
    results: list[R | None],
    on_result: Callable[[int, R], None] | None,
    stop: Callable[[], bool],
) -> None:
    futures = {pool.submit(fn, item): i for i, item in left.items()}
    pending = set(futures)
    try:
        while pending and not stop():
            finished, pending = cf.wait(pending, timeout=POLL_S, return_when=cf.FIRST_COMPLETED)
            for f in sorted(finished, key=futures.__getitem__):
                i = futures[f]
                r = f.result()  # a broken pool raises here; a unit's own error too
                results[i] = r
                left.pop(i)
                if on_result is not None:
                    on_result(i, r)
    finally:
        for f in pending:
            f.cancel()


@contextmanager
def _executor(workers: int, dask_scheduler: str | None) -> Iterator[cf.Executor]:
    if dask_scheduler:
        with _dask(dask_scheduler) as pool:
            yield pool
        return
    ctx = multiprocessing.get_context("forkserver")
    # workers fork from a server that has imported the simulator once, not each anew
    ctx.set_forkserver_preload(["migsim.campaign._work"])
    n = workers or default_workers()
    pool = cf.ProcessPoolExecutor(n, mp_context=ctx, initializer=_ignore_sigint)
    try:
        yield pool
    finally:  # wait for the units running (one each at most), drop the queued ones
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _dask(address: str) -> Iterator[cf.Executor]:
    with _client(address) as client:
        # pure=False: equal units are still separate tasks; retries: a unit whose worker
        # died is run again elsewhere
        yield client.get_executor(pure=False, retries=3)


@contextmanager
def _client(address: str) -> Iterator[Any]:
    """A Dask client of the scheduler at ``address``; a one-line error if unreachable."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--dask-scheduler needs dask's distributed package; pip install distributed"
        ) from None
    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"--dask-scheduler {address}: cannot reach the scheduler ({exc}); start one "
            "with `dask scheduler` and check the address (tcp://HOST:PORT)"
        ) from None
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group: only the driver decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_count(workers: int, dask_scheduler: str | None) -> int:
    """How many workers a run has: the cluster's (asked once), else ``workers`` or every core."""
    if not dask_scheduler:
        return workers or default_workers()
    with _client(dask_scheduler) as client:
        info = client.scheduler_info()
    return sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())


def run_units(
    units: Sequence[Unit],
    *,
    workers: int = 0,
    dask_scheduler: str | None = None,
    on_result: Callable[[int, UnitResult], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[UnitResult | None]:
    """Run work units (:func:`~migsim.campaign.plan_units`) on ``workers`` local processes
    or a Dask cluster; their results in the units' order (None: stopped before it ran).

    The results are the same whatever runs them: ``run_units(us, workers=1)`` and
    ``run_units(us, workers=8)`` are equal.  Recording, resuming and reporting are the
    caller's (``migsim campaign`` records into its database in ``on_result``).
    """
    return run_parallel(
        run_unit,
        units,
        workers=workers,
        dask_scheduler=dask_scheduler,
        on_result=on_result,
        should_stop=should_stop,
    )
