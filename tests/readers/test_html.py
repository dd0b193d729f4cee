"""The HTML reader: the seed as a county site's article page (UTF-8 and
GB2312-declared) gives the DOCX document; site furniture is dropped; rowspan
and colspan come out as the DOCX reader's merges; an error page is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor import NotADisclosure, extract_document, extract_file, read_bytes
from extractor.blocks import Paragraph, Table
from fixtures.make_format_fixtures import SEED_DOCX, seed_blocks, to_html
from tests.conftest import read_in_child
from tests.readers.test_docx import _without_locations


def _shape(table: Table) -> list[list[tuple[int, int, str, int, int, bool]]]:
    return [[(c.row, c.col, c.text, c.row_span, c.col_span, c.covered) for c in row] for row in table.rows]


def _same_content(value: Any) -> Any:
    """The document without locations, a TAB (which a page shows as spaces) as four spaces."""
    if isinstance(value, str):
        return value.replace("\t", "    ")
    if isinstance(value, dict):
        return {k: _same_content(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_content(v) for v in value]
    return value


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_seed_page_gives_the_docx_blocks(charset: str, encoding: str) -> None:
    blocks = seed_blocks()
    document = read_bytes(to_html(blocks, charset), "seed.html")
    assert (document.source.format, document.source.encoding) == ("html", encoding)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [_shape(t) for t in tables] == [_shape(b) for b in blocks if isinstance(b, Table)]
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert texts == [b.text.replace("\t", "    ") for b in blocks if isinstance(b, Paragraph)]
    assert texts[0] == "中国共产党阜平县委员会办公室"
    # the site's header, menu, breadcrumb, footer and scripts are not the page's text
    assert not any(word in text for text in texts for word in ("首页", "版权所有", "访问量", "阜平县人民政府"))


def test_seed_page_gives_the_docx_document() -> None:
    from_page = extract_document(read_bytes(to_html(seed_blocks(), "gb2312"), "seed.html")).disclosure
    from_docx = extract_file(SEED_DOCX)
    assert from_page.performance is not None and from_page.performance.projects[0].project_code == (
        "130624210SN9T0TGCCC6F"
    )
    assert _same_content(_without_locations(from_page.model_dump())) == _same_content(
        _without_locations(from_docx.model_dump())
    )


def test_rowspan_colspan_and_layout_tables() -> None:
    page = """<html><body><table><tr><td>
      <p>2021年收支预算总表</p><p>单位：万元<br>编制单位：县委办</p>
      <table>
        <thead><tr><th rowspan="2">项目</th><th colspan="2">预算数</th></tr>
        <tr><th>本年</th><th>上年</th></tr></thead>
        <tbody><tr><td>一般公共预算<br/>拨款</td><td>1,234.50</td><td>&nbsp;</td></tr></tbody>
      </table>
      <footer>页脚</footer>
    </td></tr></table></body></html>"""
    blocks = read_bytes(page.encode(), "page.htm").blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "2021年收支预算总表",
        "单位：万元",
        "编制单位：县委办",
    ]
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert [[(c.col, c.text, c.row_span, c.col_span, c.covered) for c in row] for row in table.rows] == [
        [(0, "项目", 2, 1, False), (1, "预算数", 1, 2, False)],
        [(0, "", 1, 1, True), (1, "本年", 1, 1, False), (2, "上年", 1, 1, False)],
        [(0, "一般公共预算\n拨款", 1, 1, False), (1, "1,234.50", 1, 1, False), (2, "", 1, 1, False)],
    ]


def test_meta_charset_gbk_page() -> None:
    page = '<html><head><meta charset="GBK"></head><body><p>第一部分 部门职责</p></body></html>'
    document = read_bytes(page.encode("gbk"), "gbk.html")
    assert document.source.encoding == "gb18030"
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == ["第一部分 部门职责"]


def test_error_page_is_refused_as_not_a_disclosure(tmp_path: Path) -> None:
    page = tmp_path / "download.html"
    page.write_bytes(
        '<html><head><meta charset="gb2312"><title>404</title></head><body><h1>页面不存在</h1></body></html>'.encode(
            "gb2312"
        )
    )
    with pytest.raises(NotADisclosure, match=r"\(an HTML page: a download error page\? fetch the file again\)$"):
        extract_file(page)


def _page_of_spans(n_rows: int, n_cells: int) -> bytes:
    row = '<td rowspan="0" colspan="1000">x</td>' * n_cells
    return f"<html><body><table>{f'<tr>{row}</tr>' * n_rows}</table></body></html>".encode()


def test_rowspan_0_colspan_1000_cells_cost_what_the_cells_present_cost(tmp_path: Path) -> None:
    # 14 KB declared a grid of 20 rows by 400,000 columns, every slot a Python object: over 2 GB
    page = tmp_path / "spans.html"
    page.write_bytes(_page_of_spans(20, 20))
    assert page.stat().st_size < 16_000
    read = read_in_child(page)
    assert read["seconds"] < 5 and read["peak_mb"] < 200
    (rows,) = read["tables"]
    assert len(rows) == 20 and sum(map(len, rows)) == 4200  # row r: 20·r cells covered from above, 20 of its own
    assert rows[0] == [[col, "x", 20, 1, False] for col in range(20)]
    assert rows[19][:20] == [[col, "", 1, 1, True] for col in range(20)]
    assert rows[19][-1] == [399, "x", 1, 1, False]
    assert read["notes"] == [
        "table 0: its spans make more than 200,000 empty cells; its empty rows and columns were dropped"
    ]


def test_rowspan_0_reaches_the_end_of_its_section_only() -> None:
    page = """<html><body><table>
      <thead><tr><th rowspan="0">项目</th><th>本年</th></tr><tr><th>上年</th></tr></thead>
      <tbody><tr><td>一般公共预算</td><td>1,234.50</td></tr><tr><td>合计</td><td>1,234.50</td></tr></tbody>
    </table></body></html>"""
    (table,) = [b for b in read_bytes(page.encode(), "page.htm").blocks if isinstance(b, Table)]
    assert [[(c.col, c.text, c.row_span, c.col_span, c.covered) for c in row] for row in table.rows] == [
        [(0, "项目", 2, 1, False), (1, "本年", 1, 1, False)],
        [(0, "", 1, 1, True), (1, "上年", 1, 1, False)],
        [(0, "一般公共预算", 1, 1, False), (1, "1,234.50", 1, 1, False)],
        [(0, "合计", 1, 1, False), (1, "1,234.50", 1, 1, False)],
    ]


def test_a_table_whose_rowspans_cover_too_much_is_not_read_and_noted() -> None:
    from extractor.limits import Limits

    document = read_bytes(_page_of_spans(20, 20), "spans.html", Limits(max_empty_cells=1000))
    assert not [b for b in document.blocks if isinstance(b, Table)]
    assert document.notes == ["table 0: its rowspans cover more than 1,000 cells; it was not read"]


def test_600_unclosed_font_tags_hide_nothing() -> None:
    # lxml keeps 255 elements deep by default: 第二部分 and its figures were dropped without a word
    page = (
        "<html><body><p>第一部分 部门职责</p>" + "<font>" * 600 + "<p>第二部分 收支总表</p>"
        "<table><tr><td>收入合计</td><td>1,234.56</td></tr></table></body></html>"
    )
    document = read_bytes(page.encode(), "deep.html")
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == ["第一部分 部门职责", "第二部分 收支总表"]
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [["收入合计", "1,234.56"]]
    assert document.notes == []


def test_a_page_nested_past_the_parsers_reach_says_it_was_cut() -> None:
    page = "<html><body><p>第一部分</p>" + "<font>" * 3000 + "<p>第二部分</p></body></html>"
    document = read_bytes(page.encode(), "deeper.html")
    assert [b.text for b in document.blocks if isinstance(b, Paragraph)] == ["第一部分"]
    assert document.notes == ["the page was cut short (Excessive depth in document: 2048): what follows was not read"]
