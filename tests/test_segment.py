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
        "第五部分预算绩效信息",  # glued, as some county web pages print it
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


def test_part_headings_glued_to_their_titles_head_a_final_accounts_outline() -> None:
    # a Sichuan county's 决算 page (渠县农业综合技术服务中心): 第N部分 glued to
    # titles that are no template topics (第二部分2024年度…); the contents
    # were read as headings, the body's 名词解释 lost and the topics under
    # 第二部分 taken as items of 第一部分
    blocks = _paragraphs(
        "渠县农业综合技术服务中心2024年度单位决算公开",
        "目录",
        "第一部分单位概况",
        "一、主要职责",
        "第二部分2024年度单位决算情况说明",
        "一、收入支出决算总体情况说明",
        "七、财政拨款“三公”经费支出决算情况说明",
        "第三部分名词解释",
        "第一部分单位概况",
        "一、主要职责",
        "负责种植业技术推广。",
        "第二部分2024年度单位决算情况说明",
        "一、收入支出决算总体情况说明",
        "2024年度收、支总计均为1523.26万元。",
        "七、财政拨款“三公”经费支出决算情况说明",
        "2024年度“三公”经费财政拨款支出决算为2.1万元。",
        "十、其他重要事项的情况说明",
        "（一）机关运行经费支出情况",
        "本单位2024年度机关运行经费支出35.6万元。",
        "第三部分名词解释",
        "1.财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    )
    segments = segment(blocks, IssueLog())
    assert [(h.level, h.number, h.title) for h in segments.outline if h.style == "part"] == [
        (1, "第一部分", "单位概况"),
        (1, "第二部分", "2024年度单位决算情况说明"),
        (1, "第三部分", "名词解释"),
    ]
    assert {n: p.heading.text for n, p in segments.parts.items()} == {
        1: "第一部分单位概况",
        2: "一、收入支出决算总体情况说明",
        3: "（一）机关运行经费支出情况",
        4: "七、财政拨款“三公”经费支出决算情况说明",
        8: "第三部分名词解释",
        9: "十、其他重要事项的情况说明",
    }
    assert [b.text for b in segments.parts[8].blocks] == ["1.财政拨款收入：指单位从同级财政部门取得的财政预算资金。"]


def test_a_sentence_opening_with_a_part_number_is_no_heading() -> None:
    segments = segment(_paragraphs("标题", "第五部分预算绩效信息", "第一部分资金已拨付，其余年底前支付。"), IssueLog())
    assert list(segments.parts) == [5]
    assert [b.text for b in segments.parts[5].blocks] == ["第一部分资金已拨付，其余年底前支付。"]


def test_headings_closed_with_a_full_stop_name_their_topics() -> None:
    # a Guangxi county's 科协 page: 「(二)政府采购预算安排情况说明。」 read as a
    # sentence, so 机关运行经费, 政府采购 and 国有资产 were not found
    blocks = _paragraphs(
        "第一部分 部门概况",
        "一、主要职责",
        "（一）负责科普工作。",
        "（二）负责政府采购工作。",
        "第二部分 2023年部门预算情况说明",
        "一、其他重要事项的情况说明",
        "(一)机关运行经费安排情况说明。",
        "2023 年机关运行经费财政拨款预算 35000 元。",
        "(二)政府采购预算安排情况说明。",
        "2023 年政府采购预算 17000 元。",
        "(三)国有资产的总体情况说明。",
        "共有车辆 1 辆。",
    )
    segments = segment(blocks, IssueLog())
    assert {n: p.title for n, p in segments.parts.items()} == {
        1: "部门概况",
        3: "机关运行经费安排情况说明",
        6: "政府采购预算安排情况说明",
        7: "国有资产的总体情况说明",
        9: "其他重要事项的情况说明",
    }
    assert [b.text for b in segments.parts[6].blocks] == ["2023 年政府采购预算 17000 元。"]
    assert "（二）负责政府采购工作。" in [b.text for b in segments.parts[1].blocks]
