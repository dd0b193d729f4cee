"""Batch runs: many counties' disclosures, in parallel, resumable, nothing lost.

Inputs are extracted in worker processes (``--jobs``, default the number of
cores); results come back in input order through a bounded window, so the
CSV set is the same whichever worker finishes first and memory stays flat
however many files there are.  The parent writes every output: a JSON per
document (atomically), the CSV rows, the database loads, and a line in the
run's manifest (``OUT/.manifest.jsonl``) once a document's JSON is complete.
``--resume`` skips inputs whose sha256 the manifest lists with its JSON
present; their rows are rebuilt from that JSON, so a resumed run ends with
exactly the outputs of an uninterrupted one.

One bad file never stops the batch: it becomes a failure (file, stage,
one-line reason) in ``failures.csv`` and a ``failed`` row of ``documents.csv``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

from .errors import ExtractorError, InputError, NotADisclosure, TimedOut
from .limits import DEFAULT_LIMITS, Limits
from .models import Disclosure
from .writers.json import loads
from .writers.tables import DocIds

__all__ = ["BatchOptions", "BatchSummary", "Outcome", "find_inputs", "run_batch"]

INPUT_SUFFIXES = frozenset({".txt", ".text", ".docx", ".pdf", ".doc"})
MANIFEST = ".manifest.jsonl"
START_METHOD = "forkserver"
WINDOW_PER_JOB = 4  # results in flight per worker: enough to keep workers busy, few enough to stay small


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input's result: a disclosure, or the stage and the one-line
    reason it failed (without the file's name, which ``file`` gives)."""

    file: Path
    sha256: str
    disclosure: Disclosure | None = None
    doc_id: str = ""
    stage: str | None = None
    reason: str | None = None
    seconds: float = 0.0
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return self.disclosure is not None


@dataclass(slots=True)
class BatchSummary:
    ok: int = 0
    with_warnings: int = 0
    failed: int = 0
    resumed: int = 0
    failures: list[Outcome] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: Outcome) -> None:
        if outcome.disclosure is None:
            self.failed += 1
            self.failures.append(outcome)
            return
        self.ok += 1
        self.resumed += outcome.resumed
        if any(issue.severity in ("error", "warning") for issue in outcome.disclosure.issues):
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


def extract_one(file: Path, limits: Limits) -> Outcome:
    """Extract one file, catching everything: the worker's entry point."""
    from .pipeline import extract_file

    started = time.perf_counter()
    try:
        sha256 = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else ""
    except OSError:
        sha256 = ""
    try:
        disclosure = extract_file(file, limits)
    except ExtractorError as exc:
        reason = exc.problem + (f" ({exc.hint})" if exc.hint else "") if isinstance(exc, InputError) else str(exc)
        return Outcome(file, sha256, stage=_stage(exc), reason=reason, seconds=time.perf_counter() - started)
    except Exception as exc:  # one bad file must not stop the batch
        reason = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)"
        return Outcome(file, sha256, stage="internal", reason=reason, seconds=time.perf_counter() - started)
    return Outcome(file, disclosure.source.sha256, disclosure, seconds=time.perf_counter() - started)


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


def _resumed(file: Path, names: DocIds, out: Path, done: dict[str, str]) -> Outcome | None:
    """The outcome of a previous run, when this input (same name, same
    content) was completed and its JSON is in place."""
    if not done:
        return None
    try:
        sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return None
    doc_id = names(file, sha256)
    target = out / f"{doc_id}.json"
    if done.get(doc_id) != sha256 or not target.is_file():
        return None
    try:
        disclosure = loads(target.read_bytes())
    except ValueError:
        return None
    return Outcome(file, sha256, disclosure, doc_id=doc_id, resumed=True)


def _ordered(files: list[Path], options: BatchOptions, out: Path) -> Iterator[Outcome]:
    """Outcomes in input order, each with its doc_id; extraction in worker
    processes when jobs > 1."""
    done = read_manifest(out) if options.resume else {}
    names = DocIds(files)

    def named(outcome: Outcome) -> Outcome:
        return replace(outcome, doc_id=names(outcome.file, outcome.sha256))

    if options.jobs <= 1:
        for file in files:
            yield _resumed(file, names, out, done) or named(extract_one(file, options.limits))
        return
    with _Workers(options) as workers:
        for file in files:
            workers.add(file, _resumed(file, names, out, done))
            while len(workers.pending) > options.jobs * WINDOW_PER_JOB:
                yield named(workers.take())
        while workers.pending:
            yield named(workers.take())


@dataclass(slots=True)
class _Job:
    file: Path
    result: Outcome | Future[Outcome]
    breaks: int = 0


class _Workers:
    """A process pool and the window of its results, in input order.

    When a worker dies (killed, crashed, out of memory) the pool breaks and
    every unfinished file is resubmitted to a new pool; a file that breaks
    the pool twice is reported as a failure of stage ``worker``."""

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.pool = self._pool()
        self.pending: deque[_Job] = deque()

    def add(self, file: Path, resumed: Outcome | None) -> None:
        if resumed is not None:
            self.pending.append(_Job(file, resumed))
            return
        try:
            future = self.pool.submit(extract_one, file, self.options.limits)
        except BrokenProcessPool:
            self._restart()
            future = self.pool.submit(extract_one, file, self.options.limits)
        self.pending.append(_Job(file, future))

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
                        job.file,
                        "",
                        stage="worker",
                        reason="the worker process died twice on this file (crashed or killed)",
                    )
                self._restart()
                continue
            self.pending.popleft()
            return outcome

    def _pool(self) -> ProcessPoolExecutor:
        # Workers start from a fork server, not by forking this process: after a
        # worker dies, the broken pool's threads may hold locks a fork would copy.
        return ProcessPoolExecutor(max_workers=self.options.jobs, mp_context=get_context(START_METHOD))

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._pool()
        for job in self.pending:
            if isinstance(job.result, Future) and not _finished(job.result):
                job.result = self.pool.submit(extract_one, job.file, self.options.limits)
                job.breaks += 1

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _finished(future: Future[Outcome]) -> bool:
    """Whether a future holds a real outcome (not the broken pool's error)."""
    return future.done() and not future.cancelled() and future.exception() is None


def record_done(out: Path, sha256: str, doc_id: str) -> None:
    """Append to the manifest once a document's JSON is in place."""
    with (out / MANIFEST).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"sha256": sha256, "doc_id": doc_id}) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def run_batch(files: list[Path], out: Path, options: BatchOptions, handle: Callable[[Outcome], None]) -> BatchSummary:
    """Extract ``files``; ``handle`` receives each outcome in input order
    (it writes the outputs).  Returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    for outcome in _ordered(files, options, out):
        handle(outcome)
        summary.add(outcome)
    return summary
