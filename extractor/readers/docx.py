"""Reader for Word documents (.docx): the package read with `zipfile`, its
XML with lxml, WordprocessingML understood by `oxml`.

Paragraphs and tables come out in body order, like the text reader's.  A
cell covered by a vertical merge becomes an empty cell with ``covered=True``
(the shape of Word's own text export); the cell that starts the merge gets
its ``row_span``.  Locations are ``{"paragraph": i}`` for paragraphs and
``{"table": t, "row": r}`` for tables (0-based body-table index).

The body is streamed (``iterparse``): each top-level paragraph or table is
read as soon as it ends and then dropped, so the XML tree never holds more
than one table; a whole-document tree (what python-docx builds) took about
twelve times the XML's size, 3.9 GB for an 18 MB DOCX of tables.

A damaged package (a member failing its CRC, no document body, XML that
does not parse) is one `UnreadableInput`; a table whose spans reach past
its grid is read with them clamped, and a note says so.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..blocks import Block, Cell, Location, Paragraph, Table, join_cell_lines
from ..errors import UnreadableInput
from ..limits import DEFAULT_LIMITS, MB, Limits, zip_excess
from . import oxml

__all__ = ["parse_docx"]


_DTD = (b"<!DOCTYPE", b"<!ENTITY")
# What reading a damaged ZIP member raises: a bad CRC, a bad deflate stream, a cut file.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


def _damaged(name: str, exc: BaseException) -> UnreadableInput:
    return UnreadableInput(name, f"damaged DOCX: {type(exc).__name__}: {exc}", "re-save it from Word")


def check_package(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a ZIP bomb (by the sizes the package declares, before anything
    is unpacked) and XML parts that declare a DTD (entity expansion; Word
    never writes one)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableInput(
            name, f"not a readable DOCX (BadZipFile: {exc})", "is the file complete? re-save it from Word"
        ) from None
    with archive:
        excess = zip_excess(archive.infolist(), limits)
        if excess is not None and excess.member is None:
            raise UnreadableInput(
                name,
                f"unpacks to {excess.total / MB:.0f} MB, the limit is {limits.max_unzipped_mb:g} MB",
                "a ZIP bomb? raise --max-unzipped if the file is genuine",
            )
        if excess is not None and excess.member is not None:
            raise UnreadableInput(
                name,
                f"part {excess.member.filename} is compressed {excess.ratio:.0f}:1",
                "a ZIP bomb? Word files compress about 10:1",
            )
        for member in archive.infolist():
            if member.filename.endswith((".xml", ".rels")):
                try:
                    with archive.open(member) as part:
                        head = part.read(4096)
                except _DAMAGED as exc:
                    raise _damaged(name, exc) from None
                if any(marker in head for marker in _DTD):
                    raise UnreadableInput(
                        name,
                        f"part {member.filename} declares a DTD",
                        "Word never writes one; refused to avoid XML entity expansion",
                    )


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_BODY = f"{oxml.W}body"
_ITEMS = (f"{oxml.W}p", f"{oxml.W}tbl")
_WRAPPERS = frozenset({f"{oxml.W}sdt", f"{oxml.W}sdtContent", f"{oxml.W}customXml"})


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _targets(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, str]:
    """Relationship type (its last word: officeDocument, numbering, styles) →
    the part it points to, from a ``.rels`` part (none when it is absent)."""
    if rels not in archive.namelist():
        return {}
    found: dict[str, str] = {}
    for relationship in etree.fromstring(archive.read(rels), _parser()).iter(_RELATIONSHIPS):
        target = relationship.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found.setdefault(relationship.get("Type", "").rsplit("/", 1)[-1], part)
    return found


def _part(archive: zipfile.ZipFile, part: str | None) -> Any:
    """A small XML part (numbering, styles) as a tree, or None when absent."""
    if part is None or part not in archive.namelist():
        return None
    return etree.fromstring(archive.read(part), _parser())


def _top_level(element: Any) -> bool:
    """Whether a ``w:p`` or ``w:tbl`` stands in the body itself (through
    content controls), not in a table cell or a text box."""
    parent = element.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag == _BODY


def _body_items(stream: Any, name: str) -> Iterator[Any]:
    """The body's top-level paragraphs and tables, each dropped from the tree
    once the caller has read it."""
    seen_body = False
    for _, element in etree.iterparse(
        stream, events=("end",), tag=(*_ITEMS, _BODY), resolve_entities=False, no_network=True, load_dtd=False
    ):
        if element.tag == _BODY:
            seen_body = True
        elif _top_level(element):
            yield element
            element.getparent().remove(element)
    if not seen_body:
        raise UnreadableInput(name, "damaged DOCX: word/document.xml has no w:body", "re-save it from Word")


def _read(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[Any, oxml.ListNumbering]]:
    """Each top-level body item with the list numbering it is labelled by."""
    main = _targets(archive, "_rels/.rels", "").get("officeDocument")
    if main is None or main not in archive.namelist():
        raise UnreadableInput(
            name, "not a readable DOCX (no main document part)", "is the file complete? re-save it from Word"
        )
    folder, file = posixpath.split(main)
    parts = _targets(archive, posixpath.join(folder, "_rels", f"{file}.rels"), folder)
    numbering = oxml.ListNumbering(
        oxml.list_levels(_part(archive, parts.get("numbering"))), oxml.style_lists(_part(archive, parts.get("styles")))
    )
    with archive.open(main) as stream:
        for item in _body_items(stream, name):
            yield item, numbering


def _cells(rows: list[oxml.RawRow], table: int) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    for r, raw_row in enumerate(rows):
        location = Location(table=table, row=r)  # immutable: one for the row's cells
        out.append(
            [
                Cell(
                    r,
                    raw.col,
                    join_cell_lines(raw.lines),
                    location,
                    col_span=raw.span,
                    covered=raw.vmerge == "continue",
                )
                for raw in raw_row.cells
            ]
        )
    _set_row_spans(out)
    return out


def _set_row_spans(rows: list[list[Cell]]) -> None:
    """The number of rows each merge-starting cell covers."""
    open_merges: dict[int, Cell] = {}
    for row in rows:
        for cell in row:
            if cell.covered and cell.col in open_merges:
                open_merges[cell.col].row_span += 1
            else:
                open_merges[cell.col] = cell


def _clamped_note(raw: oxml.RawTable, table: int) -> str:
    return (
        f"table {table}: {raw.clamped} cell span(s) or row offset(s) reached past the table's"
        f" {raw.width} grid columns and were clamped to them"
    )


def parse_docx(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Block], list[str]]:
    """Blocks of a DOCX, in body order, and the reader's notes."""
    check_package(data, name, limits)
    blocks: list[Block] = []
    notes: list[str] = []
    n_paragraphs = n_tables = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for item, numbering in _read(archive, name):
                if item.tag == f"{oxml.W}p":
                    text = oxml.paragraph_text(item, numbering).strip()
                    if text:
                        blocks.append(Paragraph(text, Location(paragraph=n_paragraphs)))
                    n_paragraphs += 1
                    continue
                raw = oxml.table_rows(item, numbering)
                if raw.clamped:
                    notes.append(_clamped_note(raw, n_tables))
                rows = _cells(raw.rows, n_tables)
                if rows:
                    blocks.append(Table(rows=rows, location=Location(table=n_tables), index=n_tables))
                n_tables += 1
    except (*_DAMAGED, etree.LxmlError) as exc:
        raise _damaged(name, exc) from None
    return blocks, notes
