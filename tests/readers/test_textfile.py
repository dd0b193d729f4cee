from __future__ import annotations

import pytest

from extractor import DecodeError, UnreadableInput, read_bytes
from extractor.blocks import Paragraph, Table
from extractor.readers.textfile import parse_flat_text

SAMPLE = (
    "标题段落\n"
    "\n"
    "\t项目编码\n\t123\n"
    "\n"
    "\t绩效目标\n\t1.第一条\n2.第二条\n"
    "\n"
    "\t产出指标\n\t数量指标\n"
    "\n"
    "\t\n\t质量指标\n"
    "\n\n"
    "下一段 TC 下一段 \\f C \\l 1 \n"
)


def test_tables_rows_cells_and_lines() -> None:
    blocks = parse_flat_text(SAMPLE)
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph"]
    table = blocks[1]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [
        ["项目编码", "123"],
        ["绩效目标", "1.第一条\n2.第二条"],
        ["产出指标", "数量指标"],
        ["", "质量指标"],
    ]
    assert table.rows[1][1].location.line == 7 and table.rows[1][1].location.end_line == 8
    # the table runs to the line before the next paragraph, blank lines included
    assert (table.location.line, table.location.end_line) == (3, 16)


def test_field_code_removed_from_paragraph() -> None:
    last = parse_flat_text(SAMPLE)[-1]
    assert isinstance(last, Paragraph)
    assert last.text == "下一段"


def test_cell_continues_after_blank_lines_when_numbering_continues() -> None:
    # seed table 24: the goals cell holds empty paragraphs between its items
    text = "\t绩效目标\n\t1.按时完成评选。\n\n\n\n2.按时开展活动。\n\n\n3.印刷书籍\n\n\n\t一级指标\n\t二级指标\n"
    blocks = parse_flat_text(text)
    assert len(blocks) == 1
    table = blocks[0]
    assert isinstance(table, Table)
    assert table.rows[0][1].text == "1.按时完成评选。\n2.按时开展活动。\n3.印刷书籍"
    assert [c.text for c in table.rows[1]] == ["一级指标", "二级指标"]


def test_numbered_title_after_table_is_a_paragraph() -> None:
    text = "\t依据\n\t工作方案\n\n\n2.下一个绩效目标表\n\t单位：万元\n"
    blocks = parse_flat_text(text)
    assert [type(b).__name__ for b in blocks] == ["Table", "Paragraph", "Table"]


@pytest.mark.parametrize(
    "encoding, name",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_encodings(encoding: str, name: str) -> None:
    document = read_bytes("第一部分：部门职责\r\n\t序号\r\n\t1\r\n".encode(encoding), "x.txt")
    assert document.source.encoding == name
    assert isinstance(document.blocks[0], Paragraph)
    assert document.blocks[0].text == "第一部分：部门职责"
    table = document.blocks[1]
    assert isinstance(table, Table)
    assert [c.text for c in table.rows[0]] == ["序号", "1"]


def test_gb18030_only_characters_survive() -> None:
    text = "第一部分：㐀䶵 部门"  # CJK extension A: in GB18030, not in GB2312
    document = read_bytes(text.encode("gb18030"), "x.txt")
    assert isinstance(document.blocks[0], Paragraph)
    assert document.blocks[0].text == text


def test_empty_and_undecodable_files() -> None:
    with pytest.raises(UnreadableInput, match=r"x\.txt: the file is empty"):
        read_bytes(b"  \n", "x.txt")
    with pytest.raises(DecodeError, match=r"x\.txt: not valid UTF-8, GB18030 or UTF-16"):
        read_bytes(b"\x81\x30\xff\xff\xfe", "x.txt")


def test_rows_written_one_line_each() -> None:
    text = "标题\n\t项目编码\tX1\t项目名称\t示例\n\t预算数\t5\n\t\t用途\n后记\n"
    table = parse_flat_text(text)[1]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [
        ["项目编码", "X1", "项目名称", "示例"],
        ["预算数", "5"],
        ["", "用途"],
    ]
    assert [c.col for c in table.rows[0]] == [0, 1, 2, 3]
