"""The DOCX reader: the seed fixture against the text fixture, and small
hand-made documents for each kind of merge and each python-docx trap."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from extractor import UnreadableInput, extract_file, read_bytes
from extractor.blocks import Paragraph, Table
from tests.conftest import FIXTURES, SEED

SEED_DOCX = FIXTURES / "fuping-2021-county-party-office.docx"


def _without_locations(value: Any) -> Any:
    if isinstance(value, dict):
        skipped = ("location", "source", "doc_id", "extraction")  # the file's own, not the document's content
        return {k: _without_locations(v) for k, v in value.items() if k not in skipped}
    if isinstance(value, list):
        return [_without_locations(v) for v in value]
    return value


def test_docx_fixture_gives_the_same_document_as_the_text_fixture() -> None:
    from_text = extract_file(SEED).model_dump()
    from_docx = extract_file(SEED_DOCX).model_dump()
    assert from_docx["source"]["format"] == "docx"
    assert _without_locations(from_docx) == _without_locations(from_text)


def test_docx_locations_are_table_and_row() -> None:
    disclosure = extract_file(SEED_DOCX)
    assert disclosure.performance is not None
    indicator = disclosure.performance.projects[0].indicators[0]
    assert indicator.location is not None
    assert indicator.location.model_dump() == {"table": 2, "row": 7}  # org = 0, 三公 = 1


def _docx(body_xml: str) -> bytes:
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    wrapper = parse_xml(f"<w:body {nsdecls('w')}>{body_xml}</w:body>")
    for element in list(wrapper):
        body.insert(len(body) - 1, element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def _tc(text: str, span: int = 1, vmerge: str | None = None) -> str:
    props = ""
    if span > 1:
        props += f"<w:gridSpan w:val='{span}'/>"
    if vmerge == "restart":
        props += "<w:vMerge w:val='restart'/>"
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"


def _tbl(*rows: str) -> str:
    return "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 4 + "</w:tblGrid>" + "".join(rows) + "</w:tbl>"


def _tr(*cells: str, grid_before: int = 0) -> str:
    props = f"<w:trPr><w:gridBefore w:val='{grid_before}'/></w:trPr>" if grid_before else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def _table(data: bytes) -> Table:
    blocks = read_bytes(data, "case.docx").blocks
    table = next(b for b in blocks if isinstance(b, Table))
    return table


def _shape(table: Table) -> list[list[tuple[str, int, int, bool]]]:
    return [[(c.text, c.col, c.col_span, c.covered) for c in row] for row in table.rows]


def test_horizontal_merge_is_one_cell_not_repeated() -> None:
    table = _table(_docx(_tbl(_tr(_tc("绩效目标"), _tc("1.甲", span=3)))))
    assert _shape(table) == [[("绩效目标", 0, 1, False), ("1.甲", 1, 3, False)]]


def test_legacy_horizontal_merge() -> None:
    restart = "<w:tc><w:tcPr><w:hMerge w:val='restart'/></w:tcPr>" + _p("绩效目标") + "</w:tc>"
    merged = "<w:tc><w:tcPr><w:hMerge/></w:tcPr>" + _p("") + "</w:tc>"
    table = _table(_docx(_tbl(_tr(restart, merged, _tc("1.甲")))))
    assert _shape(table) == [[("绩效目标", 0, 2, False), ("1.甲", 2, 1, False)]]


def test_vertical_merge_gives_empty_covered_cells_and_row_span() -> None:
    table = _table(
        _docx(
            _tbl(
                _tr(_tc("产出指标", vmerge="restart"), _tc("数量指标")),
                _tr(_tc("", vmerge="continue"), _tc("质量指标")),
                _tr(_tc("", vmerge="continue"), _tc("时效指标")),
            )
        )
    )
    assert _shape(table) == [
        [("产出指标", 0, 1, False), ("数量指标", 1, 1, False)],
        [("", 0, 1, True), ("质量指标", 1, 1, False)],
        [("", 0, 1, True), ("时效指标", 1, 1, False)],
    ]
    assert table.rows[0][0].row_span == 3


def test_grid_before_shifts_columns() -> None:
    table = _table(_docx(_tbl(_tr(_tc("a"), _tc("b"), _tc("c")), _tr(_tc("x"), grid_before=2))))
    assert _shape(table)[1] == [("x", 2, 1, False)]


def test_multi_paragraph_cell_and_nested_table() -> None:
    nested = _tbl(_tr(_tc("内1"), _tc("内2")))
    cell = f"<w:tc>{_p('第一段')}{_p('')}{_p('第二段')}{nested}{_p('')}</w:tc>"
    table = _table(_docx(_tbl(_tr(cell))))
    assert table.rows[0][0].text == "第一段\n第二段\n内1\t内2"


def test_content_controls_insertions_deletions_and_field_codes() -> None:
    paragraph = (
        "<w:p><w:r><w:t>可见</w:t></w:r>"
        "<w:sdt><w:sdtContent><w:r><w:t>控件内</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:ins w:id='1' w:author='a'><w:r><w:t>插入</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText xml:space='preserve'> TC \"1、标题\" \\f C \\l 1 </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    )
    block_sdt = f"<w:sdt><w:sdtContent>{_p('块级控件')}</w:sdtContent></w:sdt>"
    blocks = read_bytes(_docx(paragraph + block_sdt), "case.docx").blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["可见控件内插入", "块级控件"]


def test_a_text_box_written_twice_for_older_readers_is_read_once() -> None:
    # Word and WPS save a cover title in a text box as DrawingML and again as
    # VML in mc:Fallback; both copies were read: the title came out doubled
    box = "<w:txbxContent>" + _p("某县委办公室2021年部门预算信息公开") + "</w:txbxContent>"
    run = (
        "<w:r><mc:AlternateContent xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'"
        " xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'"
        " xmlns:v='urn:schemas-microsoft-com:vml'>"
        f"<mc:Choice Requires='wps'><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    blocks = read_bytes(_docx(f"<w:p>{run}</w:p>" + _p("第一部分：部门职责及机构设置情况")), "case.docx").blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "某县委办公室2021年部门预算信息公开",
        "第一部分：部门职责及机构设置情况",
    ]


def test_operators_inserted_as_symbols_are_read() -> None:
    # ≥ from Insert > Symbol is a w:sym of the Symbol font, no w:t: it was
    # dropped, and ≥90% read as "= 90"
    geq = "<w:r><w:sym w:font='Symbol' w:char='F0B3'/></w:r>"
    other = "<w:r><w:sym w:font='Wingdings 2' w:char='F052'/></w:r>"
    cells = (
        f"<w:p>{geq}<w:r><w:t>90%</w:t></w:r></w:p>",
        f"<w:p><w:r><w:t>新增项目</w:t></w:r>{other}</w:p>",
    )
    body = "<w:tbl>" + _tr(*(f"<w:tc><w:tcPr/>{cell}</w:tc>" for cell in cells)) + "</w:tbl>"
    table = _table(_docx(body))
    assert [c.text for c in table.rows[0]] == ["≥90%", "新增项目\ufffd"]  # another font's symbol: unknown, not dropped


def test_hidden_text_is_not_read() -> None:
    # a run formatted hidden (w:vanish) is not on the page: a value cell
    # holding a hidden note read as "≥90%（填报说明）"
    paragraph = (
        "<w:p><w:r><w:t>≥90%</w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>（填报说明）</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>以上</w:t></w:r></w:p>"
    )
    blocks = read_bytes(_docx(paragraph), "case.docx").blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["≥90%以上"]


def test_merges_written_as_repeated_text_read_the_same() -> None:
    from extractor.findings import IssueLog
    from extractor.parts._report import Report
    from extractor.parts.projects import ProjectTable, parse_project

    header = _tr(*(_tc(t) for t in ("一级指标", "二级指标", "三级指标", "指标值")))
    rows = [
        _tr(_tc("产出指标"), _tc("数量指标"), _tc("完成数"), _tc("≥3次")),
        _tr(_tc("产出指标"), _tc("质量指标"), _tc("合格率"), _tc("100%")),
    ]
    table = _table(_docx(_tbl(_tr(_tc("项目编码"), _tc("X"), _tc("项目名称"), _tc("Y")), header, *rows)))
    title = Paragraph("1.示例绩效目标表", table.location)
    project, _ = parse_project(ProjectTable(title, 1, "示例绩效目标表", [table]), Report(IssueLog(), 5))
    assert [(i.level1, i.level2, i.value.op, i.value.number) for i in project.indicators] == [
        ("产出指标", "数量指标", ">=", 3),
        ("产出指标", "质量指标", "=", 100),
    ]


def test_empty_document_has_no_blocks() -> None:
    assert read_bytes(_docx(""), "empty.docx").blocks == []


def test_truncated_docx_is_one_line_error() -> None:
    data = SEED_DOCX.read_bytes()[:5000]
    with pytest.raises(UnreadableInput, match=r"^cut\.docx: (not a readable|damaged) DOCX"):
        read_bytes(data, "cut.docx")


def test_automatic_list_numbering_is_rendered() -> None:
    # Word shows "1." "2." before paragraphs of a numbered style without the
    # numbers being in the text; titles and goals are often numbered so.
    document = docx.Document()
    document.add_paragraph("门卫安保经费绩效目标表", style="List Number")
    document.add_paragraph("信息工作经费绩效目标表", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "绩效目标"
    table.cell(0, 1).paragraphs[0].text = "到位。"
    table.cell(0, 1).paragraphs[0].style = document.styles["List Number 2"]
    out = io.BytesIO()
    document.save(out)
    blocks = read_bytes(out.getvalue(), "numbered.docx").blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "1.门卫安保经费绩效目标表",
        "2.信息工作经费绩效目标表",
    ]
    cell = next(b for b in blocks if isinstance(b, Table)).rows[0][1].text
    assert cell.endswith("到位。") and cell[0].isdigit()


@pytest.mark.parametrize(
    "n, fmt, shown",
    [
        (1, "decimal", "1"),
        (3, "chineseCounting", "三"),
        (12, "chineseCountingThousand", "十二"),
        (21, "chineseCounting", "二十一"),
        (2, "lowerLetter", "b"),
        (4, "upperRoman", "IV"),
        (3, "decimalEnclosedCircle", "③"),
    ],
)
def test_list_number_formats(n: int, fmt: str, shown: str) -> None:
    from extractor.readers.oxml import format_number

    assert format_number(n, fmt) == shown
