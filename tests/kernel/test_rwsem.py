"""mmap_sem: the reader-writer semaphore of the model, and the operations that hold it.

2.6.16 holds ``mmap_sem`` for read across a whole fault (``do_page_fault``) and for write
in fork (``dup_mmap``), exit/munmap, mlock and mbind; ``sys_migrate_pages`` holds it for
read.  A race finder that let fork or mbind run inside a fault of the same mm would report
interleavings no kernel of the era produces.
"""

from __future__ import annotations

from actors import DFS, Budget, RandomWalk, explore, run_schedule
from kernel_model import RwSem
from migsim import Daemon, Machine, MmSpec, Policies, Scenario, Task, TaskStep, build_program

READ = TaskStep("read", page=0)


def test_readers_share_and_a_writer_excludes() -> None:
    sem = RwSem("mmap_sem:A")
    assert sem.try_acquire("r1", write=False)
    assert sem.try_acquire("r2", write=False)
    assert not sem.try_acquire("w", write=True)
    assert sem.release("r1", write=False) == []
    assert sem.release("r2", write=False) == ["w"]
    assert sem.writer == "w"
    assert not sem.try_acquire("r3", write=False)
    assert sem.release("w", write=True) == ["r3"]


def test_a_waiting_writer_blocks_later_readers_and_wakes_fifo() -> None:
    sem = RwSem("mmap_sem:A")
    assert sem.try_acquire("r1", write=False)
    assert not sem.try_acquire("w1", write=True)
    assert not sem.try_acquire("r2", write=False)  # fairness: behind the writer
    assert not sem.try_acquire("r3", write=False)
    assert not sem.try_acquire("w2", write=True)
    assert sem.release("r1", write=False) == ["w1"]
    assert sem.release("w1", write=True) == ["r2", "r3"]  # readers up to the next writer
    assert sem.release("r2", write=False) == []
    assert sem.release("r3", write=False) == ["w2"]


def test_a_release_by_a_non_holder_changes_nothing() -> None:
    sem = RwSem("mmap_sem:A")
    assert sem.try_acquire("r1", write=False)
    assert sem.release("w", write=True) is None
    assert sem.release("r2", write=False) is None
    assert sem.readers == {"r1": 1}


FORK_DURING_FAULT = Scenario(
    name="fork-during-fault",
    machine=Machine(nodes=1, pages_per_node=4, swap_slots=1, cpus=2),
    policies=Policies(fault_retry="pte-same+private"),
    mm=(MmSpec("A", pages=1, state=("lazy",)),),
    task=(
        Task("P", "A", 0, (TaskStep("fork", child="C"),)),
        Task("F", "A", 1, (READ,)),
        Task("C", "C", 0, (TaskStep("exit"),)),
    ),
    daemon=(Daemon("migrate", name="lazy", mode="lazy", pages=("A:0",), to_node=0),),
)


def _inside(labels: list[tuple[str, str]], who: str, start: str, end: str) -> list[str]:
    """The labels of other actors between ``who``'s ``start`` and ``end`` steps."""
    assert any(a == who and label.startswith(start) for a, label in labels)
    inside, seen = False, []
    for actor, label in labels:
        if actor == who and label.startswith(start):
            inside = True
        elif actor == who and label.startswith(end):
            inside = False
        elif inside and actor != who:
            seen.append(label)
    return seen


def test_fork_and_mbind_never_run_inside_a_fault_of_the_same_mm() -> None:
    program = build_program(FORK_DURING_FAULT)
    for seed in range(40):
        result = run_schedule(program, RandomWalk(seed), max_steps=800)
        assert result.outcome.kind == "ok", result.outcome.describe()
        labels = [(s.actor, s.label) for s in result.trace]
        # From F's first step under the semaphore to its release.
        during = _inside(labels, "cpu1:F", "read pte", "up_read")
        assert "copy_pte_range" not in during
        assert "add_to_migration_cache" not in during


def test_the_bounded_search_of_fork_mbind_and_a_fault_is_clean() -> None:
    found = explore(
        build_program(FORK_DURING_FAULT),
        DFS(dpor=True, preemption_bound=1),
        Budget(schedules=5000, max_steps=800),
    )
    assert found.first is None, found.first and found.first.outcome.describe()
    assert found.exhaustive_complete
