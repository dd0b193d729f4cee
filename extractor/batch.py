"""Batch runs: many counties' disclosures, in parallel, resumable, nothing lost.

Inputs are extracted in worker processes (``--jobs``, default the number of
cores).  A worker writes its document's JSON itself (atomically) and sends
back only the relational rows and a few counts; results come back in input
order through a bounded window, so the CSV set is the same whichever worker
finishes first and memory stays flat however many files there are.  The
parent streams the rows to the CSV set and the databases and appends a line
to the run's manifest (``OUT/.manifest.jsonl``) once a document is complete.
``--resume`` skips inputs that the manifest lists, with the same content,
and whose JSON is in place; their rows are rebuilt from that JSON, so a
resumed run ends with exactly the outputs of an uninterrupted one.

One bad file never stops the batch: it becomes a failure (file, stage,
one-line reason) in ``failures.csv`` and a ``failed`` row of ``documents.csv``.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .errors import ExtractorError, InputError, NotADisclosure, TimedOut
from .limits import DEFAULT_LIMITS, Limits
from .models import Disclosure
from .readers import INPUT_SUFFIXES
from .writers.json import loads, write_json
from .writers.tables import DocIds, Row, rows_of

__all__ = ["BatchOptions", "BatchSummary", "Counts", "Outcome", "find_inputs", "run_batch"]

MANIFEST = ".manifest.jsonl"
START_METHOD = "forkserver"
WINDOW_PER_JOB = 4  # results in flight per worker: enough to keep workers busy, few enough to stay small


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
    reason it failed (without the file's name, which ``file`` gives)."""

    file: Path
    sha256: str
    doc_id: str
    rows: list[tuple[str, Row]] | None = None
    counts: Counts | None = None
    stage: str | None = None
    reason: str | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return self.rows is not None


@dataclass(slots=True)
class BatchSummary:
    ok: int = 0
    with_warnings: int = 0
    failed: int = 0
    resumed: int = 0
    failures: list[Outcome] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    peak_worker_mb: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.peak_worker_mb = max(self.peak_worker_mb, outcome.peak_mb)
        if not outcome.ok:
            self.failed += 1
            self.failures.append(outcome)
            return
        self.ok += 1
        self.resumed += outcome.resumed
        if outcome.counts is not None and (outcome.counts.errors or outcome.counts.warnings):
            self.with_warnings += 1
        if not outcome.resumed:
            self.latencies.append(outcome.seconds)

    @property
    def total(self) -> int:
        return self.ok + self.failed


@dataclass(frozen=True, slots=True)
class BatchOptions:
    jobs: int = 1
    limits: Limits = DEFAULT_LIMITS
    resume: bool = False
    indent: int | None = 2


@dataclass(frozen=True, slots=True)
class _Task:
    """What a worker needs for one file (picklable)."""

    file: Path
    out: Path
    names: DocIds
    limits: Limits
    indent: int | None


