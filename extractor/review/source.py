"""The source beside a record in the review report.

A record (a project, a department target, an issue) points back into its
source through `SourceLocation`s; this module turns a set of marked
locations into a `SourcePanel`, as the format allows:

* PDF: the pages the locations cover, each with the boxes (``bbox``, PDF
  points, top-left origin) to draw over its image; the images themselves are
  rendered once per page afterwards (`render.render_pages`);
* text: the source lines around the locations, the marked lines flagged;
* DOCX: the tables rebuilt as the reader read them (merged cells spanning as
  in Word), marked rows flagged, and the paragraphs pointed at.

The source is read once per document (`SourceText`), never per record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..archive import read_input_bytes
from ..blocks import Paragraph, Table
from ..models import SourceLocation
from ..readers import read_path
from ..readers.decoding import decode_text

__all__ = ["Box", "Line", "Mark", "PageShot", "RebuiltCell", "RebuiltTable", "SourcePanel", "SourceText"]

MarkKind = Literal["table", "row"]

#: Lines shown around the marked ones, and the most lines or pages one panel shows.
CONTEXT_LINES = 2
MAX_LINES = 400
MAX_PAGES = 6


@dataclass(frozen=True, slots=True)
class Mark:
    """A location to show: a whole record (``table``) or one of its rows
    (``row``), with the anchor of the record it belongs to and a label."""

    location: SourceLocation
    kind: MarkKind
    ref: str
    label: str


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    kind: MarkKind
    ref: str
    label: str


@dataclass(slots=True)
class PageShot:
    page: int
    boxes: list[Box] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str
    mark: MarkKind | None


@dataclass(frozen=True, slots=True)
class RebuiltCell:
    text: str
    row_span: int
    col_span: int


@dataclass(frozen=True, slots=True)
class RebuiltTable:
    index: int
    rows: list[list[RebuiltCell]]
    marked: frozenset[int]


@dataclass(slots=True)
class SourcePanel:
    """What the report shows of the source beside one record."""

    pages: list[PageShot] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    tables: list[RebuiltTable] = field(default_factory=list)
    paragraphs: list[tuple[int, str]] = field(default_factory=list)
    note: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.pages or self.lines or self.tables or self.paragraphs)


def _page_range(location: SourceLocation) -> range:
    assert location.page is not None
    return range(location.page, (location.end_page or location.page) + 1)


def _box(mark: Mark) -> Box | None:
    bbox = mark.location.bbox
    if bbox is None or len(bbox) != 4:
        return None
    x0, top, x1, bottom = bbox
    return Box(x0, top, max(x1 - x0, 1.0), max(bottom - top, 1.0), mark.kind, mark.ref, mark.label)


def pdf_panel(marks: Iterable[Mark]) -> SourcePanel:
    """The pages the marks cover, with a box per mark that has a bbox (on
    its first page, where the reader's bbox lies)."""
    shots: dict[int, PageShot] = {}
    for mark in marks:
        if mark.location.page is None:
            continue
        for page in _page_range(mark.location):
            shots.setdefault(page, PageShot(page))
        box = _box(mark)
        if box is not None:
            shots[mark.location.page].boxes.append(box)
    pages = [shots[page] for page in sorted(shots)]
    panel = SourcePanel(pages=pages[:MAX_PAGES])
    if len(pages) > MAX_PAGES:
        panel.note = f"pages {pages[MAX_PAGES].page}–{pages[-1].page} not shown"
    return panel


@dataclass(slots=True)
class SourceText:
    """A text or DOCX source, read once: its lines (text) or its tables and
    paragraphs by index (DOCX)."""

    lines: list[str] = field(default_factory=list)
    tables: dict[int, Table] = field(default_factory=dict)
    paragraphs: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of_text(cls, path: Path) -> SourceText:
        text, _ = decode_text(read_input_bytes(path))  # a file, or a member of a ZIP
        return cls(lines=text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))

    @classmethod
    def of_docx(cls, path: Path) -> SourceText:
        source = cls()
        for block in read_path(path).blocks:
            if isinstance(block, Table) and block.location.table is not None:
                source.tables[block.location.table] = block
            elif isinstance(block, Paragraph) and block.location.paragraph is not None:
                source.paragraphs[block.location.paragraph] = block.text
        return source

    def panel(self, marks: Iterable[Mark]) -> SourcePanel:
        marks = list(marks)
        if self.lines:
            return self._lines_panel(marks)
        return self._docx_panel(marks)

    def _lines_panel(self, marks: list[Mark]) -> SourcePanel:
        flags: dict[int, MarkKind] = {}
        for mark in sorted(marks, key=lambda m: m.kind != "table"):  # rows override their table
            start = mark.location.line
            if start is None:
                continue
            for number in range(start, (mark.location.end_line or start) + 1):
                flags[number] = mark.kind
        if not flags:
            return SourcePanel()
        first = max(1, min(flags) - CONTEXT_LINES)
        last = min(len(self.lines), max(flags) + CONTEXT_LINES)
        shown = range(first, min(last, first + MAX_LINES - 1) + 1)
        panel = SourcePanel(lines=[Line(n, self.lines[n - 1], flags.get(n)) for n in shown])
        if last > shown[-1]:
            panel.note = f"lines {shown[-1] + 1}–{last} not shown"
        return panel

    def _docx_panel(self, marks: list[Mark]) -> SourcePanel:
        marked_rows: dict[int, set[int]] = {}
        paragraphs: set[int] = set()
        for mark in marks:
            location = mark.location
            if location.paragraph is not None:
                paragraphs.add(location.paragraph)
            if location.table is None:
                continue
            for index in range(location.table, (location.end_table or location.table) + 1):
                marked_rows.setdefault(index, set())
            if location.row is not None:
                marked_rows[location.table].add(location.row)
        tables = [
            _rebuild(self.tables[index], frozenset(rows))
            for index, rows in sorted(marked_rows.items())
            if index in self.tables
        ]
        return SourcePanel(
            tables=tables,
            paragraphs=[(n, self.paragraphs[n]) for n in sorted(paragraphs) if n in self.paragraphs],
        )


def _rebuild(table: Table, marked: frozenset[int]) -> RebuiltTable:
    """The table as read: covered cells left out, merges spanning."""
    rows = [
        [RebuiltCell(cell.text, cell.row_span, cell.col_span) for cell in row if not cell.covered] for row in table.rows
    ]
    return RebuiltTable(table.location.table or 0, rows, marked)
