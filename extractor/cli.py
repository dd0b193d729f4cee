"""The ``extract`` command.

``extract FILE_OR_DIR… -o out/`` writes one JSON per disclosure, the CSV set
and any database loads (``run``, the default command); ``extract check``
prints a data-quality report; ``extract schema`` writes the JSON Schema of
the output.  Heavy modules (pydantic models, readers) are imported inside
the commands so that ``extract --help`` answers at once.

For pipes: ``-`` as an input reads one document from standard input (its
format sniffed from its content; it is called ``stdin``), and ``-o -``
writes each document as one line of JSON (JSON Lines) to standard output,
with progress, errors and logs on standard error.  ``extract check --format
json`` prints one JSON object per document.  ``-v`` (repeatable) and
``--log-file`` set up stdlib `logging` for the ``extractor`` logger.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # typer's vendored click
from typer.core import TyperGroup

from .limits import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_INPUT_MB,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_UNZIPPED_MB,
    DEFAULT_TIMEOUT_SECONDS,
    Limits,
)

if TYPE_CHECKING:
    from .batch import Input
    from .models import Disclosure
    from .sinks import Sinks
    from .tasks import Outcome
    from .workers import Workers

__all__ = ["app", "main"]

DEFAULT_OUT = Path("out")
DEFAULT_JOBS = os.cpu_count() or 1
DEFAULT_SCHEMA = Path("schemas/disclosure.schema.json")
DEFAULT_REVIEW = Path("review")

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_DATA_ERRORS = 3

#: Standard input as an input path, standard output as ``-o``.
STDIO = "-"
#: The name of a document read from standard input (``source.file``, ``doc_id``, paths).
STDIN_NAME = "stdin"
LOG_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
VERBOSITY = (logging.WARNING, logging.INFO, logging.DEBUG)

log = logging.getLogger("extractor")


class _DefaultToRun(TyperGroup):
    """A group whose first argument, when it is neither a command nor one of
    the group's own options (--version, --help, completion), goes to ``run``."""

    # typer types ctx with its vendored click's Context, which is not public.
    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        own = {name for param in self.get_params(ctx) for name in (*param.opts, *param.secondary_opts)}
        if args and args[0] not in self.commands and args[0] not in {*own, "-h"}:
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def main(  # type: ignore[override]  # typer's signature, with its vendored click's types
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's main, with a usage error said in one line, ``extract: error:
        …`` (click prints the usage and a hint over three)."""
        try:
            status = super().main(args, prog_name, standalone_mode=False, **extra)  # a command's typer.Exit code
        except typer.Abort:
            typer.echo("extract: aborted", err=True)
            sys.exit(EXIT_SOME_FAILED)
        except NoArgsIsHelpError as exc:
            exc.show()  # the help
            sys.exit(exc.exit_code)
        except ClickException as exc:
            from .textutil import printable

            typer.echo(f"extract: error: {printable(_usage_line(exc))}", err=True)
            sys.exit(exc.exit_code)
        finally:
            sys.stdout.flush()
        if not standalone_mode:
            return status
        sys.exit(status if isinstance(status, int) else EXIT_OK)


def _usage_line(exc: ClickException) -> str:
    """The error, and where its command's help is (a usage error knows its command)."""
    ctx = exc.ctx if isinstance(exc, UsageError) else None
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    return f"{exc.format_message()}{hint}"


app = typer.Typer(cls=_DefaultToRun, no_args_is_help=True, rich_markup_mode=None)

Verbose = Annotated[int, typer.Option("--verbose", "-v", count=True, help="Log more on stderr: -v info, -vv debug.")]
LogFile = Annotated[Path | None, typer.Option(help="Also append the log (info, or debug with -vv) to this file.")]
MaxMemory = Annotated[float, typer.Option(help="Fail a file whose extraction needs more than this many MB of memory.")]


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from .models import SCHEMA_VERSION

        typer.echo(f"extract {version('budget-disclosure-extractor')} (output schema version {SCHEMA_VERSION})")
        raise typer.Exit()


@app.callback()
def _group(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Extract Chinese department budget disclosures (部门预算信息公开) into validated JSON.

    'extract FILE…' is short for 'extract run FILE…'; - reads stdin, -o - writes JSON Lines to stdout.
    """


def _setup(paths: list[Path], verbose: int, log_file: Path | None) -> None:
    """Logging as asked, and every input path present (a usage error otherwise)."""
    from .textutil import PrintableFormatter

    log.setLevel(logging.DEBUG)
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    level = VERBOSITY[min(verbose, len(VERBOSITY) - 1)]
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(level)
    stderr.setFormatter(PrintableFormatter("extract: %(levelname)s: %(message)s"))
    log.addHandler(stderr)
    if log_file is not None:
        try:
            handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            _fail(f"--log-file {log_file}: {exc.strerror or exc}")
        handler.setLevel(min(level, logging.INFO))
        handler.setFormatter(PrintableFormatter(LOG_FILE_FORMAT))
        log.addHandler(handler)
    missing = [path for path in paths if str(path) != STDIO and not path.exists()]
    if missing:
        _fail(f"{missing[0]}: no such file or folder")


def _inputs(paths: list[Path], scratch: Path, limits: Limits = DEFAULT_LIMITS) -> list[Input]:
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
        _fail(f"no input files found in {', '.join(map(str, paths))}")
    log.info("%d inputs from %d paths", len(inputs), len(paths))
    return inputs


def _emit(json_file: Path) -> None:
    """One document as one line of standard output (the worker wrote it unindented)."""
    sys.stdout.write(json_file.read_text(encoding="utf-8").rstrip("\n") + "\n")
    sys.stdout.flush()


def _log_outcome(outcome: Outcome) -> None:
    if outcome.ok and not outcome.duplicate:
        log.info("%s: %s in %.2f s, peak %.0f MB", outcome.path, outcome.doc_id, outcome.seconds, outcome.peak_mb)
    elif not outcome.ok:
        log.debug("%s: failed at stage %s: %s", outcome.path, outcome.stage, outcome.reason)


@app.command("run")
def run(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Disclosure files (.docx .pdf .doc .xlsx .html .zip, Word text), folders, or - (stdin).",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the JSON files and the CSV set; - for JSON Lines on stdout.")
    ] = DEFAULT_OUT,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Worker processes (default: the number of cores).")
    ] = DEFAULT_JOBS,
    dask: Annotated[
        str | None,
        typer.Option(help="Run on a Dask cluster: its scheduler (tcp://host:8786), or local:N worker processes."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip inputs whose complete output the folder already has.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the outputs of an earlier run in OUT (other files there stay).")
    ] = False,
    csv: Annotated[
        bool | None,
        typer.Option("--csv/--no-csv", help="Write the CSV set and datapackage.json (default: yes, unless -o -)."),
    ] = None,
    csv_encoding: Annotated[str, typer.Option(help="utf-8-sig (with BOM, for Excel) or utf-8.")] = "utf-8-sig",
    sqlite: Annotated[Path | None, typer.Option(help="Also load every document into this SQLite file.")] = None,
    db: Annotated[str | None, typer.Option(help="Also load into PostgreSQL: postgresql://user@host/dbname")] = None,
    parquet: Annotated[
        Path | None, typer.Option(help="Also write the tables as Parquet files (one per table) into this folder.")
    ] = None,
    indent: Annotated[int, typer.Option(help="JSON indentation; 0 writes one line per document.")] = 2,
    max_size: Annotated[float, typer.Option(help="Refuse inputs larger than this many MB.")] = DEFAULT_MAX_INPUT_MB,
    max_unzipped: Annotated[
        float, typer.Option(help="Refuse a DOCX, workbook or ZIP archive that unpacks to more than this many MB.")
    ] = DEFAULT_MAX_UNZIPPED_MB,
    timeout: Annotated[
        float, typer.Option(help="Give up on a file after this many seconds.")
    ] = DEFAULT_TIMEOUT_SECONDS,
    max_memory: MaxMemory = DEFAULT_MAX_MEMORY_MB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors and the summary only.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Run in one process and show the traceback of unexpected errors.")
    ] = False,
    pdf_backend: Annotated[
        str | None, typer.Option(help="What reads PDF pages: pdfium (fast, the default) or pdfplumber (pure Python).")
    ] = None,
    review: Annotated[
        Path | None, typer.Option(help="Also write the HTML review report of OUT into this folder.")
    ] = None,
    verbose: Verbose = 0,
    log_file: LogFile = None,
) -> None:
    """Extract each disclosure to OUT/<name>.json, the CSV set and any database.

    With -o -, each document is one line of JSON on stdout (JSON Lines, no CSV set); - as an input reads
    one document from stdin.

    Exit status: 0 all files extracted, 1 some failed (listed in OUT/failures.csv), 2 usage error,
    130 interrupted (Ctrl-C or SIGTERM; --resume finishes the job).
    """
    import time

    from .batch import EXIT_INTERRUPTED, BatchOptions, Interrupts, holds_outputs, run_batch
    from .errors import ExtractorError
    from .progress import Reporter
    from .readers.pdf import backend_named
    from .sinks import Sinks
    from .writers.csv import CSV_ENCODINGS

    _setup(paths, verbose, log_file)
    if jobs < 1:
        _fail(f"--jobs must be 1 or more, not {jobs}")
    streaming = str(out) == STDIO
    if streaming and (csv or resume or review is not None):
        _fail("--csv, --resume and --review need an output folder (-o FOLDER), not standard output (-o -)")
    if resume and overwrite:
        _fail("--resume keeps the folder's outputs and --overwrite replaces them: give one of them")
    if not streaming and not resume and not overwrite and holds_outputs(out):
        _fail(
            f"{out} already holds the outputs of a run: add --resume to finish it or to add these files to it, "
            "--overwrite to replace them, or write to a new folder (-o)"
        )
    if csv_encoding not in CSV_ENCODINGS:
        _fail(f"--csv-encoding must be one of {', '.join(CSV_ENCODINGS)}")
    try:
        limits = Limits(
            max_input_mb=max_size, max_unzipped_mb=max_unzipped, timeout_seconds=timeout, max_memory_mb=max_memory
        )
        backend = backend_named(pdf_backend)
    except ValueError as exc:
        _fail(str(exc))
    scratch = Path(tempfile.mkdtemp(prefix="extract-"))  # stdin's bytes; the JSON files of -o -
    try:
        inputs = _inputs(paths, scratch, limits)
        folder = scratch / "out" if streaming else out
        options = BatchOptions(
            jobs=1 if debug else min(jobs, len(inputs)),
            limits=limits,
            resume=resume,
            indent=None if streaming else indent or None,
            in_process=debug,
            pdf_backend=backend,
        )
        log.debug("%d workers, %s", options.jobs, limits)
        started = time.perf_counter()
        databases = [str(target) for target in (sqlite, db) if target is not None]
        reporter = Reporter(len(inputs), quiet=quiet, scratch=scratch)
        with Interrupts(folder) as interrupts:
            try:
                try:
                    csv_set, replace = (None, False) if streaming else (csv_encoding, overwrite)
                    sinks = Sinks(folder, csv_set, databases, parquet, ledger_only=csv is False, overwrite=replace)
                except ExtractorError as exc:
                    _fail(str(exc))
                interrupts.lock = sinks.lock
                if sinks.note:
                    typer.echo(f"extract: note: {sinks.note}", err=True)
                with sinks, reporter:

                    def handle(outcome: Outcome) -> Outcome:
                        if debug and outcome.stage == "internal":
                            from .pipeline import extract_file

                            extract_file(outcome.file, limits, backend)  # again, to raise with its traceback
                        outcome = sinks.write(outcome)
                        target = "stdout" if streaming and outcome.ok else sinks.target(outcome)
                        reporter.outcome(outcome, target, time.perf_counter() - started)
                        _log_outcome(outcome)
                        if streaming and outcome.ok and not outcome.duplicate:
                            _emit(folder / f"{outcome.doc_id}.json")
                        return outcome

                    try:
                        cluster = None if debug or dask is None else _cluster(dask, limits)
                    except ExtractorError as exc:  # the cluster cannot be used
                        _fail(str(exc))
                    summary = run_batch(inputs, folder, options, handle, interrupts, cluster)
            except KeyboardInterrupt:
                interrupts.clean_up()
                resumable = (
                    f"; the JSON files in {out} are complete: "
                    "run the same command again with --resume to finish the job"
                )
                typer.echo(
                    f"extract: interrupted after {reporter.done} of {len(inputs)} files"
                    + ("" if streaming else resumable),
                    err=True,
                )
                shutil.rmtree(scratch, ignore_errors=True)
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(EXIT_INTERRUPTED)  # at once: nothing left to wait for (worker pools, their threads)
        reporter.summary(summary, time.perf_counter() - started)  # after the progress bar has stopped
        _parquet_note(sinks)
        if review is not None:
            _review([out], review, [path for path in paths if path.is_dir()], limits)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    raise typer.Exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


def _cluster(address: str, limits: Limits) -> Workers:
    """A Dask cluster's workers (``--dask``), for the batch to run on."""
    from .cluster import DaskWorkers

    return DaskWorkers(address, limits)


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
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="A finished run's output folder (its JSON files and manifest).")
    ],
    parquet: Annotated[Path, typer.Option(help="Write the Parquet set (one file per table) into this folder.")],
) -> None:
    """Write a finished run's tables again from its JSON files: the Parquet set 'extract --parquet' writes."""
    from .batch import MANIFEST, replay
    from .errors import ExtractorError
    from .sinks import Sinks
    from .textutil import counted

    _setup([], 0, None)  # warnings (a damaged manifest line) said as a run says them
    if not (folder / MANIFEST).is_file():
        _fail(f"{folder} holds no run's outputs ({MANIFEST} is missing)")
    try:
        sinks = Sinks(folder, None, [], parquet)
    except ExtractorError as exc:
        _fail(str(exc))
    with sinks:
        documents = sum(not sinks.write(outcome).duplicate for outcome in replay(folder))
    typer.echo(f"wrote {parquet}: the tables of {counted(documents, 'document')}", err=True)
    _parquet_note(sinks)


