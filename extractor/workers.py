"""The local worker pools a batch is given: processes that run
`extract_one` on one task each, watched for overrunning and dying.

A pool of workers, local (`LocalWorkers`) or a Dask cluster's
(`extractor.cluster.DaskWorkers`), is anything with the `Workers`
protocol: tasks are added in input order, outcomes taken in that order.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Protocol

from .processes import die_with_parent
from .tasks import Outcome, Task, extract_capped, overrun, worker_died

__all__ = ["OVERDUE_GRACE_SECONDS", "LocalWorkers", "Pool", "Workers"]

START_METHOD = "forkserver"


class Workers(Protocol):
    """Workers a batch is given: ``add`` each task (with its outcome when
    there is nothing to extract) in input order, ``take`` the outcomes in
    that order while ``pending`` holds any; ``kill`` stops them at once."""

    jobs: int

    @property
    def pending(self) -> Any: ...

    def add(self, task: Task, done: Outcome | None) -> None: ...

    def take(self) -> Outcome: ...

    def kill(self) -> None: ...

    def __enter__(self) -> Workers: ...

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None: ...


@dataclass(slots=True)
class Job:
    task: Task
    seq: int
    result: Outcome | Future[Outcome]
    alone: bool = False  # for the pool of one: it was in progress when a worker died


_UNCLAIMED, _IDLE = -2, -1
_WORKER: dict[str, Any] = {}  # in a worker process: its pool's shared arrays and its slot in them
#: A worker still on one file this long after ``--timeout`` is killed by the
#: run: its own timer could not stop it (stuck in a library, starved of memory).
OVERDUE_GRACE_SECONDS = 10.0
WATCH_SECONDS = 0.5  # how often the run looks for overdue workers while it waits


def _start_worker(running: Any, pids: Any, started: Any, run: int) -> None:
    """A worker's start: Ctrl-C left to the parent, which stops it; gone when
    the run is; a slot claimed in ``running``, where it posts the task it
    is working on (its pid in ``pids``, the task's start in ``started``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(run)
    with running.get_lock():
        slot = list(running).index(_UNCLAIMED)
        running[slot] = _IDLE
        pids[slot] = os.getpid()
    _WORKER.update(running=running, started=started, slot=slot)


def _work(task: Task, seq: int) -> Outcome:
    running, slot = _WORKER["running"], _WORKER["slot"]
    _WORKER["started"][slot] = time.monotonic()  # the system's clock: the parent reads it too
    running[slot] = seq
    try:
        return extract_capped(task)
    finally:
        running[slot] = _IDLE


class Pool:
    """A process pool and which task each of its workers is running."""

    def __init__(self, size: int) -> None:
        # Workers start from a fork server, not by forking this process: after a
        # worker dies, the broken pool's threads may hold locks a fork would copy.
        # The server imports the pipeline once: workers start ready at once
        # (and are never left booting, unwatched, when the run dies).
        context = get_context(START_METHOD)
        context.set_forkserver_preload(["extractor.pipeline", "extractor.workers"])
        self.running = context.Array("q", [_UNCLAIMED] * size)
        self.pids = context.Array("q", size)
        self.started = context.Array("d", size)
        self.processes: dict[int, Any] = {}
        self.executor = ProcessPoolExecutor(
            max_workers=size,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.running, self.pids, self.started, os.getpid()),
        )

    def submit(self, job: Job) -> Future[Outcome]:
        future = self.executor.submit(_work, job.task, job.seq)
        self.processes.update(self.executor._processes or {})  # kept: a broken pool forgets them
        return future

    def in_progress(self) -> set[int]:
        """The tasks (by sequence number) its workers had started and not finished."""
        return {seq for seq in self.running[:] if seq >= 0}

    def stop_overdue(self, limits: dict[int, float]) -> set[int]:
        """Kill the workers whose task (by sequence number) has run longer than
        its limit in ``limits``; the tasks stopped."""
        stopped = set()
        now = time.monotonic()
        for slot, seq in enumerate(self.running[:]):
            if seq in limits and now - self.started[slot] > limits[seq]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pids[slot], signal.SIGKILL)
                stopped.add(seq)
        return stopped

    def death(self, seq: int) -> str:
        """How the worker running task ``seq`` ended (``killed by SIGABRT``), or ""."""
        for slot, running in enumerate(self.running[:]):
            process = self.processes.get(self.pids[slot]) if running == seq else None
            if process is not None:
                process.join(1)
                code = process.exitcode
                return f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else ""
        return ""

    def kill(self) -> None:
        """Stop every worker now: nothing of theirs is waited for."""
        processes = [process for process in self.processes.values() if process.exitcode is None]
        for process in processes:
            process.kill()
        for process in processes:
            process.join(1)
        self.executor.shutdown(wait=False, cancel_futures=True)


