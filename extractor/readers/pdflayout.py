"""Page geometry to blocks: pure functions, no pdfplumber.

The chain, as in pdfplumber's own table code: characters → lines → cell
texts and paragraphs; cell boxes → a grid with spans → rows of `Cell` in the
shape every reader gives (a vertically covered slot is an empty cell with
``covered=True``); then, over the whole document, page furniture removed and
tables that run over a page break joined.

Chinese text has no spaces between words, so wrapped lines are joined with
nothing, and a space is kept only between two Latin letters or digits that
stand apart on the page.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from ..blocks import Block, Cell, Location, Paragraph, Table, count_characters
from ..textutil import compact, in_order, list_number, starts_numbered

__all__ = [
    "DEFAULT_SETTINGS",
    "Char",
    "LayoutSettings",
    "Ledger",
    "PageBlocks",
    "PageContent",
    "TableBoxes",
    "TextColumn",
    "join_pages",
    "page_blocks",
    "page_size",
    "text_columns",
]

DEFAULT_LINE_TOLERANCE = 0.5  # of the font size: chars whose tops differ less share a line
DEFAULT_SPACE_GAP = 0.25  # of the font size: a wider gap between Latin characters is a space
# of the font size: what LibreOffice (Asian typography's autospace) adds between
# Chinese and Latin text, on top of the space gap, before a gap there is a space
DEFAULT_AUTOSPACE = 0.2
DEFAULT_PARAGRAPH_GAP = 0.6  # font sizes of space above a line beyond the page's usual line gap: a paragraph starts
DEFAULT_INDENT = 1.0  # font sizes: a line starting this much right of the line above starts a paragraph
DEFAULT_SIZE_CHANGE = 0.2  # of the font size: a line in another size starts a paragraph (a heading)
DEFAULT_SHORT_LINE = 6.0  # font sizes short of the right edge: the line ends its paragraph
# (less would split at every number pushed whole onto the next line: "增加 / 91.53万元")
DEFAULT_GRID_TOLERANCE = 2.0  # points: cell edges closer than this are one grid line
DEFAULT_JOIN_TOLERANCE = 3.0  # points: tables on two pages whose sides match this well are one
DEFAULT_MARGIN = 0.08  # of the page height: headers and footers live in this band
DEFAULT_FULL_LINE = 1.2  # font sizes: a cell's last line ending closer to its edge is full
# font sizes: slack when a cell's last line stops short by less than the text overleaf needs
# to start a line (its first unbreakable piece: "1200元"'s number, a bracket and what it opens)
DEFAULT_FIT_TOLERANCE = 0.3
DEFAULT_FULL_PARAGRAPH = 3.0  # font sizes: likewise for running text (quotes and kinsoku shorten lines)

_PAGE_NUMBER = regex.compile(
    r"^(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|[-—–－]?\s*\d(?:\s?\d){0,3}\s*[-—–－]?|\d+\s*/\s*\d+)$"
)
_NUMBER_MARK = frozenset("0123456789-—–－ ")


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    line_tolerance: float = DEFAULT_LINE_TOLERANCE
    space_gap: float = DEFAULT_SPACE_GAP
    autospace: float = DEFAULT_AUTOSPACE
    paragraph_gap: float = DEFAULT_PARAGRAPH_GAP
    indent: float = DEFAULT_INDENT
    size_change: float = DEFAULT_SIZE_CHANGE
    short_line: float = DEFAULT_SHORT_LINE
    grid_tolerance: float = DEFAULT_GRID_TOLERANCE
    join_tolerance: float = DEFAULT_JOIN_TOLERANCE
    margin: float = DEFAULT_MARGIN
    full_line: float = DEFAULT_FULL_LINE
    fit_tolerance: float = DEFAULT_FIT_TOLERANCE
    full_paragraph: float = DEFAULT_FULL_PARAGRAPH

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 0:
                raise ValueError(f"LayoutSettings.{name} must not be negative")


DEFAULT_SETTINGS = LayoutSettings()


#: A font's descent (per point of size) below this is a broken metric: a
#: font whose descriptor says -1.03 puts its glyphs' boxes a whole line under
#: their baseline (Chongqing's E-BZ digits and punctuation: the 2026 of the
#: title, every 、 of the text, each read as a line of its own).
MIN_PLAUSIBLE_DESCENT = -0.5
#: The descent taken instead: the middle of what CJK and Latin fonts declare (-0.12 … -0.33).
DEFAULT_DESCENT = -0.25


def plausible_descent(descent: float) -> float:
    """A font's descent per point of size, or `DEFAULT_DESCENT` when it is broken."""
    return DEFAULT_DESCENT if descent < MIN_PLAUSIBLE_DESCENT else descent


class Char(NamedTuple):
    """A character on a page with its box (top-left coordinates) and font
    size: a tuple, built fast (a page holds thousands)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class TableBoxes:
    """A ruled table found on a page: its outline and its cells' boxes."""

    bbox: tuple[float, float, float, float]
    cells: tuple[tuple[float, float, float, float], ...]


@dataclass(slots=True)
class PageBlocks:
    """A page's blocks, and the ids of the paragraphs and table cells whose
    last line runs to the right edge (their text may go on over the page);
    the page's non-space characters; the text inside a table's outline that
    no cell holds; the ids of the paragraphs that open with an indent (a
    paragraph's first line, not the rest of one cut by the page break); for
    each cell, how many font sizes its last line stops short of the edge
    (``room``) and how wide its first unbreakable piece is (``lead``); the
    ids of the cells cut by the page's top or foot (``clipped``: a table
    painted past the page, wkhtmltopdf's, is cut there by `ruling`)."""

    blocks: list[Block]
    full: set[int] = field(default_factory=set)
    characters: int = 0
    unplaced: str = ""
    indented: set[int] = field(default_factory=set)
    room: dict[int, float] = field(default_factory=dict)
    lead: dict[int, float] = field(default_factory=dict)
    clipped: set[int] = field(default_factory=set)


