"""The budget tables checked against each other.

Every standard table prints some of the same figures: the 收支总表's
本年收入合计 is the 收入总表's 合计, its 基本支出 and 项目支出 the 支出总表's,
the 财政拨款收支总表's 一般公共预算 column the 一般公共预算支出表's 合计, whose
基本支出 is the 基本支出表's 合计, and so on down to the 类 rows that two
tables print.  Each table gives its figures as facts keyed by what they are
— (fund scope, measure, item): ("general_public", "basic", "total") — and
every fact is compared with the first table that printed the same one.

Scopes: ``all`` (the 部门's whole budget: 收支总表, 收入总表, 支出总表),
``fiscal`` (财政拨款), ``general_public`` (一般公共预算).  Items: ``total``,
``current`` / ``grand`` (本年…合计 / …总计, which differ by the carry-overs),
or a 类's name.  Figures in different units are compared in 元.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import regex

from ..budget.headline import YUAN
from ..findings import ROUNDING_DIFFERENCE, TABLES_DISAGREE, IssueLog
from ..models import BudgetColumn, BudgetRow, BudgetTable, Disclosure
from ..textutil import compact
from . import check
from ._budget import page_of, plain_name, row_name, table_name, tolerance
from .tables import sides

__all__ = ["Fact", "facts"]

Key = tuple[str, str, str]

_CURRENT = regex.compile(r"^(?:[一二三四五六七八九十]+、)?本年(?:收入|支出)(?:合计)?$")
_GRAND = regex.compile(r"总计")
_TOP = regex.compile(r"^[一二三四五六七八九十]+[、.．]")
_YEAR = regex.compile(r"(20[0-9]{2})年")
#: A column totalling the whole row, printed at the top of the header.
_WHOLE = regex.compile(r"^(?:合计|总计|小计|金额|(?:本年)?(?:收入|支出)(?:总计|合计))$")
#: Columns that are not this year's figures.
_NOT_THIS_YEAR = ("previous", "change")
#: Titles of tables whose figures are a part of a scope only (机关运行经费, 三公) or of another year.
_SKIP_TITLE = regex.compile(r"机关运行|三公|结转资金|上年结转")
#: Measures a table's main column may have, best first.
_MAIN = ("total", "expenditure", "income", "general_public", "fiscal", "current", "budget", "actual")


@dataclass(frozen=True, slots=True)
class Fact:
    """A figure a table prints, and what it is."""

    key: Key
    value: Decimal
    table: BudgetTable
    row: BudgetRow
    column: str


def _scope(table: BudgetTable) -> str:
    if table.kind in ("income_expenditure_summary", "income", "expenditure"):
        return "all"
    if "一般公共预算" in table.title:
        return "general_public"
    if "财政拨款" in table.title:
        return "fiscal"
    return "general_public"


def _main(table: BudgetTable, rows: Sequence[BudgetRow] = ()) -> BudgetColumn | None:
    """The column that totals a row (合计 / 总计), of this year."""
    printed = {name for row in rows for name in row.amounts} if rows else None
    usable = [
        c
        for c in table.columns
        if (printed is None or c.name in printed)
        and c.measure not in _NOT_THIS_YEAR
        and (not _YEAR.search(c.name) or _this_year(table, c))
    ]
    whole = next((c for c in usable if _WHOLE.match(c.name)), None)
    if whole is not None:
        return whole
    for measure in _MAIN:
        found = next((c for c in usable if c.measure == measure), None)
        if found is not None:
            return found
    return usable[0] if usable else None


def _this_year(table: BudgetTable, column: BudgetColumn) -> bool:
    """A column under a year is this year's when no later year heads another column."""
    if column.measure in _NOT_THIS_YEAR:
        return False
    years = [int(y) for c in table.columns for y in _YEAR.findall(c.name)]
    mine = [int(y) for y in _YEAR.findall(column.name)]
    return bool(mine) and max(mine) == max(years)


def _measure(table: BudgetTable, measure: str) -> BudgetColumn | None:
    return next((c for c in table.columns if c.measure == measure), None)


def _total_row(rows: Sequence[BudgetRow]) -> BudgetRow | None:
    """The 合计 row; a table printing one unnamed row (部门收入总表 of the central template) prints only it."""
    total = next((row for row in rows if row.level == "total"), None)
    if total is None and len(rows) == 1 and not rows[0].name and not rows[0].code:
        return rows[0]
    return total


def _items(rows: Sequence[BudgetRow], current: BudgetRow | None) -> Sequence[BudgetRow]:
    """The 类 items of a 收支 side: the rows before its 本年支出合计, or under
    an 一、本年支出 heading row, down to the next top-level row."""
    if current is None or current not in rows:
        return rows
    index = rows.index(current)
    if current.level == "total":
        return rows[:index]
    out: list[BudgetRow] = []
    for row in rows[index + 1 :]:
        if row.level == "total" or _TOP.match(compact(row.name)):
            break
        out.append(row)
    return out


