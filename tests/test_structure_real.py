"""The structure of real disclosures of other provinces (shared/real):
template, topics and their headings as printed, cover, no refusal.

Headings are compared without white space (the PDF reader's spacing is not
what is being tested here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import NotADisclosure
from extractor.models import Disclosure
from extractor.pipeline import extract_file
from extractor.textutil import compact
from tests.cache import extracted

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real is not present")

#: file stem → (template, title, department, year, kind)
COVERS: dict[str, tuple[str, str | None, str | None, int | None, str | None]] = {
    # tables only, no cover: the department from its tables' 部门名称 cell (the 部门整体 table)
    "beijing-medical-security-bureau-2026-budget-tables": ("tables_only", None, "北京市医疗保障局", None, None),
    # an attachment opening with its 部门名称： line
    "guangzhou-ecology-environment-bureau-2026-budget": (
        "tables_only",
        "部门名称：广州市生态环境局单位：万元",
        "广州市生态环境局",
        None,
        None,
    ),
    "changsha-petition-bureau-2026-budget": (
        "four_parts",
        "长沙市信访局2026年部门预算公开",
        "长沙市信访局",
        2026,
        "部门预算",
    ),
    # its digits and punctuation in a font whose descent is broken (-1.03): they
    # read as lines of their own under the title, which lost its 2026 ("重庆市商务委员会年")
    "chongqing-commerce-commission-2026-budget": (
        "four_parts",
        "重庆市商务委员会2026年部门预算情况说明",
        "重庆市商务委员会",
        2026,
        "部门预算",
    ),
    "chongqing-government-office-2026-budget": (
        "four_parts",
        "重庆市人民政府办公厅2026年部门预算情况说明",
        "重庆市人民政府办公厅",
        2026,
        "部门预算",
    ),
    "fuzhou-medical-security-bureau-2026-budget": (
        "four_parts",
        "2026年度福州市医疗保障局部门预算",
        "福州市医疗保障局",
        2026,
        "部门预算",
    ),
    "guangzhou-science-technology-bureau-2026-budget": (
        "four_parts",
        "2026年广州市科学技术局部门预算",
        "广州市科学技术局",
        2026,
        "部门预算",
    ),
    "quanzhou-public-security-bureau-2026-budget": (
        "four_parts",
        "2026年度泉州市公安局部门预算",
        "泉州市公安局",
        2026,
        "部门预算",
    ),
    # a 单位预算 whose title names only the city: the unit is on the cover's 预算单位： line
    "shanghai-sasac-2026-unit-budget": (
        "four_parts",
        "上海市2026年市级单位预算",
        "上海市花卉良种试验场",
        2026,
        "单位预算",
    ),
    "suzhou-audit-bureau-2026-budget": (
        "four_parts",
        "2026年度苏州市审计局部门预算公开",
        "苏州市审计局",
        2026,
        "部门预算",
    ),
    "xian-meteorological-bureau-2026-budget": (
        "four_parts",
        "西安市气象局2022年部门综合预算",
        "西安市气象局",
        2022,
        None,
    ),
    "yantai-commerce-bureau-2026-budget": (
        "four_parts",
        "2026年烟台市商务局部门预算",
        "烟台市商务局",
        2026,
        "部门预算",
    ),
    "national-petition-administration-2024-final-accounts": (
        "four_parts",
        "国家信访局2024年度部门决算",
        "国家信访局",
        2024,
        "部门决算",
    ),
    "national-petition-administration-2026-budget": (
        "four_parts",
        "国家信访局2026年度部门预算",
        "国家信访局",
        2026,
        "部门预算",
    ),
    "shenzhen-petition-bureau-2026-budget": (
        "nine_parts_other",
        "2026年深圳市信访局部门预算",
        "深圳市信访局",
        2026,
        "部门预算",
    ),
    "xian-petition-bureau-2026-budget": (
        "four_parts",
        "西安市信访局（汇总）2026年部门预算公开说明",
        "西安市信访局",
        2026,
        "部门预算",
    ),
}

#: file stem → {topic: heading as printed}; topics not listed may or may not be found.
HEADINGS: dict[str, dict[int, str]] = {
    "beijing-medical-security-bureau-2026-budget-tables": {},
    "changsha-petition-bureau-2026-budget": {
        1: "一、部门基本概况",
        2: "三、部门收支总体情况",
        3: "（一）机关运行经费",
        4: "（二）“三公”经费预算",
        5: "（七）预算绩效目标说明",
        6: "（四）政府采购情况",
        7: "（五）国有资产占用使用及新增资产配置情况",
        8: "七、名词解释",
        9: "六、其他重要事项的情况说明",
    },
    "chongqing-government-office-2026-budget": {
        1: "一、单位基本情况",
        2: "二、部门收支总体情况",
        3: "（一）机关运行经费",
        4: "四、“三公”经费情况说明",
        5: "（三）绩效目标设置情况",
        6: "（二）政府采购情况",
        7: "（四）国有资产占有使用情况",
        8: "六、专业性名词解释",
        9: "五、其他重要事项的情况说明",
    },
    "fuzhou-medical-security-bureau-2026-budget": {
        1: "第一部分 部门概况",
        2: "一、预算收支总体情况",
        3: "（一）机关运行经费",
        4: "六、一般公共预算“三公”经费支出情况",
        6: "（二）政府采购情况",
        7: "（三）国有资产占用使用情况",
        8: "第四部分 名词解释",
        9: "八、其他重要事项说明",
    },
    "guangzhou-science-technology-bureau-2026-budget": {
        1: "第一部分 广州市科学技术局概况",
        2: "一、部门预算收支增减变化情况",
        3: "三、机关运行经费安排情况",
        4: "二、“三公”经费安排情况",
        5: "七、重点项目预算绩效目标情况",
        6: "四、政府采购情况",
        7: "五、国有资产占有使用情况",
        8: "第四部分 名词解释",
    },
    "national-petition-administration-2024-final-accounts": {
        1: "第一部分 国家信访局概况",
        2: "一、收入支出决算总体情况说明",
        3: "八、机关运行经费支出说明",
        4: "七、一般公共预算财政拨款“三公”经费支出决算情况说明",
        5: "十一、关于2024 年度预算绩效情况说明",
        6: "九、政府采购支出说明",
        7: "十、国有资产占用情况说明",
        8: "第四部分 名词解释",
    },
    "national-petition-administration-2026-budget": {
        1: "第一部分 国家信访局基本情况",
        2: "一、关于部门收支总表的说明",
        3: "（二）机关运行经费情况",
        4: "七、关于一般公共预算“三公”经费支出表的说明",
        5: "（六）预算绩效情况",
        6: "（四）政府采购情况",
        7: "（五）国有资产占有使用情况",
        8: "第四部分 名词解释",
        9: "八、其他事项说明",
    },
    "shenzhen-petition-bureau-2026-budget": {
        1: "第一部分 部门概况",
        2: "第二部分 部门预算收支总体情况",
        3: "一、机关运行经费",
        4: "第五部分 财政拨款“三公”经费预算情况",
        5: "第六部分 部门预算绩效管理情况",
        6: "第四部分 政府采购预算情况",
        7: "二、国有资产占用情况",
        8: "第九部分 名词解释",
        9: "第八部分 其他需要说明情况",
    },
    "xian-petition-bureau-2026-budget": {
        1: "第一部分：部门概况",
        2: "第二部分：部门预算收支情况说明",
        3: "十四、机关运行经费安排情况说明",
        4: "十、“三公”经费及会议费、培训费情况说明",
        5: "十三、绩效目标情况说明",
        6: "十二、政府采购情况说明",
        7: "十一、国有资产占有使用及资产购置情况说明",
        8: "第四部分：专业名词解释",
    },
}


NOT_DISCLOSURES = sorted(REAL.glob("not-a-disclosure-*")) if REAL.is_dir() else []


@pytest.fixture(scope="module")
def real() -> dict[str, Disclosure]:
    """Every real disclosure, read and extracted once (none refused)."""
    return {
        path.stem: extracted(path)
        for path in sorted(REAL.glob("*.pdf"))
        if path not in NOT_DISCLOSURES
    }


def test_every_real_document_is_known_here(real: dict[str, Disclosure]) -> None:
    assert sorted(real) == sorted(COVERS)


@pytest.mark.parametrize("path", NOT_DISCLOSURES, ids=lambda p: p.stem)
def test_what_is_not_a_disclosure_is_refused_saying_what_was_looked_for(path: Path) -> None:
    # a 函, a 通报 and a portal page mention 预算 and head a topic or two, and show nothing of a disclosure
    with pytest.raises(NotADisclosure) as refused:
        extract_file(path)
    reason = str(refused.value)
    assert "no 预算/决算 title naming a year" in reason
    assert "none of the standard tables with figures (收支总表" in reason
    assert "of the nine topics headed (three or more, with budget figures, make one)" in reason


@pytest.mark.parametrize(
    "stem",
    [
        "shenzhen-petition-bureau-2026-budget",
        "guangzhou-science-technology-bureau-2026-budget",
        "suzhou-audit-bureau-2026-budget",
        "shanghai-sasac-2026-unit-budget",
    ],
)
def test_disclosures_without_performance_tables_are_read(real: dict[str, Disclosure], stem: str) -> None:
    performance = real[stem].performance
    assert real[stem].budget_tables
    assert not (performance and performance.projects)


@pytest.mark.parametrize("stem", sorted(COVERS))
def test_template_and_cover(real: dict[str, Disclosure], stem: str) -> None:
    disclosure = real[stem]
    assert (disclosure.template, disclosure.title, disclosure.department, disclosure.year, disclosure.kind) == COVERS[
        stem
    ]


@pytest.mark.parametrize("stem", sorted(HEADINGS))
def test_topics_and_their_headings(real: dict[str, Disclosure], stem: str) -> None:
    parts = {part.number: part for part in real[stem].parts}
    for topic, heading in HEADINGS[stem].items():
        assert parts[topic].found, (topic, heading)
        assert compact(parts[topic].heading or "") == compact(heading)


def test_shenzhen_nine_parts_by_topic_and_contents_skipped(real: dict[str, Disclosure]) -> None:
    shenzhen = real["shenzhen-petition-bureau-2026-budget"]
    assert all(part.found for part in shenzhen.parts)
    # the contents (page 2–3) lists every part: none of its lines is a section
    assert all(section.location is not None and (section.location.page or 0) >= 4 for section in shenzhen.sections)
    parts = [s for s in shenzhen.sections if s.number and s.number.endswith("部分")]
    assert [s.number for s in parts] == [f"第{n}部分" for n in "一二三四五六七八九"]
    assert [s.level for s in parts] == [2] * 9  # under 一、文字部分
    # 第七部分 重点项目预算绩效情况说明 carries on topic 5 (绩效)
    performance = shenzhen.parts[4]
    assert performance.text is not None and "第七部分" in performance.text
    # 机关运行经费 sits under 第八部分 (topic 9) and is topic 3 as well
    assert shenzhen.parts[2].text is not None and "357.43" in shenzhen.parts[2].text
    assert shenzhen.parts[8].text is not None and "357.43" in shenzhen.parts[8].text


def test_absent_topics_are_info_outside_the_hebei_template(real: dict[str, Disclosure]) -> None:
    guangzhou = real["guangzhou-science-technology-bureau-2026-budget"]
    absent = [i for i in guangzhou.issues if i.code in ("topic_absent", "part_missing")]
    assert [(i.code, i.severity, i.part) for i in absent] == [("topic_absent", "info", 9)]


def test_tables_only_attachment_is_not_refused(real: dict[str, Disclosure]) -> None:
    beijing = real["beijing-medical-security-bureau-2026-budget-tables"]
    assert beijing.template == "tables_only"
    assert not any(part.found for part in beijing.parts)
    assert not any(i.code in ("topic_absent", "part_missing") for i in beijing.issues)


def test_glued_contents_page_is_skipped(real: dict[str, Disclosure]) -> None:
    # fuzhou's contents page comes as one paragraph of dot leaders
    fuzhou = real["fuzhou-medical-security-bureau-2026-budget"]
    first = fuzhou.sections[0]
    assert (first.number, first.title, first.level) == ("第一部分", "部门概况", 1)
    assert first.location is not None and first.location.page == 3


def test_sibling_sections_of_the_overview_join_it(real: dict[str, Disclosure]) -> None:
    # 三、财政拨款情况说明 right after 二、部门收支总体情况 is part of the overview
    chongqing = real["chongqing-government-office-2026-budget"]
    assert chongqing.parts[1].text is not None and "财政拨款情况说明" in chongqing.parts[1].text
    # 四、一般公共预算拨款支出 and 五、政府性基金预算支出 after 三、部门收支总体情况
    changsha = real["changsha-petition-bureau-2026-budget"]
    assert changsha.parts[1].text is not None and "2026年本单位无政府性基金安排的支出。" in changsha.parts[1].text


def test_the_tables_after_the_last_section_are_not_the_glossary(real: dict[str, Disclosure]) -> None:
    # 表一 … 表十二 follow 六、专业性名词解释 from page 9 on
    glossary = real["chongqing-government-office-2026-budget"].parts[7]
    assert glossary.location is not None and glossary.location.end_page == 8
    assert glossary.text is not None and "表一" not in glossary.text


def test_text_behind_white_backgrounds_is_prose(real: dict[str, Disclosure]) -> None:
    # changsha paints a white box behind every run of words: no tables of
    # word fragments, the sentences come whole and the headings in them count
    procurement = real["changsha-petition-bureau-2026-budget"].parts[5]
    assert procurement.text is not None
    assert "2026年本单位政府采购预算总额43.9万元，其中，货物类采购预算25.4万元" in procurement.text


def test_table_titles_of_a_tables_only_attachment_are_its_sections(real: dict[str, Disclosure]) -> None:
    sections = real["beijing-medical-security-bureau-2026-budget-tables"].sections
    assert [s.number for s in sections] == [f"预算{n:02d}表" for n in range(1, 14)]
    assert sections[11].title == "项目支出绩效目标表"


#: file stem → (income total, expenditure basic, 机关运行经费, 三公 total), in 万元, each checked against its sentence
HEADLINES: dict[str, tuple[str | None, str | None, str | None, str | None]] = {
    # tables only: income from 预算01表's 收入总计, 三公 from 预算09表 (no 机关运行经费 table printed)
    "beijing-medical-security-bureau-2026-budget-tables": ("110896.619602", None, None, "77.672600"),
    "changsha-petition-bureau-2026-budget": ("1935.36", "1517.95", "122.98", "8.00"),
    "chongqing-government-office-2026-budget": ("19230.18", "9018.47", "1815", "394.49"),
    "fuzhou-medical-security-bureau-2026-budget": ("351904.90", "7841.26", "577.91", "5.00"),  # 三公 from its 合计 row
    "guangzhou-science-technology-bureau-2026-budget": ("163539.07", None, "990.04", "149.77"),
    # a 决算: 收入总计 22066.59 carries the carry-overs (the prose's 20451.35 is 本年收入合计); the 三公
    # sentence gives the budget (76.43) before the final account: 46.21 comes from the table's 决算数.合计
    "national-petition-administration-2024-final-accounts": ("22066.59", "11073.11", "2266.65", "46.21"),
    "national-petition-administration-2026-budget": ("50616.94", "11056.07", "2376.26", "112.61"),
    "shenzhen-petition-bureau-2026-budget": ("4684.30", None, "357.43", "5.58"),
    "xian-petition-bureau-2026-budget": ("2838.42", None, "120.89", "10.10"),
}


@pytest.mark.parametrize("stem", sorted(HEADLINES))
def test_headline_figures(real: dict[str, Disclosure], stem: str) -> None:
    disclosure = real[stem]
    overview, operating, three = disclosure.budget_overview, disclosure.operating_costs, disclosure.three_public
    found = (
        overview.income.total if overview else None,
        overview.expenditure.basic if overview else None,
        operating.total if operating else None,
        three.total.current if three and three.total else None,
    )
    assert tuple(None if v is None else str(v) for v in found) == HEADLINES[stem]
