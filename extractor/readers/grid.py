"""Merged cells on a grid, as the readers' common table shape.

Spreadsheets (merged ranges) and HTML (``rowspan``/``colspan``) describe a
table as a grid with merged rectangles; Word describes it cell by cell.
`grid_cells` turns the grid into the shape every reader gives (see
`extractor.blocks`): a merged rectangle is one cell with its spans in its
first row, and in each later row it covers an empty cell with
``covered=True`` and the same column span, as Word's vertical merges do.

A grid's extent is what its cells and spans declare, and a few bytes can
declare a million rows (a workbook's cells at A1 and XFD1048576, an HTML
cell of ``colspan=1000``).  `fitted` keeps the cost bounded by the cells
present: a grid with more empty slots than a limit loses the rows and
columns in which no cell starts (a span then counts the ones it still
covers), and one that still has is not read.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from ..blocks import Cell, Location

__all__ = ["Fitted", "fitted", "grid_cells", "grid_size"]

Slot = tuple[int, int]


class Fitted(NamedTuple):
    """A grid within the limit; ``compacted`` when its empty rows and
    columns were dropped to get there."""

    texts: dict[Slot, str]
    spans: dict[Slot, Slot]
    compacted: bool


def grid_size(texts: dict[Slot, str], spans: dict[Slot, Slot]) -> Slot:
    """(rows, columns) the cells and their spans reach."""
    extents = [spans.get(slot, (1, 1)) for slot in texts]
    n_rows = max((row + height for (row, _), (height, _) in zip(texts, extents, strict=True)), default=0)
    n_cols = max((col + width for (_, col), (_, width) in zip(texts, extents, strict=True)), default=0)
    return n_rows, n_cols


def _compacted(texts: dict[Slot, str], spans: dict[Slot, Slot]) -> tuple[dict[Slot, str], dict[Slot, Slot]]:
    rows, cols = sorted({r for r, _ in texts}), sorted({c for _, c in texts})
    row_at, col_at = {r: i for i, r in enumerate(rows)}, {c: i for i, c in enumerate(cols)}
    moved = {(row_at[r], col_at[c]): text for (r, c), text in texts.items()}
    kept = {
        (row_at[r], col_at[c]): (bisect_left(rows, r + h) - row_at[r], bisect_left(cols, c + w) - col_at[c])
        for (r, c), (h, w) in spans.items()
    }
    return moved, {slot: span for slot, span in kept.items() if span != (1, 1)}


def _empty_slots(texts: dict[Slot, str], spans: dict[Slot, Slot]) -> int:
    n_rows, n_cols = grid_size(texts, spans)
    return n_rows * n_cols - len(texts)


def fitted(texts: dict[Slot, str], spans: dict[Slot, Slot], most: int) -> Fitted | None:
    """The grid if at most ``most`` of its slots hold no cell's start, else
    the grid without the rows and columns in which no cell starts if that
    one is, else None.  Every key of ``spans`` must be a key of ``texts``."""
    if _empty_slots(texts, spans) <= most:
        return Fitted(texts, spans, compacted=False)
    texts, spans = _compacted(texts, spans)
    return Fitted(texts, spans, compacted=True) if _empty_slots(texts, spans) <= most else None


def grid_cells(texts: dict[Slot, str], spans: dict[Slot, Slot], n_rows: int, table: int) -> list[list[Cell]]:
    """Rows of cells from the grid: ``texts`` holds the text of every cell
    that starts at (row, col), ``spans`` the (rows, cols) of the merged ones."""
    covered: dict[Slot, int] = {}  # (row, first col) below a merge's first row → its column span
    for (row, col), (height, width) in spans.items():
        for below in range(row + 1, row + height):
            covered[(below, col)] = width
    n_cols = grid_size(texts, spans)[1]
    rows: list[list[Cell]] = []
    for r in range(n_rows):
        cells: list[Cell] = []
        c = 0
        while c < n_cols:
            location = Location(table=table, row=r)
            if (r, c) in covered:
                cells.append(Cell(r, c, "", location, col_span=covered[(r, c)], covered=True))
                c += covered[(r, c)]
            elif (r, c) in texts:
                height, width = spans.get((r, c), (1, 1))
                cells.append(Cell(r, c, texts[(r, c)], location, row_span=height, col_span=width))
                c += width
            else:
                c += 1
        rows.append(cells)
    return rows
