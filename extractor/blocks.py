"""The neutral document model every reader produces and every parser consumes.

A source document is a flat list of blocks in reading order: paragraphs and
tables.  A table is a list of rows; a row lists one `Cell` per distinct cell,
left to right (a cell spanning several grid columns appears once).  A cell
covered by a vertical merge from the row above appears as an empty cell with
``covered=True``: that is the shape Word's own text export gives, and the one
the part parsers expect from every reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "Block",
    "Cell",
    "Location",
    "Paragraph",
    "SourceDocument",
    "SourceInfo",
    "Table",
    "block_characters",
    "count_characters",
    "join_cell_lines",
]


class Location(NamedTuple):
    """Where something stands in the source: lines (text), table and row
    (DOCX, 0-based body-table index) or page and bounding box (PDF).
    A named tuple: immutable, and cheap to make for every cell."""

    line: int | None = None
    end_line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    end_table: int | None = None
    row: int | None = None
    page: int | None = None
    end_page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, object]:
        """The location as the contract writes it: only the keys that are set,
        in the fields' order (the box last, as a list)."""
        numbers = zip(_NUMBERS, self, strict=False)  # stops before the box
        out: dict[str, object] = {name: value for name, value in numbers if value is not None}
        if self.bbox is not None:
            out["bbox"] = list(self.bbox)
        return out

    def through(self, other: Location) -> Location:
        """From this location to the end of ``other``, which comes later:
        start fields this one lacks are taken from ``other``; line, table and
        page ranges grow to where ``other`` ends.  (Unpacked and built in one
        call, not by ``_replace``: it runs for every row of every table.)"""
        line, end_line, paragraph, table, end_table, row, page, end_page, bbox = self
        o_line, o_end_line, _, o_table, o_end_table, _, o_page, o_end_page, o_bbox = other
        table = table if table is not None else o_table
        page = page if page is not None else o_page
        last_line = o_end_line if o_end_line is not None else o_line
        last_table = o_end_table if o_end_table is not None else o_table
        last_page = o_end_page if o_end_page is not None else o_page
        return Location(
            line if line is not None else o_line,
            last_line if last_line is not None else end_line,
            paragraph,
            table,
            last_table if last_table is not None and last_table != table else end_table,
            row,
            page,
            last_page if last_page is not None and last_page != page else end_page,
            _union(bbox, o_bbox) if last_page in (None, page) else bbox,
        )


#: Location's fields before the box, in order.
_NUMBERS = Location._fields[:-1]


def _union(
    a: tuple[float, float, float, float] | None, b: tuple[float, float, float, float] | None
) -> tuple[float, float, float, float] | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass(slots=True)
class Cell:
    """One table cell: its grid position, spans, text and source location."""

    row: int
    col: int
    text: str
    location: Location
    row_span: int = 1
    col_span: int = 1
    covered: bool = False

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(slots=True)
class Table:
    """A table as rows of cells, with the location of the whole table."""

    rows: list[list[Cell]]
    location: Location
    index: int = 0

    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row]


@dataclass(slots=True)
class Paragraph:
    """A paragraph of running text outside any table."""

    text: str
    location: Location


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the reader knows of the file it read."""

    file: str
    format: str
    sha256: str
    bytes: int
    encoding: str | None = None


@dataclass(slots=True)
class SourceDocument:
    """A reader's output: the file's identity and its blocks in reading order.

    The reader's side of the coverage ledger: ``characters`` is what it read
    (non-space characters; for a PDF, every character on the pages), or None
    when that is what its blocks hold (text, DOCX, sheets, HTML: nothing is
    removed or set aside, so the count would only repeat the blocks'),
    ``furniture_characters`` what it removed as page furniture (page numbers,
    running headers, rows and merged cells printed again overleaf) and
    ``dropped_characters`` what it set aside and reported in ``notes``
    (text off the page or outside any cell).  The rest is in the blocks:
    ``characters == placed + furniture_characters + dropped_characters``,
    placed counted with `count_characters` over the blocks' texts."""

    source: SourceInfo
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)
    characters: int | None = None
    furniture_characters: int = 0
    dropped_characters: int = 0


def count_characters(text: str) -> int:
    """Non-space characters of ``text``: the unit of the coverage ledger
    (`str.split` drops exactly the characters `str.isspace` names, in C)."""
    return sum(map(len, text.split()))


def block_characters(blocks: list[Block]) -> int:
    """Non-space characters placed in ``blocks`` (paragraphs and cells),
    counted at once over their texts joined by a space."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts.extend(cell.text for row in block.rows for cell in row)
    return count_characters(" ".join(texts))


def join_cell_lines(lines: list[str]) -> str:
    """A cell's text from its lines or paragraphs: each line trimmed on the
    right, empty lines dropped, the rest joined with newlines, trimmed."""
    if len(lines) == 1:
        return lines[0].strip()
    return "\n".join(line.rstrip() for line in lines if line.strip()).strip()
