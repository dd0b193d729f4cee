"""Reader for spreadsheets: Excel workbooks (.xlsx with openpyxl, .xls with xlrd).

Budget tables are often published as a workbook, one table a sheet.  Each
visible sheet becomes a heading `Paragraph` (the sheet's name) followed by
its used range as one `Table` (empty rows and columns around the data
trimmed); merged ranges become row and column spans with covered cells, as
the DOCX reader gives them (`grid.grid_cells`), clamped to the cells
present.  Only the cells the sheet holds are read, never the range it
declares: a range of more empty cells than a table may have loses its
empty rows and columns, and a note says so (`grid.fitted`).  Hidden sheets
are not read (they hold drafts and lookup lists more often than figures)
and are noted.

Numbers are written as Excel displays them, from the cell's number format
(``0.00`` gives two decimals, ``#,##0`` groups thousands, ``0.0%`` is a
percentage), and as ``General`` shows them otherwise: at most 15
significant digits, so binary noise (``0.30000000000000004``) never
appears and ``1234.5`` stays ``1234.5``.  Formulas give their cached value
(what Excel last computed).  An XLSX is a ZIP: it gets the size limits of
any archive before openpyxl opens it.

This is the only module that knows openpyxl and xlrd.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import product
from typing import Any

import regex

from ..blocks import Block, Location, Paragraph, Table, join_cell_lines
from ..errors import ExtractorError, UnreadableInput
from ..limits import DEFAULT_LIMITS, Limits
from .grid import Fitted, Slot, fitted, grid_cells, grid_size

__all__ = ["Sheet", "display_number", "parse_sheets"]

_SIGNIFICANT = 15  # what Excel keeps of a double
_QUOTED = regex.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_DECIMALS = regex.compile(r"\.([0#?]+)")


@dataclass(slots=True)
class Sheet:
    """A sheet's name and used range: cell texts by (row, col), 0-based from
    the range's corner, and merged ranges by first cell → (rows, cols)."""

    name: str
    texts: dict[Slot, str] = field(default_factory=dict)
    spans: dict[Slot, Slot] = field(default_factory=dict)
    hidden: bool = False


