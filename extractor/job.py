"""One ``extract run`` as data and its execution.

`RunSettings` holds every option of a run, checked together
(`RunSettings.check`: the combinations that cannot work are refused before
anything is read or written); `run_job` gathers the inputs, opens the
outputs, runs the batch on the workers the settings name and returns the
exit status.  The command line only turns its options into settings, so a
program can run the same job without it.  Usage errors are raised as
`UsageError` (one line each); files that fail are outcomes, not errors.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from .batch import BatchSummary, Input
    from .dsn import Target
    from .sinks import Sinks
    from .tasks import Outcome
    from .workers import Workers

__all__ = [
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "STDIN_NAME",
    "STDIO",
    "RunSettings",
    "gather_inputs",
    "parquet_note",
    "run_job",
    "write_review",
]

EXIT_OK = 0
EXIT_SOME_FAILED = 1

#: Standard input as an input path, standard output as ``-o``.
STDIO = "-"
#: The name of a document read from standard input (``source.file``, ``doc_id``, paths).
STDIN_NAME = "stdin"
DEFAULT_OUT = Path("out")
DEFAULT_JOBS = os.cpu_count() or 1
DEFAULT_CSV_ENCODING = "utf-8-sig"
DEFAULT_INDENT = 2

log = logging.getLogger("extractor")


@dataclass(frozen=True)
class RunSettings:
    """Every option of one run (``extract run --help`` describes each)."""

    paths: tuple[Path, ...]
    out: Path = DEFAULT_OUT
    jobs: int = DEFAULT_JOBS
    dask: str | None = None
    resume: bool = False
    overwrite: bool = False
    #: None: the CSV set unless streaming; False: only files.csv and failures.csv.
    csv: bool | None = None
    csv_encoding: str = DEFAULT_CSV_ENCODING
    sqlite: Path | None = None
    db: str | None = None
    parquet: Path | None = None
    indent: int = DEFAULT_INDENT
    limits: Limits = DEFAULT_LIMITS
    quiet: bool = False
    debug: bool = False
    pdf_backend: str | None = None
    review: Path | None = None

    @property
    def streaming(self) -> bool:
        """JSON Lines on standard output (``-o -``) instead of an output folder."""
        return str(self.out) == STDIO

    def databases(self) -> list[Target]:
        """The ``--sqlite`` and ``--db`` targets; `DatabaseTargetError` for a ``--db`` that names no database."""
        from .dsn import database_targets

        return database_targets(self.sqlite, self.db)

    def check(self) -> None:
        """Refuse the combinations that cannot work, before anything is read or written."""
        from .batch import holds_outputs
        from .readers.pdf import backend_named
        from .writers.csv import CSV_ENCODINGS

        self.databases()  # --db may name no database
        try:
            backend_named(self.pdf_backend)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if self.jobs < 1:
            raise UsageError(f"--jobs must be 1 or more, not {self.jobs}")
        if self.streaming and (self.csv or self.resume or self.review is not None):
            raise UsageError(
                "--csv, --resume and --review need an output folder (-o FOLDER), not standard output (-o -)"
            )
        if self.resume and self.overwrite:
            raise UsageError("--resume keeps the folder's outputs and --overwrite replaces them: give one of them")
        if not self.streaming and not self.resume and not self.overwrite and holds_outputs(self.out):
            raise UsageError(
                f"{self.out} already holds the outputs of a run: add --resume to finish it or to add these files "
                "to it, --overwrite to replace them, or write to a new folder (-o)"
            )
        if self.csv_encoding not in CSV_ENCODINGS:
            raise UsageError(f"--csv-encoding must be one of {', '.join(CSV_ENCODINGS)}")


def gather_inputs(paths: tuple[Path, ...], scratch: Path, limits: Limits = DEFAULT_LIMITS) -> list[Input]:
    """The inputs named; ``-`` is standard input, saved in ``scratch`` as
    ``stdin`` (a ZIP read from stdin gives its members, as a file does)."""
    from .archive import expand_archives
    from .batch import Input, find_input_paths
    from .stdin import save_stdin

    named = [path for path in paths if str(path) != STDIO]
    inputs = find_input_paths(named, limits)
    if len(named) < len(paths):
        file = scratch / STDIN_NAME
        save_stdin(sys.stdin.buffer, file, limits)
        inputs.extend(Input(member, shown) for member, shown in expand_archives([(file, STDIN_NAME)], limits))
    if not inputs:
        raise UsageError(f"no input files found in {', '.join(map(str, paths))}")
    log.info("%d inputs from %d paths", len(inputs), len(paths))
    return inputs


def run_job(settings: RunSettings) -> int:
    """Run the job and return its exit status: 0 every file extracted, 1 some
    failed.  Ctrl-C or SIGTERM ends the process with status 130, after
    saying how to finish the job."""
    settings.check()
    scratch = Path(tempfile.mkdtemp(prefix="extract-"))  # stdin's bytes; the JSON files of -o -
    try:
        inputs = gather_inputs(settings.paths, scratch, settings.limits)
        summary = _run_batch(settings, inputs, scratch)
        if settings.review is not None:
            roots = [path for path in settings.paths if path.is_dir()]
            _say(write_review([settings.out], settings.review, roots, settings.limits))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def _run_batch(settings: RunSettings, inputs: list[Input], scratch: Path) -> BatchSummary:
    """The batch into its outputs, with progress on standard error."""
    from .batch import EXIT_INTERRUPTED, BatchOptions, Interrupts, run_batch
    from .progress import Reporter
    from .readers.pdf import backend_named
    from .sinks import Sinks

    streaming = settings.streaming
    folder = scratch / "out" if streaming else settings.out
    options = BatchOptions(
        jobs=1 if settings.debug else min(settings.jobs, len(inputs)),
        limits=settings.limits,
        resume=settings.resume,
        indent=None if streaming else settings.indent or None,
        in_process=settings.debug,
        pdf_backend=backend_named(settings.pdf_backend),
    )
    log.debug("%d workers, %s", options.jobs, settings.limits)
    started = time.perf_counter()
    reporter = Reporter(len(inputs), quiet=settings.quiet, scratch=scratch)
    with Interrupts(folder) as interrupts:
        try:
            csv_set, replace = (None, False) if streaming else (settings.csv_encoding, settings.overwrite)
            sinks = Sinks(
                folder,
                csv_set,
                settings.databases(),
                settings.parquet,
                ledger_only=settings.csv is False,
                overwrite=replace,
            )
            interrupts.lock = sinks.lock
            if sinks.note:
                _say(f"extract: note: {sinks.note}")
            with sinks, reporter:

                def handle(outcome: Outcome) -> Outcome:
                    if settings.debug and outcome.stage == "internal":
                        from .pipeline import extract_file

                        extract_file(outcome.file, options.limits, options.pdf_backend)  # to raise, with its traceback
                    outcome = sinks.write(outcome)
                    target = "stdout" if streaming and outcome.ok else sinks.target(outcome)
                    reporter.outcome(outcome, target, time.perf_counter() - started)
                    _log_outcome(outcome)
                    if streaming and outcome.ok and not outcome.duplicate:
                        _emit(folder / f"{outcome.doc_id}.json")
                    return outcome

                summary = run_batch(inputs, folder, options, handle, interrupts, _workers(settings))
        except KeyboardInterrupt:
            interrupts.clean_up()
            resumable = (
                f"; the JSON files in {settings.out} are complete: "
                "run the same command again with --resume to finish the job"
            )
            _say(
                f"extract: interrupted after {reporter.done} of {len(inputs)} files" + ("" if streaming else resumable)
            )
            shutil.rmtree(scratch, ignore_errors=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)  # at once: nothing left to wait for (worker pools, their threads)
    reporter.summary(summary, time.perf_counter() - started)  # after the progress bar has stopped
    note = parquet_note(sinks)
    if note:
        _say(note)
    return summary


def _workers(settings: RunSettings) -> Workers | None:
    """A Dask cluster's workers (``--dask``); None: the batch's own processes."""
    if settings.debug or settings.dask is None:
        return None
    from .cluster import DaskWorkers

    return DaskWorkers(settings.dask, settings.limits)


def _emit(json_file: Path) -> None:
    """One document as one line of standard output (the worker wrote it unindented)."""
    sys.stdout.write(json_file.read_text(encoding="utf-8").rstrip("\n") + "\n")
    sys.stdout.flush()


def _log_outcome(outcome: Outcome) -> None:
    if outcome.ok and not outcome.duplicate:
        log.info("%s: %s in %.2f s, peak %.0f MB", outcome.path, outcome.doc_id, outcome.seconds, outcome.peak_mb)
    elif not outcome.ok:
        log.debug("%s: failed at stage %s: %s", outcome.path, outcome.stage, outcome.reason)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def parquet_note(sinks: Sinks) -> str | None:
    """A warning when amounts could not be written to Parquet exactly (they are null there)."""
    from .writers.parquet import DECIMAL_PRECISION, DECIMAL_SCALE

    if sinks.parquet is None or not sinks.parquet.unfit:
        return None
    return (
        f"extract: warning: {sinks.parquet.unfit} amounts have more digits than Parquet's "
        f"decimal({DECIMAL_PRECISION}, {DECIMAL_SCALE}) holds: null in the Parquet files "
        "(exact in the JSON and CSV)"
    )


def write_review(paths: list[Path], out: Path, roots: list[Path], limits: Limits = DEFAULT_LIMITS) -> str:
    """Write the review site of run outputs (or of files extracted for it) and say what it holds."""
    from .review import build_review, load_paths

    loaded = load_paths(paths, roots, limits)
    if not loaded.documents and not loaded.failures:
        raise UsageError(f"no run outputs or input files found in {', '.join(map(str, paths))}")
    return build_review(loaded, out).line()
