"""One input's unit of work: the task a worker is given, the outcome it
sends back, and the extraction that turns one into the other.

`extract_one` is what every kind of worker runs (a local worker process,
a Dask worker's child, the run's own process for one file); the outcomes of
a worker killed or dead on its file are built here too, so that every pool
reports them alike.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ExtractorError, InputError, MemoryExceeded, NotADisclosure, TimedOut
from .limits import Limits
from .models import Disclosure
from .processes import memory_cap
from .readers.pdf import DEFAULT_PDF_BACKEND, PdfBackend
from .textutil import path_text
from .writers.json import write_json
from .writers.tables import Row, rows_of

__all__ = [
    "Counts",
    "Outcome",
    "Task",
    "extract_capped",
    "extract_file_capped",
    "extract_one",
    "overrun",
    "stage_of",
    "worker_died",
]


@dataclass(frozen=True, slots=True)
class Counts:
    projects: int
    indicators: int
    errors: int
    warnings: int

    @classmethod
    def of(cls, disclosure: Disclosure) -> Counts:
        projects = disclosure.performance.projects if disclosure.performance else []
        severities = [issue.severity for issue in disclosure.issues]
        return cls(
            len(projects),
            sum(len(p.indicators) for p in projects),
            severities.count("error"),
            severities.count("warning"),
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input's result: its rows and counts, or the stage and the one-line
    reason it failed (without the file's name, which ``file`` gives).  A
    ``duplicate`` has the content of an earlier input of the run: it is
    that document (``doc_id``) found under another path, not extracted again."""

    file: Path
    sha256: str
    doc_id: str
    path: str = ""
    rows: list[tuple[str, Row]] | None = None
    counts: Counts | None = None
    stage: str | None = None
    reason: str | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0
    resumed: bool = False
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return self.rows is not None


@dataclass(frozen=True, slots=True)
class Task:
    """What a worker needs for one file (picklable)."""

    file: Path
    path: str
    sha256: str
    doc_id: str
    out: Path
    limits: Limits
    indent: int | None
    pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND


def stage_of(error: ExtractorError) -> str:
    """The stage a failure is recorded with (``failures.csv``)."""
    if isinstance(error, TimedOut):
        return "timeout"
    if isinstance(error, MemoryExceeded):
        return "memory"
    if isinstance(error, NotADisclosure):
        return "segment"
    if isinstance(error, InputError):
        return "read"
    return "extract"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extract_one(task: Task) -> Outcome:
    """Extract one file and write its JSON, catching everything: the worker's
    entry point (also run in-process for a single job)."""
    from .pipeline import extract_file, gc_paused

    started = time.perf_counter()

    def failed(stage: str, reason: str) -> Outcome:
        (task.out / f"{task.doc_id}.json").unlink(missing_ok=True)  # an earlier run's, now stale
        return Outcome(
            task.file,
            task.sha256,
            task.doc_id,
            task.path,
            stage=stage,
            reason=path_text(reason),  # an internal error's may name a file by its own bytes
            seconds=time.perf_counter() - started,
            peak_mb=_peak_mb(),
        )

    try:
        with gc_paused():  # the document, its JSON and its rows form no cycles
            disclosure = extract_file(task.file, task.limits, task.pdf_backend)
            disclosure.doc_id = task.doc_id
            disclosure.source.path = task.path
            write_json(disclosure, task.out / f"{task.doc_id}.json", task.indent)
            rows = list(rows_of(task.doc_id, disclosure))
    except Exception as caught:  # one bad file must not stop the batch
        exc = _memory_exceeded(task.file, task.limits) if _out_of_memory(caught) else caught
        if isinstance(exc, InputError):
            return failed(stage_of(exc), exc.problem + (f" ({exc.hint})" if exc.hint else ""))
        if isinstance(exc, ExtractorError):
            return failed(stage_of(exc), str(exc))
        return failed("internal", f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)")
    return Outcome(
        task.file,
        task.sha256,
        task.doc_id,
        task.path,
        rows,
        Counts.of(disclosure),
        seconds=time.perf_counter() - started,
        peak_mb=_peak_mb(),
    )


def _out_of_memory(error: BaseException, depth: int = 4) -> bool:
    """Whether an error is, or was raised while handling, running out of
    memory (libraries wrap it: pdfplumber raises ``PdfminerException(MemoryError())``,
    a reader turns that into a damaged-file error)."""
    if isinstance(error, MemoryError):
        return True
    causes = [error.__cause__, error.__context__, *(a for a in error.args if isinstance(a, BaseException))]
    return depth > 0 and any(_out_of_memory(cause, depth - 1) for cause in causes if cause is not None)


def _memory_exceeded(file: Path, limits: Limits) -> MemoryExceeded:
    """The failure of a file that ran out of memory under the cap (readers
    may have reported it as a damaged file)."""
    limit = f"{limits.max_memory_mb:g} MB"
    return MemoryExceeded(file, f"needs more than {limit} of memory", "raise --max-memory if the file is genuine")


def extract_capped(task: Task) -> Outcome:
    """`extract_one` under the memory cap, which the pipeline's modules,
    imported first, do not count against."""
    from . import pipeline  # noqa: F401

    with memory_cap(task.limits.max_memory_mb):
        return extract_one(task)


def extract_file_capped(file: Path, limits: Limits, pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND) -> Disclosure:
    """`extract_file` under the memory cap, as `extract_capped` runs a task:
    for the commands that extract in their own process (``check``,
    ``review``).  A file that runs out of memory raises `MemoryExceeded`."""
    from .pipeline import extract_file

    with memory_cap(limits.max_memory_mb):
        try:
            return extract_file(file, limits, pdf_backend)
        except Exception as exc:
            if _out_of_memory(exc):
                raise _memory_exceeded(file, limits) from None
            raise


def _killed_on(task: Task, stage: str, reason: str) -> Outcome:
    """The failure of a file whose worker was killed or died on it.  Its JSON
    is removed, as `extract_one` removes a failed file's: the worker may have
    just written it."""
    (task.out / f"{task.doc_id}.json").unlink(missing_ok=True)
    return Outcome(task.file, task.sha256, task.doc_id, task.path, stage=stage, reason=reason)


def overrun(task: Task) -> Outcome:
    seconds = f"{task.limits.timeout_seconds:g} s"
    reason = f"took longer than {seconds}, and the worker did not stop: killed (raise --timeout if the file is genuine)"
    return _killed_on(task, "timeout", reason)


def worker_died(task: Task, death: str = "") -> Outcome:
    how = death or "crashed or killed"
    if death == "killed by SIGABRT":  # what a library's failed allocation under the cap looks like
        how += f": a library aborted, out of memory under --max-memory {task.limits.max_memory_mb:g} MB?"
    reason = f"the worker process died on this file twice, the second time running it alone ({how})"
    return _killed_on(task, "worker", reason)
