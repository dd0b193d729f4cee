"""Everything this project knows of WordprocessingML (the XML inside a DOCX).

Pure functions over lxml elements, returning plain values; `docx.py` turns
them into blocks.  The traps python-docx's convenience API has, and how they
are avoided here:

* ``row.cells`` repeats a merged cell once per grid column it spans, and
  ``table.cell(r, c)`` rebuilds the grid on every call: instead each
  ``w:tr``/``w:tc`` is walked once, honouring ``w:gridBefore``,
  ``w:gridSpan``, ``w:vMerge`` and the legacy ``w:hMerge``.
* ``paragraph.text`` misses text inside content controls (``w:sdt``) and
  inside tracked insertions (``w:ins``): here every ``w:t`` of the paragraph
  is read except those in deletions (``w:del``, ``w:moveFrom``).
* Field instructions (``w:instrText``, e.g. `` TC "…" \\f C \\l 1``) are not
  text and are never read; a field's result is.
* Characters inserted as symbols (``w:sym``: ``≥`` from the Symbol font)
  are read from that font's table; one of another font is read as U+FFFD,
  never dropped (an operator lost would leave a wrong value that looks right).
* Hidden text (a run with ``w:vanish``) is not read: Word does not show it.
* Content written twice for older readers (``mc:AlternateContent``: a text
  box as DrawingML, then again as VML in ``mc:Fallback``, as Word and WPS
  save a cover's title) is read once, from the choice.

Every count the XML declares is bounded by what the package holds, never
materialised as written: a span or ``w:gridBefore`` wider than the table's
grid is clamped to it (and counted, for the reader to report); a list
number beyond what its format can show (Roman past 3999) is printed in
decimal; list levels outside Word's 0–8 and unreadable integers are
ignored; a level's label text is cut to `MAX_LABEL` characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_LABEL",
    "ListLevel",
    "ListNumbering",
    "RawCell",
    "RawRow",
    "RawTable",
    "W",
    "body_items",
    "format_number",
    "list_levels",
    "paragraph_text",
    "style_lists",
    "table_rows",
]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}sdt", f"{W}sdtContent"
_CUSTOM_XML = f"{W}customXml"
_R, _T, _TAB, _BR, _CR, _SYM = f"{W}r", f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}sym"
# Characters inserted as symbols (w:sym, Insert > Symbol) from the Symbol font, by code in
# that font: operators written so (≥90%) must not lose their operator.
_SYMBOL_FONT = {
    0x25: "%",
    0x2B: "+",
    0x2D: "−",
    0x3C: "<",
    0x3D: "=",
    0x3E: ">",
    0xA3: "≤",
    0xA5: "∞",
    0xAE: "→",
    0xB0: "°",
    0xB1: "±",
    0xB3: "≥",
    0xB4: "×",
    0xB7: "•",
    0xB8: "÷",
    0xB9: "≠",
    0xBB: "≈",
    0xD6: "√",
}
_UNKNOWN_SYMBOL = "\ufffd"  # a symbol of another font: shown as unknown, never dropped
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# not read: deletions, and the fallback copy of content written twice (a text box as DrawingML and as VML)
_UNREAD = frozenset({f"{W}del", f"{W}moveFrom", f"{_MC}Fallback"})
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


@dataclass(slots=True)
class RawTable:
    """The rows of a ``w:tbl``, its grid width, and how many spans or
    ``w:gridBefore`` reached past that width and were clamped."""

    rows: list[RawRow]
    width: int
    clamped: int = 0


def body_items(container: Element) -> Iterator[Element]:
    """The ``w:p`` and ``w:tbl`` children of a body or cell, in order,
    looking through content controls and custom XML wrappers."""
    for child in container:
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag in _TRANSPARENT:
            yield from body_items(child)


def _unread(element: Element, stop: Element) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _UNREAD or (parent.tag == _R and _hidden(parent)):
            return True
        parent = parent.getparent()
    return False


def _hidden(run: Element) -> bool:
    """Whether a run is formatted as hidden text (``w:vanish``), which Word does not show."""
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(_VAL, "true").lower() not in ("0", "false", "off")


def paragraph_text(paragraph: Element, numbering: ListNumbering | None = None) -> str:
    """The visible text of a ``w:p``: its list label if numbered, text runs,
    tabs as TAB, breaks as new lines."""
    pieces: list[str] = [numbering.label(paragraph)] if numbering is not None else []
    for node in paragraph.iter(_T, _TAB, _BR, _CR, _SYM):
        if _unread(node, paragraph):
            continue
        tag = node.tag
        if tag == _T:
            pieces.append(node.text or "")
        elif tag == _TAB:
            pieces.append("\t")
        elif tag == _SYM:
            pieces.append(_symbol(node.get(f"{W}font"), node.get(f"{W}char")))
        else:
            pieces.append("\n")
    return "".join(pieces)


def _symbol(font: str | None, code: str | None) -> str:
    """The character a ``w:sym`` shows: from the Symbol font's table (its
    codes come as F0xx, the private-use alias, or as the byte itself)."""
    try:
        byte = int(code or "", 16) & 0xFF
    except ValueError:
        return _UNKNOWN_SYMBOL
    return _SYMBOL_FONT.get(byte, _UNKNOWN_SYMBOL) if (font or "").strip().lower() == "symbol" else _UNKNOWN_SYMBOL


def _property(element: Element, *path: str) -> Element | None:
    node = element
    for name in path:
        node = node.find(f"{W}{name}")
        if node is None:
            return None
    return node


def _int(value: str | None, default: int) -> int:
    """An integer attribute; ``default`` when absent or unreadable (a
    5,000-digit value too: `int` refuses strings past 4,300 digits)."""
    if value is None or len(value) > _MAX_INT_CHARS:
        return default
    try:
        return int(value)
    except ValueError:
        return default


_MAX_INT_CHARS = 12


def _int_property(element: Element, *path: str, default: int) -> int:
    node = _property(element, *path)
    return default if node is None else _int(node.get(_VAL), default)


def cell_lines(cell: Element, numbering: ListNumbering | None = None) -> list[str]:
    """The lines of a cell: one per paragraph, a nested table's rows as
    lines of TAB-separated cells."""
    lines: list[str] = []
    for item in body_items(cell):
        if item.tag == _P:
            lines.extend(paragraph_text(item, numbering).split("\n"))
        else:
            for row in table_rows(item, numbering).rows:
                lines.append("\t".join(" ".join(c.lines).strip() for c in row.cells))
    return lines


def grid_width(table: Element) -> int:
    """The table's grid: its ``w:gridCol`` count, or its widest row's cell
    count when the declared grid is narrower (at least 1)."""
    grid = table.find(f"{W}tblGrid")
    declared = 0 if grid is None else sum(1 for _ in grid.iterchildren(f"{W}gridCol"))
    widest = max((sum(1 for _ in _row_cells(tr)) for tr in table.iterchildren(_TR)), default=0)
    return max(declared, widest, 1)


def table_rows(table: Element, numbering: ListNumbering | None = None) -> RawTable:
    """The rows of a ``w:tbl``, each ``w:tc`` once with its grid position,
    spans clamped to the grid."""
    raw = RawTable([], grid_width(table))
    for tr in table.iterchildren(_TR):
        col = max(0, _int_property(tr, "trPr", "gridBefore", default=0))
        if col >= raw.width:
            col, raw.clamped = 0, raw.clamped + 1
        cells: list[RawCell] = []
        for tc in _row_cells(tr):
            span = max(1, _int_property(tc, "tcPr", "gridSpan", default=1))
            if col + span > raw.width and span > 1:
                span, raw.clamped = max(1, raw.width - col), raw.clamped + 1
            hmerge = _property(tc, "tcPr", "hMerge")
            if hmerge is not None and hmerge.get(_VAL) != "restart" and cells:
                # legacy horizontal merge: this cell widens the one before it
                cells[-1].span += span
                cells[-1].lines.extend(line for line in cell_lines(tc, numbering) if line.strip())
                col += span
                continue
            vmerge_node = _property(tc, "tcPr", "vMerge")
            vmerge = None if vmerge_node is None else (vmerge_node.get(_VAL) or "continue")
            cells.append(RawCell(col, span, vmerge, cell_lines(tc, numbering)))
            col += span
        raw.rows.append(RawRow(cells))
    return raw


def _row_cells(tr: Element) -> Iterator[Element]:
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _row_cells(child)


# Automatic list numbering (numbering.xml): Word renders "1." "（二）" before
# numbered paragraphs without that text being in the runs.
_NUM_PR, _NUM_ID, _ILVL, _P_STYLE = f"{W}numPr", f"{W}numId", f"{W}ilvl", f"{W}pStyle"
_CJK_DIGITS = "〇一二三四五六七八九"
_LEVELS = 9  # Word's list levels, 0 to 8
_MAX_ROMAN = 3999
#: The longest list label kept (Word's own lvlText is a few characters).
MAX_LABEL = 64


@dataclass(frozen=True, slots=True)
class ListLevel:
    format: str
    text: str
    start: int


def _cjk_number(n: int) -> str:
    if n < 0:
        return str(n)
    if n < 10:
        return _CJK_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CJK_DIGITS[tens]) + "十" + (_CJK_DIGITS[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """A counter as a list format shows it (decimal, 一二三, a b c, i ii iii, ①);
    in decimal where the format has no spelling of it (Roman past 3999)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting"):
        return _cjk_number(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n <= _MAX_ROMAN:
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


def list_levels(numbering: Element | None) -> dict[tuple[str, int], ListLevel]:
    """(numId, level) → the level's format, label text and start, from numbering.xml."""
    if numbering is None:
        return {}
    abstract: dict[str, dict[int, ListLevel]] = {}
    for definition in numbering.iterchildren(f"{W}abstractNum"):
        levels: dict[int, ListLevel] = {}
        for lvl in definition.iterchildren(f"{W}lvl"):
            fmt, text = _property(lvl, "numFmt"), _property(lvl, "lvlText")
            level = _int(lvl.get(_ILVL, "0"), -1)
            if not 0 <= level < _LEVELS:
                continue
            levels[level] = ListLevel(
                fmt.get(_VAL, "decimal") if fmt is not None else "decimal",
                (text.get(_VAL, "") if text is not None else "")[:MAX_LABEL],
                _int_property(lvl, "start", default=1),
            )
        abstract[definition.get(f"{W}abstractNumId", "")] = levels
    found: dict[tuple[str, int], ListLevel] = {}
    for num in numbering.iterchildren(f"{W}num"):
        link = _property(num, "abstractNumId")
        levels = abstract.get(link.get(_VAL, "") if link is not None else "", {})
        for level, definition in levels.items():
            found[(num.get(f"{W}numId", ""), level)] = definition
    return found


def style_lists(styles: Element | None) -> dict[str, tuple[str, int]]:
    """styleId → (numId, level) for paragraph styles that carry numbering."""
    if styles is None:
        return {}
    found: dict[str, tuple[str, int]] = {}
    for style in styles.iterchildren(f"{W}style"):
        num_id = _property(style, "pPr", "numPr", "numId")
        level = _int_property(style, "pPr", "numPr", "ilvl", default=0)
        if num_id is not None and 0 <= level < _LEVELS:
            found[style.get(f"{W}styleId", "")] = (num_id.get(_VAL, ""), level)
    return found


class ListNumbering:
    """Counts numbered paragraphs in document order and gives each its label."""

    def __init__(self, levels: dict[tuple[str, int], ListLevel], styles: dict[str, tuple[str, int]]) -> None:
        self.levels = levels
        self.styles = styles
        self.counters: dict[str, list[int]] = {}

    def label(self, paragraph: Element) -> str:
        """The label Word shows before this paragraph ("" when not numbered)."""
        numbering = self._numbering(paragraph)
        if numbering is None:
            return ""
        num_id, level = numbering
        definition = self.levels.get((num_id, level))
        if definition is None or definition.format in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(num_id, [0] * _LEVELS)
        if counts[level] == 0:
            counts[level] = definition.start - 1
        counts[level] += 1
        for deeper in range(level + 1, _LEVELS):
            counts[deeper] = 0
        text = definition.text
        for n in range(level + 1):
            fmt = self.levels.get((num_id, n), definition).format
            value = counts[n] or self.levels.get((num_id, n), definition).start
            text = text.replace(f"%{n + 1}", format_number(value, fmt))
        return text[:MAX_LABEL]

    def _numbering(self, paragraph: Element) -> tuple[str, int] | None:
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            return None
        num_pr = properties.find(_NUM_PR)
        if num_pr is not None:
            num_id = num_pr.find(_NUM_ID)
            if num_id is None or num_id.get(_VAL, "0") == "0":
                return None
            level_node = num_pr.find(_ILVL)
            level = 0 if level_node is None else _int(level_node.get(_VAL, "0"), -1)
            return (num_id.get(_VAL, ""), level) if 0 <= level < _LEVELS else None
        style = properties.find(_P_STYLE)
        return self.styles.get(style.get(_VAL, "")) if style is not None else None
