"""Reader for text flattened from Word (the seed's format).

The layout Word's plain-text export gives:

* a paragraph is a line;
* a table cell starts with a TAB; a line without the TAB right after a cell
  line continues that cell (a cell of several paragraphs);
* a blank line ends a table row; a paragraph line ends the table;
* a cell covered by a vertical merge is an empty TAB line.

One ambiguity remains: empty paragraphs inside a cell also come out as blank
lines, so a cell's later paragraphs may follow blank lines.  Such a line is
taken as the cell's continuation only when it carries on the cell's list
numbering (``1.…`` in the cell, ``2.…`` after the blank lines); otherwise it
is a paragraph after the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..blocks import Block, Cell, Location, Paragraph, Table, join_cell_lines
from ..textutil import list_number, strip_field_codes

__all__ = ["parse_flat_text"]

_INVISIBLE = str.maketrans({"\x0b": " ", "\x0c": " ", "\ufeff": ""})


@dataclass(slots=True)
class _OpenCell:
    lines: list[str]
    first: int
    last: int


@dataclass(slots=True)
class _TableBuilder:
    """Collects rows of open cells; turns them into a `Table` when closed."""

    start: int
    rows: list[list[_OpenCell]] = field(default_factory=list)
    row_open: bool = False

    def add_cell(self, text: str, line_no: int) -> None:
        if not self.row_open:
            self.rows.append([])
            self.row_open = True
        self.rows[-1].append(_OpenCell([text], line_no, line_no))

    def end_row(self) -> None:
        self.row_open = False

    def last_cell(self) -> _OpenCell:
        return self.rows[-1][-1]

    def build(self, end_line: int, index: int) -> Table:
        rows = [
            [
                Cell(
                    row=r,
                    col=c,
                    text=strip_field_codes(join_cell_lines(cell.lines)),
                    location=Location(line=cell.first, end_line=cell.last),
                )
                for c, cell in enumerate(row)
            ]
            for r, row in enumerate(self.rows)
        ]
        return Table(rows=rows, location=Location(line=self.start, end_line=end_line), index=index)


def _continues_numbering(cell: _OpenCell, line: str) -> bool:
    previous = next((text for text in reversed(cell.lines) if text.strip()), "")
    before, after = list_number(previous), list_number(line)
    return before is not None and after == before + 1


def parse_flat_text(text: str) -> list[Block]:
    """Blocks (paragraphs and tables) of a flattened-Word text, with line numbers."""
    blocks: list[Block] = []
    table: _TableBuilder | None = None
    blank_run = 0
    n_tables = 0

    def close_table(end_line: int) -> None:
        nonlocal table, n_tables
        if table is not None:
            blocks.append(table.build(end_line, n_tables))
            n_tables += 1
            table = None

    lines = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if table is None:
                table = _TableBuilder(start=number)
            elif blank_run:
                table.end_row()
            for piece in line[1:].split("\t"):
                table.add_cell(piece, number)
            blank_run = 0
        elif not line.strip():
            blank_run += 1
            if table is not None:
                table.end_row()
        elif table is not None and (blank_run == 0 or _continues_numbering(table.last_cell(), line)):
            cell = table.last_cell()
            cell.lines.append(line)
            cell.last = number
            blank_run = 0
        else:
            close_table(number - 1)
            blocks.append(Paragraph(strip_field_codes(line).strip(), Location(line=number, end_line=number)))
            blank_run = 0
    close_table(len(lines))
    return blocks