def _economic(rows: Sequence[BudgetRow]) -> bool:
    codes = [row.code for row in rows if row.code]
    return bool(codes) and all(code[0] in "35" for code in codes)


def _fact(key: Key, table: BudgetTable, row: BudgetRow | None, column: BudgetColumn | None) -> Iterator[Fact]:
    if row is None or column is None:
        return
    value = row.amounts.get(column.name)
    if value is not None:
        yield Fact(key, value, table, row, column.name)


def _carries(table: BudgetTable, row: BudgetRow) -> bool:
    """Whether a 收入 / 支出 table's total row prints carry-overs (then its 合计 is the 总计)."""
    return any(c.measure == "carryover" and row.amounts.get(c.name) for c in table.columns)


def _summary(table: BudgetTable) -> Iterator[Fact]:
    by_side = sides(table)
    for side, what in (("income", "income"), ("expenditure", "expenditure")):
        rows = by_side.get(side, [])
        main = _main(table, rows)
        totals = [row for row in rows if row.level == "total"]
        current = next((row for row in totals if compact(row.name).startswith("本年")), None)
        grand = next((row for row in totals if _GRAND.search(compact(row.name))), None)
        if current is None and grand is None and len(totals) == 1:
            current = grand = totals[0]
        yield from _fact(("all", what, "current"), table, current, main)
        yield from _fact(("all", what, "grand"), table, grand, main)
        if side != "expenditure":
            continue
        heading = current or next((r for r in rows if _CURRENT.match(plain_name(r))), None)
        for row in _items(rows, heading):
            if row.level == "total" or row is heading:
                continue
            name = plain_name(row)
            if name in ("基本支出", "项目支出"):
                yield from _fact(("all", "basic" if name == "基本支出" else "project", "total"), table, row, main)
            elif name.endswith("支出"):
                yield from _fact(("all", "total", name), table, row, main)
        for measure in ("basic", "project"):
            yield from _fact(("all", measure, "total"), table, current or grand, _measure(table, measure))


def _income(table: BudgetTable) -> Iterator[Fact]:
    total = _total_row(table.rows)
    if total is None:
        return
    item = "grand" if _carries(table, total) else "current"
    yield from _fact(("all", "income", item), table, total, _main(table))
    yield from _fact(("fiscal", "income", "current"), table, total, _measure(table, "fiscal"))
    yield from _fact(("general_public", "income", "current"), table, total, _measure(table, "general_public"))


def _spending(table: BudgetTable, scope: str) -> Iterator[Fact]:
    """An 支出 table by function: its 合计, 基本 / 项目 split and 类 rows."""
    total = _total_row(table.rows)
    main = _main(table)
    basic, project = _measure(table, "basic"), _measure(table, "project")
    if "项目支出" in table.title:
        yield from _fact((scope, "project", "total"), table, total, main)
        return
    item = "grand" if total is not None and _carries(table, total) else "current"
    yield from _fact((scope, "expenditure", item), table, total, main)
    yield from _fact((scope, "basic", "total"), table, total, basic)
    yield from _fact((scope, "project", "total"), table, total, project)
    yield from _fact((scope, "personnel", "total"), table, total, _measure(table, "personnel"))
    yield from _fact((scope, "public", "total"), table, total, _measure(table, "public"))
    if _economic(table.rows):
        return
    for row in table.rows:
        if row.level == "类":
            name = plain_name(row)
            yield from _fact((scope, "total", name), table, row, main)
            yield from _fact((scope, "basic", name), table, row, basic)
            yield from _fact((scope, "project", name), table, row, project)


_OTHER_FUNDS = regex.compile(r"政府性基金|国有资本")
_CARRIED = regex.compile(r"上年结转|年初.{0,6}结转")


def _fiscal(table: BudgetTable, final: bool) -> Iterator[Fact]:
    by_side = sides(table)
    income = by_side.get("income", [])
    carried = any(_CARRIED.search(r.name) and any(r.amounts.values()) for r in income)
    other_funds = any(_OTHER_FUNDS.search(r.name) and any(r.amounts.values()) for r in income)
    current = next((r for r in income if r.level == "total" and compact(r.name).startswith("本年")), None)
    current = current or next((r for r in income if _CURRENT.match(plain_name(r))), None)
    yield from _fact(("fiscal", "income", "current"), table, current, _main(table, income))
    spending = by_side.get("expenditure", [])
    current = next((r for r in spending if r.level == "total" and compact(r.name).startswith("本年")), None)
    current = current or next((r for r in spending if _CURRENT.match(plain_name(r))), None)
    if current is None:
        totals = [r for r in spending if r.level == "total"]
        carried = any(not r.level and r.amounts and any(r.amounts.values()) and "结转" in r.name for r in spending)
        current = totals[0] if len(totals) == 1 and not carried else None
    printed = {name for row in spending for name in row.amounts}
    main = next((c for c in table.columns if c.measure == "total" and c.name in printed), None)
    main = main or _main(table, spending)
    general = _measure(table, "general_public") or (None if other_funds else main)
    if carried and not final:
        general = None  # a budget's 财政拨款 spending includes last year's carry-over; its 一般公共预算支出表 may not
    yield from _fact(("fiscal", "expenditure", "current"), table, current, main)
    yield from _fact(("general_public", "expenditure", "current"), table, current, general)
    for row in _items(spending, current):
        name = plain_name(row)
        if row.level == "total" or _CURRENT.match(name) or not name.endswith("支出"):
            continue
        yield from _fact(("fiscal", "total", name), table, row, main)
        yield from _fact(("general_public", "total", name), table, row, general)


