"""The ``extract`` command.

``extract FILE_OR_DIR… -o out/`` writes one JSON per disclosure, the CSV set
and any database loads (``run``, the default command); ``extract check``
prints a data-quality report; ``extract schema`` writes the JSON Schema of
the output.  Heavy modules (pydantic models, readers) are imported inside
the commands so that ``extract --help`` answers at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from .batch import Outcome
    from .sinks import Sinks

__all__ = ["app", "main"]

DEFAULT_OUT = Path("out")
# The defaults of extractor.limits, repeated here so that --help needs no import.
DEFAULT_MAX_INPUT_MB = 32.0
DEFAULT_MAX_UNZIPPED_MB = 256.0
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_MEMORY_MB = 2048.0
DEFAULT_SCHEMA = Path("schemas/disclosure.schema.json")
DEFAULT_REVIEW = Path("review")

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_DATA_ERRORS = 3


class _DefaultToRun(TyperGroup):
    """A group whose first argument, when it is not a command, goes to ``run``."""

    # typer types ctx with its vendored click's Context, which is not public.
    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultToRun,
    add_completion=False,
    no_args_is_help=True,
    help="Extract Chinese department budget disclosures (部门预算信息公开) into validated JSON.\n\n"
    "'extract FILE…' is short for 'extract run FILE…'.",
)


@app.command("run")
def run(
    paths: Annotated[list[Path], typer.Argument(help="Disclosure files (.docx, .pdf, Word text), or folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the JSON files and the CSV set.")] = DEFAULT_OUT,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: the number of cores).")] = 0,
    dask: Annotated[
        str | None,
        typer.Option(help="Run on a Dask cluster: its scheduler (tcp://host:8786), or local:N worker processes."),
    ] = None,
    resume: Annotated[bool, typer.Option(help="Skip inputs whose complete output the folder already has.")] = False,
    csv: Annotated[bool, typer.Option("--csv/--no-csv", help="Write the CSV set and datapackage.json.")] = True,
    csv_encoding: Annotated[str, typer.Option(help="utf-8-sig (with BOM, for Excel) or utf-8.")] = "utf-8-sig",
    sqlite: Annotated[Path | None, typer.Option(help="Also load every document into this SQLite file.")] = None,
    db: Annotated[str | None, typer.Option(help="Also load into PostgreSQL: postgresql://user@host/dbname")] = None,
    parquet: Annotated[
        Path | None, typer.Option(help="Also write the tables as Parquet files (one per table) into this folder.")
    ] = None,
    indent: Annotated[int, typer.Option(help="JSON indentation; 0 writes one line per document.")] = 2,
    max_size: Annotated[float, typer.Option(help="Refuse inputs larger than this many MB.")] = DEFAULT_MAX_INPUT_MB,
    max_unzipped: Annotated[
        float, typer.Option(help="Refuse a DOCX that unpacks to more than this many MB.")
    ] = DEFAULT_MAX_UNZIPPED_MB,
    timeout: Annotated[float, typer.Option(help="Give up on a file after this many seconds.")] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        float, typer.Option(help="Fail a file whose extraction needs more than this many MB of memory.")
    ] = DEFAULT_MAX_MEMORY_MB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors and the summary only.")] = False,
    debug: Annotated[
        bool, typer.Option(help="Run in one process and show the traceback of unexpected errors.")
    ] = False,
    review: Annotated[
        Path | None, typer.Option(help="Also write the HTML review report of OUT into this folder.")
    ] = None,
) -> None:
    """Extract each disclosure to OUT/<name>.json, the CSV set and any database.

    Exit status: 0 all files extracted, 1 some failed (listed in OUT/failures.csv), 2 usage error,
    130 interrupted (Ctrl-C or SIGTERM; --resume finishes the job).
    """
    import time

    from .batch import EXIT_INTERRUPTED, BatchOptions, Interrupts, find_input_paths, holds_outputs, run_batch
    from .errors import ExtractorError
    from .limits import Limits
    from .progress import Reporter
    from .sinks import Sinks
    from .writers.csv import CSV_ENCODINGS

    inputs = find_input_paths(paths)
    if not inputs:
        _fail("no input files found")
    if not resume and holds_outputs(out):
        _fail(
            f"{out} already holds the outputs of a run: add --resume to finish it or to add these files to it, "
            "or write to a new folder (-o)"
        )
    if csv_encoding not in CSV_ENCODINGS:
        _fail(f"--csv-encoding must be one of {', '.join(CSV_ENCODINGS)}")
    try:
        limits = Limits(
            max_input_mb=max_size, max_unzipped_mb=max_unzipped, timeout_seconds=timeout, max_memory_mb=max_memory
        )
    except ValueError as exc:
        _fail(str(exc))
    workers = 1 if debug else (jobs or os.cpu_count() or 1)
    options = BatchOptions(
        jobs=min(workers, len(inputs)),
        limits=limits,
        resume=resume,
        indent=indent or None,
        dask=None if debug else dask,
    )
    started = time.perf_counter()
    databases = [str(target) for target in (sqlite, db) if target is not None]
    reporter = Reporter(len(inputs), quiet=quiet)
    with Interrupts(out) as interrupts:
        try:
            try:
                sinks = Sinks(out, csv_encoding if csv else None, databases, parquet)
            except ExtractorError as exc:
                _fail(str(exc))
            interrupts.lock = sinks.lock
            if sinks.note:
                typer.echo(f"extract: note: {sinks.note}", err=True)
            with sinks, reporter:

                def handle(outcome: Outcome) -> Outcome:
                    if debug and outcome.stage == "internal":
                        from .pipeline import extract_file

                        extract_file(outcome.file, limits)  # again, to raise with its traceback
                    outcome = sinks.write(outcome)
                    reporter.outcome(outcome, sinks.target(outcome), time.perf_counter() - started)
                    return outcome

                try:
                    summary = run_batch(inputs, out, options, handle, interrupts)
                except ExtractorError as exc:  # the cluster could not be used (--dask)
                    _fail(str(exc))
        except KeyboardInterrupt:
            interrupts.clean_up()
            typer.echo(
                f"extract: interrupted after {reporter.done} of {len(inputs)} files; the JSON files in {out} are "
                "complete: run the same command again with --resume to finish the job",
                err=True,
            )
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)  # at once: nothing left to wait for (worker pools, their threads)
    reporter.summary(summary, time.perf_counter() - started)  # after the progress bar has stopped
    _parquet_note(sinks)
    if review is not None:
        _review([out], review, [path for path in paths if path.is_dir()])
    raise typer.Exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


def _parquet_note(sinks: Sinks) -> None:
    """Say when amounts could not be written to Parquet exactly (they are null there)."""
    from .writers.parquet import DECIMAL_PRECISION, DECIMAL_SCALE

    if sinks.parquet is not None and sinks.parquet.unfit:
        typer.echo(
            f"extract: warning: {sinks.parquet.unfit} amounts have more digits than Parquet's "
            f"decimal({DECIMAL_PRECISION}, {DECIMAL_SCALE}) holds: null in the Parquet files "
            "(exact in the JSON and CSV)",
            err=True,
        )


@app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="A finished run's output folder (its JSON files and manifest).")],
    parquet: Annotated[Path, typer.Option(help="Write the Parquet set (one file per table) into this folder.")],
) -> None:
    """Write a finished run's tables again from its JSON files: the Parquet set 'extract --parquet' writes."""
    from .batch import MANIFEST, replay
    from .errors import ExtractorError
    from .sinks import Sinks

    if not (folder / MANIFEST).is_file():
        _fail(f"{folder} holds no run's outputs ({MANIFEST} is missing)")
    try:
        sinks = Sinks(folder, None, [], parquet)
    except ExtractorError as exc:
        _fail(str(exc))
    with sinks:
        documents = sum(not sinks.write(outcome).duplicate for outcome in replay(folder))
    typer.echo(f"wrote {parquet}: the tables of {documents} documents", err=True)
    _parquet_note(sinks)


