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
paragraphs and lines joined with newlines.  Spaces are what a browser
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
from .decoding import decode_text
from .grid import Slot, grid_cells

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
    try:
        value = int(str(cell.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return most if value == 0 else max(1, min(value, most))


@dataclass(slots=True)
class _Flow:
    """Paragraphs in the making: inline text gathers until a block ends."""

    blocks: list[Block] = field(default_factory=list)
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

    def visit(self, element: Any) -> None:
        tag = _tag(element)
        if not tag or _furniture(element):  # a comment or a processing instruction, or furniture
            self.text(element.tail)
            return
        if tag == "br":
            self.flush()
        elif tag == "table" and not _is_layout(element):
            self.flush()
            self.table(element)
        else:
            block = tag in _BLOCK
            if block:
                self.flush()
            self.text(element.text)
            for child in element:
                self.visit(child)
            if block:
                self.flush()
        self.text(element.tail)

    def table(self, element: Any) -> None:
        caption = element.find("caption")
        if caption is not None:
            self.visit(caption)
        rows = _rows(element)
        texts: dict[Slot, str] = {}
        spans: dict[Slot, Slot] = {}
        taken: set[Slot] = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row.xpath("./td | ./th"):
                while (r, c) in taken:
                    c += 1
                height, width = _span(cell, "rowspan", len(rows) - r), _span(cell, "colspan", 1000)
                texts[(r, c)] = _cell_text(cell)
                if height > 1 or width > 1:
                    spans[(r, c)] = (height, width)
                taken.update((r + i, c + j) for i in range(height) for j in range(width))
                c += width
        if texts:
            cells = grid_cells(texts, spans, len(rows), self.n_tables)
            self.blocks.append(Table(rows=cells, location=Location(table=self.n_tables), index=self.n_tables))
            self.n_tables += 1


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs and lines, one a line."""
    flow = _Flow()
    flow.text(cell.text)
    for child in cell:
        flow.visit(child)
    flow.flush()
    return join_cell_lines([block.text for block in flow.blocks if isinstance(block, Paragraph)])


def parse_html(data: bytes, name: str) -> tuple[list[Block], str]:
    """Blocks of an HTML page, in page order, and the encoding it was read in."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        text, encoding = decode_html(data)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            name, f"an HTML page in no encoding it declares or we know (bad byte at offset {exc.start})"
        ) from None
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (ParserError, ValueError) as exc:
        raise UnreadableInput(name, f"not a readable HTML page ({exc})", "fetch the page again") from None
    flow = _Flow()
    flow.visit(root)
    flow.flush()
    return flow.blocks, encoding
