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


def test_nine_parts_under_other_titles_are_found_by_topic() -> None:
    blocks = _paragraphs(
        "2026年示例局部门预算",
        "第一部分 部门概况",
        "甲",
        "第二部分 部门预算收支总体情况",
        "乙",
        "第三部分 财政拨款“三公”经费预算情况",
        "丙",
        "第四部分 其他需要说明情况",
        "一、机关运行经费",
        "丁",
        "二、其他",
        "戊",
        "第五部分 名词解释",
        "己",
    )
    log = IssueLog()
    segments = segment(blocks, log)
    assert segments.template == "four_parts"
    assert {n: p.heading.text for n, p in segments.parts.items()} == {
        1: "第一部分 部门概况",
        2: "第二部分 部门预算收支总体情况",
        3: "一、机关运行经费",
        4: "第三部分 财政拨款“三公”经费预算情况",
        8: "第五部分 名词解释",
        9: "第四部分 其他需要说明情况",
    }
    # 机关运行经费 is topic 3 and stays text of 其他 (topic 9) too
    assert [b.text for b in segments.parts[3].blocks if isinstance(b, Paragraph)] == ["丁"]
    assert "丁" in [b.text for b in segments.parts[9].blocks if isinstance(b, Paragraph)]
    assert [(i.code, i.severity, i.part) for i in log.issues] == [
        ("topic_absent", "info", 5),
        ("topic_absent", "info", 6),
        ("topic_absent", "info", 7),
    ]


def test_contents_glued_into_one_paragraph_is_skipped() -> None:
    blocks = _paragraphs(
        "目录",
        "第一部分 部门概况......1一、部门主要职责......2第二部分 名词解释......9",
        "第一部分",
        "部门概况",
        "一、部门主要职责",
        "正文",
        "第二部分",
        "名词解释",
        "解释",
    )
    segments = segment(blocks, IssueLog())
    assert [(h.level, h.number, h.title) for h in segments.outline] == [
        (1, "第一部分", "部门概况"),
        (2, "一", "部门主要职责"),
        (1, "第二部分", "名词解释"),
    ]
    assert segments.parts[1].heading.text == "第一部分 部门概况"
    assert [b.text for b in segments.parts[8].blocks if isinstance(b, Paragraph)] == ["解释"]


def test_enumerated_duty_naming_other_matters_is_not_a_part() -> None:
    # regression: 「九、承办区委交办的其他事项」 among the duties was taken for part 9
    blocks = _paragraphs(
        "一、部门职责",
        "七、负责机关文电处理，承担区委文件的起草工作。",
        "八、负责全区保密工作，指导检查各单位的保密工作。",
        "九、承办区委交办的其他事项",
        "二、机构设置",
        "内设机构3个。",
    )
    segments = segment(blocks, IssueLog())
    assert 9 not in segments.parts
    assert [h.title for h in segments.outline] == ["部门职责", "机构设置"]
