"""Budget tables of real disclosures, checked cell by cell against the page:
Yantai (类/款/项 in three columns), Shanghai (元, 收入总计 and 支出总计 on one
line), the national 决算 (收入总计 apart from 本年收入合计)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extractor.models import BudgetRow, BudgetTable, Disclosure
from tests.cache import extracted

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"


def _doc(name: str) -> Disclosure:
    return extracted(REAL / f"{name}.pdf")


def _table(name: str, label: str) -> BudgetTable:
    return next(t for t in _doc(name).budget_tables if t.label == label or t.title == label)


def _row(table: BudgetTable, code: str | None = None, name: str | None = None, side: str | None = None) -> BudgetRow:
    return next(
        r
        for r in table.rows
        if (code is None or r.code == code) and (name is None or r.name == name) and (side is None or r.side == side)
    )


YANTAI = "yantai-commerce-bureau-2026-budget"
SHANGHAI = "shanghai-sasac-2026-unit-budget"
NATIONAL_2024 = "national-petition-administration-2024-final-accounts"


def test_yantai_finds_its_twelve_public_tables_by_kind() -> None:
    kinds = [(t.label, t.kind) for t in _doc(YANTAI).budget_tables]
    assert kinds == [
        ("公开表1", "income_expenditure_summary"),
        ("公开表2", "income"),
        ("公开表3", "expenditure"),
        ("公开表4", "fiscal_summary"),
        ("公开表5", "general_public_expenditure"),
        ("公开表6", "general_public_basic"),
        ("公开表7", "three_public"),
        ("公开表8", "gov_fund"),
        ("公开表9", "state_capital"),
        ("公开表10", "other"),
        ("公开表11", "project_expenditure"),
        ("公开表12", "procurement"),
    ]


def test_yantai_split_codes_take_their_parents_from_the_rows_above() -> None:
    income = _table(YANTAI, "公开表2")
    assert income.title == "收入总体情况表"
    assert income.amount_unit == "万元"
    assert income.location is not None and (income.location.page, income.location.end_page) == (13, 15)
    row = _row(income, code="2011301")
    assert (row.code_printed, row.level, row.parent_code, row.name) == ("||01", "项", "20113", "行政运行")
    assert row.amounts["合计"] == Decimal("1469.54")
    assert row.amounts["财政拨款收入.一般公共预算收入"] == Decimal("1469.54")
    kuan = _row(income, code="20113")
    assert (kuan.code_printed, kuan.level, kuan.parent_code, kuan.name) == ("|13|", "款", "201", "商贸事务")
    assert kuan.amounts["其他收入"] == Decimal("75.32")
    total = income.rows[0]
    assert (total.level, total.code, total.amounts["合计"]) == ("total", None, Decimal("6340.22"))
    measures = {c.name: c.measure for c in income.columns}
    assert measures["财政拨款收入.小计"] == "fiscal"
    assert measures["财政拨款收入.国有资本经营预算收入"] == "state_capital"


def test_yantai_two_sided_summary_reads_each_side() -> None:
    summary = _table(YANTAI, "公开表1")
    assert [c.name for c in summary.columns] == ["收入.预算数", "支出.预算数"]
    grand = _row(summary, name="收 入 总 计", side="income")
    assert (grand.level, grand.amounts["收入.预算数"]) == ("total", Decimal("6340.22"))
    housing = _row(summary, name="十七、住房保障支出", side="expenditure")
    assert housing.amounts == {"支出.预算数": Decimal("301.15")}
    assert _row(summary, name="二、外交支出").amounts == {"支出.预算数": None}


def test_yantai_gov_fund_table_is_empty() -> None:
    fund = _table(YANTAI, "公开表8")
    assert fund.empty and fund.rows == []


def test_shanghai_tables_are_in_yuan() -> None:
    summary = _table(SHANGHAI, "2026年预算单位财务收支预算总表")
    assert summary.amount_unit == "元"
    assert _row(summary, name="收入总计", side="income").amounts == {"本年收入.预算数": Decimal("8332285")}
    spent = _row(summary, name="支出总计", side="expenditure").amounts
    assert spent["本年支出.预算数.合计"] == Decimal("8332285")
    assert spent["本年支出.预算数.基本支出.人员经费"] == Decimal("4422383")
    assert spent["本年支出.预算数.项目支出"] == Decimal("3909902")
    basic = _table(SHANGHAI, "2026年预算单位一般公共预算基本支出部门预算经济分类预算表")
    assert basic.kind == "general_public_basic"
    wages = _row(basic, code="301")
    assert (wages.level, wages.name, wages.amounts["一般公共预算基本支出.合计"]) == (
        "类",
        "工资福利支出",
        Decimal("3737243"),
    )


def test_shanghai_headline_figures_come_from_the_table_in_yuan() -> None:
    overview = _doc(SHANGHAI).budget_overview
    assert overview is not None
    assert (overview.amount_unit, overview.income.total, overview.expenditure.total) == (
        "元",
        Decimal("8332285"),
        Decimal("8332285"),
    )
    assert overview.evidence["income.total"] == "2026年预算单位财务收支预算总表, row 收入总计"


def test_shanghai_empty_three_public_table() -> None:
    table = _table(SHANGHAI, "2026年单位“三公”经费和机关运行经费预算表")
    assert (table.kind, table.empty, table.amount_unit) == ("three_public", True, "万元")


def test_national_final_accounts_total_is_not_the_current_year() -> None:
    overview = _doc(NATIONAL_2024).budget_overview
    assert overview is not None
    assert overview.income.total == Decimal("22066.59")  # 总计, carry-overs included
    assert overview.income.current_year == Decimal("20451.35")  # 本年收入合计, as the prose states it
    assert overview.expenditure.current_year == Decimal("14572.53")
    assert "总计" in overview.evidence["income.total"]


def test_national_final_accounts_basic_table_has_blocks_side_by_side() -> None:
    basic = _table(NATIONAL_2024, "公开06表")
    assert basic.title == "一般公共预算财政拨款基本支出决算表"
    wages = _row(basic, code="301")
    assert (wages.side, wages.level, wages.amounts["人员经费.决算数"]) == (
        "expenditure.人员经费",
        "类",
        Decimal("6982.75"),
    )
    office = _row(basic, code="30201")
    assert (office.side, office.parent_code, office.name) == ("expenditure.公用经费", "302", "办公费")
    assert office.amounts["公用经费.决算数"] == Decimal("83.92")


def test_national_final_accounts_three_public_total_is_the_actual() -> None:
    three = _doc(NATIONAL_2024).three_public
    assert three is not None and three.total is not None
    assert three.total.current == Decimal("46.21")
    assert "决算数.合计" in three.evidence["total.current"]


def test_the_coverage_ledger_counts_the_budget_tables() -> None:
    extraction = _doc(YANTAI).extraction
    # 12 budget tables and 12 project forms: forms following each other over page breaks are not joined
    assert (extraction.tables_seen, extraction.tables_read) == (24, 24)
