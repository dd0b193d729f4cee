"""The operating-system side of a run: memory caps, the time limit (a timer
signal, `time_limit`), workers that die with their parent, and the lock
that keeps two runs out of one folder.

Memory is a limit like time: the process extracting a document may grow
its address space by ``--max-memory`` MB beyond what it held when the cap
was set (``RLIMIT_AS``); past it, allocations fail and Python raises
`MemoryError`, which the batch records as a failure of stage ``memory``.
The cap is set for each document, in a worker or in a single-process run
alike (`memory_cap`), and lifted after it, so the run's own bookkeeping
is never starved.

A worker must not outlive the run: it asks the kernel for ``SIGKILL`` when
its parent dies (``prctl(PR_SET_PDEATHSIG)`` on Linux) and, wherever that
is missing, a thread watches its parent and the run's process and exits
within a fraction of a second once either is gone.

One run per output folder: ``OUT/.extract.lock`` names the run holding it
(pid, host, start time).  A second run is refused while that process lives;
a lock whose process is dead (a run killed with ``kill -9``) is taken over,
with a note.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import FolderInUse, OutputError, TimedOut
from .limits import MB

__all__ = [
    "LOCK_FILE",
    "FolderInUse",
    "FolderLock",
    "OutputError",
    "die_with_parent",
    "memory_cap",
    "time_limit",
]

LOCK_FILE = ".extract.lock"
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_WATCH_SECONDS = 0.2
_EXIT_ORPHANED = 70  # EX_SOFTWARE: the run this worker served is gone


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), None where unknown."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * resource.getpagesize()


def _quiet_memory_errors(unraisable: Any) -> None:
    """Out of memory, generators and finalizers fail as the stack unwinds;
    the document's failure says it once, so these are not printed."""
    if not isinstance(unraisable.exc_value, MemoryError):
        sys.__unraisablehook__(unraisable)


def _cap_memory(megabytes: float) -> tuple[int, int] | None:
    """Let this process grow by ``megabytes`` from now and no further; the
    previous limits (to restore), or None where the size is unknown."""
    used = _address_space()
    if used is None:
        return None
    sys.unraisablehook = _quiet_memory_errors
    previous = resource.getrlimit(resource.RLIMIT_AS)
    soft = min([used + int(megabytes * MB), *(limit for limit in previous if limit != resource.RLIM_INFINITY)])
    resource.setrlimit(resource.RLIMIT_AS, (soft, previous[1]))  # never above a limit set from outside
    return previous


@contextlib.contextmanager
def memory_cap(megabytes: float) -> Iterator[None]:
    """`_cap_memory` for the duration of a block, then the limits as they were."""
    previous = _cap_memory(megabytes)
    try:
        yield
    finally:
        if previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous)


def _alive(pid: int) -> bool:
    """Whether a process runs: it exists and is not a zombie (dead, not yet
    reaped by its own parent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _watch(parent: int, run: int) -> None:
    while os.getppid() == parent and _alive(run):
        time.sleep(_WATCH_SECONDS)
    os._exit(_EXIT_ORPHANED)


def die_with_parent(run: int) -> None:
    """Make this (worker) process end when its parent or the run's process
    ``run`` ends: a kernel signal where there is one, and a watching thread."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    watcher = threading.Thread(target=_watch, args=(os.getppid(), run), name="parent-watch", daemon=True)
    watcher.start()


def _holder(lock: Path) -> dict[str, object]:
    try:
        holder = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _stale(holder: dict[str, object]) -> bool:
    """Whether the run a lock names is gone: same host and its process dead.
    A lock from another host (a shared drive) is never taken over."""
    pid = holder.get("pid")
    return holder.get("host") == socket.gethostname() and isinstance(pid, int) and not _alive(pid)


class FolderLock:
    """``OUT/.extract.lock`` while a run writes into OUT; `acquire` returns
    a note when it took over a dead run's lock."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / LOCK_FILE
        self.held = False

    def acquire(self) -> str | None:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out}: is a file, not a folder (name a folder for the outputs with -o)")
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            if self._create():
                return None
            holder = _holder(self.path)
            if not _stale(holder):
                raise FolderInUse(
                    f"{self.out}: in use by another run (pid {holder.get('pid', '?')} on {holder.get('host', '?')} "
                    f"since {holder.get('started', '?')}): wait for it to end, or write to another folder (-o)"
                )
            self.path.unlink(missing_ok=True)
            if not self._create():
                raise FolderInUse(f"{self.out}: in use by another run that has just started (write to another folder)")
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write the outputs here: {exc.strerror or exc}") from None
        return (
            f"{self.out}: took over the lock of run pid {holder.get('pid')} (started {holder.get('started', '?')}), "
            "which is no longer running"
        )

    def _create(self) -> bool:
        try:
            descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        started = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": started}
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(holder) + "\n")
        self.held = True
        return True

    def release(self) -> None:
        """Remove the lock if this run holds it (safe to call twice)."""
        if self.held and _holder(self.path).get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)
        self.held = False


@contextmanager
def time_limit(seconds: float, name: str) -> Iterator[None]:
    """Raise `TimedOut` when the block runs longer than ``seconds`` (a timer
    signal; in the main thread of a Unix process only, else no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut(name, f"took longer than {seconds:g} s", "raise --timeout if the file is genuine")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
