"""The spreadsheet reader: the seed's tables written to .xlsx and .xls give
the DOCX reader's cells; numbers shown as their number format shows them."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from extractor import UnreadableInput, read_bytes
from extractor.blocks import Cell, Paragraph, Table
from extractor.readers.sheets import display_number
from fixtures.make_format_fixtures import seed_blocks, sheet_tables, to_xls, to_xlsx
from tests.conftest import read_in_child


def _shape(table: Table) -> list[list[tuple[int, int, str, int, int, bool]]]:
    rows = [[(c.row, c.col, c.text, c.row_span, c.col_span, c.covered) for c in row] for row in table.rows]
    while rows and all(not cell[2] and not cell[5] for cell in rows[-1]):
        rows.pop()  # a sheet's used range ends at its last filled row
    return rows


@pytest.fixture(scope="module")
def seed_tables() -> list[tuple[str, Table]]:
    return sheet_tables(seed_blocks())


@pytest.mark.parametrize("fmt, make", [("xlsx", to_xlsx), ("xls", to_xls)])
def test_workbook_of_the_seed_tables_gives_the_docx_cells(
    fmt: str, make: object, seed_tables: list[tuple[str, Table]]
) -> None:
    assert callable(make)
    document = read_bytes(make(seed_blocks()), f"seed.{fmt}")
    assert document.source.format == fmt
    tables = [block for block in document.blocks if isinstance(block, Table)]
    names = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    assert len(tables) == len(seed_tables) == 52
    assert names == [name for name, _ in seed_tables]
    assert names[2] == "1.门卫安保经费绩效目标表"
    assert [_shape(table) for table in tables] == [_shape(table) for _, table in seed_tables]
    # figures were written as numbers with a number format, and come back as printed
    flat = [cell.text for row in tables[2].rows for cell in row]
    assert flat[flat.index("项目编码") + 1] == "130624210SN9T0TGCCC6F" and flat[flat.index("预算数") + 1] == "3"


def test_workbook_through_the_pipeline_reads_the_performance_tables() -> None:
    from extractor import extract_document

    disclosure = extract_document(read_bytes(to_xlsx(seed_blocks()), "seed.xlsx")).disclosure
    assert disclosure.source.format == "xlsx"
    assert disclosure.extraction is not None and disclosure.extraction.tables_seen == 52
    assert disclosure.performance is not None
    codes = {project.project_code for project in disclosure.performance.projects}
    assert "130624210SN9T0TGCCC6F" in codes


def test_workbook_three_public_sheet_before_a_project_is_not_its_header() -> None:
    # the 三公 sheet (项目名称 | 2020年度预算 | …) was taken as the first project's header block,
    # cut from it by a page break: project 1 came out as "2020年度预算" with a budget of 65.03
    from extractor import extract_document

    disclosure = extract_document(read_bytes(to_xlsx(seed_blocks()), "seed.xlsx")).disclosure
    assert disclosure.performance is not None
    first = disclosure.performance.projects[0]
    assert (first.project_code, first.project_name) == ("130624210SN9T0TGCCC6F", "门卫安保经费")
    assert (first.budget.total, first.budget.fiscal, first.budget.other) == (Decimal(3), Decimal(3), Decimal(0))
    assert len(disclosure.performance.projects) == 48


def _book(*rows: list[object], formats: dict[str, str] | None = None, merges: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "收支总表"
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    for ref in merges:
        sheet.merge_cells(ref)
    hidden = book.create_sheet("草稿")
    hidden.append(["旧数字", 999])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_merges_and_used_range_in_an_xlsx() -> None:
    data = _book(
        [],
        [None, "2021年部门收支总表", None, None],
        [None, "项目", "预算数", None],
        [None, None, "本年", "上年"],
        [None, "一般公共预算", 1234.5, 0.1 + 0.2],
        formats={"D5": "General"},
        merges=("B2:D2", "C3:D3", "B3:B4"),
    )
    document = read_bytes(data, "book.xlsx")
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == ["收支总表"]
    assert document.notes == ["sheet '草稿' is hidden and was not read"]
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    rows = [[(c.col, c.text, c.row_span, c.col_span, c.covered) for c in row] for row in table.rows]
    assert rows == [
        [(0, "2021年部门收支总表", 1, 3, False)],
        [(0, "项目", 2, 1, False), (1, "预算数", 1, 2, False)],
        [(0, "", 1, 1, True), (1, "本年", 1, 1, False), (2, "上年", 1, 1, False)],
        [(0, "一般公共预算", 1, 1, False), (1, "1234.5", 1, 1, False), (2, "0.3", 1, 1, False)],
    ]
    assert isinstance(table.rows[0][0], Cell) and table.rows[3][1].location.table == 0


@pytest.mark.parametrize(
    "value, number_format, shown",
    [
        (1234.5, "General", "1234.5"),
        (0.1 + 0.2, "General", "0.3"),
        (418.686, "0.0000", "418.6860"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (0.905, "0.0%", "90.5%"),
        (2.675, "0.00", "2.68"),  # Excel rounds half away from zero on the shown digits
        (100.0, "General", "100"),
        (-3.5, "#,##0.00_);[Red]\\(#,##0.00\\)", "-3.50"),
        (Decimal("1E+3"), "0", "1000"),
        (12, "@", "12"),
    ],
)
def test_numbers_as_displayed(value: float | Decimal, number_format: str, shown: str) -> None:
    assert display_number(value, number_format) == shown


def test_damaged_workbook_is_one_line() -> None:
    data = to_xlsx(seed_blocks())
    with pytest.raises(UnreadableInput, match=r"^cut\.xlsx: not a readable XLSX workbook"):
        read_bytes(data[: len(data) // 2], "cut.xlsx")


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _raw_xlsx(cells: dict[str, str], dimension: str, merge: str | None = None) -> bytes:
    """A workbook of one sheet written by hand: inline-string cells, the
    ``<dimension>`` given, one merged range (openpyxl would build every
    cell of a sheet-wide merge to write it)."""
    rows = "".join(
        f'<row r="{"".join(filter(str.isdigit, ref))}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for ref, text in cells.items()
    )
    merges = f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>' if merge else ""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
        '<sheet name="收支总表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData>{merges}</worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_cells_at_a1_and_xfd1048576_cost_what_the_cells_present_cost(tmp_path: Path) -> None:
    # a 2 KB workbook declaring (and spanning) 17 billion cells took 2.1 GB and 22 s, then the memory cap
    book = tmp_path / "corners.xlsx"
    book.write_bytes(_raw_xlsx({"A1": "收入", "XFD1048576": "支出"}, dimension="A1:XFD1048576"))
    assert book.stat().st_size < 5000
    read = read_in_child(book)
    assert read["seconds"] < 5 and read["peak_mb"] < 200
    assert read["tables"] == [
        [[[0, "收入", 1, 1, False], [1, "", 1, 1, False]], [[0, "", 1, 1, False], [1, "支出", 1, 1, False]]]
    ]
    assert read["notes"] == [
        "sheet '收支总表': its range of 1,048,576 rows and 16,384 columns has more than 200,000 empty cells;"
        " its empty rows and columns were dropped"
    ]


def test_a_sheet_wide_merge_is_clamped_to_the_cells_present(tmp_path: Path) -> None:
    book = tmp_path / "merge.xlsx"
    book.write_bytes(_raw_xlsx({"A1": "收入", "B2": "1234.56"}, dimension="A1:XFD1048576", merge="A1:XFD1048576"))
    read = read_in_child(book)
    assert read["seconds"] < 5 and read["peak_mb"] < 200
    # the merge covers the two rows and columns that hold a cell, as Excel shows it (B2 hidden under it)
    assert read["tables"] == [[[[0, "收入", 2, 2, False]], [[0, "", 1, 2, True]]]]
    assert read["notes"] == []


def test_a_sheet_too_sparse_even_without_its_empty_rows_is_not_read() -> None:
    from extractor.limits import Limits
    from extractor.readers.sheets import parse_sheets

    diagonal = {f"{'ABCDEFGHIJ'[i]}{i + 1}": str(i) for i in range(10)}
    blocks, notes = parse_sheets(_raw_xlsx(diagonal, "A1:J10"), "d.xlsx", "xlsx", Limits(max_empty_cells=50))
    assert [type(block).__name__ for block in blocks] == ["Paragraph"]
    assert notes == [
        "sheet '收支总表' was not read: its range of 10 rows and 10 columns has more than 50 empty cells,"
        " even without its empty rows and columns"
    ]


def test_a_dimension_of_the_whole_sheet_is_not_trusted() -> None:
    data = _raw_xlsx({"A1": "项目", "B1": "预算数", "A2": "合计", "B2": "3"}, dimension="A1:XFD1048576")
    document = read_bytes(data, "lying.xlsx")
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [["项目", "预算数"], ["合计", "3"]]
    assert document.notes == []
