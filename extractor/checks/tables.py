"""Each budget table checked in itself.

* a 合计 / 总计 row is the sum of its 类 rows (or of the rows of the level
  below where no 类 is printed); a table of listed items (收支总表) sums its
  items (一、二、…) into 本年收入合计, and that with the rows after it
  (上年结转 …) into 收入总计;
* a 类 is the sum of its 款, a 款 of its 项 (by subject code);
* a row's 合计 is 基本支出 + 项目支出, its 基本支出 人员经费 + 公用经费;
* a 收支总表's 收入总计 is its 支出总计.  A 决算 balances through its
  carry-overs: its 总计 rows include them (支出总计 = 本年支出合计 + 结余分配 +
  年末结转和结余, checked as the rows after 本年支出合计), and its 本年收入合计
  is never compared with its 本年支出合计.

Figures are compared with the rounding of the figures involved
(`_budget.report_sum`); a check that cannot tell what sums into what (a code
printed twice, a total of no rows) says nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

import regex

from ..findings import (
    ECONOMIC_CLASSES_MISMATCH,
    TABLE_SPLIT_MISMATCH,
    TABLE_SUBTOTAL_MISMATCH,
    TABLE_TOTAL_MISMATCH,
    TABLE_UNBALANCED,
    IssueLog,
    IssueType,
)
from ..models import BudgetColumn, BudgetRow, BudgetTable, Disclosure
from ..textutil import compact
from . import check
from ._budget import Term, page_of, report_sum, row_name, table_name, tolerance

__all__ = ["column_groups", "sides"]

#: Tables listing items (no codes) whose totals are checked: the two-sided summaries and the lists.
_TWO_SIDED = ("income_expenditure_summary", "fiscal_summary")
#: A top-level enumerator (一、), not a sub-item's (1、).
_TOP_ENUMERATOR = regex.compile(r"^[一二三四五六七八九十]+[、.．]")
#: The leaf of a column that totals its group.
_TOTAL_LEAF = regex.compile(r"^(?:合计|总计|小计|金额|支出总计|本年支出合计|本年支出|预算数|决算数)$")
_GRAND = regex.compile(r"总计")


def sides(table: BudgetTable) -> dict[str | None, list[BudgetRow]]:
    """The table's rows by side, in order."""
    out: dict[str | None, list[BudgetRow]] = {}
    for row in table.rows:
        out.setdefault(row.side, []).append(row)
    return out


def _columns_of(rows: Sequence[BudgetRow], table: BudgetTable) -> list[str]:
    """The table's amount columns that the rows print (a side prints its own)."""
    printed = {name for row in rows for name in row.amounts}
    return [column.name for column in table.columns if column.name in printed]


def _terms(rows: Sequence[BudgetRow], column: str) -> list[Term]:
    return [Term(row_name(row), value) for row in rows if (value := row.amounts.get(column)) is not None]


def _sum_rows(
    log: IssueLog, kind: IssueType, table: BudgetTable, row: BudgetRow, parts: Sequence[BudgetRow], columns: list[str]
) -> None:
    for column in columns:
        stated = row.amounts.get(column)
        terms = _terms(parts, column)
        if stated is None or not terms:
            continue
        report_sum(log, kind, table, row, column, stated, terms)


# -- subject codes ------------------------------------------------------------------------------------


def _children(row: BudgetRow, coded: dict[str, BudgetRow]) -> list[BudgetRow]:
    """The rows that sum into ``row``: its 款 (or 项), else the next level printed under it."""
    code = row.code or ""
    direct = [r for r in coded.values() if r.parent_code == code]
    if direct:
        return direct
    below = [r for c, r in coded.items() if c.startswith(code) and len(c) > len(code)]
    if not below:
        return []
    shortest = min(len(r.code or "") for r in below)
    return [r for r in below if len(r.code or "") == shortest]