def _fail(message: str) -> NoReturn:
    from .textutil import printable

    typer.echo(f"extract: error: {printable(message)}", err=True)
    raise typer.Exit(EXIT_USAGE)


@app.command("check")
def check(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH", help="Disclosure files, folders to search, or - (stdin).")
    ],
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when any error-level issue is found.")] = False,
    show_info: Annotated[bool, typer.Option("--info/--no-info", help="List info-level issues too.")] = True,
    output_format: Annotated[
        Literal["text", "json"],
        typer.Option("--format", help="text: tables for people; json: one JSON object per document and line."),
    ] = "text",
    max_memory: MaxMemory = DEFAULT_MAX_MEMORY_MB,
    verbose: Verbose = 0,
    log_file: LogFile = None,
) -> None:
    """Print a data-quality report of each disclosure, grouped by severity and part.

    With --format json, stdout holds one JSON object per document per line (JSON Lines):
    {"file", "path", "doc_id", "status": "ok" or "failed", "reason", "title", "counts":
    {"error", "warning", "info"}, "issues": [the document's issues, as in its JSON]}.
    """
    from rich.console import Console

    from .errors import InputError
    from .report import render_report, report_object
    from .tasks import extract_file_capped
    from .textutil import printable

    _setup(paths, verbose, log_file)
    limits = _memory_limits(max_memory)
    console = Console()
    failed = errors = 0
    with tempfile.TemporaryDirectory(prefix="extract-") as scratch:
        for item in _inputs(paths, Path(scratch), limits):
            disclosure: Disclosure | None = None
            reason = None
            try:
                disclosure = extract_file_capped(item.file, limits)
            except InputError as exc:
                failed += 1
                reason = exc.one_line().removeprefix(f"{exc.path}: ")
                typer.echo(f"extract: error: {printable(str(exc))}", err=True)
            except Exception as exc:  # one file the readers fail on must not stop the report
                failed += 1
                reason = f"internal error: {type(exc).__name__}: {exc}"
                typer.echo(f"extract: error: {printable(f'{item.file}: {reason}')}", err=True)
            if output_format == "json":
                typer.echo(_json_line(report_object(item.file, item.path, disclosure, reason, show_info=show_info)))
            if disclosure is None:
                continue
            errors += sum(1 for issue in disclosure.issues if issue.severity == "error")
            if output_format == "text":
                render_report(console, item.path, disclosure, show_info=show_info)
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_DATA_ERRORS if strict and errors else EXIT_OK)


