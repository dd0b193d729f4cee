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
resumed run ends with exactly the outputs of an uninterrupted one.  The
CSV set always describes every JSON in the folder: documents of earlier
runs that this run's inputs do not name are added from their JSON, with
the failures and paths the manifest recorded.

Identity: each input's ``doc_id`` comes from the file alone
(`extractor.identity`).  Files with identical content are one document,
extracted once; every path is kept (the ``files`` table).

One bad file never stops the batch: it becomes a failure (file, stage,
one-line reason) in ``failures.csv`` and a ``failed`` row of ``documents.csv``.
A document that needs more memory than ``--max-memory`` fails with stage
``memory``.  A worker that dies (killed, crashed) breaks its pool: the files
the pool's workers had started are retried one at a time in a pool of
their own, the others in a new pool, uncharged; only a file that kills a
worker running it alone is recorded as failed (stage ``worker``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from .archive import expand_archives, read_input_bytes, split_member
from .errors import InputError, OutputError
from .identity import doc_id
from .limits import DEFAULT_LIMITS, Limits
from .processes import FolderLock, time_limit
from .readers import INPUT_SUFFIXES
from .readers.pdf import DEFAULT_PDF_BACKEND, PdfBackend
from .readers.sniff import DOCUMENT_FORMATS, sniff_path
from .tasks import Counts, Outcome, Task, extract_capped
from .textutil import path_text
from .workers import LocalWorkers, Workers
from .writers.json import loads
from .writers.tables import rows_of

__all__ = [
    "EXIT_INTERRUPTED",
    "BatchOptions",
    "BatchSummary",
    "Input",
    "Interrupts",
    "find_input_paths",
    "find_inputs",
    "holds_outputs",
    "remove_outputs",
    "remove_temporaries",
    "replay",
    "run_batch",
]

MANIFEST = ".manifest.jsonl"
_KEYS = frozenset({"doc_id", "sha256", "path", "status"})
_FAILED_KEYS = _KEYS | {"file", "stage", "reason"}
#: The JSON a worker was writing when killed (a file retried, failed, or its
#: worker's pool broken by another's death): removed once the run's workers are done.
PARTIAL_JSON = ".*.json.*.tmp"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
WINDOW_PER_JOB = 4  # results in flight per worker: enough to keep workers busy, few enough to stay small

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Input:
    """A file to extract and the path it is recorded under: relative to the
    folder it was found in (``county-a/report.pdf``), or as given."""

    file: Path
    path: str


@dataclass(slots=True)
class BatchSummary:
    ok: int = 0
    with_warnings: int = 0
    failed: int = 0
    resumed: int = 0
    duplicates: int = 0
    failures: list[Outcome] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    peak_worker_mb: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.peak_worker_mb = max(self.peak_worker_mb, outcome.peak_mb)
        if outcome.duplicate:
            self.duplicates += 1
            return
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
        """Documents (distinct contents), not counting duplicate files."""
        return self.ok + self.failed


@dataclass(frozen=True, slots=True)
class BatchOptions:
    jobs: int = 1
    limits: Limits = DEFAULT_LIMITS
    resume: bool = False
    indent: int | None = 2
    pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND
    #: Extract in this process (``--debug``: tracebacks).  Otherwise a batch of
    #: more than one file runs in worker processes even with ``jobs=1``: a
    #: library that aborts the process when memory runs out (pdfium) then
    #: kills a worker, not the run.
    in_process: bool = False


def _sniff(path: Path) -> bool:
    """Whether a file without a known extension is a document by content."""
    return sniff_path(path) in DOCUMENT_FORMATS


def find_input_paths(paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> list[Input]:
    """Files named, and the disclosure files found in folders named
    (recursively): by extension, or by content for other names; a ZIP's
    members, within ``limits``.  A file named twice is listed once.  Each
    keeps its path as the user named it: the folder given joined with the
    path below it, as `find a b` prints it (``a/x.txt`` and ``b/x.txt``),
    as `path_text` (a name that is not UTF-8 is kept with U+FFFD)."""
    found: list[Input] = []
    seen: set[tuple[Path, str]] = set()
    for path in paths:
        if not path.is_dir():
            candidates = [(path, path_text(path))]
        else:
            candidates = [
                (candidate, path_text(posixpath.join(path.as_posix(), candidate.relative_to(path).as_posix())))
                for candidate in sorted(path.rglob("*"))
                if candidate.is_file()
                and not candidate.name.startswith(".")
                and (candidate.suffix.lower() in INPUT_SUFFIXES or _sniff(candidate))
            ]
        for file, shown in expand_archives(candidates, limits):  # a ZIP's members, each an input
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                found.append(Input(file, shown))
    return found


def _identity(file: Path) -> tuple[Path, str]:
    """What a file is, for naming it twice: its real path, or for a member
    its archive's and its name (``x/../a.txt`` is not ``a.txt``)."""
    member = split_member(file)
    return (file.resolve(), "") if member is None else (member[0].resolve(), member[1])


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """The files `find_input_paths` finds."""
    return [item.file for item in find_input_paths(paths)]


def _sha256(file: Path, limits: Limits) -> str:
    """The file's sha256, or "" when it is not hashed: a file that cannot be
    read, one that is not a regular file (a FIFO, ``/dev/zero``: reading
    could block or never end), an empty one (each is refused on its own, not
    a duplicate of the first) or one larger than ``--max-size`` (the reader
    refuses it without reading).  A file is hashed in chunks, never held whole."""
    if split_member(file) is not None:
        try:
            with time_limit(limits.timeout_seconds, str(file)):
                return hashlib.sha256(read_input_bytes(file, limits)).hexdigest()
        except (OSError, InputError):
            return ""
    try:
        status = file.stat()  # before opening: opening a FIFO waits for a writer
        if not stat.S_ISREG(status.st_mode) or not 0 < status.st_size <= limits.max_input_bytes:
            return ""
        with file.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


@dataclass(slots=True)
class Manifest:
    """What earlier runs into a folder recorded (``OUT/.manifest.jsonl``,
    one line per input): documents completed, documents that failed, and
    every path each document was found under."""

    done: dict[str, str] = field(default_factory=dict)  # doc_id → sha256
    failed: dict[str, dict[str, str]] = field(default_factory=dict)  # doc_id → its line
    paths: dict[str, dict[str, str]] = field(default_factory=dict)  # doc_id → {path: sha256}
    order: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, path) as first recorded
    #: doc_id → where its inputs were read, as absolute paths (``path`` is relative to the run's folder)
    sources: dict[str, list[str]] = field(default_factory=dict)

    def add(self, entry: dict[str, str]) -> None:
        doc_id, status = entry["doc_id"], entry["status"]
        if entry.get("source") and entry["source"] not in self.sources.get(doc_id, []):
            self.sources.setdefault(doc_id, []).append(entry["source"])
        if entry["path"] not in self.paths.get(doc_id, {}):
            self.order.append((doc_id, entry["path"]))
        self.paths.setdefault(doc_id, {})[entry["path"]] = entry["sha256"]
        if status == "ok":
            self.done[doc_id] = entry["sha256"]
            self.failed.pop(doc_id, None)
        elif status == "failed":
            self.failed[doc_id] = entry
            self.done.pop(doc_id, None)


def read_manifest(out: Path) -> Manifest:
    """What the folder's manifest records; every reader of a manifest (a
    resumed run, ``review``, ``export``) reads it here.  It is read as bytes
    and only ``\\n`` ends a record: a name may hold U+2028, U+2029 or NEL,
    which text line splitting also breaks at.  A damaged line (cut short
    when the disk filled, not UTF-8, not a record) is skipped with a
    warning naming the file and the line; the others are read."""
    manifest = Manifest()
    file = out / MANIFEST
    try:
        handle = file.open("rb")
    except OSError:
        return manifest
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                manifest.add(_entry(line))
            except ValueError as exc:
                log.warning("%s line %d: skipped, %s", path_text(file), number, exc)
    return manifest


def _entry(line: bytes) -> dict[str, str]:
    """One record of the manifest; `ValueError` saying what is wrong with a damaged line."""
    try:
        entry = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 (cut short?)") from None
    except ValueError:
        raise ValueError("not JSON (cut short?)") from None
    keys = _FAILED_KEYS if isinstance(entry, dict) and entry.get("status") == "failed" else _KEYS
    if not isinstance(entry, dict) or not keys <= entry.keys() or not all(isinstance(v, str) for v in entry.values()):
        raise ValueError(f"not a record of the manifest (one needs the text fields {', '.join(sorted(keys))})")
    return {key: path_text(value) for key, value in entry.items()}


def record(out: Path, outcome: Outcome) -> None:
    """Append an outcome to the manifest once its outputs are in place, with
    the absolute path of its input (``source``: its ``path`` is relative to
    the folder the run was started in).  One
    write per line, so an interrupt cannot cut one; a flush is enough: what
    a killed process wrote survives it (fsync would guard only against
    losing power).  After a line a full disk cut short, the record starts
    on a line of its own.  Raises `OutputError` when the manifest cannot be written."""
    status = "duplicate" if outcome.duplicate else "ok" if outcome.ok else "failed"
    entry = {"doc_id": outcome.doc_id, "sha256": outcome.sha256, "path": outcome.path, "status": status}
    entry["source"] = path_text(os.path.abspath(outcome.file))  # for the review report, run from another folder
    if status == "failed":
        entry.update(file=path_text(outcome.file), stage=outcome.stage or "internal", reason=outcome.reason or "")
    line = json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n"
    try:
        with (out / MANIFEST).open("a+b") as handle:
            end = handle.seek(0, os.SEEK_END)
            if end:
                handle.seek(end - 1)
                if handle.read(1) != b"\n":
                    line = b"\n" + line
            handle.write(line)
    except OSError as exc:
        raise OutputError.writing(out / MANIFEST, exc, out) from None


def _outputs(out: Path, names: set[str]) -> Iterator[Path]:
    """The files of ``out`` a run wrote: the JSON documents (and the Data
    Package), and those of ``names``."""
    for path in out.iterdir() if out.is_dir() else ():
        if path.name in names or (path.suffix == ".json" and not path.name.startswith(".")):
            yield path


def remove_outputs(out: Path) -> None:
    """Remove what a run wrote into ``out`` (its documents, the CSV set and
    its description, the manifest), for ``--overwrite``; other files stay."""
    from .writers.tables import TABLES

    for path in _outputs(out, {MANIFEST, *(f"{table}.csv" for table in TABLES)}):
        if path.is_file():
            path.unlink()


def holds_outputs(out: Path) -> bool:
    """Whether a folder already holds the outputs of a run."""
    return any(_outputs(out, {MANIFEST, "documents.csv"}))


def _from_json(target: Path, file: Path, sha256: str, doc_id: str, path: str) -> Outcome | None:
    try:
        disclosure = loads(target.read_bytes())
    except (OSError, ValueError):
        return None
    rows = list(rows_of(doc_id, disclosure))
    return Outcome(file, sha256, doc_id, path, rows, Counts.of(disclosure), resumed=True)


def _resumed(task: Task, manifest: Manifest) -> Outcome | None:
    """The outcome of a previous run, when this input's document (same
    content) was completed and its JSON is in place."""
    if not task.sha256 or manifest.done.get(task.doc_id) != task.sha256:
        return None
    return _from_json(task.out / f"{task.doc_id}.json", task.file, task.sha256, task.doc_id, task.path)


def _earlier(out: Path, manifest: Manifest, written: dict[str, set[str]]) -> Iterator[Outcome]:
    """What the folder holds beyond this run's inputs, so that the CSV set
    describes every JSON present: earlier documents (rebuilt from their
    JSON), earlier failures, and the other paths earlier runs found
    documents under.  ``written``: doc_id → paths of this run."""
    for target in sorted(out.glob("*.json")):
        doc_id = target.stem
        if target.name == "datapackage.json" or target.name.startswith(".") or doc_id in written:
            continue
        paths = manifest.paths.get(doc_id, {})
        first = next(iter(paths), "")
        outcome = _from_json(target, Path(first), paths.get(first, ""), doc_id, first)
        if outcome is not None:
            written[doc_id] = {first}
            yield outcome
    for doc_id, entry in manifest.failed.items():
        if doc_id not in written:
            written[doc_id] = {entry["path"]}
            yield _recorded_failure(doc_id, entry)
    for doc_id, paths in manifest.paths.items():
        for path, sha256 in paths.items():
            if doc_id in written and path not in written[doc_id]:
                yield Outcome(Path(path), sha256, doc_id, path, resumed=True, duplicate=True)


def _recorded_failure(doc_id: str, entry: dict[str, str]) -> Outcome:
    """A failure as the manifest recorded it."""
    return Outcome(
        Path(entry["file"]), entry["sha256"], doc_id, entry["path"], stage=entry["stage"], reason=entry["reason"]
    )


def replay(out: Path) -> Iterator[Outcome]:
    """The outcomes of the runs a folder holds, rebuilt from its manifest and
    JSON files in the order they were first recorded (a run's input order),
    so that writing them again gives the tables the runs wrote
    (``extract export``).  A document whose JSON is gone is left out."""
    manifest = read_manifest(out)
    seen: set[str] = set()
    for ident, path in manifest.order:
        sha256 = manifest.paths[ident][path]
        if ident in seen:
            yield Outcome(Path(path), sha256, ident, path, resumed=True, duplicate=True)
            continue
        seen.add(ident)
        if ident in manifest.failed:
            yield _recorded_failure(ident, manifest.failed[ident])
            continue
        outcome = _from_json(out / f"{ident}.json", Path(path), sha256, ident, path)
        if outcome is not None:
            yield outcome


def _planned(
    inputs: Iterable[Input], options: BatchOptions, out: Path, manifest: Manifest
) -> Iterator[tuple[Task, Outcome | None]]:
    """Each input as a task, with its outcome when there is nothing to
    extract: a duplicate of an earlier input, or resumed from the folder."""
    first: dict[str, str] = {}  # sha256 → doc_id of the first input with that content
    owners: dict[str, tuple[str, str]] = {}  # doc_id → the sha256 and path of the input it was given to
    for item in inputs:
        sha256 = _sha256(item.file, options.limits)
        known = first.get(sha256) if sha256 else None
        ident = known or doc_id(item.file, sha256)
        task = Task(item.file, item.path, sha256, ident, out, options.limits, options.indent, options.pdf_backend)
        if known is not None:
            yield task, Outcome(item.file, sha256, known, item.path, duplicate=True)
            continue
        owner = owners.setdefault(ident, (sha256, item.path))
        if owner[0] != sha256:
            yield task, _collision(task, owner[1])
            continue
        if sha256:
            first[sha256] = ident
        yield task, _resumed(task, manifest) if options.resume else None


def _collision(task: Task, owner: str) -> Outcome:
    """The failure of a file whose doc_id an earlier file with other content
    has (their names' stems and sha256s' first 16 hex digits are alike): it
    is not extracted, so the first one's outputs are never overwritten."""
    reason = f"doc_id {task.doc_id} is already that of {owner}, whose content differs: not extracted, kept apart"
    return Outcome(task.file, task.sha256, task.doc_id, task.path, stage="read", reason=reason)


def _ordered(jobs: Iterable[tuple[Task, Outcome | None]], workers: Workers | None) -> Iterator[Outcome]:
    """Outcomes in input order; extraction in worker processes when there are workers."""
    for task, done in jobs:
        if workers is None:
            yield done or extract_capped(task)
            continue
        workers.add(task, done)
        while len(workers.pending) > workers.jobs * WINDOW_PER_JOB:
            yield workers.take()
    while workers is not None and workers.pending:
        yield workers.take()


class Interrupts:
    """Ctrl-C and SIGTERM during a run.  The first raises `KeyboardInterrupt`
    in the main thread, so the run stops in order: workers killed, the CSV
    set's temporary files removed, the manifest left listing what is
    complete.  A second one exits at once (no traceback), after killing the
    workers and removing temporary files.  Installed only in the main thread.
    The folder's ``lock``, once the run holds it, is released last."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.cleanups: list[Callable[[], None]] = []
        self.lock: FolderLock | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._first)
        return self

    def _first(self, signum: int, frame: object) -> None:
        for installed in self._previous:
            signal.signal(installed, self._again)
        raise KeyboardInterrupt

    def _again(self, signum: int, frame: object) -> None:
        self.clean_up()
        os._exit(EXIT_INTERRUPTED)

    def clean_up(self) -> None:
        """Stop workers and remove temporary files (safe to call twice)."""
        for cleanup in self.cleanups:
            cleanup()
        remove_temporaries(self.out)
        if self.lock is not None:
            self.lock.release()

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        # After an interrupt the second-signal handler stays until exit; after
        # an end or another error (an output that cannot be written) they are restored.
        if kind is None or not issubclass(kind, KeyboardInterrupt):
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)


def remove_temporaries(out: Path, pattern: str = ".*.tmp") -> None:
    """Remove the temporary files writers leave when stopped (``.*.tmp``),
    or those of one kind (`PARTIAL_JSON`)."""
    for stale in out.glob(pattern):
        stale.unlink(missing_ok=True)


def run_batch(
    files: Sequence[Path | Input],
    out: Path,
    options: BatchOptions,
    handle: Callable[[Outcome], Outcome],
    interrupts: Interrupts | None = None,
    workers: Workers | None = None,
) -> BatchSummary:
    """Extract ``files`` into ``out``; ``handle`` receives each outcome in
    input order (it writes the rows), then the outcomes of what the folder
    held before (a resumed run adding to it), and returns it, or it failed
    when its rows could not be written (a database refused them).  The
    files are extracted by ``workers`` when given (a Dask cluster's), else
    by local worker pools of ``options.jobs`` processes (in this process
    for a single file, or with ``options.in_process``).  Returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    inputs = [item if isinstance(item, Input) else Input(item, str(item)) for item in files]
    manifest = read_manifest(out) if options.resume else Manifest()
    summary = BatchSummary()
    written: dict[str, set[str]] = {}
    with ExitStack() as stack:
        if workers is None and len(inputs) > 1 and not options.in_process:
            workers = LocalWorkers(options.jobs)
        if workers is not None:
            stack.enter_context(workers)
        if workers is not None and interrupts is not None:
            interrupts.cleanups.append(workers.kill)
        jobs = _planned(inputs, options, out, manifest)
        for outcome in chain(_ordered(jobs, workers), _earlier(out, manifest, written)):
            outcome = handle(outcome)
            written.setdefault(outcome.doc_id, set()).add(outcome.path)
            if not outcome.resumed:
                record(out, outcome)
            summary.add(outcome)
    remove_temporaries(out, PARTIAL_JSON)
    return summary
