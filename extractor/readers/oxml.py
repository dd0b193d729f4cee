"""Everything this project knows of WordprocessingML (the XML inside a DOCX).

Pure functions over lxml elements, returning plain values; `docx.py` turns
them into blocks.  The traps python-docx's convenience API has, and how they
are avoided here:

* ``row.cells`` repeats a merged cell once per grid column it spans, and
  ``table.cell(r, c)`` rebuilds the grid on every call: instead each
  ``w:tr``/``w:tc`` is walked once, honouring ``w:gridBefore``,
  ``w:gridSpan`` and ``w:vMerge``.
* ``paragraph.text`` misses text inside content controls (``w:sdt``) and
  inside tracked insertions (``w:ins``): here every ``w:t`` of the paragraph
  is read except those in deletions (``w:del``, ``w:moveFrom``).
* Field instructions (``w:instrText``, e.g. `` TC "…" \\f C \\l 1``) are not
  text and are never read; a field's result is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RawCell", "RawRow", "W", "body_items", "paragraph_text", "table_rows"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}sdt", f"{W}sdtContent"
_CUSTOM_XML = f"{W}customXml"
_T, _TAB, _BR, _CR = f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"
_DELETED = frozenset({f"{W}del", f"{W}moveFrom"})
_TRANSPARENT = frozenset({_SDT, _SDT_CONTENT, _CUSTOM_XML})
_VAL = f"{W}val"

# lxml elements are untyped here: this module is the only one that sees them.
Element = Any


@dataclass(slots=True)
class RawCell:
    """One ``w:tc``: its first grid column, span, vertical-merge state and
    the lines of its paragraphs (nested tables flattened to lines)."""

    col: int
    span: int
    vmerge: str | None
    lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawRow:
    cells: list[RawCell]


def body_items(container: Element) -> Iterator[Element]:
    """The ``w:p`` and ``w:tbl`` children of a body or cell, in order,
    looking through content controls and custom XML wrappers."""
    for child in container:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag in _TRANSPARENT:
            yield from body_items(child)


def _deleted(element: Element, stop: Element) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _DELETED:
            return True
        parent = parent.getparent()
    return False


def paragraph_text(paragraph: Element) -> str:
    """The visible text of a ``w:p``: text runs, tabs as TAB, breaks as new lines."""
    pieces: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        if _deleted(node, paragraph):
            continue
        tag = node.tag
        if tag == _T:
            pieces.append(node.text or "")
        elif tag == _TAB:
            pieces.append("\t")
        else:
            pieces.append("\n")
    return "".join(pieces)


def _property(element: Element, *path: str) -> Element | None:
    node = element
    for name in path:
        node = node.find(f"{W}{name}")
        if node is None:
            return None
    return node


def _int_property(element: Element, *path: str, default: int) -> int:
    node = _property(element, *path)
    if node is None:
        return default
    try:
        return int(node.get(_VAL, default))
    except ValueError:
        return default


def cell_lines(cell: Element) -> list[str]:
    """The lines of a cell: one per paragraph, a nested table's rows as
    lines of TAB-separated cells."""
    lines: list[str] = []
    for item in body_items(cell):
        if item.tag == _P:
            lines.extend(paragraph_text(item).split("\n"))
        else:
            for row in table_rows(item):
                lines.append("\t".join(" ".join(c.lines).strip() for c in row.cells))
    return lines


def table_rows(table: Element) -> list[RawRow]:
    """The rows of a ``w:tbl``, each ``w:tc`` once with its grid position."""
    rows: list[RawRow] = []
    for tr in table.iterchildren(_TR):
        col = _int_property(tr, "trPr", "gridBefore", default=0)
        cells: list[RawCell] = []
        for tc in _row_cells(tr):
            span = max(1, _int_property(tc, "tcPr", "gridSpan", default=1))
            vmerge_node = _property(tc, "tcPr", "vMerge")
            vmerge = None if vmerge_node is None else (vmerge_node.get(_VAL) or "continue")
            cells.append(RawCell(col, span, vmerge, cell_lines(tc)))
            col += span
        rows.append(RawRow(cells))
    return rows


def _row_cells(tr: Element) -> Iterator[Element]:
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _row_cells(child)