def _unique_codes(rows: Sequence[BudgetRow]) -> dict[str, BudgetRow]:
    """Rows by code, leaving out codes printed twice (a table by unit repeats them: what sums where is unknown)."""
    counts = Counter(row.code for row in rows if row.code)
    return {row.code: row for row in rows if row.code and counts[row.code] == 1}


def _coded_side(log: IssueLog, table: BudgetTable, rows: list[BudgetRow]) -> None:
    columns = _columns_of(rows, table)
    coded = _unique_codes(rows)
    if any(count > 1 for count in Counter(r.code for r in rows if r.code).values()):
        return  # codes repeat: a table by unit or by project, whose totals are its own
    for row in coded.values():
        children = _children(row, coded)
        if children:
            _sum_rows(log, TABLE_SUBTOTAL_MISMATCH, table, row, children, columns)
    if not coded:
        return
    top = min(len(code) for code in coded)
    tops = [row for code, row in coded.items() if len(code) == top]
    for total in (row for row in rows if row.level == "total"):
        _sum_rows(log, TABLE_TOTAL_MISMATCH, table, total, tops, columns)


# -- listed items -------------------------------------------------------------------------------------


def _collapse(rows: Sequence[BudgetRow], column: str, unit: str) -> list[BudgetRow]:
    """The rows that are not sub-items of a row above: a row followed by
    rows adding up to it (其中 …) stands for them."""
    if any(_TOP_ENUMERATOR.match(compact(row.name)) for row in rows):
        return [row for row in rows if _TOP_ENUMERATOR.match(compact(row.name))]
    out: list[BudgetRow] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        out.append(row)
        value = row.amounts.get(column)
        index += 1
        if value is None or value == 0:
            continue
        running: list[Decimal] = []
        for end in range(index, len(rows)):
            running.append(rows[end].amounts.get(column) or Decimal(0))
            gap = abs(sum(running, Decimal(0)) - value)
            if (len(running) > 1 or running[0] != 0) and gap <= tolerance(unit, [value, *running]):
                index = end + 1
                break
            if sum(running, Decimal(0)) > value + tolerance(unit, [value, *running]):
                break
    return out


def _listed_side(log: IssueLog, table: BudgetTable, rows: list[BudgetRow], kind: IssueType) -> None:
    """A side of listed items: each total sums the items since the total before it (and that total)."""
    columns = _columns_of(rows, table)
    totals = [index for index, row in enumerate(rows) if row.level == "total"]
    if not totals:
        return
    segments: list[tuple[BudgetRow, list[BudgetRow], list[BudgetRow]]]
    if totals[0] == 0 and len(totals) == 1:
        segments = [(rows[0], [], rows[1:])]  # a 合计 printed first, over the rows below it
    else:
        segments = []
        previous: BudgetRow | None = None
        start = 0
        for index in totals:
            segments.append((rows[index], [previous] if previous is not None else [], rows[start:index]))
            previous, start = rows[index], index + 1
    for total, before, items in segments:
        if not items and not before:
            continue
        for column in columns:
            stated = total.amounts.get(column)
            if stated is None:
                continue
            parts = [*before, *_collapse([r for r in items if r.level != "total"], column, table.amount_unit)]
            terms = _terms(parts, column)
            if not terms:
                continue
            report_sum(log, kind, table, total, column, stated, terms)


# -- columns ------------------------------------------------------------------------------------------


def _path(column: BudgetColumn) -> tuple[str, ...]:
    return tuple(column.name.split("."))


def _before(path: tuple[str, ...], word: str) -> tuple[str, ...] | None:
    """The path above the element naming ``word`` (基本支出, 项目支出)."""
    for index, element in enumerate(path):
        if word in element:
            return path[:index]
    return None


