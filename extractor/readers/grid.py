"""Merged cells on a grid, as the readers' common table shape.

Spreadsheets (merged ranges) and HTML (``rowspan``/``colspan``) describe a
table as a grid with merged rectangles; Word describes it cell by cell.
`grid_cells` turns the grid into the shape every reader gives (see
`extractor.blocks`): a merged rectangle is one cell with its spans in its
first row, and in each later row it covers an empty cell with
``covered=True`` and the same column span, as Word's vertical merges do.
"""

from __future__ import annotations

from ..blocks import Cell, Location

__all__ = ["grid_cells"]

Slot = tuple[int, int]


def grid_cells(texts: dict[Slot, str], spans: dict[Slot, Slot], n_rows: int, table: int) -> list[list[Cell]]:
    """Rows of cells from the grid: ``texts`` holds the text of every cell
    that starts at (row, col), ``spans`` the (rows, cols) of the merged ones."""
    covered: dict[Slot, int] = {}  # (row, first col) below a merge's first row → its column span
    for (row, col), (height, width) in spans.items():
        for below in range(row + 1, row + height):
            covered[(below, col)] = width
    n_cols = max((col + spans.get((row, col), (1, 1))[1] for row, col in texts), default=0)
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