@dataclass(slots=True)
class PageContent:
    """What a reader takes from one page before it is closed: the characters
    it prints (`keep_on_page` sets aside those outside the page box), the
    ruled tables, and the text set aside as printed outside the page."""

    number: int
    width: float
    height: float
    chars: list[Char]
    tables: list[TableBoxes] = field(default_factory=list)
    off_page: str = ""


@dataclass(frozen=True, slots=True)
class Cut:
    """What tells a block cut by a page break, over the whole document: ids
    of the paragraphs and cells whose last line runs to the edge (``full``),
    the paragraphs that open with an indent, and the room left on each
    cell's last line and the width each cell's first piece needs, and the
    cells cut by the page's top or foot."""

    full: set[int]
    opening: set[int]
    room: dict[int, float]
    lead: dict[int, float]
    clipped: set[int]


@dataclass(slots=True)
class Ledger:
    """What the reader took out of the text, in non-space characters: page
    furniture removed (page numbers, running headers, rows and merged cells
    printed again overleaf) and text set aside, each piece with a note."""

    notes: list[str] = field(default_factory=list)
    furniture: int = 0
    dropped: int = 0

    def remove(self, text: str) -> None:
        self.furniture += count_characters(text)

    def set_aside(self, text: str, note: str) -> None:
        self.dropped += count_characters(text)
        self.notes.append(note)


@dataclass(slots=True)
class _Line:
    chars: list[Char]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)


def _lines(chars: Iterable[Char], settings: LayoutSettings) -> list[_Line]:
    """Characters grouped into lines, top to bottom, each left to right."""
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (c.top, c.x0)):
        if lines and abs(char.top - lines[-1].chars[0].top) <= settings.line_tolerance * char.size:
            lines[-1].chars.append(char)
        else:
            lines.append(_Line([char]))
    for line in lines:
        line.chars.sort(key=lambda c: c.x0)
    return lines


