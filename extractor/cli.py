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
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # typer's vendored click
from typer.core import TyperGroup

from . import logfile
from .errors import OutputError
from .job import (
    DEFAULT_CSV_ENCODING,
    DEFAULT_INDENT,
    DEFAULT_JOBS,
    DEFAULT_OUT,
    EXIT_OK,
    EXIT_SOME_FAILED,
    STDIO,
    RunSettings,
)
from .limits import (
    DEFAULT_MAX_INPUT_MB,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_MAX_UNZIPPED_MB,
    DEFAULT_TIMEOUT_SECONDS,
    Limits,
)

if TYPE_CHECKING:
    from .batch import Input
    from .models import Disclosure

__all__ = ["app", "main"]

DEFAULT_SCHEMA = Path("schemas/disclosure.schema.json")
DEFAULT_REVIEW = Path("review")

EXIT_USAGE = 2
EXIT_DATA_ERRORS = 3

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
        except OutputError as exc:  # during the run: the disk full, the folder removed
            typer.echo(f"extract: error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        finally:
            sys.stdout.flush()
        if status in (None, EXIT_OK) and logfile.lost(log):
            status = EXIT_USAGE  # the log asked for is incomplete (said once, when it failed)
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
            handler = logfile.LogFile(log_file)
        except OSError as exc:
            _fail(f"--log-file {log_file}: {exc.strerror or exc}")
        handler.setLevel(min(level, logging.INFO))
        handler.setFormatter(PrintableFormatter(LOG_FILE_FORMAT))
        log.addHandler(handler)
    missing = [path for path in paths if str(path) != STDIO and not path.exists()]
    if missing:
        _fail(f"{missing[0]}: no such file or folder")


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
    csv_encoding: Annotated[str, typer.Option(help="utf-8-sig (with BOM, for Excel) or utf-8.")] = DEFAULT_CSV_ENCODING,
    sqlite: Annotated[Path | None, typer.Option(help="Also load every document into this SQLite file.")] = None,
    db: Annotated[
        str | None,
        typer.Option(help="Also load into PostgreSQL: postgresql://user@host/dbname or host=… dbname=…"),
    ] = None,
    parquet: Annotated[
        Path | None, typer.Option(help="Also write the tables as Parquet files (one per table) into this folder.")
    ] = None,
    indent: Annotated[int, typer.Option(help="JSON indentation; 0 writes one line per document.")] = DEFAULT_INDENT,
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
    from .errors import ExtractorError
    from .job import run_job

    _setup(paths, verbose, log_file)
    settings = RunSettings(
        paths=tuple(paths),
        out=out,
        jobs=jobs,
        dask=dask,
        resume=resume,
        overwrite=overwrite,
        csv=csv,
        csv_encoding=csv_encoding,
        sqlite=sqlite,
        db=db,
        parquet=parquet,
        indent=indent,
        limits=_limits(max_size, max_unzipped, timeout, max_memory),
        quiet=quiet,
        debug=debug,
        pdf_backend=pdf_backend,
        review=review,
    )
    try:
        status = run_job(settings)
    except ExtractorError as exc:  # a usage error, outputs that cannot be opened, a cluster that cannot be used
        _fail(str(exc))
    raise typer.Exit(status)


def _limits(
    max_size: float = DEFAULT_MAX_INPUT_MB,
    max_unzipped: float = DEFAULT_MAX_UNZIPPED_MB,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_memory: float = DEFAULT_MAX_MEMORY_MB,
) -> Limits:
    """The limits asked for (check and review take only --max-memory; the others keep their defaults)."""
    try:
        return Limits(
            max_input_mb=max_size, max_unzipped_mb=max_unzipped, timeout_seconds=timeout, max_memory_mb=max_memory
        )
    except ValueError as exc:
        _fail(str(exc))


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
    from .job import parquet_note
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
    note = parquet_note(sinks)
    if note:
        typer.echo(note, err=True)


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
    limits = _limits(max_memory=max_memory)
    console = Console()
    failed = errors = 0
    with tempfile.TemporaryDirectory(prefix="extract-") as scratch:
        for item in _gathered(paths, Path(scratch), limits):
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


def _gathered(paths: list[Path], scratch: Path, limits: Limits) -> list[Input]:
    from .errors import UsageError
    from .job import gather_inputs

    try:
        return gather_inputs(tuple(paths), scratch, limits)
    except UsageError as exc:
        _fail(str(exc))


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
    _review(paths, out, sources or [], _limits(max_memory=max_memory))


def _review(paths: list[Path], out: Path, roots: list[Path], limits: Limits) -> None:
    from .errors import UsageError
    from .job import write_review

    try:
        typer.echo(write_review(paths, out, roots, limits), err=True)
    except UsageError as exc:
        _fail(str(exc))


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