def _json_line(data: object) -> str:
    import simplejson

    return str(simplejson.dumps(data, ensure_ascii=False, use_decimal=True))


@app.command("review")
def review(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="A run's output folder (JSON and manifest), or files and folders to extract."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report.")] = DEFAULT_REVIEW,
    sources: Annotated[
        list[Path] | None, typer.Option(help="A folder holding a run's source files (repeatable).")
    ] = None,
    max_memory: MaxMemory = DEFAULT_MAX_MEMORY_MB,
) -> None:
    """Write an HTML review report: each document's figures beside the source page they came from."""
    _setup([*paths, *(sources or [])], 0, None)
    _review(paths, out, sources or [], _memory_limits(max_memory))


def _memory_limits(max_memory: float) -> Limits:
    """The limits of a command that extracts in its own process (check, review): --max-memory, as a run applies it."""
    try:
        return Limits(max_memory_mb=max_memory)
    except ValueError as exc:
        _fail(str(exc))


def _review(paths: list[Path], out: Path, roots: list[Path], limits: Limits = DEFAULT_LIMITS) -> None:
    from .review import build_review, load_paths
    from .textutil import counted

    loaded = load_paths(paths, roots, limits)
    if not loaded.documents and not loaded.failures:
        _fail(f"no run outputs or input files found in {', '.join(map(str, paths))}")
    summary = build_review(loaded, out)
    typer.echo(
        f"wrote {summary.index}: {counted(summary.documents, 'document')}, "
        f"{counted(summary.images, 'page image')}, {counted(summary.failures, 'failed input')}",
        err=True,
    )


@app.command("schema")
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the schema; - for stdout.")] = DEFAULT_SCHEMA,
    markdown: Annotated[
        Path | None, typer.Option(help="Also write the contract for people (every field and column) here.")
    ] = None,
) -> None:
    """Write the JSON Schema of the output document (generated from the models), and with --markdown
    the contract as Markdown (docs/contract.md in the repository)."""
    from .schema import render_contract, render_schema, write_contract, write_schema

    if str(out) == STDIO:
        sys.stdout.write(render_schema())
    else:
        typer.echo(f"wrote {write_schema(out)}", err=True)
    if markdown is not None and str(markdown) == STDIO:
        sys.stdout.write(render_contract())
    elif markdown is not None:
        typer.echo(f"wrote {write_contract(markdown)}", err=True)


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
