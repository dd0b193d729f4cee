"""Performance tables in layouts met on county pages (`parts.perf_tables`,
`perf_block`, `perf_indicators`), read from HTML as a crawler saves them."""

from __future__ import annotations

from decimal import Decimal

from extractor import extract_document, extract_file, read_bytes
from extractor.blocks import Block, Location, Paragraph, SourceDocument, SourceInfo
from extractor.models import Disclosure
from tests.conftest import FIXTURES

# 休宁县's self-evaluation of a transfer-payment project (2023, rebuilt as HTML
# from the table's text on the county's page): the MoF form
# with a county's labels — 转移支付(项目)名称, 地方主管部门, 资金使用单位,
# 资金情况 not merged down over its rows, 总体目标 | 全年实际完成情况,
# 全年实际完成值, 未完成原因和改进措施, a spaced-out 产 出 指 标
XIUNING = FIXTURES / "xiuning-2023-transfer-payment-self-evaluation.html"


def _xiuning() -> Disclosure:
    return extract_file(XIUNING)


def test_a_county_self_evaluation_form_is_one_project_with_its_budget_and_goal() -> None:
    disclosure = _xiuning()
    assert disclosure.performance is not None
    (project,) = disclosure.performance.projects
    assert project.layout == "self_evaluation"
    assert project.project_name == "休宁县中共皖浙赣省委驻地旧址陈列布展项目"
    assert (project.department, project.unit_name) == ("休宁县文化旅游体育局", "休宁县文物局")
    assert (project.budget.total, project.budget.other, project.budget.fiscal) == (Decimal(127), Decimal(0), None)
    assert project.attributes["年度资金总额/全年执行数"] == "27.9996"
    assert project.attributes["中央财政资金/全年预算数"] == "127"
    assert project.goals == [
        "对中共皖浙赣省委驻地旧址进行陈列布展,完成布展面积300平方米,传承弘扬红色文化、发挥红色文化功能作用。"
    ]
    assert project.attributes["年度总体目标/全年实际完成情况"].startswith("因该项目为革命文物展陈")


def test_a_county_self_evaluation_forms_indicators_with_actual_values() -> None:
    disclosure = _xiuning()
    assert disclosure.performance is not None
    rows = disclosure.performance.projects[0].indicators
    assert [(r.level1, r.level2, r.level3) for r in rows[:2]] == [
        ("产出指标", "数量指标", "布展面积"),
        ("产出指标", "质量指标", "工程实施总体质量"),  # printed 指标1:工程实施总体质量: the number is no name
    ]
    area = rows[0]
    assert (area.value.op, area.value.number, area.value.unit) == ("=", Decimal(300), "㎡")
    assert area.actual is not None and area.actual.number == 0
    assert area.deviation == "展陈方案需通过省委宣传部审核。"
    safety = rows[2]
    assert (safety.value.op, safety.value.number, safety.value.unit) == ("<=", Decimal(0), "%")
    assert not [i for i in disclosure.issues if i.code in ("value_unit_suspect", "performance_table_unattached")]


def _issues_of(*texts: str) -> list[str]:
    blocks: list[Block] = [Paragraph(text, Location(page=n + 9)) for n, text in enumerate(texts)]
    document = SourceDocument(SourceInfo("borderless.pdf", "pdf", "0" * 64, 1), blocks)
    return [i.message for i in extract_document(document).disclosure.issues if i.code == "performance_tables_unread"]


def test_performance_tables_printed_without_ruling_lines_are_an_error_not_silence() -> None:
    # the seed's DOCX with its table borders removed, printed to PDF: no
    # ruled table anywhere, every row a line of text; 0 projects came out
    # and nothing said why
    messages = _issues_of(
        "第五部分：预算绩效信息",
        "1.门卫安保经费绩效目标表",
        "一级指标 二级指标 三级指标 绩效指标描述 指标值 指标值确定依据",
        "产出指标 数量指标 门卫室人员数量 门卫室人员数量 2人 工作需要",
    )
    assert messages == [
        "1 table(s) that look like performance tables were not read into projects: "
        "page 11 (header rows printed as text: no ruling lines to read the tables by)"
    ]


def test_a_sentence_naming_the_indicator_levels_is_no_header_row() -> None:
    sentence = "绩效指标分为一级指标、二级指标和三级指标，指标值按预算确定。"
    assert _issues_of("第五部分：预算绩效信息", sentence, "其他说明。") == []


