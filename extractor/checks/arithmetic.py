"""Sums and differences stated in parts 2, 3, 4 and 7."""

from __future__ import annotations

from decimal import Decimal

from ..findings import CHANGE_MISMATCH, SUM_MISMATCH, IssueLog
from ..models import Disclosure, SourceLocation
from . import check


def _formula(parts: dict[str, Decimal | None]) -> str:
    return " + ".join(f"{name} {value}" for name, value in parts.items())


def sum_check(
    log: IssueLog,
    *,
    what: str,
    stated: Decimal | None,
    parts: dict[str, Decimal | None],
    part: int,
    project_seq: int | None = None,
    location: SourceLocation | None = None,
) -> None:
    """Report when ``stated`` differs from the sum of ``parts`` (all present)."""
    if stated is None or not parts or any(value is None for value in parts.values()):
        return
    computed = sum((value for value in parts.values() if value is not None), Decimal(0))
    if computed != stated:
        log.add(
            SUM_MISMATCH,
            part=part,
            project_seq=project_seq,
            location=location,
            what=what,
            stated=stated,
            parts=_formula(parts),
            computed=computed,
            difference=stated - computed,
        )


@check("budget_overview")
def budget_overview(disclosure: Disclosure, log: IssueLog) -> None:
    overview = disclosure.budget_overview
    if overview is None:
        return
    income, spending, change = overview.income, overview.expenditure, overview.change
    sum_check(
        log,
        what="income total",
        stated=income.total,
        part=2,
        parts={"personnel": income.personnel, "public": income.public, "project": income.project},
    )
    sum_check(
        log,
        what="expenditure basic",
        stated=spending.basic,
        part=2,
        parts={"personnel": spending.personnel, "public": spending.public},
    )
    sum_check(
        log,
        what="expenditure total",
        stated=spending.total,
        part=2,
        parts={"basic": spending.basic, "project": spending.project},
    )
    sum_check(
        log,
        what="change total",
        stated=change.total,
        part=2,
        parts={"basic change": change.basic, "project change": change.project},
    )


@check("operating_costs")
def operating_costs(disclosure: Disclosure, log: IssueLog) -> None:
    costs = disclosure.operating_costs
    if costs is None or not costs.items:
        return
    sum_check(
        log,
        what="机关运行经费 total",
        stated=costs.total,
        part=3,
        parts={item.name: item.amount for item in costs.items},
    )


@check("three_public")
def three_public(disclosure: Disclosure, log: IssueLog) -> None:
    table = disclosure.three_public
    if table is None:
        return
    for row in [*table.rows, table.total]:
        if row is None or row.previous is None or row.current is None or row.change is None:
            continue
        computed = row.current - row.previous
        if computed != row.change:
            item = getattr(row, "item", "合计")
            log.add(
                CHANGE_MISMATCH,
                part=4,
                location=row.location,
                item=item,
                stated=row.change,
                current=row.current,
                previous=row.previous,
                computed=computed,
            )
    if table.total is None:
        return
    for field in ("previous", "current", "change"):
        sum_check(
            log,
            what=f"“三公” 合计 {field}",
            stated=getattr(table.total, field),
            part=4,
            location=table.total.location,
            parts={row.item: getattr(row, field) for row in table.rows if not row.subitem},
        )


@check("assets")
def assets(disclosure: Disclosure, log: IssueLog) -> None:
    table = disclosure.assets
    if table is None or not table.rows:
        return
    sum_check(
        log,
        what="固定资产总额",
        stated=table.total,
        part=7,
        parts={row.item: row.value for row in table.rows if not row.subitem},
    )
