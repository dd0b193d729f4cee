"""The headline figures a disclosure's tables state: 收入总计 and 本年收入合计,
支出总计 and 本年支出合计 (收支总表), the 三公 total and 机关运行经费.

Where the prose states none, the table's figure is taken, with evidence
naming the table and row.  Where both state it, they are compared in 元: a
prose "total" equal to the table's 本年收入合计 is that figure (a 决算 adds
the carry-overs to it: never put one in the other's place); any other
difference keeps the prose figure and raises `figure_conflict` with both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from ..findings import FIGURE_CONFLICT
from ..models import (
    BudgetChange,
    BudgetColumn,
    BudgetExpenditure,
    BudgetIncome,
    BudgetOverview,
    BudgetRow,
    BudgetTable,
    OperatingCosts,
    ThreePublic,
    ThreePublicTotal,
)
from ..parts._report import Report
from ..textutil import compact

__all__ = ["TableFigure", "apply_headline_figures", "to_unit"]

#: 元 in one unit of each amount unit the tables print.
YUAN: dict[str, int] = {"元": 1, "千元": 1000, "万元": 10000}


@dataclass(frozen=True, slots=True)
class TableFigure:
    """A figure of a table, and where it stands."""

    value: Decimal
    unit: str
    where: str


def to_unit(figure: TableFigure, unit: str) -> Decimal | None:
    """The figure in ``unit``, exactly; None for a unit not known."""
    if figure.unit not in YUAN or unit not in YUAN:
        return None
    return figure.value * YUAN[figure.unit] / YUAN[unit]


def _name(table: BudgetTable) -> str:
    return f"{table.label or ''} {table.title}".strip()


def _first_amount(row: BudgetRow) -> Decimal | None:
    return next((value for value in row.amounts.values() if value is not None), None)


def _figure(table: BudgetTable, row: BudgetRow) -> TableFigure | None:
    value = _first_amount(row)
    if value is None:
        return None
    return TableFigure(value, table.amount_unit, f"{_name(table)}, row {compact(row.name)}")


def _side_totals(table: BudgetTable, side: str) -> tuple[TableFigure | None, TableFigure | None]:
    """The grand total (总计; else 收入合计 / 合计; else 本年…合计) and 本年…合计
    when printed apart from it."""
    totals = [row for row in table.rows if row.side == side and row.level == "total"]
    current = next((row for row in totals if compact(row.name).startswith("本年")), None)
    grand = next((row for row in totals if "总计" in compact(row.name)), None)
    grand = grand or next((row for row in totals if row is not current), None) or current
    return (
        _figure(table, grand) if grand is not None else None,
        _figure(table, current) if current is not None and current is not grand else None,
    )


def _settle(
    field: str, stated: Decimal | None, unit: str, table: TableFigure | None, evidence: dict[str, str], report: Report
) -> Decimal | None:
    """The figure to keep for ``field``: the prose's, else the table's."""
    if table is None:
        return stated
    value = to_unit(table, unit)
    if value is None:
        return stated
    if stated is None:
        evidence[field] = table.where
        return value
    if stated != value:
        report.add(
            FIGURE_CONFLICT,
            None,
            field=field,
            first=f"{stated}{unit}",
            where_first=repr(evidence.get(field, "the prose")),
            second=f"{table.value}{table.unit}",
            where_second=table.where,
        )
    return stated


def _overview(overview: BudgetOverview | None, summary: BudgetTable, report: Report) -> BudgetOverview:
    if overview is None:
        overview = BudgetOverview(
            amount_unit=summary.amount_unit,
            income=BudgetIncome(total=None, personnel=None, public=None, project=None),
            expenditure=BudgetExpenditure(total=None, basic=None, personnel=None, public=None, project=None),
            change=BudgetChange(total=None, basic=None, project=None, explanation=None),
        )
    unit, evidence = overview.amount_unit, overview.evidence
    for side, figures in (("income", overview.income), ("expenditure", overview.expenditure)):
        grand, current = _side_totals(summary, side)
        if current is not None and figures.total is not None and figures.total == to_unit(current, unit):
            figures.current_year = figures.total  # the prose's "total" is 本年…合计: the carry-overs are apart
            evidence[f"{side}.current_year"] = evidence.pop(f"{side}.total", current.where)
            figures.total = None
        figures.total = _settle(f"{side}.total", figures.total, unit, grand, evidence, report)
        figures.current_year = _settle(f"{side}.current_year", figures.current_year, unit, current, evidence, report)
    return overview


_NOT_THREE_PUBLIC = ("机关运行", "行政经费", "会议", "培训", "上年", "增减", "公务用车", "因公出国", "公务接待")


_TOTAL_NAME = regex.compile(r"(?:合计|小计|总额|总计|预算数?)$")


def _older_year(name: str, years: list[int]) -> bool:
    return any(str(year) in name for year in years[:-1])


def _three_public_total(table: BudgetTable) -> TableFigure | None:
    """The current total of a 三公 table: its 三公 合计 column (columns by
    item: the current year and the 决算数 come last), read in its 合计 row;
    else its 三公 or 合计 row (rows by item), in the current year's column."""
    years = sorted({int(y) for c in table.columns for y in regex.findall(r"(20[0-9]{2})年", c.name)})
    usable = [
        c
        for c in table.columns
        if c.measure not in ("previous", "change")
        and not _older_year(c.name, years)
        and not any(word in c.name for word in _NOT_THREE_PUBLIC)
    ]
    total_row = next((r for r in table.rows if r.level == "total"), None)
    named = [c for c in usable if "三公" in c.name and _TOTAL_NAME.search(c.name)]
    if not any(r.name for r in table.rows):  # columns by item, rows by unit or none: the 合计 column
        named = named or [c for c in usable if c.name.endswith("合计")]
    row: BudgetRow | None
    column: BudgetColumn | None
    if named and table.rows:
        column, row = named[-1], total_row or table.rows[0]
    else:
        row = next((r for r in table.rows if "三公" in r.name), None) or total_row
        column = next((c for c in usable if c.measure == "current"), usable[0] if usable else None)
    if row is None or column is None:
        return None
    value = row.amounts.get(column.name)
    if value is None:
        return None
    return TableFigure(value, table.amount_unit, f"{_name(table)}, row {compact(row.name)}, column {column.name}")


