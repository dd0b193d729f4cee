"""Reader for text flattened from Word (the seed's format).

The layout Word's plain-text export gives:

* a paragraph is a line;
* a table cell starts with a TAB; a line without the TAB right after a cell
  line continues that cell (a cell of several paragraphs);
* a blank line ends a table row; a paragraph line ends the table;
* a cell covered by a vertical merge is an empty TAB line;
* (other exporters) a line of several TAB-separated cells is a whole row.

One ambiguity remains: empty paragraphs inside a cell also come out as blank
lines, so a cell's later paragraphs may follow blank lines.  Such a line is
taken as the cell's continuation only when it carries on the cell's list
numbering (``1.…`` in the cell, ``2.…`` after the blank lines); otherwise it
is a paragraph after the table.

Cells are built as the lines are read, in one pass: this reader runs on
every document of a batch, so it does no work twice.
"""

from __future__ import annotations

from ..blocks import Block, Cell, Location, Paragraph, Table
from ..textutil import list_number, strip_field_codes

__all__ = ["parse_flat_text"]

# Word's manual line break and page break, and a stray byte-order mark.
_INVISIBLE = (("\x0b", " "), ("\x0c", " "), ("\ufeff", ""))


class _TableBuilder:
    """Rows of cells in the making; a row stays open until a blank line."""

    __slots__ = ("last", "row_open", "rows", "start", "whole_row")

    def __init__(self, start: int) -> None:
        self.start = start
        self.rows: list[list[Cell]] = []
        self.row_open = False
        self.last: Cell | None = None
        self.whole_row = False  # the last line was a whole row: nothing continues its cells

    def add_row(self, pieces: list[str], line_no: int) -> None:
        """A line holding several cells is a whole row (other exporters)."""
        self.row_open = False
        for piece in pieces:
            self.add_cell(piece, line_no)
        self.row_open = False
        self.whole_row = True

    def add_cell(self, text: str, line_no: int) -> None:
        self.whole_row = False
        if not self.row_open:
            self.rows.append([])
            self.row_open = True
        row = self.rows[-1]
        text = text.strip()
        if "\\" in text:
            text = strip_field_codes(text)
        self.last = Cell(len(self.rows) - 1, len(row), text, Location(line_no, line_no))
        row.append(self.last)

    def continue_cell(self, line: str, line_no: int) -> None:
        cell = self.last
        assert cell is not None
        line = line.strip()
        cell.text = f"{cell.text}\n{line}" if cell.text else line
        cell.location = cell.location._replace(end_line=line_no)

    def continues_numbering(self, line: str) -> bool:
        """Whether ``line`` carries on the list numbering of the last cell."""
        if self.last is None or not self.last.text:
            return False
        previous = self.last.text.rsplit("\n", 1)[-1]
        before = list_number(previous) or list_number(previous, expected=1)
        return before is not None and list_number(line, expected=before + 1) == before + 1

    def build(self, end_line: int, index: int) -> Table:
        return Table(rows=self.rows, location=Location(self.start, end_line), index=index)


def parse_flat_text(text: str) -> list[Block]:
    """Blocks (paragraphs and tables) of a flattened-Word text, with line numbers."""
    blocks: list[Block] = []
    table: _TableBuilder | None = None
    blank_run = 0
    n_tables = 0
    for char, replacement in _INVISIBLE:
        if char in text:
            text = text.replace(char, replacement)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            if table is None:
                table = _TableBuilder(number)
            elif blank_run:
                table.row_open = False
            pieces = line[1:].split("\t")
            if len(pieces) > 1:
                table.add_row(pieces, number)
            else:
                table.add_cell(pieces[0], number)
            blank_run = 0
        elif not line.strip():
            blank_run += 1
            if table is not None:
                table.row_open = False
        elif table is not None and not table.whole_row and (blank_run == 0 or table.continues_numbering(line)):
            table.continue_cell(line, number)
            blank_run = 0
        else:
            if table is not None:
                blocks.append(table.build(number - 1, n_tables))
                n_tables += 1
                table = None
            blocks.append(Paragraph(strip_field_codes(line).strip(), Location(number, number)))
            blank_run = 0
    if table is not None:
        blocks.append(table.build(len(lines), n_tables))
    return blocks
