"""Reader for HTML pages (lxml): a disclosure published in the page itself.

The page's own text only: scripts, styles, forms' controls, ``<nav>``,
``<aside>``, hidden elements and the site's header and footer are dropped
— ``<header>``/``<footer>`` elements outside any ``<article>``, ``<main>``
or ``<section>``, and elements marked as menus, navigation, breadcrumbs,
sidebars or copyright lines by their ``class``, ``id`` or ``role``.  Such a
mark is ignored on an element that holds a table or much text: a content
wrapper named ``head-wrap`` must not take the disclosure with it.

Blocks come out in page order, as the DOCX reader gives them: every block
element (``<p>``, ``<div>``, a heading, a list item) and every line ended by
``<br>`` is a `Paragraph`; a data table is a `Table`, its ``rowspan`` and
``colspan`` as spans with covered cells (`grid.grid_cells`), a cell's
paragraphs and lines joined with newlines.  Spans are what a browser makes
of them (``rowspan=0`` reaches the end of the row's section, a colspan
past 1000 is 1000), and cost what the cells present cost: a table whose
spans declare more empty cells than the limit loses its empty rows and
columns (`grid.fitted`), and a note says so.  The page is parsed as deep
as libxml2 goes (2048 elements, not its default 256: old CMS pages nest
hundreds of unclosed ``<font>``); a page cut deeper still is noted.  Spaces are what a browser
shows: a run of blanks and line breaks in the source is one space, each
``&nbsp;`` a space of its own.  Old sites lay pages out with
tables: a table that holds another table, or that never has two cells in a
row, is layout, and its cells are read as running text.

The encoding is the one the page declares (``<meta charset>`` or
``http-equiv``; GB2312 and GBK are read as their superset GB18030), else
UTF-8 or GB18030 as for text files (`decoding.decode_text`).  A page without
budget content (a download's error page) is refused by the pipeline, like
any other text without the disclosure's parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from ..blocks import Block, Location, Paragraph, Table, join_cell_lines
from ..errors import UnreadableInput
from ..limits import DEFAULT_LIMITS, Limits
from .decoding import decode_text
from .grid import Fitted, Slot, fitted, grid_cells, grid_size

__all__ = ["decode_html", "parse_html"]

_CHARSET = regex.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_XML_DECLARATION = regex.compile(r"^\s*<\?xml[^>]*\?>")
_GB = frozenset({"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "gb18030", "euc-cn", "x-euc-cn"})
_SPACES = regex.compile(r"[ \t\r\n\f\v]+")
_DROP = frozenset(
    {"head", "script", "style", "noscript", "template", "iframe", "object", "embed", "select", "button", "input"}
    | {"textarea", "nav", "aside", "svg", "map", "canvas"}
)
_BLOCK = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre"}
    | {"section", "article", "main", "header", "footer", "address", "center", "table", "thead", "tbody", "tfoot"}
    | {"tr", "td", "th", "caption", "form", "fieldset", "figure", "figcaption", "hr", "body", "html"}
)
_CONTENT = frozenset({"article", "main", "section"})
_MARKS = regex.compile(r"(?:^|[-_])(?:nav|navbar|menu|footer|breadcrumbs?|crumbs?|sidebar|copyright)(?:$|[-_])")
_EXACT_MARKS = frozenset({"header", "head", "top", "topbar", "bottom", "foot", "share", "links"})
_ROLES = frozenset({"navigation", "banner", "contentinfo", "menu", "menubar", "search"})
_HIDDEN = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)
_MUCH_TEXT = 2000  # characters: more than any menu or footer holds
_MOST_COLSPAN, _MOST_ROWSPAN = 1000, 65534  # the HTML standard reads larger spans as these


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the codec used: the declared charset when it
    decodes the page, else UTF-8 or GB18030."""
    declared = _CHARSET.search(data[:8192])
    if declared is not None and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = declared.group(1).decode("ascii").lower()
        codec = "gb18030" if name in _GB else name
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _marked(element: Any) -> bool:
    """Whether the element's class, id, role or style says it is furniture."""
    if _HIDDEN.search(element.get("style", "")) or element.get("hidden") is not None:
        return True
    if element.get("role", "").lower() in _ROLES:
        return True
    tokens = f"{element.get('class', '')} {element.get('id', '')}".lower().split()
    return any(token in _EXACT_MARKS or _MARKS.search(token) for token in tokens)


def _furniture(element: Any) -> bool:
    tag = _tag(element)
    if tag in _DROP:
        return True
    site_part = tag in ("header", "footer") and not any(_tag(a) in _CONTENT for a in element.iterancestors())
    if not (site_part or _marked(element)):
        return False
    holds_content = element.find(".//table") is not None or len(element.text_content()) > _MUCH_TEXT
    return not holds_content


