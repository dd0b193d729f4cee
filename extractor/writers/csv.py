"""The CSV set (OUTPUT.md, "CSV") and its Frictionless Data Package descriptor.

Rows are appended as each document is extracted, so memory stays flat over
a batch; files are written under temporary names and renamed into place
when the set is closed, so an interrupted run leaves no half-written file.

Spreadsheet safety (OWASP's advice on CSV injection): a text cell beginning
with ``= + - @`` (or a TAB or carriage return) would run as a formula in
Excel or LibreOffice; such cells are written with a leading apostrophe
(``'=SUM(…)``), which spreadsheets show as text.  Every text column is
guarded, file names and paths too (a file ``=HYPERLINK(…).pdf`` is
``'=HYPERLINK(…).pdf`` in files.csv); so is a text cell that begins with an
apostrophe already, so that a program gets every value back by removing one
leading ``'`` (and two values never become one key).  Enumerated values
(``value_op`` ``=``: the vocabulary is the contract's, not the file's) and
number, integer and boolean columns (``-1.5``) are written as they are.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError
from ..models import Disclosure
from ._fileset import FileSet
from .tables import TABLES, Column, Row, TableSpec, Value, rows_of

__all__ = ["CSV_ENCODINGS", "LEDGER", "CsvSet", "cell_text", "datapackage"]

CSV_ENCODINGS = ("utf-8-sig", "utf-8")
#: The run's own record, written even with --no-csv: every path read, every input that failed.
LEDGER = ("files", "failures")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a guarded cell begins with.
GUARD = "'"


def cell_text(value: Value, column: Column) -> str:
    """A value as written in a CSV cell (empty for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if column.type == "string" and not column.enum and text.startswith((*FORMULA_STARTS, GUARD)):
        return GUARD + text
    return text


def datapackage(encoding: str, tables: Iterable[str] | None = None) -> dict[str, Any]:
    """The Data Package descriptor of the CSV set (or of the ``tables`` of it
    written): a Table Schema per file; foreign keys to files not written are left out."""
    names = list(TABLES) if tables is None else list(tables)
    return {
        "profile": "tabular-data-package",
        "name": "budget-disclosures",
        "title": "部门预算信息公开 extracted by budget-disclosure-extractor",
        "resources": [_resource(TABLES[name], encoding, set(names)) for name in names],
    }


def _resource(spec: TableSpec, encoding: str, written: set[str]) -> dict[str, Any]:
    fields = []
    for column in spec.columns:
        field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
        constraints: dict[str, Any] = {"required": True} if column.required else {}
        if column.enum:
            constraints["enum"] = list(column.enum)
        if constraints:
            field["constraints"] = constraints
        if column.type == "boolean":
            field.update(trueValues=["true"], falseValues=["false"])
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": list(spec.primary_key), "missingValues": [""]}
    foreign_keys = [
        {"fields": list(local), "reference": {"resource": table, "fields": list(remote)}}
        for local, table, remote in spec.foreign_keys
        if table in written
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": spec.name,
        "path": f"{spec.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        # As the bytes are: utf-8-sig when they begin with the byte-order mark.
        "encoding": encoding,
        "schema": schema,
    }


class CsvSet(FileSet):
    """The CSV files of one run, filled document by document: every table,
    or only ``tables`` (`LEDGER` with --no-csv; rows of the others are skipped)."""

    def __init__(self, folder: Path, encoding: str = "utf-8-sig", tables: Iterable[str] | None = None) -> None:
        if encoding not in CSV_ENCODINGS:
            raise ValueError(f"CSV encoding must be one of {', '.join(CSV_ENCODINGS)}")
        self.folder = folder
        self.encoding = encoding
        self._files: dict[str, tuple[Path, IO[str], Any]] = {}
        folder.mkdir(parents=True, exist_ok=True)
        for spec in TABLES.values() if tables is None else [TABLES[name] for name in tables]:
            temporary = folder / f".{spec.name}.csv.tmp"
            handle = temporary.open("w", encoding=encoding, newline="")
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(spec.column_names)
            self._files[spec.name] = (temporary, handle, writer)

    def add(self, doc_id: str, disclosure: Disclosure) -> None:
        self.add_rows(rows_of(doc_id, disclosure))

    def add_rows(self, rows: Iterable[tuple[str, Row]]) -> None:
        for table, row in rows:
            if table not in self._files:
                continue
            spec = TABLES[table]
            try:
                self._files[table][2].writerow([cell_text(row[c.name], c) for c in spec.columns])
            except OSError as exc:  # the disk full, the folder gone
                raise OutputError.writing(self.folder / f"{table}.csv", exc, self.folder) from None

    def _finish(self) -> Iterator[tuple[Path, Path]]:
        whole = set(self._files) == set(TABLES)
        for name, (temporary, handle, _) in self._files.items():
            yield temporary, self.folder / f"{name}.csv"
            handle.close()
        self._files.clear()
        if not whole:  # the ledger of --no-csv: no Data Package (a folder of JSON files beside two CSVs)
            return
        temporary = self.folder / ".datapackage.json.tmp"
        yield temporary, self.folder / "datapackage.json"
        temporary.write_text(
            json.dumps(datapackage(self.encoding), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    def abort(self) -> None:
        for temporary, handle, _ in self._files.values():
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        self._files.clear()