class LocalWorkers:
    """The worker pools and the window of their results, in input order.

    When a worker dies (killed, crashed) its pool breaks and fails every
    unfinished future.  The tasks its workers were running are suspects:
    they are retried one at a time in a pool of one worker, where a death
    has a single cause; the rest go to a new pool, uncharged.  A task that
    kills the worker it runs alone on is the failure (stage ``worker``).
    A worker still on one task `OVERDUE_GRACE_SECONDS` past its ``--timeout``
    is killed, and the task fails at once (stage ``timeout``)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pools: dict[bool, Pool] = {False: Pool(jobs)}  # alone → pool
        self.pending: deque[Job] = deque()
        self.submitted = 0
        self.overdue: set[int] = set()  # tasks whose worker the run killed for overrunning

    def _submit(self, job: Job) -> None:
        if job.alone not in self.pools:
            self.pools[job.alone] = Pool(1)
        job.result = self.pools[job.alone].submit(job)

    def add(self, task: Task, done: Outcome | None) -> None:
        job = Job(task, self.submitted, done or Future())
        self.submitted += 1
        self.pending.append(job)
        if done is not None:
            return
        try:
            self._submit(job)
        except BrokenProcessPool:
            self._restart(alone=False)

    def take(self) -> Outcome:
        while True:
            job = self.pending[0]
            if isinstance(job.result, Outcome):
                self.pending.popleft()
                return job.result
            try:
                outcome = job.result.result(timeout=WATCH_SECONDS)
            except FutureTimeout:
                self._stop_overdue()
                continue
            except BrokenProcessPool:
                self._restart(job.alone)
                continue
            self.pending.popleft()
            return outcome

    def _stop_overdue(self) -> None:
        limits = {
            job.seq: job.task.limits.timeout_seconds + OVERDUE_GRACE_SECONDS
            for job in self.pending
            if isinstance(job.result, Future)
        }
        for pool in self.pools.values():
            self.overdue |= pool.stop_overdue(limits)

    def _restart(self, alone: bool) -> None:
        """Replace a broken pool and resubmit its unfinished tasks."""
        broken = self.pools.pop(alone)
        suspects = broken.in_progress()
        broken.kill()
        for job in self.pending:
            if job.alone != alone or not isinstance(job.result, Future) or _finished(job.result):
                continue
            if job.seq in self.overdue:
                job.result = overrun(job.task)
                continue
            if alone and job.seq in suspects:
                job.result = worker_died(job.task, broken.death(job.seq))
                continue
            job.alone = alone or job.seq in suspects
            self._submit(job)

    def kill(self) -> None:
        """Stop every worker now (an interrupt): nothing of theirs is waited for."""
        for pool in self.pools.values():
            pool.kill()

    def __enter__(self) -> LocalWorkers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            for pool in self.pools.values():
                pool.executor.shutdown(wait=True, cancel_futures=True)
        else:
            self.kill()


def _finished(future: Future[Outcome]) -> bool:
    """Whether a future holds a real outcome (not the broken pool's error)."""
    return future.done() and not future.cancelled() and future.exception() is None