def _total_of(columns: Sequence[BudgetColumn], prefix: tuple[str, ...]) -> BudgetColumn | None:
    """The column totalling the group ``prefix``: its 合计 / 总计 / 小计 leaf, or the column named by the group."""
    for column in columns:
        path = _path(column)
        if path[:-1] == prefix and _TOTAL_LEAF.match(path[-1]) and column.measure not in ("previous", "change"):
            return column
    return None


def column_groups(table: BudgetTable) -> list[tuple[BudgetColumn, list[BudgetColumn], str]]:
    """The column sums of ``table``: (whole, parts, what), for 合计 = 基本支出 +
    项目支出 and 基本支出 = 人员经费 + 公用经费."""
    columns = table.columns
    groups: list[tuple[BudgetColumn, list[BudgetColumn], str]] = []
    used: set[str] = set()
    for project in (c for c in columns if c.measure == "project"):
        prefix = _before(_path(project), "项目支出") or _before(_path(project), "专项")
        if prefix is None:
            prefix = _path(project)[:-1]
        if any(_path(p)[:-1] == _path(project)[:-1] and p.name in used for p in columns):
            continue
        whole = _total_of(columns, prefix)
        basic = next(
            (c for c in columns if c.measure == "basic" and (_before(_path(c), "基本支出") or ()) == prefix),
            None,
        )
        parts: list[BudgetColumn]
        if basic is not None:
            parts = [basic, project]
        else:
            staff = [
                c
                for c in columns
                if c.measure in ("personnel", "public") and _path(c)[: len(prefix)] == prefix and c is not whole
            ]
            if len({c.measure for c in staff}) != 2:
                continue
            parts = [*staff, project]
        if whole is None or whole in parts:
            continue
        used.add(project.name)
        groups.append((whole, parts, "合计 = 基本支出 + 项目支出"))
    for personnel in (c for c in columns if c.measure == "personnel"):
        parent = _path(personnel)[:-1]
        public = next((c for c in columns if c.measure == "public" and _path(c)[:-1] == parent), None)
        if public is None or any(c.measure == "project" and _path(c)[:-1] == parent for c in columns):
            continue
        whole = _total_of(columns, parent) or next(
            (c for c in columns if c.measure == "basic" and _path(c) == parent), None
        )
        if whole is None:
            continue
        groups.append((whole, [personnel, public], "基本支出 = 人员经费 + 公用经费"))
    return groups


def _others(table: BudgetTable, whole: BudgetColumn, parts: list[BudgetColumn]) -> list[BudgetColumn]:
    """Spending columns beside 基本 and 项目 in a 支出 table (上缴上级, 经营, 附属单位, 结转下年), not under 其中."""
    prefix = _path(whole)[:-1]
    return [
        c
        for c in table.columns
        if c.measure in ("superior", "business", "subsidiary", "carryover")
        and _path(c)[:-1] == prefix
        and c not in parts
        and not any("其中" in element for element in _path(c))
    ]


def _split(log: IssueLog, table: BudgetTable) -> None:
    for whole, parts, _ in column_groups(table):
        others = _others(table, whole, parts) if any(c.measure == "project" for c in parts) else []
        for row in table.rows:
            stated = row.amounts.get(whole.name)
            if stated is None:
                continue
            terms = [Term(c.name, v) for c in parts if (v := row.amounts.get(c.name)) is not None]
            if not terms:
                continue
            extra = [Term(c.name, v) for c in others if (v := row.amounts.get(c.name)) is not None and v != 0]
            if extra and stated == sum((t.value for t in [*terms, *extra]), Decimal(0)):
                continue
            report_sum(log, TABLE_SPLIT_MISMATCH, table, row, whole.name, stated, [*terms, *extra])


# -- balance ------------------------------------------------------------------------------------------


def _grand(rows: Sequence[BudgetRow]) -> BudgetRow | None:
    totals = [row for row in rows if row.level == "total"]
    return next((row for row in totals if _GRAND.search(compact(row.name))), totals[-1] if totals else None)


