"""The ``extract`` command.

``extract FILE_OR_DIR… -o out/`` writes one JSON per disclosure;
``extract schema`` writes the JSON Schema of the output.  Heavy modules
(pydantic models, readers) are imported inside the commands so that
``extract --help`` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from .models import Disclosure

__all__ = ["app", "main"]

DEFAULT_OUT = Path("out")
# The defaults of extractor.limits, repeated here so that --help needs no import.
DEFAULT_MAX_INPUT_MB = 32.0
DEFAULT_MAX_UNZIPPED_MB = 256.0
DEFAULT_TIMEOUT = 120.0
DEFAULT_SCHEMA = Path("schemas/disclosure.schema.json")
INPUT_SUFFIXES = (".txt", ".text", ".docx", ".pdf", ".doc")

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


def _inputs(paths: list[Path]) -> list[Path]:
    """Files named, and the disclosure files found (recursively) in folders named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES))
        else:
            found.append(path)
    return found


def _summary(disclosure: Disclosure) -> str:
    projects = disclosure.performance.projects if disclosure.performance else []
    indicators = sum(len(p.indicators) for p in projects)
    severities = [issue.severity for issue in disclosure.issues]
    return (
        f"{len(projects)} projects, {indicators} indicators, "
        f"{severities.count('error')} errors, {severities.count('warning')} warnings"
    )


@app.command("run")
def run(
    paths: Annotated[list[Path], typer.Argument(help="Disclosure files (.docx, or Word text), or folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the JSON files and the CSV set.")] = DEFAULT_OUT,
    csv: Annotated[bool, typer.Option("--csv/--no-csv", help="Write the CSV set and datapackage.json.")] = True,
    csv_encoding: Annotated[str, typer.Option(help="utf-8-sig (with BOM, for Excel) or utf-8.")] = "utf-8-sig",
    sqlite: Annotated[Path | None, typer.Option(help="Also load every document into this SQLite file.")] = None,
    db: Annotated[str | None, typer.Option(help="Also load into PostgreSQL: postgresql://user@host/dbname")] = None,
    indent: Annotated[int, typer.Option(help="JSON indentation; 0 writes one line per document.")] = 2,
    max_size: Annotated[float, typer.Option(help="Refuse inputs larger than this many MB.")] = DEFAULT_MAX_INPUT_MB,
    max_unzipped: Annotated[
        float, typer.Option(help="Refuse a DOCX that unpacks to more than this many MB.")
    ] = DEFAULT_MAX_UNZIPPED_MB,
    timeout: Annotated[float, typer.Option(help="Give up on a file after this many seconds.")] = DEFAULT_TIMEOUT,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    debug: Annotated[bool, typer.Option(help="Show the traceback of unexpected errors.")] = False,
) -> None:
    """Extract each disclosure to OUT/<name>.json, the CSV set and any database (exit 1 if a file failed)."""
    from contextlib import ExitStack

    from .errors import ExtractorError
    from .limits import Limits
    from .pipeline import extract_file
    from .writers.csv import CSV_ENCODINGS, CsvSet
    from .writers.json import write_json
    from .writers.sql import SqlLoader
    from .writers.tables import DocIds

    files = _inputs(paths)
    if not files:
        typer.echo("extract: error: no input files found", err=True)
        raise typer.Exit(EXIT_USAGE)
    if csv_encoding not in CSV_ENCODINGS:
        typer.echo(f"extract: error: --csv-encoding must be one of {', '.join(CSV_ENCODINGS)}", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        limits = Limits(max_input_mb=max_size, max_unzipped_mb=max_unzipped, timeout_seconds=timeout)
    except ValueError as exc:
        typer.echo(f"extract: error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    doc_id = DocIds(files)
    failed = 0
    with ExitStack() as stack:
        try:
            sinks = [stack.enter_context(SqlLoader(target)) for target in (sqlite, db) if target is not None]
        except ExtractorError as exc:
            typer.echo(f"extract: error: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        table_set = stack.enter_context(CsvSet(out, csv_encoding)) if csv else None
        for file in files:
            try:
                disclosure = extract_file(file, limits)
                name = doc_id(file, disclosure.source.sha256)
                target = write_json(disclosure, out / f"{name}.json", indent or None)
                if table_set is not None:
                    table_set.add(name, disclosure)
                for sink in sinks:
                    sink.load(name, disclosure)
            except ExtractorError as exc:
                failed += 1
                typer.echo(f"extract: error: {exc}", err=True)
                continue
            except Exception as exc:  # one bad file must not stop the others
                if debug:
                    raise
                failed += 1
                typer.echo(
                    f"extract: error: {file}: internal error: {type(exc).__name__}: {exc} "
                    "(rerun with --debug for the traceback)",
                    err=True,
                )
                continue
            if not quiet:
                typer.echo(f"{file} -> {target} ({_summary(disclosure)})", err=True)
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


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
    for file in _inputs(paths):
        try:
            disclosure = extract_file(file)
        except InputError as exc:
            failed += 1
            typer.echo(f"extract: error: {exc}", err=True)
            continue
        errors += sum(1 for issue in disclosure.issues if issue.severity == "error")
        render_report(console, str(file), disclosure, show_info=show_info)
    if failed:
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_DATA_ERRORS if strict and errors else EXIT_OK)


@app.command("schema")
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the schema.")] = DEFAULT_SCHEMA,
) -> None:
    """Write the JSON Schema of the output document (generated from the models)."""
    from .schema import write_schema

    typer.echo(f"wrote {write_schema(out)}", err=True)


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