def _line_text(line: _Line, settings: LayoutSettings) -> str:
    """A line's text; a gap wider than the line's usual spacing between two
    characters is a space.  Justified lines spread every gap alike, so the
    usual one is the line's median gap, not zero.  Between Chinese and
    Latin text (digits) producers put some room of their own (``autospace``)."""
    chars = line.chars
    spacing = sorted(b.x0 - a.x1 for a, b in itertools.pairwise(chars))
    usual = max(0.0, spacing[len(spacing) // 2]) if spacing else 0.0
    pieces: list[str] = []
    previous: Char | None = None
    for char in chars:
        if (
            previous is not None
            and not previous.text.isspace()
            and not char.text.isspace()
            and char.x0 - previous.x1 - usual
            > (settings.space_gap + (settings.autospace if previous.text.isascii() != char.text.isascii() else 0.0))
            * char.size
        ):
            pieces.append(" ")
        pieces.append(char.text)
        previous = char
    return "".join(pieces).strip()


@dataclass(frozen=True, slots=True)
class TextColumn:
    """The running text's column: where full lines end, and the usual space
    between two lines of a paragraph (line spacing varies from document to
    document: single, 1.5, exactly 28 pt …)."""

    left: float
    right: float
    gap: float


FULL_LINES_SEEN = 3  # lines reaching an edge before it counts as the column's right edge


def _body(lines: list[_Line], page: PageContent, settings: LayoutSettings) -> list[_Line]:
    """Lines outside the top and bottom margin bands (headers, footers)."""
    band = settings.margin * page.height
    return [line for line in lines if line.top >= band and line.bottom <= page.height - band]


def _edge(ends: list[float], settings: LayoutSettings, sign: float) -> float | None:
    """The furthest out (right: ``sign`` 1, left: -1) that several lines
    reach: full lines of justified or ragged text end at the margin, give
    or take a character's compression; one line further out is an outlier."""
    ordered = sorted((sign * end for end in ends), reverse=True)
    for index in range(len(ordered) - FULL_LINES_SEEN + 1):
        if ordered[index] - ordered[index + FULL_LINES_SEEN - 1] <= settings.grid_tolerance:
            return sign * ordered[index]
    return sign * ordered[0] if ordered else None


def _gaps(body: list[_Line], settings: LayoutSettings) -> list[float]:
    """Spaces between consecutive lines of one size, tables and the like apart."""
    return [
        b.top - a.bottom
        for a, b in itertools.pairwise(body)
        if abs(a.size - b.size) <= settings.size_change * a.size and -0.5 * a.size < b.top - a.bottom < 3 * a.size
    ]


def _usual_gap(gaps: list[float]) -> float:
    # the lower quartile: wrapped lines are set closest, and some pages hold
    # more paragraph breaks than wrapped lines
    return sorted(gaps)[len(gaps) // 4] if gaps else 0.0


def _column(lines: list[_Line], page: PageContent, settings: LayoutSettings) -> TextColumn:
    body = _body(lines, page, settings) or lines
    left = _edge([line.x0 for line in body], settings, -1) or 0.0
    right = _edge([line.x1 for line in body], settings, 1) or page.width
    return TextColumn(left, right, _usual_gap(_gaps(body, settings)))


def _outside_tables(page: PageContent) -> tuple[list[list[Char]], list[Char]]:
    in_table: list[list[Char]] = [[] for _ in page.tables]
    outside: list[Char] = []
    boxes = [(index, *table.bbox) for index, table in enumerate(page.tables)]
    for char in page.chars:
        cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        for index, x0, top, x1, bottom in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                in_table[index].append(char)
                break
        else:
            outside.append(char)
    return in_table, outside


def page_size(page: PageContent) -> tuple[int, int]:
    """Pages of one size (and orientation) share a text column."""
    return round(page.width), round(page.height)


def text_columns(
    pages: Iterable[PageContent], settings: LayoutSettings = DEFAULT_SETTINGS
) -> dict[tuple[int, int], TextColumn]:
    """The running text's column for each page size of a document (portrait
    and landscape pages have their own): one page alone may hold too few
    lines to tell its margin from a short line, or its line spacing."""
    starts: dict[tuple[int, int], list[float]] = {}
    ends: dict[tuple[int, int], list[float]] = {}
    gaps: dict[tuple[int, int], list[float]] = {}
    for page in pages:
        body = _body(_lines(_outside_tables(page)[1], settings), page, settings)
        starts.setdefault(page_size(page), []).extend(line.x0 for line in body)
        ends.setdefault(page_size(page), []).extend(line.x1 for line in body)
        gaps.setdefault(page_size(page), []).extend(_gaps(body, settings))
    columns: dict[tuple[int, int], TextColumn] = {}
    for size, values in ends.items():
        left, right = _edge(starts[size], settings, -1), _edge(values, settings, 1)
        if left is not None and right is not None:
            columns[size] = TextColumn(left, right, _usual_gap(gaps[size]))
    return columns


_TOC_ENTRY = regex.compile(r"[.…·]{4,}\s*\d+$")  # a contents line: dot leaders and a page number


def _starts_paragraph(line: _Line, text: str, previous: _Line, column: TextColumn, settings: LayoutSettings) -> bool:
    """Whether a line of running text starts a new paragraph rather than
    carrying on the one above: more space above it than between the
    page's wrapped lines, a line above that stops short of the right edge,
    a first-line indent, a change of font size (a heading), a numbered
    heading or item (``（五）``), or a contents entry above.  A line stops
    short when the room left on it would have taken the piece the next
    line starts with (a wrap leaves less room than that; see `_lead`) or,
    whatever that piece, ``short_line`` font sizes."""
    size = previous.size
    room = column.right - previous.x1
    return (
        line.top - previous.bottom > column.gap + settings.paragraph_gap * size
        or room > min(settings.short_line * size, (_lead(line) + settings.fit_tolerance) * line.size)
        or line.x0 > previous.x0 + settings.indent * size
        or abs(line.size - size) > settings.size_change * size
        or starts_numbered(text)
        or _TOC_ENTRY.search(_line_text(previous, settings)) is not None
    )


def _paragraph_texts(
    lines: list[_Line], column: TextColumn | None, settings: LayoutSettings
) -> list[tuple[str, list[_Line]]]:
    """Lines grouped into paragraphs, wrapped lines joined with nothing
    between them (Chinese text).  A new paragraph starts at list numbering
    and, where ``column`` is given (running text, not a cell), where
    `_starts_paragraph` says so.  In narrow cells a line stops short
    whenever a number does not fit after it, so only numbering counts there."""
    groups: list[tuple[str, list[_Line]]] = []
    previous: _Line | None = None
    expected = 1
    for line in lines:
        text = _line_text(line, settings)
        if not text:
            continue
        # "1.5万元" mid-paragraph is a decimal; "2.100%…" after item 1 is item 2
        number = list_number(text, expected if previous is None or expected > 1 else None)
        if number is not None:
            expected = number + 1
        new = (
            previous is None
            or number is not None
            or (column is not None and _starts_paragraph(line, text, previous, column, settings))
        )
        if new:
            groups.append((text, [line]))
        else:
            joined, members = groups[-1]
            space = " " if members[-1].chars[-1].text.isspace() or line.chars[0].text.isspace() else ""
            groups[-1] = (joined + space + text, [*members, line])
        previous = line
    return groups


def _bbox(lines: Sequence[_Line]) -> tuple[float, float, float, float]:
    return (
        round(min(ln.x0 for ln in lines), 2),
        round(min(ln.top for ln in lines), 2),
        round(max(ln.x1 for ln in lines), 2),
        round(max(ln.bottom for ln in lines), 2),
    )


def _cell_text(
    chars: list[Char], box: tuple[float, float, float, float], settings: LayoutSettings
) -> tuple[str, float, float]:
    """A cell's text (its paragraphs one a line), how many font sizes its
    last line stops short of the cell's right edge (a line cut by a page
    break runs to the edge, or stops short of it by less than what the text
    overleaf starts with) and how wide its first unbreakable piece is."""
    lines = _lines(chars, settings)
    text = "\n".join(t for t, _ in _paragraph_texts(lines, None, settings))
    if not lines:
        return text, float("inf"), 0.0
    padding = max(0.0, min(line.x0 for line in lines) - box[0])
    last = lines[-1]
    return text, (box[2] - padding - last.x1) / last.size, _lead(lines[0])


def _lead(line: _Line) -> float:
    """How many font sizes the start of ``line`` needs on one line: opening
    brackets with what follows them (kinsoku), a run of Latin letters and
    digits (a number is never broken), the closing punctuation after, a
    number right after a closing bracket (``【2020】197号``) and a quotation
    mark with what follows it (``助力“京``, ``志愿者”管``: LibreOffice breaks
    neither before nor after one, as Unicode's line breaking once had it)."""
    chars = [char for char in line.chars if not char.text.isspace()]
    end = 0
    while end < len(chars) and chars[end].text in _OPENING:
        end += 1
    end = _run_end(chars, end)
    while end < len(chars):
        if chars[end].text in _QUOTES:
            end = _run_end(chars, end + 1)
        elif chars[end].text in _CLOSING:
            end += 1
            if end < len(chars) and chars[end].text.isdigit():
                end = _run_end(chars, end)
        else:
            break
    pieces = chars[: max(1, end)]
    return (pieces[-1].x1 - pieces[0].x0) / line.size if pieces else 0.0


def _run_end(chars: list[Char], start: int) -> int:
    """Where the unbreakable run at ``start`` ends: Latin letters and digits
    together, any other character alone."""
    end = start
    if end < len(chars) and chars[end].text.isascii():
        while end < len(chars) and chars[end].text.isascii():
            end += 1
        return end
    return min(end + 1, len(chars))


def _grid(values: Iterable[float], tolerance: float) -> list[float]:
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > tolerance:
            lines.append(value)
    return lines


def _index(grid: list[float], value: float, tolerance: float) -> int:
    position = bisect.bisect_left(grid, value - tolerance)
    return min(position, len(grid) - 1)


def _table(
    boxes: TableBoxes, chars: list[Char], page: PageContent, settings: LayoutSettings, found: PageBlocks
) -> Table:
    tol = settings.grid_tolerance
    xs = _grid([v for b in boxes.cells for v in (b[0], b[2])], tol)
    ys = _grid([v for b in boxes.cells for v in (b[1], b[3])], tol)
    placed: list[tuple[int, int, int, int, tuple[float, float, float, float]]] = []
    owner: dict[tuple[int, int], int] = {}
    for box in sorted(boxes.cells, key=lambda b: (b[1], b[0])):
        col, row = _index(xs, box[0], tol), _index(ys, box[1], tol)
        col_end, row_end = _index(xs, box[2], tol), _index(ys, box[3], tol)
        number = len(placed)
        placed.append((row, col, max(1, row_end - row), max(1, col_end - col), box))
        for r in range(row, max(row + 1, row_end)):
            for c in range(col, max(col + 1, col_end)):
                owner[(r, c)] = number
    texts: list[list[Char]] = [[] for _ in placed]
    unplaced: list[str] = []
    for char in chars:
        cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        slot = (bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1)
        if slot in owner:
            texts[owner[slot]].append(char)
        else:
            unplaced.append(char.text)
    found.unplaced += "".join(unplaced)
    rows: list[list[Cell]] = [[] for _ in range(max((p[0] + p[2] for p in placed), default=0))]
    for number, (row, col, row_span, col_span, box) in enumerate(placed):
        location = Location(page=page.number, bbox=tuple(round(v, 2) for v in box))  # type: ignore[arg-type]
        text, short, lead = _cell_text(texts[number], box, settings)
        cell = Cell(row, col, text, location, row_span=row_span, col_span=col_span)
        if short <= settings.full_line:
            found.full.add(id(cell))
        if box[1] <= tol or box[3] >= page.height - tol:
            found.clipped.add(id(cell))
        found.room[id(cell)], found.lead[id(cell)] = short, lead
        rows[row].append(cell)
        for below in range(row + 1, row + row_span):
            rows[below].append(Cell(below, col, "", location, col_span=col_span, covered=True))
    for row_cells in rows:
        row_cells.sort(key=lambda cell: cell.col)
    bbox = tuple(round(v, 2) for v in boxes.bbox)
    return Table(rows=[r for r in rows if r], location=Location(page=page.number, bbox=bbox))  # type: ignore[arg-type]


def _inside(char: Char, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def keep_on_page(page: PageContent, settings: LayoutSettings = DEFAULT_SETTINGS) -> None:
    """Set aside the characters printed outside the page box: not content
    (WPS lets a long cell run past the foot of a page and prints the row
    again overleaf), but for those of a ruled table that runs past a side
    of the page (LibreOffice lets a table wider than a small page run off
    it, its rules cut at the edge, and prints none of it again): the cells
    at that edge reach out to take them."""
    page.tables = [_reaching_out(table, page, settings) for table in page.tables]
    width, height = 2 * page.width, 2 * page.height  # the centre's coordinates, doubled
    if all(0 <= c.x0 + c.x1 <= width and 0 <= c.top + c.bottom <= height for c in page.chars):
        return
    kept: list[Char] = []
    off: list[str] = []
    for char in page.chars:
        cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        if 0 <= cy <= page.height and (0 <= cx <= page.width or any(_inside(char, t.bbox) for t in page.tables)):
            kept.append(char)
        else:
            off.append(char.text)
    page.chars = kept
    page.off_page += "".join(off)


def _reaching_out(table: TableBoxes, page: PageContent, settings: LayoutSettings) -> TableBoxes:
    """``table`` with the cells at a side of the page widened past it, as
    far again as the page is wide (alike on every page of a size, so the
    parts of a table on two pages keep one outline)."""
    tol = settings.grid_tolerance
    left, right = table.bbox[0] <= tol, table.bbox[2] >= page.width - tol
    if not (left or right):
        return table

    def widened(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0 = -page.width if left and box[0] <= tol else box[0]
        x1 = 2 * page.width if right and box[2] >= page.width - tol else box[2]
        return x0, box[1], x1, box[3]

    return TableBoxes(widened(table.bbox), tuple(widened(box) for box in table.cells))


def _detach_page_numbers(lines: list[_Line], page: PageContent, settings: LayoutSettings) -> list[_Line]:
    """A page number printed on one line with a title or header in the
    margin band (``2 5`` then ``市级…``) made a line of its own, set apart
    from the text by a gap or by its font size, so that it is furniture."""
    band = settings.margin * page.height
    out: list[_Line] = []
    for line in lines:
        if line.top >= band and line.bottom <= page.height - band:
            out.append(line)
            continue
        out.extend(_split_number(line, settings))
    return out


def _split_number(line: _Line, settings: LayoutSettings) -> list[_Line]:
    chars = line.chars
    head = next((i for i, c in enumerate(chars) if c.text not in _NUMBER_MARK), len(chars))
    tail = next((i for i in range(len(chars), 0, -1) if chars[i - 1].text not in _NUMBER_MARK), 0)
    if _apart(chars[:head], chars[head:], settings):
        return [_Line(chars[:head]), _Line(chars[head:])]
    if _apart(chars[tail:], chars[:tail], settings):
        return [_Line(chars[:tail]), _Line(chars[tail:])]
    return [line]


def _apart(number: list[Char], rest: list[Char], settings: LayoutSettings) -> bool:
    """Whether ``number`` is a page number standing apart from ``rest`` on
    its line: an em or more between them, or another font size."""
    if not number or not rest or not _PAGE_NUMBER.match(_line_text(_Line(number), settings)):
        return False
    left, right = (number, rest) if number[0].x0 < rest[0].x0 else (rest, number)
    size = rest[0].size
    return right[0].x0 - left[-1].x1 >= size or abs(number[0].size - size) > settings.size_change * size


def page_blocks(
    page: PageContent, settings: LayoutSettings = DEFAULT_SETTINGS, column: TextColumn | None = None
) -> PageBlocks:
    """A page's paragraphs and tables in reading order (top to bottom).
    ``column`` is the document's text column for the page's size
    (`text_columns`); without it, the page's own lines tell."""
    in_table, outside = _outside_tables(page)
    found = PageBlocks([])
    placed: list[tuple[float, Block]] = [
        (boxes.bbox[1], _table(boxes, in_table[i], page, settings, found)) for i, boxes in enumerate(page.tables)
    ]
    lines = _detach_page_numbers(_lines(outside, settings), page, settings)
    column = column or _column(lines, page, settings)
    for text, members in _paragraph_texts(lines, column, settings):
        paragraph = Paragraph(text, Location(page=page.number, bbox=_bbox(members)))
        indented = members[0].x0 > column.left + settings.indent * members[0].size
        if indented:
            found.indented.add(id(paragraph))
        # a paragraph cut by the page break keeps two lines or more on this
        # page (orphan control), or opened with an indent, and its last line
        # runs to the right edge
        last = members[-1]
        if (len(members) >= 2 or indented) and last.x1 >= column.right - settings.full_paragraph * last.size:
            found.full.add(id(paragraph))
        placed.append((members[0].top, paragraph))
    placed.sort(key=lambda item: item[0])
    found.blocks = [block for _, block in placed]
    found.characters = sum(count_characters(char.text) for char in page.chars) + count_characters(page.off_page)
    return found


def _furniture(pages: list[tuple[PageContent, PageBlocks]], settings: LayoutSettings) -> set[int]:
    """ids of paragraphs that are page numbers, or headers and footers
    repeated on most pages, reaching into the top or bottom margin band."""

    def in_margin(block: Paragraph, page: PageContent) -> bool:
        assert block.location.bbox is not None
        band = settings.margin * page.height
        return block.location.bbox[1] < band or block.location.bbox[3] > page.height - band

    candidates = [(b, p) for p, found in pages for b in found.blocks if isinstance(b, Paragraph) and in_margin(b, p)]
    repeated = Counter(regex.sub(r"\d+", "#", b.text) for b, _ in candidates)
    threshold = max(2, len(pages) // 2)
    return {
        id(b)
        for b, _ in candidates
        if _PAGE_NUMBER.match(b.text) or repeated[regex.sub(r"\d+", "#", b.text)] >= threshold
    }


OVERFLOW_REACH = 0.03  # of the page height: overflowing text runs this close to the page's edge, or past it


def _tables_text(found: PageBlocks) -> str:
    """A page's cell texts, compacted, one cell apart from the next."""
    return "\x00".join(compact(cell.text) for b in found.blocks if isinstance(b, Table) for cell in b.cells())


def _running_off(near: list[tuple[Paragraph, float]], band: float, reach: float) -> list[Paragraph]:
    """``near``, the paragraphs on one side of a table, each with how far it
    stays from the page's edge on that side, when they all stand in the
    margin band there (nothing between them and the table) and reach to
    within ``reach`` of the edge."""
    if not near or any(gap >= band for _, gap in near) or min(gap for _, gap in near) > reach:
        return []
    return [p for p, _ in near]


def _overflow(
    pages: list[tuple[PageContent, PageBlocks]], settings: LayoutSettings, furniture: set[int]
) -> dict[int, Paragraph]:
    """Paragraphs (other than page furniture) that are a table's cells
    running past its ruled area to the top or bottom edge of the page, WPS
    printing the row again overleaf: in the margin band, reaching the page's
    edge, nothing else between them and the table, and one of them printed
    again in a table of the page after (or before, over the table).  A
    title above a table or a note below it keeps to the page's margins,
    however close to the table it stands; a title at the foot of a page
    whose project's table starts overleaf is not printed there again."""
    found: dict[int, Paragraph] = {}
    texts = [_tables_text(blocks) for _, blocks in pages]
    for index, (page, content) in enumerate(pages):
        band, reach = settings.margin * page.height, OVERFLOW_REACH * page.height
        tables = [b.location.bbox for b in content.blocks if isinstance(b, Table) and b.location.bbox]
        paragraphs = [
            (b, b.location.bbox)
            for b in content.blocks
            if isinstance(b, Paragraph) and b.location.bbox is not None and id(b) not in furniture
        ]
        for t in tables:
            beside = [(b, box) for b, box in paragraphs if box[0] < t[2] and box[2] > t[0]]
            below = [(b, page.height - box[3]) for b, box in beside if box[1] >= t[3] - settings.grid_tolerance]
            above = [(b, box[1]) for b, box in beside if box[3] <= t[1] + settings.grid_tolerance]
            # another table on that side stands between the paragraphs and the page's edge, or the table
            runs = (
                ([] if any(o[1] > t[3] for o in tables) else _running_off(below, band, reach), index + 1),
                ([] if any(o[3] < t[1] for o in tables) else _running_off(above, band, reach), index - 1),
            )
            for run, overleaf in runs:
                again = texts[overleaf] if 0 <= overleaf < len(texts) else ""
                if any(compact(p.text) in again for p in run):
                    found.update((id(p), p) for p in run)
    return found


def _spill_target(table: Table, box: tuple[float, float, float, float], settings: LayoutSettings) -> Cell | None:
    """The cell of ``table``'s last row whose column holds ``box``, when
    ``box`` stands right under the table (within a line of its bottom, or
    across it)."""
    bottom = table.location.bbox[3] if table.location.bbox else None
    line = box[3] - box[1]
    if bottom is None or not -line <= box[1] - bottom <= line + settings.grid_tolerance:
        return None
    last = len(table.rows) - 1
    for cell in table.cells():
        cell_box = cell.location.bbox
        if (
            not cell.covered
            and cell.row + cell.row_span - 1 == last
            and cell_box is not None
            and cell_box[0] - settings.grid_tolerance <= box[0]
            and box[2] <= cell_box[2] + settings.grid_tolerance
        ):
            return cell
    return None


def _take_spills(pages: list[tuple[PageContent, PageBlocks]], settings: LayoutSettings, furniture: set[int]) -> None:
    """Lines of a cell printed under its table at a page break, the table
    going on overleaf (a browser paints a merged cell's text past the part
    of its table on the page), moved back into the cell."""
    for (_, found), (_, following) in itertools.pairwise(pages):
        kept = [b for b in found.blocks if id(b) not in furniture]
        after = [b for b in following.blocks if id(b) not in furniture]
        tables = [i for i, b in enumerate(kept) if isinstance(b, Table)]
        if not tables or not after or not isinstance(after[0], Table):
            continue
        table = kept[tables[-1]]
        assert isinstance(table, Table)
        if not _continues(table, after[0], settings):
            continue
        for block in kept[tables[-1] + 1 :]:
            if not isinstance(block, Paragraph) or block.location.bbox is None:
                break
            target = _spill_target(table, block.location.bbox, settings)
            if target is None:
                break
            target.text += block.text
            found.blocks.remove(block)


def _columns(table: Table) -> set[int]:
    return {round(cell.location.bbox[0]) for cell in table.cells() if cell.location.bbox is not None}


CAPTION_MAX_LENGTH = 40  # a table's title row is short; a spanning row of data is usually longer


def _caption(table: Table) -> str | None:
    """The title a table opens with, as a row of one short cell spanning most
    of its width (``预算07表 政府性基金预算支出表``), if it has one."""
    width = max((cell.col + cell.col_span for cell in table.cells()), default=0)
    for row in table.rows[:3]:
        filled = [cell for cell in row if cell.text]
        if not filled:
            continue
        if len(filled) == 1 and filled[0].col_span * 2 >= width and len(filled[0].text) <= CAPTION_MAX_LENGTH:
            return compact(filled[0].text)
        return None
    return None


def _continues(first: Table, second: Table, settings: LayoutSettings) -> bool:
    a, b = first.location.bbox, second.location.bbox
    if a is None or b is None:
        return False
    captions = _caption(first), _caption(second)
    if None not in captions and captions[0] != captions[1]:
        return False  # two tables of one layout, each with its own title
    tol = settings.join_tolerance
    if abs(a[0] - b[0]) > tol or abs(a[2] - b[2]) > tol:
        return False
    left, right = _columns(first), _columns(second)
    return len(left & right) >= 0.5 * max(len(left), len(right)) and not _opens_anew(first, second)


def _opens_anew(first: Table, second: Table) -> bool:
    """Whether ``second`` is another table of ``first``'s form: past the
    rows it prints again, its next row is laid out as ``first``'s row there,
    in ``first``'s header (before its figures), and keeps some of its texts
    (the labels) but not all (the values: 实施单位 | 烟台市会展业服务中心 under
    实施单位 | 烟台市商务局).  A header printed again over a continuation is
    printed whole, and the rows after it are the table's own."""
    depth = min(_header_depth(first), len(second.rows), len(first.rows))
    index = next((k for k in range(depth) if not _repeats(first.rows[k], second.rows[k])), None)
    if index is None:
        return False
    mine, theirs = first.rows[index], second.rows[index]
    if _layout(mine) != _layout(theirs):
        return False
    pairs = [(compact(a.text), compact(b.text)) for a, b in zip(mine, theirs, strict=True) if a.text and b.text]
    return any(x == y for x, y in pairs) and any(x != y for x, y in pairs)


def _repeats(header: list[Cell], row: list[Cell]) -> bool:
    """Whether ``row`` prints ``header`` again: every header cell's text
    stands, in order, in the row's cell of the same column (some producers
    print text overflowing from the page before over the repeated header)."""
    by_col = {cell.col: compact(cell.text) for cell in row}
    labels = [(cell.col, compact(cell.text)) for cell in header if cell.text]
    return bool(labels) and all(in_order(text, by_col.get(col, "")) for col, text in labels)


_FIGURE = regex.compile(r"^[-+]?[0-9][0-9,]*(?:\.[0-9]+)?%?$")


def _header_depth(table: Table) -> int:
    """How many rows a table opens with before its first row of figures:
    only those can be a header printed again on the next page."""
    for index, row in enumerate(table.rows):
        if any(_FIGURE.match(compact(cell.text)) for cell in row):
            return index
    return len(table.rows)


def _drop_repeated_header(first: Table, rows: list[list[Cell]], ledger: Ledger) -> list[list[Cell]]:
    dropped = 0
    depth = min(_header_depth(first), len(rows))
    while dropped < depth and _repeats(first.rows[dropped], rows[dropped]):
        texts = [c.text for c in rows[dropped] if compact(c.text)]
        extra = [t for t in texts if all(compact(h.text) != compact(t) for h in first.rows[dropped])]
        ledger.remove("".join(t for t in texts if t not in extra))
        if extra:
            ledger.set_aside(
                "".join(extra),
                f"page {rows[dropped][0].location.page}: text printed over a repeated header row "
                f"set aside: {' / '.join(extra)!r}",
            )
        dropped += 1
    return rows[dropped:]


def _layout(row: list[Cell]) -> list[tuple[int, int]]:
    return [(cell.col, cell.col_span) for cell in row]


def _numbering_goes_on(before: str, after: str) -> bool:
    last = before.rsplit("\n", 1)[-1]
    number = list_number(last) or list_number(last, expected=1)
    return number is not None and list_number(after, number + 1) == number + 1


# may not end a line (kinsoku): a line before one of these breaks early
_OPENING = "（(“‘《〈「『【〔"
# may not start a line: a cell overleaf opening with one of these goes on from the page before
_CLOSING = "）)”’》〉」』】〕，,。.、；;：:！!？?"
_QUOTES = "“”‘’"  # quotation marks: no line break before or after them


def _goes_on(top: Cell, bottom: Cell, cut: Cut, settings: LayoutSettings) -> bool:
    """Whether ``bottom``'s text carries on ``top``'s: top's last line ran to
    the cell's edge, or the room left on it was too narrow for the piece
    bottom starts with (a number, a bracket and its first character).  A
    figure is never cut: one over another are two rows' (a subtotal row
    overleaf under the last project's amounts)."""
    if _FIGURE.match(compact(top.text)) and _FIGURE.match(compact(bottom.text)):
        return False
    if bottom.text[:1] in _CLOSING or id(top) in cut.full:
        return True
    room, lead = cut.room.get(id(top)), cut.lead.get(id(bottom))
    if room is None or lead is None or list_number(bottom.text) is not None:
        return False
    return room < lead + settings.fit_tolerance


def _partners(last: list[Cell], fragment: list[Cell], cut: Cut) -> dict[int, Cell] | None:
    """For each cell of ``fragment`` (by id), the cell of ``last`` it would
    carry on: the one in its column when both rows are laid out alike, or,
    when the page's foot cut ``last`` and its top cut ``fragment`` (a table
    painted past the page), the one its box overlaps most (the two pages
    may place a column line a few points apart); None when they cannot be
    one row."""
    if _layout(last) == _layout(fragment):
        above = {cell.col: cell for cell in last}
        return {id(cell): above[cell.col] for cell in fragment if cell.col in above}
    if not any(id(c) in cut.clipped for c in last) or not any(id(c) in cut.clipped for c in fragment):
        return None
    partners: dict[int, Cell] = {}
    for cell in fragment:
        overlaps = [(_overlap(cell, other), other) for other in last]
        width, other = max(overlaps, key=lambda pair: pair[0], default=(0.0, None))
        if other is None or width <= 0:
            return None
        partners[id(cell)] = other
    return partners


def _overlap(a: Cell, b: Cell) -> float:
    if a.location.bbox is None or b.location.bbox is None:
        return 0.0
    return min(a.location.bbox[2], b.location.bbox[2]) - max(a.location.bbox[0], b.location.bbox[0])


def _is_split_row(last: list[Cell], fragment: list[Cell], cut: Cut, settings: LayoutSettings) -> bool:
    """Whether ``fragment`` holds the rest of ``last``, cut by the page break.
    A cut row keeps its cells' layout on the new page (`_partners`), and its
    text goes on: every cell with text on both sides goes on from the page
    before (`_goes_on`; a finished cell's last line usually stops short), or
    a list carries on with its next number.  A row cut before any of its
    text was printed (a browser starts a row at the foot of a page and
    prints its lines overleaf) is blank, its text all overleaf."""
    partners = _partners(last, fragment, cut)
    if partners is None:
        return False
    pairs = [(partners[id(c)], c) for c in fragment if c.text and id(c) in partners and partners[id(c)].text]
    if not pairs:
        return not any(c.text for c in last) and any(c.text for c in fragment)
    return all(_goes_on(top, bottom, cut, settings) for top, bottom in pairs) or any(
        _numbering_goes_on(top.text, bottom.text) for top, bottom in pairs
    )


def _join_split_row(last: list[Cell], fragment: list[Cell], cut: Cut) -> None:
    partners = _partners(last, fragment, cut) or {}
    for cell in fragment:
        target = partners.get(id(cell))
        if target is None or not cell.text:
            continue
        separator = "\n" if list_number(cell.text) is not None else ""
        target.text = f"{target.text}{separator}{cell.text}" if target.text else cell.text
        target.covered = False


def _merge_origins(table: Table) -> dict[int, Cell]:
    """Column → the cell whose vertical merge runs into the table's last row."""
    origins: dict[int, Cell] = {}
    for cell in table.rows[-1]:
        if cell.row_span > 1 and not cell.covered:
            origins[cell.col] = cell
        elif cell.covered:
            for earlier in reversed(table.rows[:-1]):
                above = next((c for c in earlier if c.col == cell.col and not c.covered), None)
                if above is not None:
                    origins[cell.col] = above
                    break
    return origins


def _merge_goes_on(first: Table, row: list[Cell]) -> bool:
    """Whether ``row`` holds nothing but the rest of merged labels cut by the
    page break (资金支出计划 / （%）: the merge's last line printed overleaf
    in a row of its own, laid out as the row before the break): text only
    under merges running into the break, none of it the merge's own text
    printed again."""
    if _layout(first.rows[-1]) != _layout(row):
        return False
    origins = _merge_origins(first)
    filled = [cell for cell in row if cell.text]
    return bool(filled) and all(
        cell.col in origins
        and origins[cell.col].text
        and not cell.covered
        and compact(cell.text) != compact(origins[cell.col].text)
        for cell in filled
    )


def _uncover_repeats(first: Table, row: list[Cell], ledger: Ledger) -> None:
    """Merged cells that run over the break start again on the new page,
    printed anew (or empty): they become covered cells of the merges above.
    When a merge's text could not be seen on the first page (it ran off the
    page), the text printed overleaf moves up into it.  If any cell's text
    differs from a non-empty merge above, the row starts new merges instead."""
    origins = _merge_origins(first)
    pairs = [(origins[cell.col], cell) for cell in row if cell.col in origins and not cell.covered]
    if not pairs or any(
        above.text and cell.text and compact(above.text) != compact(cell.text) for above, cell in pairs
    ):
        return
    for above, cell in pairs:
        if cell.text and not above.text:
            above.text = cell.text
        else:
            ledger.remove(cell.text)
        cell.text, cell.covered = "", True


def _regrid(first: Table, rows: list[list[Cell]], settings: LayoutSettings) -> None:
    """Put both parts of a table on one column grid, from the column lines
    of both: each page draws only the lines its own rows need, and a line
    may lie as far from its place on the other page as two parts of one
    table may (pdfplumber snaps a page's nearby lines, of any table, to
    their mean)."""
    cells = [cell for cell in first.cells() if cell.location.bbox] + [
        cell for row in rows for cell in row if cell.location.bbox
    ]
    xs = _grid(
        [v for cell in cells for v in (cell.location.bbox[0], cell.location.bbox[2])],  # type: ignore[index]
        settings.join_tolerance,
    )
    for cell in cells:
        box = cell.location.bbox
        assert box is not None
        start, end = _nearest(xs, box[0]), _nearest(xs, box[2])
        cell.col, cell.col_span = start, max(1, end - start)


def _nearest(grid: list[float], value: float) -> int:
    """The index of the grid line nearest ``value`` (the lower one of two as near)."""
    position = bisect.bisect_left(grid, value)
    if position == len(grid) or (position > 0 and value - grid[position - 1] <= grid[position] - value):
        return position - 1
    return position


def _append(first: Table, second: Table, cut: Cut, settings: LayoutSettings, ledger: Ledger) -> None:
    _regrid(first, second.rows, settings)
    rows = _drop_repeated_header(first, second.rows, ledger)
    if rows and first.rows and _is_split_row(first.rows[-1], rows[0], cut, settings):
        _join_split_row(first.rows[-1], rows[0], cut)
        rows = rows[1:]
    elif rows and first.rows and _merge_goes_on(first, rows[0]):
        origins = _merge_origins(first)
        for cell in rows[0]:
            if cell.text:
                origins[cell.col].text += cell.text
        rows = rows[1:]
    if rows:
        _uncover_repeats(first, rows[0], ledger)
    offset = len(first.rows)
    for index, row in enumerate(rows):
        for cell in row:
            cell.row = offset + index
        first.rows.append(row)
    first.location = first.location.through(second.location)


def _joinable(last: Block, first: Block, cut: Cut, settings: LayoutSettings) -> bool:
    if isinstance(last, Table) and isinstance(first, Table):
        return _continues(last, first, settings)
    if isinstance(last, Paragraph) and isinstance(first, Paragraph):
        return id(last) in cut.full and id(first) not in cut.opening and not starts_numbered(first.text)
    return False


def _join(last: Block, first: Block, cut: Cut, settings: LayoutSettings, ledger: Ledger) -> None:
    if isinstance(last, Table) and isinstance(first, Table):
        _append(last, first, cut, settings, ledger)
    elif isinstance(last, Paragraph) and isinstance(first, Paragraph):
        last.text += first.text
        last.location = last.location.through(first.location)


REPEATED_CAPTION_LINES = 3  # a table's title, unit line and period, printed again above its continuation


def _repeated_caption(blocks: list[Block], kept: list[Block]) -> int:
    """How many paragraphs a page opens with that print again the ones
    just above the table the previous page ended with (its title and unit
    line), when a table follows them; 0 when there are none."""
    if not blocks or not isinstance(blocks[-1], Table):
        return 0
    for k in range(1, min(REPEATED_CAPTION_LINES, len(kept) - 1, len(blocks) - 1) + 1):
        if not isinstance(kept[k], Table):
            continue
        printed, before = kept[:k], blocks[-1 - k : -1]
        if all(
            isinstance(a, Paragraph) and isinstance(b, Paragraph) and compact(a.text) == compact(b.text)
            for a, b in zip(printed, before, strict=True)
        ):
            return k
        return 0
    return 0


def _set_aside_unplaced(pages: list[tuple[PageContent, PageBlocks]], ledger: Ledger) -> None:
    for content, found in pages:
        if content.off_page.strip():
            ledger.set_aside(
                content.off_page, f"page {content.number}: text outside the page set aside: {content.off_page!r}"
            )
        if found.unplaced.strip():
            note = f"page {content.number}: text inside a table but in no cell set aside: {found.unplaced!r}"
            ledger.set_aside(found.unplaced, note)


def join_pages(
    pages: list[tuple[PageContent, PageBlocks]], settings: LayoutSettings = DEFAULT_SETTINGS
) -> tuple[list[Block], Ledger]:
    """All pages' blocks in order, page furniture dropped, and a table that
    ends one page and begins the next (same outline and columns, nothing in
    between but its title printed again) joined into one: repeated header rows dropped, a row cut by the
    break rejoined; likewise a paragraph cut by the break.  A joined block's
    location spans its pages, so every join can be seen and checked.
    Returns the blocks and the ledger of what was removed or set aside
    (text off the page, outside any cell, or a table's overflow), with notes."""
    ledger = Ledger()
    _set_aside_unplaced(pages, ledger)
    furniture = _furniture(pages, settings)
    for _, found in pages:
        for block in found.blocks:
            if id(block) in furniture and isinstance(block, Paragraph):
                ledger.remove(block.text)
    overflow = _overflow(pages, settings, furniture)
    for p in overflow.values():
        ledger.set_aside(
            p.text, f"page {p.location.page}: text outside the ruled table set aside as cell overflow: {p.text!r}"
        )
    furniture |= set(overflow)
    _take_spills(pages, settings, furniture)
    cut = Cut(
        set().union(*(found.full for _, found in pages)),
        set().union(*(found.indented for _, found in pages)),
        {key: room for _, found in pages for key, room in found.room.items()},
        {key: lead for _, found in pages for key, lead in found.lead.items()},
        set().union(*(found.clipped for _, found in pages)),
    )
    blocks: list[Block] = []
    for _, found in pages:
        kept = [b for b in found.blocks if id(b) not in furniture]
        caption = _repeated_caption(blocks, kept)
        if caption and _continues(blocks[-1], kept[caption], settings):  # type: ignore[arg-type]
            for paragraph in kept[:caption]:
                ledger.remove(paragraph.text)  # type: ignore[union-attr]
            kept = kept[caption:]
        if kept and blocks and _joinable(blocks[-1], kept[0], cut, settings):
            _join(blocks[-1], kept[0], cut, settings, ledger)
            kept = kept[1:]
        blocks.extend(kept)
    for index, block in enumerate(b for b in blocks if isinstance(b, Table)):
        block.index = index
    return blocks, ledger