def _basic(table: BudgetTable, scope: str) -> Iterator[Fact]:
    by_side = sides(table)
    if len(by_side) > 1:  # 人员经费 and 公用经费 side by side, each with its 合计
        for side, rows in by_side.items():
            measure = "personnel" if side and "人员" in side else "public" if side and "公用" in side else None
            if measure is not None:
                yield from _fact((scope, measure, "total"), table, _total_row(rows), _main(table, rows))
        return
    total = _total_row(table.rows)
    yield from _fact((scope, "basic", "total"), table, total, _main(table))
    yield from _fact((scope, "personnel", "total"), table, total, _measure(table, "personnel"))
    yield from _fact((scope, "public", "total"), table, total, _measure(table, "public"))


def facts(table: BudgetTable, final: bool = False) -> Iterator[Fact]:
    """The figures ``table`` prints that another table prints too (``final``: of a 决算)."""
    if table.empty or _SKIP_TITLE.search(table.title):
        return
    if table.kind == "income_expenditure_summary":
        yield from _summary(table)
    elif table.kind == "income":
        yield from _income(table)
    elif table.kind == "expenditure":
        yield from _spending(table, "all")
    elif table.kind == "fiscal_summary":
        yield from _fiscal(table, final)
    elif table.kind == "general_public_expenditure":
        yield from _spending(table, _scope(table))
    elif table.kind == "general_public_basic":
        yield from _basic(table, _scope(table))


def _in_yuan(fact: Fact) -> Decimal | None:
    factor = YUAN.get(fact.table.amount_unit)
    return fact.value * factor if factor is not None else None


def _what(key: Key) -> str:
    scope, measure, item = key
    scopes = {"all": "部门", "fiscal": "财政拨款", "general_public": "一般公共预算"}
    measures = {
        "income": "收入",
        "expenditure": "支出",
        "total": "支出",
        "basic": "基本支出",
        "project": "项目支出",
        "personnel": "人员经费",
        "public": "公用经费",
    }
    items = {"current": "本年合计", "grand": "总计", "total": "合计"}
    return f"{scopes[scope]} {measures[measure]} {items.get(item, item)}"


def _compare(log: IssueLog, first: Fact, second: Fact) -> None:
    a, b = _in_yuan(first), _in_yuan(second)
    if a is None or b is None or a == b:
        return
    factor = YUAN[second.table.amount_unit]
    allowed = (tolerance(first.table.amount_unit, [first.value]) * YUAN[first.table.amount_unit]) + (
        tolerance(second.table.amount_unit, [second.value]) * factor
    )
    gap = (b - a) / factor
    if abs(b - a) <= allowed:
        log.add(
            ROUNDING_DIFFERENCE,
            part=2,
            location=second.row.location,
            table=table_name(second.table),
            row=row_name(second.row),
            column=second.column,
            page=page_of(second.row.location, second.table),
            stated=second.value,
            parts=f"{table_name(first.table)}, {row_name(first.row)} ({first.column})",
            computed=first.value,
            difference=gap,
            count=2,
            tolerance=allowed / factor,
        )
        return
    log.add(
        TABLES_DISAGREE,
        part=2,
        location=second.row.location,
        what=_what(first.key),
        first_table=table_name(first.table),
        first=f"{first.value}{first.table.amount_unit}",
        first_where=f"row {row_name(first.row)}, column {first.column}",
        first_page=page_of(first.row.location, first.table),
        second_table=table_name(second.table),
        second=f"{second.value}{second.table.amount_unit}",
        second_where=f"row {row_name(second.row)}, column {second.column}",
        second_page=page_of(second.row.location, second.table),
        gap=f" (difference {gap}{second.table.amount_unit})",
    )


@check("budget_tables_across")
def budget_tables_across(disclosure: Disclosure, log: IssueLog) -> None:
    first: dict[Key, Fact] = {}
    final = "决算" in (disclosure.kind or "")
    for table in disclosure.budget_tables:
        seen: set[Key] = set()
        for fact in facts(table, final):
            if fact.key in seen:
                continue  # a table printing one figure twice: its first
            seen.add(fact.key)
            earlier = first.get(fact.key)
            if earlier is None:
                first[fact.key] = fact
            else:
                _compare(log, earlier, fact)
