"""Reading tables by their header labels rather than by fixed positions.

A column map ties a field name to the grid column of the header cell whose
label matches it; data cells are then looked up by grid column, so a table
whose cells span columns (DOCX, PDF) reads the same as flattened text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import regex

from ..blocks import Block, Cell, Location, Table
from ..textutil import compact

__all__ = ["ColumnMap", "find_header", "row_location", "tables_of", "text_of"]


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Field name → (first grid column, span) of its header cell."""

    columns: dict[str, tuple[int, int]]
    header_row: int
    by_col: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        by_col: dict[int, str] = {}
        for name, (start, span) in self.columns.items():
            for col in range(start, start + span):
                by_col.setdefault(col, name)
        object.__setattr__(self, "by_col", by_col)

    def field_of(self, cell: Cell) -> str | None:
        return self.by_col.get(cell.col)

    def read(self, row: list[Cell]) -> dict[str, Cell]:
        """The row's cells by field name (the first cell of each column)."""
        out: dict[str, Cell] = {}
        by_col = self.by_col
        for cell in row:
            name = by_col.get(cell.col)
            if name is not None and name not in out:
                out[name] = cell
        return out


def find_header(table: Table, patterns: Mapping[str, regex.Pattern[str]], required: Iterable[str]) -> ColumnMap | None:
    """The first row whose cells match every required field's pattern."""
    needed = tuple(required)
    for index, row in enumerate(table.rows):
        columns: dict[str, tuple[int, int]] = {}
        for cell in row:
            label = compact(cell.text)
            for name, pattern in patterns.items():
                if name not in columns and label and pattern.search(label):
                    columns[name] = (cell.col, cell.col_span)
                    break
        if all(name in columns for name in needed):
            return ColumnMap(columns, index)
    return None


def row_location(row: list[Cell]) -> Location:
    """The location of a whole row, from its first cell to its last."""
    return row[0].location.through(row[-1].location)


def tables_of(blocks: Iterable[Block]) -> list[Table]:
    return [block for block in blocks if isinstance(block, Table)]


def text_of(cells: Mapping[str, Cell], name: str) -> str | None:
    """The text of the named cell; None when it is absent or empty."""
    cell = cells.get(name)
    return cell.text if cell is not None and cell.text else None
