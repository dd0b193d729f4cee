"""The PDF reader: the LibreOffice fixture against the text fixture, tables
and cells cut by page breaks, the real WPS-made PDF, and unreadable PDFs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.constants import UserAccessPermissions

from extractor import Disclosure, Project, UnreadableInput, extract_file, read_bytes, read_path
from extractor.blocks import Block, Paragraph, Table
from tests.cache import extracted
from tests.conftest import FIXTURES, ROOT, SEED

SEED_PDF = FIXTURES / "fuping-2021-county-party-office.pdf"
REAL_PDF = ROOT.parent / "shared" / "real" / "beijing-medical-security-bureau-2026-budget-tables.pdf"

#: Fields that cannot match the text fixture, and why.
CANNOT_MATCH = {
    # A paragraph break inside a cell is invisible in a PDF: the cell's two
    # paragraphs wrap like one ("…的制定、" / "实施、…").
    "performance.projects[32].purpose": "paragraph break inside a cell",
}


@pytest.fixture(scope="module")
def from_pdf() -> Disclosure:
    return extracted(SEED_PDF)


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        keys = [k for k in a if k not in ("location", "source", "doc_id", "extraction")]  # the file's own
        return [d for k in keys for d in _differences(a[k], b.get(k), f"{path}.{k}".lstrip("."))]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [path]


def test_pdf_fixture_gives_the_text_fixtures_document(from_pdf: Disclosure) -> None:
    from_text = extract_file(SEED).model_dump()
    pdf = from_pdf.model_dump()
    # part texts keep layout the PDF cannot carry (runs of spaces in cells,
    # a merged empty header row, TAB in the unit line): compared apart below
    for document in (from_text, pdf):
        for part in document["parts"]:
            part.pop("text")
    assert set(_differences(from_text, pdf)) == set(CANNOT_MATCH)
    assert from_pdf.source.format == "pdf"
    assert [p.found for p in from_pdf.parts] == [True] * 9


def _project(disclosure: Disclosure, seq: int) -> Project:
    assert disclosure.performance is not None
    return next(p for p in disclosure.performance.projects if p.seq == seq)


def test_table_split_across_two_pages_is_one_table(from_pdf: Disclosure) -> None:
    project = _project(from_pdf, 1)
    assert project.location is not None
    assert (project.location.page, project.location.end_page) == (8, 9)
    assert len(project.indicators) == 8
    assert project.indicators[7].level3 == "本单位人员对门卫工作的满意率"


def test_row_cut_by_the_page_break_is_rejoined(from_pdf: Disclosure) -> None:
    # table 1's 时效指标 row: "门卫室、" on page 8, "基础设施维修及时率" on page 9
    row = _project(from_pdf, 1).indicators[2]
    assert (row.level3, row.description, row.value.raw) == ("门卫室、基础设施维修及时率", "是否及时维修", "100百分比")
    assert (row.value.op, row.value.number, row.value.unit) == ("=", 100, "%")


def test_goals_cell_cut_by_the_page_break_is_rejoined(from_pdf: Disclosure) -> None:
    # table 15: goals 1-2 on page 21, goal 3 on page 22
    assert _project(from_pdf, 15).goals[2] == "建立和完善农村留守儿童关爱服务体系"


def test_pdf_cells_have_page_and_box(from_pdf: Disclosure) -> None:
    location = _project(from_pdf, 2).indicators[0].location
    assert location is not None and location.page is not None and location.bbox is not None
    assert len(location.bbox) == 4


@pytest.fixture(scope="module")
def real_blocks() -> list[Block]:
    return read_path(REAL_PDF).blocks


def _titled(blocks: list[Block], title: str) -> Table:
    """The table printed under a title paragraph (the title, and the unit line
    after it, stand outside the ruled table)."""
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == title)
    return next(b for b in blocks[start:] if isinstance(b, Table))


def test_real_pdf_performance_tables_join_over_pages(real_blocks: list[Block]) -> None:
    table = _titled(real_blocks, "预算12表 项目支出绩效目标表")
    assert (table.location.page, table.location.end_page) == (15, 26)
    # the title, the unit line and the 2 header rows printed on every page appear once
    assert sum(1 for row in table.rows if row[0].text == "项目名称") == 1
    titles = [b for b in real_blocks if isinstance(b, Paragraph) and b.text == "预算12表 项目支出绩效目标表"]
    assert len(titles) == 1


def test_real_pdf_invisible_text_backgrounds_draw_no_table(real_blocks: list[Block]) -> None:
    # WPS paints a white rectangle behind each table's title and unit line:
    # they are paragraphs, not one-cell tables
    assert [b.text for b in real_blocks[:3] if isinstance(b, Paragraph)] == ["预算01表 收支总表", "金额单位：万元"]


def test_real_pdf_first_performance_table(real_blocks: list[Block]) -> None:
    table = _titled(real_blocks, "预算12表 项目支出绩效目标表")
    header = [c.text for c in table.rows[0]]
    assert header == [
        "项目名称",
        "项目总额",
        "其中：",
        "绩效目标",
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标性质",
        "本年绩效指标值",
        "绩效度量单位",
    ]
    first = table.rows[2]
    name, total, fiscal, other, goal = (c.text for c in first[:5])
    assert name == "11000022T000000444016-医疗保障公众评价"
    assert (total, fiscal, other) == ("76.436338", "76.436338", "")
    assert goal.startswith("以提升北京市医保服务质量为核心，遵循“问题发现-原因挖掘-策略提出”的流程")
    assert goal.endswith("为医保政策的优化与改进提供有力支撑。") or len(goal) > 150
    rows = [[c.text for c in row[-6:]] for row in table.rows[2:19]]
    assert rows == [
        ["产出指标", "数量指标", "宣传评估报告", "＝", "1", "份"],
        ["产出指标", "数量指标", "深度访谈数量：区级经办人员", "≥", "32", "人"],
        ["产出指标", "数量指标", "深度访谈数量：医疗机构", "≥", "60", "家"],
        ["产出指标", "数量指标", "分析报告", "＝", "1", "份"],
        ["产出指标", "数量指标", "深度访谈数量：市医保局工作人员", "≥", "10", "人"],
        ["产出指标", "数量指标", "深度访谈数量：医院管理人员", "≥", "120", "人"],
        ["产出指标", "数量指标", "深度访谈数量：参保人员", "≥", "500", "人"],
        ["产出指标", "数量指标", "调查样本数量：医疗机构工作人员", "≥", "2000", "人"],
        ["产出指标", "数量指标", "调查样本数量：参保人员", "≥", "10000", "人"],
        ["产出指标", "数量指标", "深度访谈数量：医保专家", "≥", "10", "人"],
        ["产出指标", "数量指标", "深度访谈数量：药企", "≥", "20", "家"],
        ["产出指标", "质量指标", "研究结果验收合格率", "＝", "100", "%"],
        ["产出指标", "时效指标", "启动招标工作", "≤", "9", "月"],
        ["成本指标", "经济成本指标", "医疗保障公众评价成本控制", "≤", "67.893", "万元"],
        ["成本指标", "经济成本指标", "医疗保障公众工作评估成本控制", "≤", "8.543338", "万元"],
        ["满意度指标", "服务对象满意度指标", "参保人员、服务对象满意度", "≥", "90", "%"],
        ["效益指标", "社会效益指标", "通过此项目提出改进意见建议", "≥", "10", "条"],
    ]
    # the project's merged cells cover its 16 further rows; the next project starts a new one
    assert all(c.covered for row in table.rows[3:19] for c in row[:5])
    assert table.rows[19][0].text.startswith("11000023T000002062")


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _first_page_of_fixture() -> PdfWriter:
    writer = PdfWriter()
    writer.add_page(PdfReader(SEED_PDF).pages[0])
    return writer


def test_pdf_without_text_layer_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pytest.raises(UnreadableInput, match=r"^scan\.pdf: the PDF has no text layer \(it looks like a scan"):
        read_bytes(_pdf(writer), "scan.pdf")


def test_pdf_needing_a_password_is_refused() -> None:
    writer = _first_page_of_fixture()
    writer.encrypt(user_password="secret", owner_password="owner")
    with pytest.raises(UnreadableInput, match=r"^locked\.pdf: the PDF needs a password to open"):
        read_bytes(_pdf(writer), "locked.pdf")


def test_pdf_with_only_an_owner_password_is_read() -> None:
    writer = _first_page_of_fixture()
    writer.encrypt(user_password="", owner_password="owner", permissions_flag=UserAccessPermissions.PRINT)
    blocks = read_bytes(_pdf(writer), "restricted.pdf").blocks
    assert blocks[0].text == "中国共产党阜平县委员会办公室"  # type: ignore[union-attr]


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match=r"^cut\.pdf: "):
        read_bytes(SEED_PDF.read_bytes()[:20000], "cut.pdf")


def test_real_pdf_project_over_a_page_break_stays_one_project(real_blocks: list[Block]) -> None:
    # 004-医疗保障工作宣传服务 starts at the foot of page 15, its merged cells'
    # text running off the page; WPS prints those cells again on page 16
    table = _titled(real_blocks, "预算12表 项目支出绩效目标表")
    starts = [i for i, row in enumerate(table.rows) if "004-医疗保障工作宣传服务" in row[0].text]
    assert len(starts) == 1
    first = table.rows[starts[0]]
    assert first[0].location.page == 15
    assert (first[1].text, first[2].text) == ("723.328240", "723.328240")
    following = table.rows[starts[0] + 1 : starts[0] + 40]
    page16 = [row for row in following if row[-1].location.page == 16]
    assert page16 and all(cell.covered for row in page16[:5] for cell in row[:5])
    names = [row[0].text for row in table.rows[2:] if row[0].text and not row[0].covered]
    assert len(names) == 27


def test_real_pdf_tables_of_one_layout_with_their_own_titles_stay_apart(real_blocks: list[Block]) -> None:
    funds = _titled(real_blocks, "预算07表 政府性基金预算支出表")
    capital = _titled(real_blocks, "预算08表 国有资本经营预算支出表")
    assert funds is not capital
    assert (funds.location.page, funds.location.end_page, capital.location.page) == (9, None, 10)