def _rows(table: Any) -> list[Any]:
    return list(table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"))


def _is_layout(table: Any) -> bool:
    if table.find(".//table") is not None:
        return True
    return all(len(row.xpath("./td | ./th")) < 2 for row in _rows(table))


def _span(cell: Any, name: str, most: int) -> int:
    """A cell's ``rowspan`` or ``colspan`` as a browser takes it: a missing
    or unreadable one is 1, 0 (a rowspan "to the end of its section") and
    anything larger are ``most``."""
    try:
        value = int(str(cell.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return most if value == 0 else max(1, min(value, most))


def _section_ends(rows: list[Any]) -> list[int]:
    """For each row, the index past the last row of its section (the table's
    ``<thead>``, a ``<tbody>``, its ``<tfoot>``, or rows of its own)."""
    ends = [len(rows)] * len(rows)
    for r in range(len(rows) - 2, -1, -1):
        ends[r] = r + 1 if rows[r + 1].getparent() is not rows[r].getparent() else ends[r + 1]
    return ends


class _Overspread(Exception):
    """A table's rowspans cover more cells than a table may leave empty."""


def _placed(rows: list[Any], most_covered: int) -> tuple[dict[Slot, Any], dict[Slot, Slot]]:
    """Each cell by its first slot, and the spans, as a browser lays the rows
    out: a cell goes in the first column of its row that no rowspan from
    above covers.  What a rowspan covers is kept as a column interval in
    each row below, so the cost is the rows it covers, never rows times
    its ``colspan``; past ``most_covered`` rows in all, `_Overspread`."""
    cells: dict[Slot, Any] = {}
    spans: dict[Slot, Slot] = {}
    covering: dict[int, list[Slot]] = {}  # row → (first, past last) columns a rowspan from above covers
    covered = 0
    for r, (row, end) in enumerate(zip(rows, _section_ends(rows), strict=True)):
        intervals, passed, c = sorted(covering.pop(r, [])), 0, 0
        for cell in row.xpath("./td | ./th"):
            while passed < len(intervals) and intervals[passed][0] <= c:
                c, passed = max(c, intervals[passed][1]), passed + 1
            height = _span(cell, "rowspan", min(_MOST_ROWSPAN, end - r))
            width = _span(cell, "colspan", _MOST_COLSPAN)
            cells[(r, c)] = cell
            if height > 1 or width > 1:
                spans[(r, c)] = (height, width)
            covered += height - 1
            if covered > most_covered:
                raise _Overspread
            for below in range(r + 1, r + height):
                covering.setdefault(below, []).append((c, c + width))
            c += width
    return cells, spans


def _fitted_note(table: int, grid: Fitted | None, most: int) -> str:
    spans = f"table {table}: its spans make more than {most:,} empty cells"
    return f"{spans}; its empty rows and columns were dropped" if grid is not None else f"{spans}; it was not read"


@dataclass(slots=True)
class _Flow:
    """Paragraphs in the making: inline text gathers until a block ends."""

    limits: Limits
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    n_paragraphs: int = 0
    n_tables: int = 0

    def text(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.pieces)).replace("\xa0", " ").strip()
        self.pieces.clear()
        if text:
            self.blocks.append(Paragraph(text, Location(paragraph=self.n_paragraphs)))
            self.n_paragraphs += 1

    def visit(self, root: Any) -> None:
        """The element and what it holds, in page order, on a stack of its
        own rather than Python's: old pages nest thousands of ``<font>``."""
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            element, closing = stack.pop()
            if closing and _tag(element) in _BLOCK:
                self.flush()
            if not closing and self.opened(element):
                stack.append((element, True))
                stack.extend((child, False) for child in reversed(element))
            else:
                self.text(element.tail)

    def opened(self, element: Any) -> bool:
        """Read what the element is by itself; whether its children follow."""
        tag = _tag(element)
        if not tag or _furniture(element):  # a comment or a processing instruction, or furniture
            return False
        if tag == "br":
            self.flush()
            return False
        if tag == "table" and not _is_layout(element):
            self.flush()
            self.table(element)
            return False
        if tag in _BLOCK:
            self.flush()
        self.text(element.text)
        return True

    def table(self, element: Any) -> None:
        caption = element.find("caption")
        if caption is not None:
            self.visit(caption)
        most, rows = self.limits.max_empty_cells, _rows(element)
        try:
            cells, spans = _placed(rows, most)
        except _Overspread:
            self.notes.append(f"table {self.n_tables}: its rowspans cover more than {most:,} cells; it was not read")
            self.n_tables += 1
            return
        if not cells:
            return
        grid = fitted({slot: _cell_text(cell, self.limits) for slot, cell in cells.items()}, spans, most)
        if grid is None or grid.compacted:
            self.notes.append(_fitted_note(self.n_tables, grid, most))
        if grid is not None:
            n_rows = grid_size(grid.texts, grid.spans)[0] if grid.compacted else len(rows)
            table = grid_cells(grid.texts, grid.spans, n_rows, self.n_tables)
            self.blocks.append(Table(rows=table, location=Location(table=self.n_tables), index=self.n_tables))
        self.n_tables += 1


def _cell_text(cell: Any, limits: Limits) -> str:
    """A cell's paragraphs and lines, one a line."""
    flow = _Flow(limits)
    flow.text(cell.text)
    for child in cell:
        flow.visit(child)
    flow.flush()
    return join_cell_lines([block.text for block in flow.blocks if isinstance(block, Paragraph)])


def _cut_note(parser: Any) -> list[str]:
    """What the parser left out, from its error log: below the depth it
    builds a tree to (2048 elements with ``huge_tree``), nothing is kept."""
    cut = [entry.message for entry in parser.error_log if entry.type_name == "ERR_RESOURCE_LIMIT"]
    return [f"the page was cut short ({cut[0].split(',')[0]}): what follows was not read"] if cut else []


def parse_html(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Block], str, list[str]]:
    """Blocks of an HTML page, in page order, the encoding it was read in,
    and notes on what was not read."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        text, encoding = decode_html(data)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            name, f"an HTML page in no encoding it declares or we know (bad byte at offset {exc.start})"
        ) from None
    parser = lxml.html.HTMLParser(huge_tree=True)  # else everything below 256 elements deep is dropped
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=parser)
    except (ParserError, ValueError) as exc:
        raise UnreadableInput(name, f"not a readable HTML page ({exc})", "fetch the page again") from None
    flow = _Flow(limits)
    flow.visit(root)
    flow.flush()
    return flow.blocks, encoding, _cut_note(parser) + flow.notes