def _operating_total(tables: list[BudgetTable]) -> TableFigure | None:
    """机关运行经费 from its own table's 合计 row, or from its column in the 三公 table."""
    for table in tables:
        if "机关运行经费" in table.title and table.kind != "three_public":
            row = next((row for row in table.rows if row.level == "total"), None)
            if row is not None:
                return _figure(table, row)
        column = next((c.name for c in table.columns if "机关运行经费" in c.name), None)
        if table.kind == "three_public" and column is not None and table.rows:
            value = table.rows[0].amounts.get(column)
            if value is not None:
                return TableFigure(value, table.amount_unit, f"{_name(table)}, column {column}")
    return None


def _three_public(part: ThreePublic | None, tables: list[BudgetTable], report: Report) -> ThreePublic | None:
    table = next((t for t in tables if t.kind == "three_public" and not t.empty), None)
    figure = _three_public_total(table) if table is not None else None
    if figure is None:
        return part
    if part is None:
        part = ThreePublic(
            amount_unit=figure.unit, previous_year=None, current_year=None, rows=[], total=None, evidence={}
        )
    stated = part.total.current if part.total is not None else None
    value = _settle("total.current", stated, part.amount_unit, figure, part.evidence, report.for_part(4))
    if part.total is None:
        part.total = ThreePublicTotal(previous=None, current=value, change=None, reason=None)
    return part


def _operating(part: OperatingCosts | None, tables: list[BudgetTable], report: Report) -> OperatingCosts | None:
    figure = _operating_total(tables)
    if figure is None:
        return part
    if part is None:
        part = OperatingCosts(amount_unit=figure.unit, total=None, items=[], evidence={})
    part.total = _settle("total", part.total, part.amount_unit, figure, part.evidence, report.for_part(3))
    return part


def apply_headline_figures(fields: dict[str, object], tables: list[BudgetTable], report: Report) -> None:
    """Fill and compare the headline figures of the document's ``fields``
    (Disclosure keyword arguments) from its budget tables."""
    summary = next((t for t in tables if t.kind == "income_expenditure_summary" and not t.empty), None)
    overview = fields.get("budget_overview")
    if summary is not None and (overview is None or isinstance(overview, BudgetOverview)):
        fields["budget_overview"] = _overview(overview, summary, report)
    three_public = fields.get("three_public")
    if three_public is None or isinstance(three_public, ThreePublic):
        fields["three_public"] = _three_public(three_public, tables, report)
    operating = fields.get("operating_costs")
    if operating is None or isinstance(operating, OperatingCosts):
        fields["operating_costs"] = _operating(operating, tables, report)