def test_performance_tables_exported_cell_by_cell_as_text_are_an_error_not_silence() -> None:
    # LibreOffice's text export of the seed writes every cell on a line of
    # its own, no TAB and no rows: 0 projects came out and nothing said why
    text = "\n".join(
        [
            "第五部分：预算绩效信息",
            "三、项目绩效目标",
            "1.门卫安保经费绩效目标表",
            "201001中国共产党阜平县委员会本级 单位：万元",
            "项目编码",
            "13062421000000000001",
            "一级指标",
            "二级指标",
            "2.档案管理经费绩效目标表",
            "说明：本单位无此项目，故此表无数据。",
        ]
    )
    disclosure = extract_document(read_bytes(text.encode("utf-8"), "exported.txt")).disclosure
    messages = [i.message for i in disclosure.issues if i.code == "performance_tables_unread"]
    assert messages == [
        "1 table(s) that look like performance tables were not read into projects: "
        "line 3 (a table's title with no table after it: its rows came as text)"
    ]
    coverage = disclosure.extraction  # seen, not read: a batch sorting by coverage sees it
    assert (coverage.performance_tables_seen, coverage.performance_tables_read) == (1, 0)


def _row(*cells: str) -> str:
    return (
        "<tr>"
        + "".join(
            f"<td{' rowspan=2' if cell.startswith('2:') else ''}>{cell.removeprefix('2:')}</td>" for cell in cells
        )
        + "</tr>"
    )


# A page holding nothing but a wide table, its level columns headed 一级 /
# 二级 / 三级 (as the shared README draws the family): refused as "not a
# budget disclosure" (no 预算 with a figure), and the short names were no labels
WIDE_ALONE = (
    "<html><body><p>2026年项目支出绩效目标表</p><p>单位：万元</p><table>"
    + _row("单位编码", "单位（项目）名称", "资金总额", "绩效目标", "一级", "二级", "三级", "指标值")
    + _row(
        "2:401001",
        "2:信访业务工作专项",
        "2:138.11",
        "2:完成信访业务工作。",
        "2:产出指标",
        "数量指标",
        "接待来访人次",
        "≥5000人次",
    )
    + _row("质量指标", "按期办结率", "≥95%")
    + _row(
        "2:401001",
        "2:人民来访接待中心业务专项",
        "2:102.80",
        "2:保障接待中心运转。",
        "产出指标",
        "时效指标",
        "办理时限",
        "≤60个工作日",
    )
    + _row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%")
    + "</table></body></html>"
)


def test_a_wide_table_alone_with_short_level_names_is_read() -> None:
    disclosure = extract_document(read_bytes(WIDE_ALONE.encode("utf-8"), "wide.html")).disclosure
    assert disclosure.performance is not None
    first, second = disclosure.performance.projects
    assert (first.layout, first.project_name, first.budget.total) == ("wide", "信访业务工作专项", Decimal("138.11"))
    assert [(i.level1, i.level2, i.level3) for i in second.indicators] == [
        ("产出指标", "时效指标", "办理时限"),
        ("满意度指标", "服务对象满意度指标", "群众满意度"),
    ]
    assert (second.indicators[0].value.op, second.indicators[0].value.unit) == ("<=", "个工作日")


def test_a_flat_table_of_two_projects_gives_no_warning_for_the_levels_it_has_not() -> None:
    # the flat layout (Chongqing's 表十二) prints no levels: each row used to
    # warn that level 1 and level 2 were empty
    html = (
        "<html><body><p>2026年市级一般性项目绩效目标表（一级项目）</p><p>单位：万元</p><table>"
        + _row("序号", "项目名称", "当年财政拨款预算金额", "当年绩效目标", "指标名称", "指标性质", "指标值", "计量单位")
        + _row("2:1", "2:业务运行项目", "2:8,534.17", "2:保障正常运转。", "办结率", "≥", "95", "%")
        + _row("网站可用率", "≥", "99.5", "%")
        + _row("2:2", "2:信息化建设项目", "2:1,200.00", "2:完成系统升级。", "系统上线数", "＝", "3", "个")
        + _row("故障处理时限", "≤", "", "小时")
        + "</table></body></html>"
    )
    disclosure = extract_document(read_bytes(html.encode("utf-8"), "flat.html")).disclosure
    assert disclosure.performance is not None
    first, second = disclosure.performance.projects
    # 当年财政拨款预算金额 is a fiscal amount: no total printed
    assert (first.layout, second.project_name, second.budget.total, second.budget.fiscal) == (
        "flat",
        "信息化建设项目",
        None,
        Decimal("1200.00"),
    )
    assert (second.indicators[0].value.op, second.indicators[0].value.number) == ("=", 3)
    empty = [i.message for i in disclosure.issues if i.code == "indicator_cell_empty"]
    assert empty == ["indicator row 2: value (指标值) is empty"]
