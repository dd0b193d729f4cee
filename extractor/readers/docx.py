"""Reader for Word documents (.docx), built on python-docx and `oxml`.

Paragraphs and tables come out in body order, like the text reader's.  A
cell covered by a vertical merge becomes an empty cell with ``covered=True``
(the shape of Word's own text export); the cell that starts the merge gets
its ``row_span``.  Locations are ``{"paragraph": i}`` for paragraphs and
``{"table": t, "row": r}`` for tables (0-based body-table index).

A damaged package (a member failing its CRC, no document body) is one
`UnreadableInput`; a table whose spans reach past its grid is read with
them clamped, and a note says so.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from ..blocks import Block, Cell, Location, Paragraph, Table, join_cell_lines
from ..errors import ExtractorError, UnreadableInput
from ..limits import DEFAULT_LIMITS, MB, Limits
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
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        if total > limits.max_unzipped_bytes:
            raise UnreadableInput(
                name,
                f"unpacks to {total / MB:.0f} MB, the limit is {limits.max_unzipped_mb:g} MB",
                "a ZIP bomb? raise --max-unzipped if the file is genuine",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > MB and ratio > limits.max_zip_ratio:
                raise UnreadableInput(
                    name,
                    f"part {member.filename} is compressed {ratio:.0f}:1",
                    "a ZIP bomb? Word files compress about 10:1",
                )
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


def _open(data: bytes, name: str, limits: Limits) -> Any:
    import docx  # python-docx: imported here so that `extract --help` stays instant
    from docx.opc.exceptions import PackageNotFoundError

    check_package(data, name, limits)
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as exc:
        raise UnreadableInput(
            name, f"not a readable DOCX ({type(exc).__name__}: {exc})", "is the file complete? re-save it from Word"
        ) from None
    except Exception as exc:  # lxml and zip errors of every kind: a damaged package
        if isinstance(exc, ExtractorError):
            raise
        raise _damaged(name, exc) from None


def _cells(rows: list[oxml.RawRow], table: int) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    for r, raw_row in enumerate(rows):
        row: list[Cell] = []
        for raw in raw_row.cells:
            covered = raw.vmerge == "continue"
            row.append(
                Cell(
                    r,
                    raw.col,
                    join_cell_lines(raw.lines),
                    Location(table=table, row=r),
                    col_span=raw.span,
                    covered=covered,
                )
            )
        out.append(row)
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


def _part_element(document: Any, kind: str) -> Any:
    """The XML of the numbering or styles part, or None when the package has none."""
    try:
        return document.part.numbering_part.element if kind == "numbering" else document.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def _clamped_note(raw: oxml.RawTable, table: int) -> str:
    return (
        f"table {table}: {raw.clamped} cell span(s) or row offset(s) reached past the table's"
        f" {raw.width} grid columns and were clamped to them"
    )


def parse_docx(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Block], list[str]]:
    """Blocks of a DOCX, in body order, and the reader's notes."""
    document = _open(data, name, limits)
    body = document.element.body
    if body is None:
        raise UnreadableInput(name, "damaged DOCX: word/document.xml has no w:body", "re-save it from Word")
    numbering = oxml.ListNumbering(
        oxml.list_levels(_part_element(document, "numbering")), oxml.style_lists(_part_element(document, "styles"))
    )
    blocks: list[Block] = []
    notes: list[str] = []
    n_paragraphs = n_tables = 0
    for item in oxml.body_items(body):
        if item.tag == f"{oxml.W}p":
            text = oxml.paragraph_text(item, numbering).strip()
            if text:
                blocks.append(Paragraph(text, Location(paragraph=n_paragraphs)))
            n_paragraphs += 1
        else:
            raw = oxml.table_rows(item, numbering)
            if raw.clamped:
                notes.append(_clamped_note(raw, n_tables))
            rows = _cells(raw.rows, n_tables)
            if rows:
                blocks.append(Table(rows=rows, location=Location(table=n_tables), index=n_tables))
            n_tables += 1
    return blocks, notes
