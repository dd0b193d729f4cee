from __future__ import annotations

import pytest

from extractor.blocks import Location, Paragraph
from extractor.findings import IssueLog
from extractor.segment import segment


def _paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph(text, Location(line=i + 1, end_line=i + 1)) for i, text in enumerate(texts)]


@pytest.mark.parametrize(
    "heading",
    [
        "第五部分：预算绩效信息",
        "第五部分:预算绩效信息",
        "第五部分 预算绩效信息",
        "第五部分、预算绩效信息",
        "第 五 部分：预算绩效信息",
        "第5部分：预算绩效信息",
    ],
)
def test_heading_variants(heading: str) -> None:
    segments = segment(_paragraphs("标题", heading, "正文"), IssueLog())
    assert list(segments.parts) == [5]
    assert segments.parts[5].title == "预算绩效信息"
    assert [b.text for b in segments.parts[5].blocks if isinstance(b, Paragraph)] == ["正文"]


def test_missing_parts_are_reported_and_no_text_is_lost() -> None:
    log = IssueLog()
    blocks = _paragraphs("前言", "第一部分：部门职责", "甲", "第三部分：机关运行经费", "乙", "第一部分：再次出现")
    segments = segment(blocks, log)
    assert [b.text for b in segments.preamble if isinstance(b, Paragraph)] == ["前言"]
    assert [b.text for b in segments.parts[1].blocks if isinstance(b, Paragraph)] == ["甲"]
    assert [b.text for b in segments.parts[3].blocks if isinstance(b, Paragraph)] == ["乙", "第一部分：再次出现"]
    codes = [(issue.code, issue.part) for issue in log.issues]
    assert ("part_repeated", 1) in codes
    assert [part for code, part in codes if code == "part_missing"] == [2, 4, 5, 6, 7, 8, 9]


def test_parts_headed_with_chinese_numerals_when_no_part_headings() -> None:
    blocks = _paragraphs(
        "标题",
        "一、部门职责及机构设置情况",
        "一、部门职责",
        "甲",
        "二、机构设置",
        "乙",
        "二、部门预算安排的总体情况",
        "丙",
        "五、预算绩效信息",
        "一、总体绩效目标",
        "丁",
    )
    log = IssueLog()
    segments = segment(blocks, log)
    assert list(segments.parts) == [1, 2, 5]
    assert [b.text for b in segments.parts[1].blocks if isinstance(b, Paragraph)] == [
        "一、部门职责",
        "甲",
        "二、机构设置",
        "乙",
    ]
    assert [b.text for b in segments.parts[5].blocks if isinstance(b, Paragraph)] == ["一、总体绩效目标", "丁"]
    assert [i.part for i in log.issues if i.code == "part_missing"] == [3, 4, 6, 7, 8, 9]


def test_chinese_numeral_headings_are_not_parts_when_part_headings_exist() -> None:
    segments = segment(_paragraphs("第一部分：部门职责", "二、部门预算安排的总体情况"), IssueLog())
    assert list(segments.parts) == [1]