def _fail(message: str) -> NoReturn:
    typer.echo(f"extract: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


@app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(help="Disclosure files, or folders to search.")],
    strict: Annotated[bool, typer.Option(help="Exit 3 when any error-level issue is found.")] = False,
    show_info: Annotated[bool, typer.Option("--info/--no-info", help="List info-level issues too.")] = True,
) -> None:
    """Print a data-quality report of each disclosure, grouped by severity and part."""
    from rich.console import Console

    from .errors import InputError
    from .pipeline import extract_file
    from .report import render_report

    console = Console()
    failed = errors = 0
    from .batch import find_inputs

    for file in find_inputs(paths):
        try:
            disclosure = extract_file(file)
        except InputError as exc:
            failed += 1
            typer.echo(f"extract: error: {exc}", err=True)
            continue
        except Exception as exc:  # one file the readers fail on must not stop the report
            failed += 1
            typer.echo(f"extract: error: {file}: internal error: {type(exc).__name__}: {exc}", err=True)
            continue
        errors += sum(1 for issue in disclosure.issues if issue.severity == "error")
        render_report(console, str(file), disclosure, show_info=show_info)
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_DATA_ERRORS if strict and errors else EXIT_OK)


@app.command("review")
def review(
    paths: Annotated[
        list[Path], typer.Argument(help="A run's output folder (JSON and manifest), or files and folders to extract.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report.")] = DEFAULT_REVIEW,
    sources: Annotated[
        list[Path] | None, typer.Option(help="A folder holding a run's source files (repeatable).")
    ] = None,
) -> None:
    """Write an HTML review report: each document's figures beside the source page they came from."""
    _review(paths, out, sources or [])


def _review(paths: list[Path], out: Path, roots: list[Path]) -> None:
    from .review import build_review, load_paths

    summary = build_review(load_paths(paths, roots), out)
    typer.echo(
        f"wrote {summary.index}: {summary.documents} documents, {summary.images} page images, "
        f"{summary.failures} failed inputs",
        err=True,
    )


@app.command("schema")
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the schema.")] = DEFAULT_SCHEMA,
) -> None:
    """Write the JSON Schema of the output document (generated from the models)."""
    from .schema import write_schema

    typer.echo(f"wrote {write_schema(out)}", err=True)


def _exit_interrupted(signum: int, frame: object) -> None:
    os._exit(128 + signum)


def main() -> None:
    """Console-script entry point.  Ctrl-C or SIGTERM outside a run's own
    handling (while starting, after the run) exits at once, quietly."""
    import signal

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _exit_interrupted)
    try:
        app()
    finally:
        # Python restores the default handlers while it shuts down, and a
        # signal then would kill the finished run; the run's outcome stands.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
