"""Performance tables of real disclosures from other provinces, one test per
layout family, values as printed on the pages (../shared/real)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from extractor import extract_document, read_path
from extractor.models import Disclosure, Indicator, Project

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not beside the repository")


@cache
def _doc(stem: str) -> Disclosure:
    (path,) = REAL.glob(f"{stem}*.pdf")
    return extract_document(read_path(path)).disclosure


def _projects(stem: str) -> list[Project]:
    performance = _doc(stem).performance
    assert performance is not None
    return performance.projects


def _row(indicator: Indicator) -> tuple[object, ...]:
    v = indicator.value
    raw = v.raw.replace(" ", "") if v.raw else None  # a space between number and unit is the producer's
    return (indicator.level1, indicator.level2, indicator.level3, raw, v.op, v.number, v.unit)


def _codes(stem: str) -> list[str]:
    return [issue.code for issue in _doc(stem).issues]


@pytest.mark.parametrize(
    ("stem", "projects", "rows", "targets", "target_rows"),
    [
        ("beijing-medical-security", 27, 360, 1, 19),
        ("changsha-petition", 4, 76, 1, 25),
        ("chongqing-government-office", 1, 11, 1, 10),
        ("fuzhou-medical-security", 13, 104, 0, 0),
        ("national-petition-administration-2026", 3, 29, 0, 0),
        ("national-petition-administration-2024", 4, 36, 0, 0),
        ("xian-petition", 9, 63, 1, 14),
        ("shenzhen", 0, 0, 0, 0),
        ("guangzhou-science-technology", 0, 0, 0, 0),
    ],
)
def test_counts_of_projects_rows_and_department_targets(
    stem: str, projects: int, rows: int, targets: int, target_rows: int
) -> None:
    performance = _doc(stem).performance
    found = performance.projects if performance else []
    department = performance.department_targets if performance else []
    assert len(found) == projects
    assert sum(len(p.indicators) for p in found) == rows
    assert len(department) == targets
    assert sum(len(t.indicators) for t in department) == target_rows
    assert "performance_tables_unread" not in _codes(stem)


def test_wide_layout_beijing_operator_and_unit_in_their_own_columns() -> None:
    first, flights = _projects("beijing-medical-security")[:2]
    assert (first.layout, first.project_code, first.project_name) == (
        "wide",
        "11000022T000000444016",
        "医疗保障公众评价",
    )
    assert (first.budget.total, first.budget.fiscal, first.budget.other) == (
        Decimal("76.436338"),
        Decimal("76.436338"),
        None,
    )
    assert len(first.indicators) == 17
    interviews = first.indicators[1]
    assert _row(interviews) == ("产出指标", "数量指标", "深度访谈数量：区级经办人员", "≥32人", ">=", Decimal(32), "人")
    assert interviews.nature == "≥"
    assert (flights.project_code, flights.budget.total, len(flights.indicators)) == (
        "11000023T000002062265",
        Decimal("129.250000"),
        6,
    )


def test_wide_layout_continues_a_project_on_the_next_page() -> None:
    names = [(p.project_name, p.budget.total, len(p.indicators)) for p in _projects("changsha-petition")]
    assert [n[:2] for n in names] == [
        ("基层及其他信访业务工作经费专项", Decimal("35.78")),
        ("人民来访接待中心及特护期运行专项", Decimal("10.22")),
        ("人民来访接待中心业务专项", Decimal("102.80")),
        ("信访业务工作专项", Decimal("138.11")),
    ]
    first = _projects("changsha-petition")[0]
    assert (first.unit_code, first.unit_name) == ("126001", "长沙市信访局")
    expected = ("成本指标", "经济成本指标", "总成本", "≤35.78万元", "<=", Decimal("35.78"), "万元")
    assert _row(first.indicators[0]) == expected


def test_form_layout_fuzhou() -> None:
    trauma = _projects("fuzhou-medical-security")[1]
    assert trauma.layout == "form"
    assert trauma.project_name == "外伤医疗费用结算审核服务费"
    assert (trauma.budget.total, trauma.budget.fiscal, trauma.budget.other) == (
        Decimal("118.00"),
        Decimal("118.00"),
        Decimal("0.00"),
    )
    assert (trauma.department, trauma.unit_name, trauma.amount_unit) == ("福州市医疗保障局", "福州市医疗保障局", "万元")
    assert [_row(i)[2:5] for i in trauma.indicators] == [
        ("预算执行率", "≥95%", ">="),
        ("服务覆盖率", "=100%", "="),
        ("审核准确率", "≥95%", ">="),
        ("追讨金额准确率", "≥95%", ">="),
        ("任务完成及时率", "≥95%", ">="),
        ("医保报销及时率", "≥95%", ">="),
        ("投诉业务部门不作为的投诉件数量", "≤3件", "<="),
    ]
    # the header block cut from its indicators by a page break (pages 26/27)
    first = _projects("fuzhou-medical-security")[0]
    assert (first.budget.total, len(first.indicators)) == (Decimal("745.00"), 6)


def test_form_layout_national_carryover_and_weights() -> None:
    it = _projects("national-petition-administration-2026")[0]
    assert (it.project_name, it.department, it.unit_name) == ("信息化运行维护", "[292]国家信访局", "国家信访局本级")
    assert (it.budget.total, it.budget.fiscal, it.budget.carryover, it.budget.other) == (
        Decimal("2134.87"),
        Decimal("1384.87"),
        Decimal("750.00"),
        None,
    )
    assert it.indicators[0].weight == Decimal(20)
    expected = ("产出指标", "数量指标", "数据中心设备维护量", "≥330台（套）", ">=", Decimal(330), "台（套）")
    assert _row(it.indicators[1]) == expected
    assert "budget_parts_mismatch" not in _codes("national-petition-administration-2026")


def test_self_evaluation_layout() -> None:
    projects = _projects("national-petition-administration-2024")
    assert {p.layout for p in projects} == {"self_evaluation"}
    it = projects[3]
    assert (it.project_name, it.budget.total) == ("信息化运行维护", Decimal("1638.67"))
    assert it.budget.carryover == Decimal("281.00")
    intact = it.indicators[3]
    assert intact.level3 == "设备完好率"
    assert (intact.value.op, intact.value.number) == (">=", Decimal(96))
    assert intact.actual is not None and intact.actual.number == Decimal(85)
    assert (intact.weight, intact.score) == (Decimal(10), Decimal("7.1"))
    assert intact.deviation is not None and intact.deviation.startswith("终端电脑经常电源故障")


def test_flat_layout_and_department_targets_chongqing() -> None:
    (project,) = _projects("chongqing-government-office")
    assert (project.layout, project.project_name, project.budget.total) == (
        "flat",
        "市政府办公厅业务及日常运行项目",
        Decimal("8534.17"),
    )
    first = project.indicators[0]
    assert (first.level1, first.level3, first.value.raw, first.weight) == (
        None,
        "民呼我为（“12345”）咨询一次性解答率",
        "≥70%",
        Decimal(15),
    )
    performance = _doc("chongqing-government-office").performance
    assert performance is not None
    (target,) = performance.department_targets
    assert target.unit == "重庆市人民政府办公厅"
    assert (target.indicators[0].level3, target.indicators[0].value.raw, target.indicators[0].core) == (
        "市政府门户网站优化整改次数",
        "≥4次",
        True,
    )


def test_form_layout_xian_period_total_alone_is_the_total() -> None:
    first = _projects("xian-petition")[0]
    assert (first.project_name, first.budget.total, first.budget.fiscal, first.budget.period_total) == (
        "接待中心安保服务",
        Decimal("50.00"),
        Decimal("50.00"),
        None,
    )
    assert first.indicators[0].weight == Decimal(10)
    # an empty first level whose second level belongs elsewhere is not carried down
    social = next(i for i in first.indicators if i.level2 == "社会效益指标")
    assert social.level1 is None
