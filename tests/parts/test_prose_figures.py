"""Figures read from prose: taken only from a clause that names them, each
with its sentence as evidence; a year, a change, a percentage or another
subject's figure next to the label is rejected and reported.

The real cases are paragraphs copied from the disclosures in
``../shared/real/`` as the PDF reader gives them (one paragraph per printed
line), each named after the wrong figure it used to give."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import extract_document, read_bytes
from extractor.blocks import Block, Location, Paragraph
from extractor.findings import IssueLog
from extractor.models import Issue
from extractor.parts._prose import sentences
from extractor.parts._report import Report
from extractor.parts.assets import parse_assets
from extractor.parts.operating import parse_operating_costs
from extractor.parts.overview import parse_overview
from extractor.parts.procurement import parse_procurement
from extractor.parts.three_public import parse_three_public
from tests.conftest import FIXTURES


def _blocks(*lines: str) -> list[Block]:
    return [Paragraph(text, Location(line=number)) for number, text in enumerate(lines, start=1)]


def _report(part: int) -> tuple[Report, IssueLog]:
    log = IssueLog()
    return Report(log, part), log


def _codes(log: IssueLog) -> list[str]:
    return [issue.code for issue in log.issues]


# fuzhou-medical-security-bureau-2026-budget.pdf, 六 and 八（一）
FUZHOU = (
    "六、一般公共预算“三公”经费支出情况",
    "（一）因公出国（境）经费",
    "2026年预算安排0.00万元，与上年持平。",
    "（二）公务接待费",
    "2026年预算安排5.00万元，与上年持平。主要是保障公",
    "务接待工作需要。",
    "（三）公务用车购置及运行费",
    "2026年预算安排0.00万元，其中：公务用车运行费0.00",
    "万元，与上年持平；公务用车购置费0.00万元，与上年持平。七、预算绩效目标情况",
    "八、其他重要事项说明",
    "（一）机关运行经费",
    "2026年，福州市医疗保障局一般公共预算拨款安排的机",
    "关运行经费支出577.91万元，比上年减少26.92万元，下",
    "降4.45%。主要原因是厉行节约，压缩公用经费支出。",
)
# chongqing-government-office-2026-budget.pdf, 二 and 三
CHONGQING_OVERVIEW = (
    "二、部门收支总体情况",
    "（一）收入预算。2026 年年初预算数19,230.18 万元，其中：一般公共预算拨款 18,417.70万元，",
    "事业收入 812.48 万元，收入比 2025 年增加2,784.38 万元，其中：一般公共预算财政拨款增加2,781.90",
    "万元，主要是增加了重庆市“12345 一号通”政务服务便民热线运营项目二期预算；事业收入增加2.48",
    "万元，主要是按照全市统一政策要求，重庆市政府机关服务中心使用事业收入支出公务用车运行维护",
    "费。",
    "（二）支出预算。2026 年年初预算数19,230.18 万元，其中：一般公共服务支出 15,958.96万元，",
    "教育支出 15.26 万元，社会保障和就业支出1,595.94 万元，卫生健康支出446.95 万元，资源勘探工业",
    "信息等支出 673.17 万元，住房保障支出539.91 万元；支出比2025 年增加 2,784.38 万元，主要是基本",
    "支出增加 362.10 万元，项目支出增加 2,422.28 万元。",
    "三、财政拨款情况说明",
    "2026 年一般公共预算财政拨款收入18,417.70 万元，一般公共预算财政拨款支出 18,417.70万元，",
    "比 2025 年增加 2,781.90 万元。其中：基本支出 9,018.47 万元，主要用于保障在职人员工资福利及社",
    "会保险缴费、离休人员离休费、退休人员补助等，以及保障部门正常运转的各项商品服务支出，比",
    "2025 年增加 362.10 万元，主要原因是在职人员较去年有所增加；项目支出 9,399.23 万元，主要用于",
    "重庆市“12345 一号通”政务服务便民热线运营、政务服务工作运行分析等重点工作，比 2025 年增",
    "加 2,419.80 万元，主要原因是增加了重庆市“12345一号通”政务服务便民热线运营项目二期预算。",
)
# chongqing, 四
CHONGQING_THREE_PUBLIC = (
    "四、“三公”经费情况说明",
    "2026 年“三公”经费预算 394.49 万元，较 2025 年减少 2.48 万元，其中：因公出国（境）费用",
    "184.49 万元，与 2025 持平；公务接待费 10万元，与 2025 持平；公务用车运行维护费200.00万元，",
    "较 2025 年减少2.48 万元，主要原因是按照全市统一政策要求，重庆市政府机关服务中心使用事业收",
    "入支出公务用车运行维护费；公务用车购置费 0 万元，与 2025 年持平。",
)
# national-petition-administration-2024-final-accounts.pdf, 一 and 八
NATIONAL_FINAL = (
    "一、收入支出决算总体情况说明",
    "国家信访局 2024 年度收、支总计 22066.59万元，与 2023 年",
    "相比，收、支总计各增加 5834.37 万元，增长 35.74%。",
    "八、机关运行经费支出说明",
    "2024 年度机关运行经费支出 2266.65 万元，比 2023 年度决算",
    "数增加 318.58万元，增长 16.35%。主要原因是执行中按规定使用",
    "了以前年度结转资金。",
)


def test_fuzhou_operating_total_is_577_91_not_the_0_00_of_the_travel_sentence() -> None:
    report, log = _report(3)
    costs = parse_operating_costs(_blocks(*FUZHOU), report)
    assert (costs.total, costs.amount_unit) == (Decimal("577.91"), "万元")
    assert costs.evidence["total"] == (
        "（一）机关运行经费2026年，福州市医疗保障局一般公共预算拨款安排的机关运行经费支出577.91万元，"
        "比上年减少26.92万元，下降4.45%。"
    )
    assert "figure_rejected" not in _codes(log)


def test_fuzhou_travel_sentences_alone_give_no_operating_total() -> None:
    report, log = _report(3)
    costs = parse_operating_costs(_blocks(*FUZHOU[:9]), report)
    assert costs.total is None and costs.evidence == {}
    assert _codes(log) == ["field_missing"]


def test_fuzhou_three_public_items_from_their_run_in_headings() -> None:
    report, _ = _report(4)
    three = parse_three_public(_blocks(*FUZHOU[:9]), report)
    assert [(row.item, row.current, row.subitem) for row in three.rows] == [
        ("因公出国（境）费", Decimal("0.00"), False),
        ("公务接待费", Decimal("5.00"), False),
        ("公务用车购置及运行费", Decimal("0.00"), False),
        ("公务用车购置费", Decimal("0.00"), True),
        ("公务用车运行费", Decimal("0.00"), True),
    ]
    assert three.total is None
    assert three.evidence["rows[1].current"] == "（二）公务接待费2026年预算安排5.00万元，与上年持平。"


def test_chongqing_income_19230_18_and_basic_9018_47() -> None:
    report, log = _report(2)
    overview = parse_overview(_blocks(*CHONGQING_OVERVIEW), report)
    assert overview.income.total == Decimal("19230.18")
    assert overview.expenditure.total == Decimal("19230.18")
    assert overview.expenditure.basic == Decimal("9018.47")
    assert overview.expenditure.project == Decimal("9399.23")
    assert overview.amount_unit == "万元"
    assert overview.evidence["income.total"].startswith("（一）收入预算。2026 年年初预算数19,230.18 万元")
    assert overview.evidence["expenditure.basic"].startswith("其中：基本支出 9,018.47 万元")
    assert overview.evidence["expenditure.project"].startswith("项目支出 9,399.23 万元")
    # the changes met first (基本支出增加 362.10) were passed over, not reported: a figure was found
    assert "figure_rejected" not in _codes(log)


def test_chongqing_three_public_total_and_items_from_prose() -> None:
    report, log = _report(4)
    three = parse_three_public(_blocks(*CHONGQING_THREE_PUBLIC), report)
    assert three.total is not None and three.total.current == Decimal("394.49")
    assert [(row.item, row.current) for row in three.rows] == [
        ("因公出国（境）费", Decimal("184.49")),
        ("公务接待费", Decimal("10")),
        ("公务用车购置费", Decimal("0")),
        ("公务用车运行费", Decimal("200.00")),
    ]
    assert three.evidence["total.current"].startswith("四、“三公”经费情况说明2026 年“三公”经费预算 394.49 万元")
    assert _codes(log) == ["table_missing"]


def test_national_final_accounts_operating_2266_65() -> None:
    report, _ = _report(3)
    costs = parse_operating_costs(_blocks(*NATIONAL_FINAL[3:]), report)
    assert costs.total == Decimal("2266.65")
    assert costs.evidence["total"].startswith("八、机关运行经费支出说明2024 年度机关运行经费支出 2266.65 万元")


def test_national_final_accounts_22066_59_is_not_operating_costs() -> None:
    report, log = _report(3)
    costs = parse_operating_costs(_blocks(*NATIONAL_FINAL[:3]), report)
    assert costs.total is None
    assert _codes(log) == ["field_missing"]
    report, _ = _report(2)
    overview = parse_overview(_blocks(*NATIONAL_FINAL[:3]), report)
    assert (overview.income.total, overview.expenditure.total) == (Decimal("22066.59"), Decimal("22066.59"))


def test_changsha_basic_expenditure_is_not_the_year_2026() -> None:
    # changsha-petition-bureau-2026-budget.pdf: the reader cut "（一）基本支出：2026年本单位
    # 基本支出预算数1517.95万元" so that the year stands before the next line's 万元
    report, log = _report(2)
    overview = parse_overview(
        _blocks("（一）基本支出：2026", "万元，主要是为保障部门正常运转、完成日常工作任务而发生"), report
    )
    assert overview.expenditure.basic is None
    rejected = [i for i in log.issues if i.code == "figure_rejected" and "expenditure.basic" in i.message]
    assert len(rejected) == 1 and "'2026' not taken (a year)" in rejected[0].message


def test_year_before_unit_across_a_line_break_is_rejected() -> None:
    report, log = _report(3)
    costs = parse_operating_costs(_blocks("本单位机关运行经费：2026\n万元，主要用于办公费。"), report)
    assert costs.total is None
    assert [i.message for i in log.issues] == [
        "机关运行经费 total: '2026万元' not taken (a year): '本单位机关运行经费：2026万元，主要用于办公费。'"
    ]


def test_project_decrease_251675_84_is_not_the_project_total() -> None:
    # the document that printed it is not among ../shared/real; its wording
    report, log = _report(2)
    overview = parse_overview(_blocks("2026年项目支出比上年减少251,675.84万元，主要是专项资金压减。"), report)
    assert overview.expenditure.project is None
    assert any(
        i.code == "figure_rejected" and "'251,675.84万元' not taken (a change on the year before" in i.message
        for i in log.issues
    )


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("本年机关运行经费比上年增加12.5万元。", "a change on the year before, not the amount"),
        ("机关运行经费较上年下降3.2%。", "a change on the year before, not the amount"),
        ("机关运行经费占公用经费的45.5%。", "the figure of another subject (公用经费)"),
        ("机关运行经费占比45.5%。", "a percentage"),
        ("机关运行经费及“三公”经费共计30万元。", "the figure of another subject (三公)"),
        ("机关运行经费：2026", "a year"),
    ],
)
def test_operating_total_rejected(sentence: str, reason: str) -> None:
    report, log = _report(3)
    assert parse_operating_costs(_blocks(sentence), report).total is None
    assert [i.code for i in log.issues] == ["figure_rejected"]
    assert f"({reason})" in log.issues[0].message


@pytest.mark.parametrize(
    "sentence, total, unit",
    [
        ("机关运行经费预算为577.91万元。", "577.91", "万元"),
        ("2026年本部门机关运行经费安排1,815万元，主要用于办公费。", "1815", "万元"),
        ("机关运行经费预算1,234,567.89元。", "1234567.89", "元"),
        ("2026 年机关运行经费财政拨款预算\n2,376.26万元，较2025年预算增加222.33万元。", "2376.26", "万元"),
        ("机关运行经费合计0.12亿元。", "0.12", "亿元"),
        # xian-petition-bureau-2026-budget.pdf, 十四
        ("本部门当年机关运行经费预算安排120.89万元，较上年增加0.84万元，增长0.70%。", "120.89", "万元"),
    ],
)
def test_operating_total_wordings(sentence: str, total: str, unit: str) -> None:
    report, _ = _report(3)
    costs = parse_operating_costs(_blocks(sentence), report)
    assert (costs.total, costs.amount_unit) == (Decimal(total), unit)
    assert costs.evidence["total"] == sentence.replace("\n", "")


@pytest.mark.parametrize(
    "lines, income, basic, project",
    [
        (
            (
                "2026 年国家信访局收入预算总计 50,616.94 万元，其中，基本支出 11,056.07 万元，占 21.84%；",
                "项目支出 39,560.87万元，占 78.16%。",
            ),
            "50616.94",
            "11056.07",
            "39560.87",
        ),
        (("2026 年深圳市信访局部门预算收入 4,684.30 万元，较",), "4684.30", None, None),
        (("国家信访局 2026年收支总预算 50,616.94 万元。",), "50616.94", None, None),
        (("本部门收支预算总额19,230.18万元。",), "19230.18", None, None),
    ],
)
def test_budget_overview_national_wordings(
    lines: tuple[str, ...], income: str, basic: str | None, project: str | None
) -> None:
    report, _ = _report(2)
    overview = parse_overview(_blocks(*lines), report)
    assert overview.income.total == Decimal(income)
    assert overview.expenditure.basic == (Decimal(basic) if basic else None)
    assert overview.expenditure.project == (Decimal(project) if project else None)
    assert overview.evidence["income.total"].startswith(lines[0][:10])


def test_xian_three_public_expenditure_is_not_the_budget_expenditure() -> None:
    # xian-petition-bureau-2026-budget.pdf: part 2 runs on to the 三公 section
    lines = (
        "五、收支预算总体情况说明",
        "本部门当年预算收入2,838.42万元，其中：一般公共预算拨款2,838.42万元。",
        "七、一般公共预算支出情况说明",
        "十、“三公”经费及会议费、培训费情况说明",
        "本部门当年一般公共预算“三公”经费预算支出10.10万元，较上年减少1.90万元，下降",
        "15.83%，下降的主要原因是：压减“三公”经费开支。",
        "本部门当年预算支出2,838.42万元。",
    )
    report, _ = _report(2)
    overview = parse_overview(_blocks(*lines), report)
    assert (overview.income.total, overview.expenditure.total) == (Decimal("2838.42"), Decimal("2838.42"))
    assert overview.evidence["expenditure.total"] == "本部门当年预算支出2,838.42万元。"


def test_income_named_before_a_label_is_not_another_subject() -> None:
    report, _ = _report(2)
    overview = parse_overview(_blocks("部门收入预算总额为100万元，收入中人员经费60万元。"), report)
    assert overview.income.personnel == 60


def test_a_figure_in_another_unit_than_the_parts_is_rejected() -> None:
    report, log = _report(2)
    overview = parse_overview(_blocks("部门收入预算总额为100万元。", "基本支出800,000元。"), report)
    assert overview.income.total == 100 and overview.expenditure.basic is None
    assert any("'800,000元' not taken (in 元, not 万元)" in i.message for i in log.issues)


def test_nothing_in_another_unit_is_taken() -> None:
    # 富源县人民政府办公室 2018: figures in 万元, then "因公出国(境)费预算0元"
    report, log = _report(4)
    blocks = _blocks(
        "2018年“三公”经费预算为16.4万元,比2017年减少2.4万元。其中公务接待费预算为2.4万元,"
        "公务用车购置及运行费预算为14万元;因公出国(境)费预算0元,与上年一致。"
    )
    three = parse_three_public(blocks, report)
    assert three.amount_unit == "万元" and three.total is not None and three.total.current == Decimal("16.4")
    assert {row.item: row.current for row in three.rows} == {
        "因公出国（境）费": Decimal(0),
        "公务接待费": Decimal("2.4"),
        "公务用车购置及运行费": Decimal(14),
    }
    assert "figure_rejected" not in _codes(log)


def test_guangzhou_procurement_total_is_not_the_goods_item() -> None:
    # guangzhou-science-technology-bureau-2026-budget.pdf, 四
    lines = (
        "四、政府采购情况",
        "2026年本部门政府采购安排1,772.21万元，其中：货物类采",
        "购预算124.4万元，工程类采购预算78万元，服务类采购预算",
        "1,569.81万元等。",
    )
    report, _ = _report(6)
    procurement = parse_procurement(_blocks(*lines), report)
    assert procurement.total == Decimal("1772.21")
    assert procurement.evidence["total"].startswith("四、政府采购情况2026年本部门政府采购安排1,772.21万元")


def test_assets_total_evidence() -> None:
    report, _ = _report(7)
    assets = parse_assets(_blocks("示例局2025年末固定资产总金额418.6860万元（详见下表）。"), report)
    assert assets.total == Decimal("418.6860")
    assert assets.evidence == {"total": "示例局2025年末固定资产总金额418.6860万元（详见下表）。"}


def test_wrapped_lines_join_but_headings_and_short_lines_do_not() -> None:
    found = sentences(
        _blocks(
            "（一）机关运行经费",
            "国家信访局 2026 年机关运行经费财政拨款预算",
            "2,376.26万元。",
            "其中：人员经费60万元",
            "正常公用经费20万元",
        )
    )
    assert [s.quote for s in found] == [
        "（一）机关运行经费国家信访局 2026 年机关运行经费财政拨款预算2,376.26万元。",
        "其中：人员经费60万元",
        "正常公用经费20万元",
    ]
    assert found[0].location == Location(line=1, end_line=3)


CLEAN = (FIXTURES / "clean-minimal.txt").read_text(encoding="utf-8")
THREE_PUBLIC_HEADING = "第四部分：财政拨款“三公”经费预算情况及增减变化原因\n"


def _issues(text: str) -> list[Issue]:
    return extract_document(read_bytes(text.encode("utf-8"), "case.txt")).disclosure.issues


def test_three_public_prose_total_against_the_table() -> None:
    agreeing = CLEAN.replace(THREE_PUBLIC_HEADING, THREE_PUBLIC_HEADING + "\n2022年“三公”经费预算2万元。\n")
    assert _issues(agreeing) == []
    differing = CLEAN.replace(THREE_PUBLIC_HEADING, THREE_PUBLIC_HEADING + "\n2022年“三公”经费预算2.5万元。\n")
    conflicts = [i for i in _issues(differing) if i.code == "figure_conflict"]
    assert [(i.severity, i.part, i.message) for i in conflicts] == [
        (
            "error",
            4,
            "“三公”经费 total is stated twice with different figures: 2.5万元 ('2022年“三公”经费预算2.5万元。') "
            "and 2万元 (the “三公” table)",
        )
    ]


def test_assets_prose_total_against_the_table() -> None:
    differing = CLEAN.replace("示例局2021年末固定资产总金额30万元。", "示例局2021年末固定资产总金额35万元。")
    conflicts = [i.message for i in _issues(differing) if i.code == "figure_conflict"]
    assert conflicts == [
        "固定资产总额 is stated twice with different figures: 35万元 ('示例局2021年末固定资产总金额35万元。') "
        "and 30万元 (the asset table)"
    ]


def test_budget_totals_differing_quote_both_sentences() -> None:
    differing = CLEAN.replace("2022年部门支出安排预算总额100.5万元。", "2022年部门支出安排预算总额101万元。")
    conflicts = [(i.severity, i.part, i.message) for i in _issues(differing) if i.code == "figure_conflict"]
    assert conflicts == [
        (
            "error",
            2,
            "budget total (income = expenditure) is stated twice with different figures: "
            "income 100.5 ('2022年示例局年初部门收入预算总额为100.5万元。') "
            "and expenditure 101 ('2022年部门支出安排预算总额101万元。')",
        )
    ]


def test_final_accounts_income_and_spending_may_differ() -> None:
    # national-petition-administration-2024-final-accounts: 本年收入合计 20451.35,
    # 本年支出合计 14572.53 — a 决算 carries the difference over, no conflict
    accounts = CLEAN.replace("2022年部门预算信息公开", "2022年部门决算信息公开", 1).replace(
        "2022年部门支出安排预算总额100.5万元。", "2022年部门支出安排预算总额101万元。"
    )
    disclosure = extract_document(read_bytes(accounts.encode("utf-8"), "case.txt")).disclosure
    assert disclosure.kind == "部门决算"
    assert [i.code for i in disclosure.issues if i.code == "figure_conflict"] == []


def test_final_accounts_three_public_total_is_not_the_budget() -> None:
    # national-petition-administration-2024-final-accounts.pdf, 七（一）: 76.43 is
    # the budget, 46.21 the final account; the total was taken as 76.43
    report, log = _report(4)
    parsed = parse_three_public(
        _blocks(
            "（一）“三公”经费财政拨款支出决算总体情况说明国家信访局 2024 年度“三公”经费财政拨款支出预算为"
            " 76.43万元，2024年度支出决算为46.21万元，完成预算的 60.46%。"
        ),
        report,
    )
    assert parsed.total is None
    rejected = [i for i in log.issues if i.code == "figure_rejected"]
    assert len(rejected) == 1 and "76.43万元" in rejected[0].message
    assert "the budget, and the sentence goes on to the final account (决算)" in rejected[0].message


def test_a_budget_compared_with_last_years_final_account_is_taken() -> None:
    report, _ = _report(4)
    parsed = parse_three_public(_blocks("2026年“三公”经费预算数为8.00万元，比2025年决算数减少1.75万元。"), report)
    assert parsed.total is not None and parsed.total.current == Decimal("8.00")
