"""Reader bugs the budget-table checks exposed, each checked against its page."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from extractor.models import BudgetTable, Disclosure
from extractor.pipeline import extract_file

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")


@cache
def _doc(name: str) -> Disclosure:
    return extract_file(REAL / f"{name}.pdf")


def _table(name: str, label: str) -> BudgetTable:
    return next(t for t in _doc(name).budget_tables if t.label == label or t.title == label)


def test_yantai_department_code_is_the_code_and_the_government_code_its_econ_code() -> None:
    # p. 22: 301 | 01 基本工资 | 501 | 01 工资奖金津补贴 | 386.69
    basic = _table("yantai-commerce-bureau-2026-budget", "公开表6")
    row = next(r for r in basic.rows if r.name == "基本工资")
    assert (row.code, row.econ_code, row.parent_code, row.level) == ("30101", "50101", "301", "款")
    assert row.attributes == {"政府预算支出经济分类科目名称": "工资奖金津补贴"}
    assert row.amounts["基本支出预算.小计"] == Decimal("386.69")
    other = _table("yantai-commerce-bureau-2026-budget", "公开表10")  # p. 28, the same two classifications
    wages = next(r for r in other.rows if r.code == "301")
    assert (wages.name, wages.econ_code, wages.amounts["合计"]) == ("工资福利支出", "501", Decimal("1566.65"))


def test_national_final_accounts_two_public_blocks_are_one_side() -> None:
    # p. 12: 公用经费 printed in two blocks of 科目代码 | 科目名称 | 决算数; 公用经费合计 2,266.65 under the second
    table = _table("national-petition-administration-2024-final-accounts", "公开06表")
    assert [c.name for c in table.columns] == ["人员经费.决算数", "公用经费.决算数"]
    public = [r for r in table.rows if r.side == "expenditure.公用经费"]
    total = next(r for r in public if r.level == "total")
    assert (total.name, total.amounts) == ("公用经费合计", {"公用经费.决算数": Decimal("2266.65")})
    capital = next(r for r in public if r.code == "310")
    assert capital.amounts == {"公用经费.决算数": Decimal("27.24")}
    assert not [r for r in table.rows if not r.name and not r.code]


def test_changsha_column_number_row_is_header_and_gongneng_kemu_names_rows() -> None:
    # p. 13: ** ** ** ** 1 2 3 … under the header; 功能科目 holds the names
    income = _table("changsha-petition-bureau-2026-budget", "2026年部门收入总体情况表")
    assert [r.name for r in income.rows] == ["合计", "一般公共服务支出", "信访事务", "行政运行", "信访业务"]
    assert [r.code for r in income.rows] == [None, "201", "20140", "2014001", "2014004"]
    assert income.rows[0].amounts["合计"] == Decimal("1935.36")
    assert [c.measure for c in income.columns][:3] == ["total", "fiscal", "fiscal"]


def test_xian_special_funds_are_project_spending_and_a_wrapped_name_keeps_its_figure() -> None:
    # p. 22: 机关事业单位职业年金 / 缴费支出43608.96 (the name wrapped into the 合计 cell)
    doc = _doc("xian-meteorological-bureau-2026-budget")
    table = _table("xian-meteorological-bureau-2026-budget", "表5")
    assert {c.name: c.measure for c in table.columns}["专项业务经费支出"] == "project"
    row = next(r for r in table.rows if r.code == "2080506")
    assert (row.name, row.amounts["合计"]) == ("机关事业单位职业年金缴费支出", Decimal("43608.96"))
    klass = next(r for r in table.rows if r.code == "220")
    assert (klass.name, klass.amounts["合计"]) == ("自然资源海洋气象等支出", Decimal("18803323.32"))
    repaired = [i for i in doc.issues if i.code == "number_repaired" and "缴费支出43608.96" in i.message]
    assert repaired and repaired[0].location is not None and repaired[0].location.page == 22


def test_national_note_in_brackets_and_every_note_of_an_empty_table() -> None:
    fund = _table("national-petition-administration-2026-budget", "政府性基金预算支出表")
    assert fund.empty and fund.note is not None and fund.note.startswith("（注：2026年国家信访局部门预算中没有")
    final = _table("national-petition-administration-2024-final-accounts", "公开07表")
    assert final.note is not None and final.note.endswith("故本表无数据。")