def _general(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def display_number(value: float | int | Decimal, number_format: str = "General") -> str:
    """A number as a cell with ``number_format`` shows it."""
    try:
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(f"{value:.{_SIGNIFICANT}g}")
    except InvalidOperation:
        return str(value)
    section = _QUOTED.sub("", number_format.split(";", 1)[0])
    if not any(char in section for char in "0#?"):
        return _general(number)
    percent = "%" in section
    if percent:
        number *= 100
    decimals = _DECIMALS.search(section)
    places = len(decimals.group(1)) if decimals else 0
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    grouped = "," in section.split(".", 1)[0]
    text = f"{number:,.{places}f}" if grouped else f"{number:.{places}f}"
    return text + ("%" if percent else "")


def _text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return display_number(value, number_format)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return join_cell_lines(str(value).replace("\r\n", "\n").split("\n"))


def _trimmed(sheet: Sheet) -> Sheet:
    """The sheet with empty rows and columns around its data removed, and
    its merged ranges clamped to that: a merge reaches no further than the
    last row and column holding text (a sheet-wide merge is as large as
    the cells present)."""
    filled = [slot for slot, text in sheet.texts.items() if text]
    if not filled:
        return Sheet(sheet.name, hidden=sheet.hidden)
    top, bottom = min(row for row, _ in filled), max(row for row, _ in filled)
    left, right = min(col for _, col in filled), max(col for _, col in filled)
    inside = range(top, bottom + 1), range(left, right + 1)
    texts = {(r - top, c - left): t for (r, c), t in sheet.texts.items() if r in inside[0] and c in inside[1]}
    spans = {
        (r - top, c - left): (min(h, bottom + 1 - r), min(w, right + 1 - c))
        for (r, c), (h, w) in sheet.spans.items()
        if r in inside[0] and c in inside[1]
    }
    return Sheet(sheet.name, texts, spans, sheet.hidden)


def _xlsx_sheet(ws: Any) -> Sheet:
    """A sheet's cells as the XML holds them, and its merged ranges.  Not
    through openpyxl's worksheets: they give every cell of the range the
    sheet declares (its ``<dimension>``, its last cell, its merges), which a
    5 KB workbook can make 17 billion; its parser gives the cells present."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    sheet = Sheet(ws.title, hidden=ws.sheet_state != "visible")
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for _, row in parser.parse():
            for cell in row:
                if cell["value"] is not None:
                    number_format = ReadOnlyCell(ws, **cell).number_format
                    sheet.texts[(cell["row"] - 1, cell["column"] - 1)] = _text(cell["value"], number_format)
    for merged in parser.merged_cells.mergeCell if parser.merged_cells is not None else []:
        first = (merged.min_row - 1, merged.min_col - 1)
        sheet.spans[first] = (merged.max_row - merged.min_row + 1, merged.max_col - merged.min_col + 1)
        sheet.texts.setdefault(first, "")
    return sheet


def _xlsx_sheets(data: bytes, name: str, limits: Limits) -> list[Sheet]:
    import openpyxl  # imported here so that `extract --help` stays instant

    from ..archive import check_archive

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_archive(archive, name, limits, "workbook")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [_xlsx_sheet(ws) for ws in book.worksheets]
    finally:
        book.close()


def _xls_sheets(data: bytes) -> list[Sheet]:
    import xlrd

    # ragged rows: each as long as its last cell, not all as long as the longest
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True)
    sheets: list[Sheet] = []
    for index in range(book.nsheets):
        ws = book.sheet_by_index(index)
        sheet = Sheet(ws.name, hidden=ws.visibility != 0)
        for r in range(ws.nrows):
            for c in range(ws.row_len(r)):
                if text := _xls_text(book, ws, r, c):
                    sheet.texts[(r, c)] = text
        for r0, r1, c0, c1 in ws.merged_cells:
            sheet.spans[(r0, c0)] = (r1 - r0, c1 - c0)
            sheet.texts.setdefault((r0, c0), "")
        sheets.append(sheet)
    return sheets


def _xls_text(book: Any, ws: Any, r: int, c: int) -> str:
    import xlrd

    cell = ws.cell(r, c)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return _text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), "")
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        fmt = book.format_map.get(book.xf_list[ws.cell_xf_index(r, c)].format_key)
        return display_number(cell.value, fmt.format_str if fmt is not None else "General")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _text(bool(cell.value), "")
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return _text(cell.value, "")
    return ""


def _read(data: bytes, name: str, fmt: str, limits: Limits) -> list[Sheet]:
    try:
        return _xlsx_sheets(data, name, limits) if fmt == "xlsx" else _xls_sheets(data)
    except ExtractorError:
        raise
    except Exception as exc:  # openpyxl, xlrd, zip and XML errors of every kind: a damaged workbook
        raise UnreadableInput(
            name, f"not a readable {fmt.upper()} workbook ({type(exc).__name__}: {exc})", "re-save it from Excel"
        ) from None


def _fitted_note(sheet: Sheet, fitted: Fitted | None, most: int) -> str | None:
    n_rows, n_cols = grid_size(sheet.texts, sheet.spans)
    size = f"its range of {n_rows:,} rows and {n_cols:,} columns has more than {most:,} empty cells"
    if fitted is None:
        return f"sheet {sheet.name!r} was not read: {size}, even without its empty rows and columns"
    return f"sheet {sheet.name!r}: {size}; its empty rows and columns were dropped" if fitted.compacted else None


def parse_sheets(data: bytes, name: str, fmt: str, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Block], list[str]]:
    """Blocks of a workbook (``fmt`` is ``xlsx`` or ``xls``), sheet by sheet,
    and notes on what was not read."""
    blocks: list[Block] = []
    notes: list[str] = []
    n_tables = 0
    for index, raw in enumerate(_read(data, name, fmt, limits)):
        if raw.hidden:
            notes.append(f"sheet {raw.name!r} is hidden and was not read")
            continue
        sheet = _trimmed(raw)
        blocks.append(Paragraph(sheet.name, Location(paragraph=index)))
        grid = fitted(sheet.texts, sheet.spans, limits.max_empty_cells)
        note = _fitted_note(sheet, grid, limits.max_empty_cells)
        if note is not None:
            notes.append(note)
        if grid is None or not grid.texts:
            continue
        texts, spans = dict(grid.texts), grid.spans
        n_rows, n_cols = grid_size(texts, spans)
        for slot in product(range(n_rows), range(n_cols)):
            texts.setdefault(slot, "")  # every cell of the range is a cell, as in Word
        rows = grid_cells(texts, spans, n_rows, n_tables)
        blocks.append(Table(rows=rows, location=Location(table=n_tables), index=n_tables))
        n_tables += 1
    return blocks, notes
