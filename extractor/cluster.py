"""The batch on a Dask cluster: ``--dask tcp://scheduler:8786`` or ``--dask local:N``.

`DaskWorkers` stands where the batch's local worker pools stand (the same
``jobs``, ``pending``, ``add``, ``take`` and ``kill``): the client plans
the tasks, resumes and skips duplicates as a local run does, sends each
file's `Task` to the cluster and takes the outcomes back in input order
through the same bounded window; the sinks write them.  So a cluster run
writes the bytes a local run of the same inputs writes.  Workers read the
inputs and write the JSON files through paths they share with the client
(sent absolute).

On a worker, each file is extracted by `extract_one` in a child process of
that worker thread's own (the local batch's pool of one), so the limits are
exactly a local run's: the time limit is a timer signal in a main thread,
the memory cap holds the child only, and a crash takes the child, not the
Dask worker.  A child still on its file `OVERDUE_GRACE_SECONDS` past
``--timeout`` (stuck where its own timer cannot fire: in a library's C code,
stopped) is killed by the worker thread and the file fails at once with the
local pool's record (stage ``timeout``).  A child that dies fails its task,
which Dask runs once more; dying again, the file fails with stage
``worker``, naming the signal as a local run does.  A Dask worker lost
whole (killed, out of memory) has its files rescheduled elsewhere by the
scheduler; a file that takes down more workers than the scheduler's
``allowed-failures`` (set to 1 on ``local:N``: the second death) fails with
stage ``worker`` too.  On ``local:N`` a worker holds only the task it runs
(``worker-saturation`` 1.0), so a worker's death is charged to that file,
not to files queued behind it.

Dask workers must be allowed children (``distributed.worker.daemon`` False,
``DASK_DISTRIBUTED__WORKER__DAEMON=False`` for ``dask worker``): the client
checks, and refuses a cluster whose workers are not.

This module is the only one that imports distributed (an optional extra,
``pip install '.[dask]'``), and only when a cluster run starts.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import deque
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any

from . import workers
from .errors import ClusterError
from .limits import Limits
from .tasks import Outcome, Task, overrun, worker_died
from .workers import WATCH_SECONDS, Job, Pool

__all__ = ["ClusterError", "DaskWorkers", "parse_address"]

LOCAL = "local:"
CONNECT_TIMEOUT = "10s"
_LOCAL_CONFIG = {
    "distributed.worker.daemon": False,  # each worker thread runs files in a child process
    "distributed.scheduler.allowed-failures": 1,  # a file that kills a second worker has failed
    "distributed.scheduler.worker-saturation": 1.0,  # no task queued on a worker behind the one it runs
}


class ChildDied(Exception):
    """The child process extracting a file on a Dask worker died (crashed or
    killed); ``death`` says how (``killed by SIGKILL``), or is ""."""

    def __init__(self, death: str) -> None:
        super().__init__(death)
        self.death = death


def parse_address(address: str) -> str | int:
    """A scheduler address, or the number of worker processes of ``local:N``."""
    if not address.startswith(LOCAL):
        return address
    count = address.removeprefix(LOCAL)
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"--dask {address}: local:N needs a number of worker processes, e.g. local:2")
    return int(count)


_THREAD = threading.local()  # on a Dask worker: each thread's child process pool and its limits


def _child(limits: Limits) -> Pool:
    if getattr(_THREAD, "limits", None) != limits:
        _THREAD.pool = Pool(1)
        _THREAD.limits = limits
    pool: Pool = _THREAD.pool
    return pool


def extract_on_worker(task: Task) -> Outcome:
    """A Dask task: one file, extracted in this worker thread's child process,
    which is killed when still on it `OVERDUE_GRACE_SECONDS` past ``--timeout``."""
    pool = _child(task.limits)
    future = pool.submit(Job(task, 0, Future()))
    limit = {0: task.limits.timeout_seconds + workers.OVERDUE_GRACE_SECONDS}
    overdue = False
    while True:
        try:
            return future.result(timeout=WATCH_SECONDS)
        except FutureTimeout:
            overdue = overdue or bool(pool.stop_overdue(limit))
        except BrokenProcessPool:
            death = pool.death(0)
            pool.kill()
            del _THREAD.limits
            if overdue:
                return overrun(task)
            raise ChildDied(death) from None


def _daemonic() -> bool:
    return multiprocessing.current_process().daemon


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError("--dask needs distributed: pip install 'budget-disclosure-extractor[dask]'") from None
    return distributed


class DaskWorkers:
    """A Dask cluster's workers and the window of their results, in input order."""

    def __init__(self, address: str, limits: Limits) -> None:
        import dask

        distributed = _distributed()
        target = parse_address(address)
        self.limits = limits
        self.cluster: Any = None
        self._config: Any = None
        try:
            if isinstance(target, int):
                # held while the cluster lives: the nannies restart lost workers with it
                self._config = dask.config.set(_LOCAL_CONFIG)
                self.cluster = distributed.LocalCluster(
                    n_workers=target,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = distributed.Client(self.cluster or target, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self._close()
            raise ClusterError(f"--dask {address}: cannot reach the scheduler: {exc}") from None
        if any(self.client.run(_daemonic).values()):
            self._close()
            raise ClusterError(
                f"--dask {address}: the workers are daemonic processes, which may not start the child process "
                "each file is extracted in: start them with DASK_DISTRIBUTED__WORKER__DAEMON=False"
            )
        self.jobs = max(1, sum(self.client.nthreads().values()))
        self.pending: deque[tuple[Task, Any]] = deque()  # (task, its outcome or Dask future)
        self._killed_worker: type[BaseException] = distributed.KilledWorker

    def add(self, task: Task, done: Outcome | None) -> None:
        if done is not None:
            self.pending.append((task, done))
            return
        shared = replace(task, file=task.file.absolute(), out=task.out.absolute())
        self.pending.append((task, self.client.submit(extract_on_worker, shared, pure=False, retries=1)))

    def take(self) -> Outcome:
        task, result = self.pending.popleft()
        if isinstance(result, Outcome):
            return result
        try:
            outcome: Outcome = result.result()
        except ChildDied as died:
            return worker_died(task, died.death)
        except self._killed_worker:
            return worker_died(task)
        return replace(outcome, file=task.file)  # as the client named it, not the shared absolute path

    def kill(self) -> None:
        """Stop now (an interrupt): the run's tasks are cancelled, a local cluster closed."""
        self.client.cancel([result for _, result in self.pending if not isinstance(result, Outcome)], force=True)
        self.pending.clear()
        self._close()

    def _close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None

    def __enter__(self) -> DaskWorkers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self._close()
        else:
            self.kill()
