"""Performance tables of real disclosures from other provinces, one test per
layout family, values as printed on the pages (../shared/real)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractor.models import Disclosure, Indicator, Project
from tests.cache import extracted

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not beside the repository")


def _doc(stem: str) -> Disclosure:
    (path,) = REAL.glob(f"{stem}*.pdf")
    return extracted(path)


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
        ("national-petition-administration-2024", 4, 37, 0, 0),  # 微信发稿量 and 舆情报告报送量: two rows, pp. 32/33
        ("xian-petition", 9, 63, 1, 14),
        ("shenzhen", 0, 0, 0, 0),
        ("guangzhou-science-technology", 0, 0, 0, 0),
        ("yantai-commerce", 12, 125, 0, 0),
        ("quanzhou-public-security", 25, 169, 1, 9),
        ("guangzhou-ecology-environment", 300, 1768, 0, 0),
        ("xian-meteorological", 1, 32, 1, 32),
        ("chongqing-commerce-commission", 2, 24, 1, 10),
        ("shanghai-sasac", 0, 0, 0, 0),
        ("suzhou-audit", 0, 0, 0, 0),
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
    # the national 决算's evaluation report prints 表1 项目年度绩效指标表 (p. 46) naming no project
    assert ("performance_tables_unread" in _codes(stem)) == (stem == "national-petition-administration-2024")


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
    # its only amount is 当年财政拨款预算金额: a fiscal amount, no total printed
    assert (project.layout, project.project_name, project.budget.total, project.budget.fiscal) == (
        "flat",
        "市政府办公厅业务及日常运行项目",
        None,
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


def test_yantai_label_with_its_figure_in_the_next_cell_and_forms_over_page_breaks() -> None:
    projects = _projects("yantai-commerce")
    retired = projects[2]  # 年度预算资金总额： | 30.00
    assert (retired.project_name, retired.budget.total, retired.budget.fiscal, retired.budget.other) == (
        "离休老干部医疗费",
        Decimal("30.00"),
        Decimal("30.00"),
        Decimal("0.00"),
    )
    assert retired.attributes == {}
    # 实施公车统管费用 on pp. 40, 45, 46 and 49: four forms, each with its own unit and amount
    cars = [
        (p.location.page if p.location else None, p.unit_name, p.budget.total, len(p.indicators))
        for p in projects
        if p.project_name == "实施公车统管费用"
    ]
    assert cars == [
        (40, "烟台市商务局", Decimal("30.00"), 7),
        (45, "烟台市会展业服务中心", Decimal("5.00"), 7),
        (46, "烟台三站批发交易市场服务中心", Decimal("3.00"), 7),
        (49, "烟台市国际商务促进中心", Decimal("3.00"), 7),
    ]
    # no header label became an indicator row of the form before
    labels = {"年度预算资金总额：", "其中：财政拨款", "其他资金", "项目名称", "主管部门及代码"}
    assert not [i for p in projects for i in p.indicators if {i.level1, i.level2, i.level3} & labels]
    assert _row(projects[6].indicators[1]) == (
        "产出指标",
        "数量指标",
        "代管困难企业离退休干部人数",
        "≥33人",
        ">=",
        Decimal(33),
        "人",
    )


def test_quanzhou_name_only_in_the_title_wrapped_over_two_lines() -> None:
    projects = _projects("quanzhou-public-security")
    fraud = projects[1]
    assert (fraud.unit_code, fraud.unit_name, fraud.project_name) == (
        "301007",
        "泉州市公安局晋江国际机场分局",
        "全国民航反电诈中心建设项目",
    )
    assert (fraud.budget.total, fraud.budget.fiscal, fraud.budget.other) == (
        Decimal("47.50"),
        Decimal("47.50"),
        Decimal("0.00"),
    )
    assert fraud.period_goals and fraud.period_goals[0].startswith("持续开发反诈平台")
    assert _row(fraud.indicators[4])[2:4] == ("方便平台各用户查询使用航班旅客信息", "3000次")
    # a title wrapped mid-word (…_科技兴警绩效 / 目标表), and one naming the project alone
    assert (projects[2].unit_code, projects[2].project_name) == ("301008", "科技兴警")
    assert (projects[5].unit_code, projects[5].project_name, projects[5].budget.total) == (
        None,
        "公务用车购置项目",
        Decimal("30.00"),
    )


def test_guangzhou_prose_indicators_and_unit_subtotal_rows() -> None:
    projects = _projects("guangzhou-ecology-environment")
    first = projects[0]
    assert (first.layout, first.project_name, first.unit_name) == (
        "wide",
        "广州市镇（街）园区环保监督检查员经费（越秀区）",
        "广州市生态环境局",
    )
    assert (first.budget.total, first.budget.fiscal, first.budget.special_account) == (
        Decimal("238.00"),
        Decimal("238.00"),
        None,
    )
    assert first.location is not None and first.location.page == 1
    rows = [
        (i.level1, i.level2, i.level3, i.value.raw, i.period_value.raw if i.period_value else None)
        for i in first.indicators
    ]
    assert rows == [
        ("产出指标", "数量指标", "项目专职环保员数量", "≦核定人数", "≦核定人数"),
        ("产出指标", "质量指标", "环境应急事件响应率", "100%", "100%"),
        ("产出指标", "质量指标", "专职环保员队伍管理规范化", "是", "考察是否符合规范，合规得满分，不合规不得分"),
        ("产出指标", "时效指标", "项目资金支付及时率", "100%", "100%"),
        ("效益指标", "社会效益", "环保信访投诉办结率", "≥90%", "≥90%"),
        ("效益指标", "社会效益", "辖区内污染源巡查率", "≥80%", "≥80%"),
    ]
    # 广州市固体废物管理中心 | 163.39 is a unit subtotal: no project, the unit of those below it
    assert "广州市固体废物管理中心" not in {p.project_name for p in projects}
    estate = next(p for p in projects if p.project_name == "民安大厦物业管理费")
    assert (estate.unit_name, estate.budget.total) == ("广州市固体废物管理中心", Decimal("13.30"))
    # the last project of a page is not glued to the unit's subtotal overleaf
    assert not [i for i in _doc("guangzhou-ecology-environment").issues if i.code == "number_unreadable"]


def test_xian_older_special_fund_form() -> None:
    (project,) = _projects("xian-meteorological")
    assert (project.project_name, project.budget.total, project.budget.fiscal) == (
        "其他履职经费",
        Decimal("1715.97"),
        Decimal("1715.97"),
    )
    assert project.goals[0].startswith("完成气象灾害监测数据收集")
    assert _row(project.indicators[1])[:4] == ("产出指标", "数量指标", "作业次数", "飞机增雨10次/年；火箭增雨12次/年")
    # a name wrapped into a row of its own beside its value's merged cell
    assert project.indicators[20].level3 == "做好抗旱减灾、森林防火及治污减霾工作"
    performance = _doc("xian-meteorological").performance
    assert performance is not None and performance.department_targets[0].unit == "西安市气象局"


def test_chongqing_key_project_labels_behind_figures_and_its_table_overleaf() -> None:
    key, general = _projects("chongqing-commerce-commission")
    assert (key.project_name, key.department, len(key.indicators)) == ("市商务发展专项", "重庆市商务委员会", 12)
    silk = key.indicators[2]
    assert _row(silk)[2:] == ("蚕茧产量", "≥12000吨", ">=", Decimal(12000), "吨")
    assert (silk.weight, silk.core) == (Decimal(10), True)
    assert key.indicators[-1].level3 == "年度预算执行率"  # printed overleaf, p. 27
    # its digits and commas in a font whose descent is broken: the comma was read apart (",46794.00", no total)
    assert (key.budget.total, key.attributes["市级支出"]) == (Decimal("46794.00"), "40,624.00")
    # 表十二: its only amount is a fiscal one
    assert (general.project_name, general.budget.total, general.budget.fiscal) == (
        "市商务发展一般性项目",
        None,
        Decimal("8071.45"),
    )