def _first_amount(row: BudgetRow, table: BudgetTable) -> tuple[str, Decimal] | None:
    columns = [c for c in table.columns if c.name in row.amounts]
    for column in sorted(columns, key=lambda c: c.measure != "total"):
        value = row.amounts.get(column.name)
        if value is not None:
            return column.name, value
    return None


def _balance(log: IssueLog, table: BudgetTable, disclosure: Disclosure) -> None:
    by_side = sides(table)
    income, spending = _grand(by_side.get("income", [])), _grand(by_side.get("expenditure", []))
    if income is None or spending is None:
        return
    if "决算" in (disclosure.kind or "") and not (
        _GRAND.search(compact(income.name)) and _GRAND.search(compact(spending.name))
    ):
        return  # a 决算's 本年 totals differ by what it carries over
    stated, computed = _first_amount(income, table), _first_amount(spending, table)
    if stated is None or computed is None:
        return
    report_sum(
        log,
        TABLE_UNBALANCED,
        table,
        income,
        stated[0],
        stated[1],
        [Term(f"{row_name(spending)} ({computed[0]})", computed[1])],
    )


@check("budget_tables")
def budget_tables(disclosure: Disclosure, log: IssueLog) -> None:
    for table in disclosure.budget_tables:
        if table.empty:
            continue
        for side, rows in sides(table).items():
            if any(row.code for row in rows):
                _coded_side(log, table, rows)
            elif table.kind in _TWO_SIDED:
                kind = TABLE_UNBALANCED if side == "expenditure" and "决算" in (disclosure.kind or "") else None
                _listed_side(log, table, rows, kind or TABLE_TOTAL_MISMATCH)
        _split(log, table)
        if table.kind in _TWO_SIDED:
            _balance(log, table, disclosure)


# -- economic classes ---------------------------------------------------------------------------------

#: 经济分类 类 of 人员经费 and of 公用经费.
_PERSONNEL_CLASSES = ("301", "303")
_PUBLIC_CLASSES = ("302", "307", "309", "310", "399")


def _economic_classes(log: IssueLog, table: BudgetTable) -> None:
    """In the 基本支出 table by 经济分类: 301 + 303 = 人员经费, 302 + 310 (+ 307 /
    309 / 399) = 公用经费, where the table prints 人员经费 / 公用经费 columns."""
    personnel = next((c for c in table.columns if c.measure == "personnel"), None)
    public = next((c for c in table.columns if c.measure == "public"), None)
    total = next((row for row in table.rows if row.level == "total"), None)
    classes = [row for row in table.rows if row.level == "类" and row.code]  # a 类 printed once per 政府 class
    if personnel is None or public is None or total is None or not classes:
        return
    whole = next((c for c, _, what in column_groups(table) if what.startswith("基本支出")), None)
    if whole is None:
        return
    for column, codes in ((personnel, _PERSONNEL_CLASSES), (public, _PUBLIC_CLASSES)):
        stated = total.amounts.get(column.name)
        terms = [
            Term(row_name(row), value)
            for row in classes
            if row.code in codes and (value := row.amounts.get(whole.name)) is not None
        ]
        if stated is None or not terms:
            continue
        computed = sum((t.value for t in terms), Decimal(0))
        if abs(stated - computed) <= tolerance(table.amount_unit, [stated, *(t.value for t in terms)]):
            continue
        log.add(
            ECONOMIC_CLASSES_MISMATCH,
            part=2,
            location=total.location,
            table=table_name(table),
            what=f"{row_name(total)} {column.name}",
            page=page_of(total.location, table),
            stated=stated,
            parts=" + ".join(f"{t.name} {t.value}" for t in terms),
            computed=computed,
            difference=stated - computed,
        )


@check("budget_economic_classes")
def budget_economic_classes(disclosure: Disclosure, log: IssueLog) -> None:
    for table in disclosure.budget_tables:
        if table.kind == "general_public_basic" and not table.empty:
            _economic_classes(log, table)