def _sniff(path: Path) -> bool:
    """Whether a file without a known extension is a PDF or DOCX by content."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith((b"%PDF", b"PK\x03\x04"))


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the disclosure files found in folders named
    (recursively): by extension, or by content for other names."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for candidate in sorted(path.rglob("*")):
            if (
                candidate.is_file()
                and not candidate.name.startswith(".")
                and (candidate.suffix.lower() in INPUT_SUFFIXES or _sniff(candidate))
            ):
                found.append(candidate)
    return found


def _stage(error: ExtractorError) -> str:
    if isinstance(error, TimedOut):
        return "timeout"
    if isinstance(error, NotADisclosure):
        return "segment"
    if isinstance(error, InputError):
        return "read"
    return "extract"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extract_one(task: _Task) -> Outcome:
    """Extract one file and write its JSON, catching everything: the worker's
    entry point (also run in-process for a single job)."""
    from .pipeline import extract_file, gc_paused

    file = task.file
    started = time.perf_counter()

    def failed(stage: str, reason: str) -> Outcome:
        sha256 = _sha256(file)
        return Outcome(
            file,
            sha256,
            task.names(file, sha256),
            stage=stage,
            reason=reason,
            seconds=time.perf_counter() - started,
            peak_mb=_peak_mb(),
        )

    try:
        with gc_paused():  # the document, its JSON and its rows form no cycles
            disclosure = extract_file(file, task.limits)
            doc_id = task.names(file, disclosure.source.sha256)
            write_json(disclosure, task.out / f"{doc_id}.json", task.indent)
            rows = list(rows_of(doc_id, disclosure))
    except ExtractorError as exc:
        reason = exc.problem + (f" ({exc.hint})" if exc.hint else "") if isinstance(exc, InputError) else str(exc)
        return failed(_stage(exc), reason)
    except Exception as exc:  # one bad file must not stop the batch
        return failed("internal", f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)")
    return Outcome(
        file,
        disclosure.source.sha256,
        doc_id,
        rows,
        Counts.of(disclosure),
        seconds=time.perf_counter() - started,
        peak_mb=_peak_mb(),
    )


def _sha256(file: Path) -> str:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return ""


def read_manifest(out: Path) -> dict[str, str]:
    """doc_id → sha256 of the documents a previous run completed."""
    done: dict[str, str] = {}
    try:
        lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        return done
    for line in lines:
        try:
            entry = json.loads(line)
            done[entry["doc_id"]] = entry["sha256"]
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by an interrupted run
    return done


def record_done(out: Path, outcome: Outcome) -> None:
    """Append to the manifest once a document's JSON is in place.  A flush is
    enough: what a killed process wrote survives it (fsync would guard only
    against losing power)."""
    with (out / MANIFEST).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"sha256": outcome.sha256, "doc_id": outcome.doc_id}) + "\n")


def _resumed(file: Path, names: DocIds, out: Path, done: dict[str, str]) -> Outcome | None:
    """The outcome of a previous run, when this input (same name, same
    content) was completed and its JSON is in place."""
    if not done:
        return None
    sha256 = _sha256(file)
    doc_id = names(file, sha256)
    target = out / f"{doc_id}.json"
    if done.get(doc_id) != sha256 or not target.is_file():
        return None
    try:
        disclosure = loads(target.read_bytes())
    except ValueError:
        return None
    return Outcome(file, sha256, doc_id, list(rows_of(doc_id, disclosure)), Counts.of(disclosure), resumed=True)


@dataclass(slots=True)
class _Job:
    task: _Task
    result: Outcome | Future[Outcome]
    breaks: int = 0


class _Workers:
    """A process pool and the window of its results, in input order.

    When a worker dies (killed, crashed, out of memory) the pool breaks and
    every unfinished file is resubmitted to a new pool; a file that breaks
    the pool twice is reported as a failure of stage ``worker``."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool = self._pool()
        self.pending: deque[_Job] = deque()

    def _pool(self) -> ProcessPoolExecutor:
        # Workers start from a fork server, not by forking this process: after a
        # worker dies, the broken pool's threads may hold locks a fork would copy.
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=get_context(START_METHOD))

    def add(self, task: _Task, resumed: Outcome | None) -> None:
        if resumed is not None:
            self.pending.append(_Job(task, resumed))
            return
        try:
            future = self.pool.submit(extract_one, task)
        except BrokenProcessPool:
            self._restart()
            future = self.pool.submit(extract_one, task)
        self.pending.append(_Job(task, future))

    def take(self) -> Outcome:
        while True:
            job = self.pending[0]
            if isinstance(job.result, Outcome):
                self.pending.popleft()
                return job.result
            try:
                outcome = job.result.result()
            except BrokenProcessPool:
                if job.breaks >= 1:
                    self.pending.popleft()
                    self._restart()
                    return Outcome(
                        job.task.file,
                        "",
                        job.task.names(job.task.file, ""),
                        stage="worker",
                        reason="the worker process died twice on this file (crashed or killed)",
                    )
                self._restart()
                continue
            self.pending.popleft()
            return outcome

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._pool()
        for job in self.pending:
            if isinstance(job.result, Future) and not _finished(job.result):
                job.result = self.pool.submit(extract_one, job.task)
                job.breaks += 1

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _finished(future: Future[Outcome]) -> bool:
    """Whether a future holds a real outcome (not the broken pool's error)."""
    return future.done() and not future.cancelled() and future.exception() is None


def _ordered(files: list[Path], out: Path, options: BatchOptions) -> Iterator[Outcome]:
    """Outcomes in input order; extraction in worker processes when jobs > 1."""
    done = read_manifest(out) if options.resume else {}
    names = DocIds(files)
    tasks = (_Task(file, out, names, options.limits, options.indent) for file in files)
    if options.jobs <= 1:
        for task in tasks:
            yield _resumed(task.file, names, out, done) or extract_one(task)
        return
    with _Workers(options.jobs) as workers:
        for task in tasks:
            workers.add(task, _resumed(task.file, names, out, done))
            while len(workers.pending) > options.jobs * WINDOW_PER_JOB:
                yield workers.take()
        while workers.pending:
            yield workers.take()


def run_batch(files: list[Path], out: Path, options: BatchOptions, handle: Callable[[Outcome], None]) -> BatchSummary:
    """Extract ``files`` into ``out``; ``handle`` receives each outcome in
    input order (it writes the rows).  Returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    for outcome in _ordered(files, out, options):
        handle(outcome)
        if outcome.ok and not outcome.resumed:
            record_done(out, outcome)
        summary.add(outcome)
    return summary
