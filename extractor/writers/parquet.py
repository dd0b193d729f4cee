"""The Parquet set: one file per table of the relational view, typed, for warehouses.

The tables, their columns and their types are those of the CSV set
(`extractor.writers.tables.TABLES`): ``number`` columns are exact
decimals (``decimal128(38, 10)``: 28 digits before the point and 10 after;
the documents print at most 8 and 6), ``integer`` columns int64,
``boolean`` bool, everything else (codes included) UTF-8 text.  A key
column (`Column.required`) is not nullable.

Rows arrive document by document; each table buffers them and writes a
row group of exactly `ROW_GROUP_ROWS` rows whenever it has that many, so
memory stays flat over a batch and the files depend only on the rows and
their order, not on how they arrived: a batch and ``extract export`` of the
same run write identical bytes.  Files are written under temporary names
and renamed into place when the set is closed.

An amount that decimal128(38, 10) cannot hold exactly (more than 10
digits after the point, or 28 before) is written as null, never rounded,
and counted in `ParquetSet.unfit`, which the command reports.

This is the only module that imports pyarrow (an optional extra,
``pip install '.[parquet]'``), and only when a set is opened.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ExtractorError, OutputError
from ._fileset import FileSet
from .tables import TABLES, Column, Row, TableSpec, Value

__all__ = ["DECIMAL_PRECISION", "DECIMAL_SCALE", "ROW_GROUP_ROWS", "ParquetSet", "fits"]

DECIMAL_PRECISION = 38  # the widest decimal128, and DuckDB's and BigQuery's BIGNUMERIC-free limit
DECIMAL_SCALE = 10
ROW_GROUP_ROWS = 10_000
_COMPRESSION = "zstd"


class ParquetUnavailable(ExtractorError):
    """pyarrow is not installed."""


def fits(value: Decimal) -> bool:
    """Whether decimal128(38, 10) holds a value exactly."""
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    return -exponent <= DECIMAL_SCALE and value.adjusted() < DECIMAL_PRECISION - DECIMAL_SCALE


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ParquetUnavailable(
            "--parquet needs pyarrow: pip install 'budget-disclosure-extractor[parquet]'"
        ) from None
    return pyarrow, pyarrow.parquet


def _arrow_type(arrow: Any, column: Column) -> Any:
    if column.type == "number":
        return arrow.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)
    if column.type == "integer":
        return arrow.int64()
    if column.type == "boolean":
        return arrow.bool_()
    return arrow.string()


def _schema(arrow: Any, spec: TableSpec) -> Any:
    return arrow.schema(
        [arrow.field(column.name, _arrow_type(arrow, column), nullable=not column.required) for column in spec.columns]
    )


class _Table:
    """One table's file: its writer and the rows not yet written."""

    def __init__(self, arrow: Any, parquet: Any, spec: TableSpec, temporary: Path) -> None:
        self.arrow = arrow
        self.spec = spec
        self.temporary = temporary
        self.schema = _schema(arrow, spec)
        self.writer = parquet.ParquetWriter(
            temporary, self.schema, compression=_COMPRESSION, write_statistics=True
        )
        self.buffer: list[Row] = []

    def add(self, row: Row) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= ROW_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        columns = [[row[column.name] for row in self.buffer] for column in self.spec.columns]
        self.writer.write_table(self.arrow.Table.from_arrays(columns, schema=self.schema))
        self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.writer.close()


class ParquetSet(FileSet):
    """The Parquet files of one run, filled document by document."""

    def __init__(self, folder: Path) -> None:
        arrow, parquet = _pyarrow()
        self.folder = folder
        self.unfit = 0
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".*.parquet.tmp"):  # left by a run that was killed
            stale.unlink(missing_ok=True)
        self._tables = {
            name: _Table(arrow, parquet, spec, folder / f".{name}.parquet.tmp") for name, spec in TABLES.items()
        }
        self._numbers = {name: [c.name for c in spec.columns if c.type == "number"] for name, spec in TABLES.items()}

    def add_rows(self, rows: Iterable[tuple[str, Row]]) -> None:
        for table, row in rows:
            try:
                self._tables[table].add(self._checked(table, row))
            except OSError as exc:  # the disk full, the folder gone
                raise OutputError.writing(self.folder / f"{table}.parquet", exc, self.folder) from None

    def _checked(self, table: str, row: Row) -> Row:
        """The row with every amount decimal128(38, 10) cannot hold set to null."""
        unfit = [name for name in self._numbers[table] if _unfit(row[name])]
        if not unfit:
            return row
        self.unfit += len(unfit)
        return {**row, **dict.fromkeys(unfit)}

    def _finish(self) -> Iterator[tuple[Path, Path]]:
        for name, table in self._tables.items():
            yield table.temporary, self.folder / f"{name}.parquet"
            table.close()
        self._tables.clear()

    def abort(self) -> None:
        for table in self._tables.values():
            with contextlib.suppress(OSError):
                table.writer.close()
            with contextlib.suppress(OSError):
                table.temporary.unlink(missing_ok=True)
        self._tables.clear()


def _unfit(value: Value) -> bool:
    return isinstance(value, Decimal) and not fits(value)
