"""Sums and differences stated in parts 2, 3, 4 and 7."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import regex

from ..budget.headline import YUAN
from ..findings import CHANGE_MISMATCH, ROUNDING_DIFFERENCE, SUM_MISMATCH, IssueLog
from ..models import Disclosure, SourceLocation
from . import check
from ._budget import page_of, tolerance


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
    unit: str | None = None,
    sentences: Sequence[str | None] = (),
) -> None:
    """Report when ``stated`` differs from the sum of ``parts`` (all present).

    ``unit``: the figures' unit, whose rounding a gap within is info
    `rounding_difference` (none tolerated in 元 or when not given).
    ``sentences``: where the figures were read; figures read from different
    sentences (or a table) may be of different scopes (the 部门's 基本支出 and
    the 一般公共预算's 人员经费): they are not summed."""
    if stated is None or not parts or any(value is None for value in parts.values()):
        return
    if len({sentence for sentence in sentences if sentence is not None}) > 1:
        return
    computed = sum((value for value in parts.values() if value is not None), Decimal(0))
    if computed == stated:
        return
    allowed = tolerance(unit, [stated, *(v for v in parts.values() if v is not None)]) if unit else Decimal(0)
    if abs(stated - computed) <= allowed:
        log.add(
            ROUNDING_DIFFERENCE,
            part=part,
            project_seq=project_seq,
            location=location,
            table=f"part {part}",
            row=what,
            column="text",
            page=page_of(location),
            stated=stated,
            parts=_formula(parts),
            computed=computed,
            difference=stated - computed,
            count=1 + len(parts),
            tolerance=allowed,
        )
        return
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


_AMOUNT = regex.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?\s*万元")


def _unread_parts(evidence: dict[str, str], fields: Sequence[str]) -> bool:
    """Whether the sentence the parts were read from lists more amounts than
    were read (在职人员经费、公用经费、对个人和家庭的补助支出、增人增资、项目支出:
    only three of five taken): then the parts are not the whole."""
    sentences = {evidence[field] for field in fields if field in evidence}
    if len(sentences) != 1:
        return False
    (sentence,) = sentences
    return len(_AMOUNT.findall(sentence)) > len(fields) + 1


#: The measure of an overview field in the tables' facts.
_MEASURE = {"income.total": "income", "expenditure.total": "expenditure", "income.project": "project"}


def _table_scopes(disclosure: Disclosure, unit: str) -> dict[tuple[str, Decimal], set[str]]:
    """(measure, figure in ``unit``) → the fund scopes of the tables printing it."""
    from .across import facts  # the tables' facts (a module of this package importing this one's registry)

    factor = YUAN.get(unit)
    out: dict[tuple[str, Decimal], set[str]] = {}
    if factor is None:
        return out
    final = "决算" in (disclosure.kind or "")
    for table in disclosure.budget_tables:
        table_factor = YUAN.get(table.amount_unit)
        if table_factor is None:
            continue
        for fact in facts(table, final):
            scope, measure, _ = fact.key
            value = fact.value * table_factor / factor
            out.setdefault((measure, value.normalize()), set()).add(scope)
            out.setdefault((measure, value), set()).add(scope)
    return out


@check("budget_overview")
def budget_overview(disclosure: Disclosure, log: IssueLog) -> None:
    overview = disclosure.budget_overview
    if overview is None:
        return
    income, spending, change = overview.income, overview.expenditure, overview.change
    unit, evidence = overview.amount_unit, overview.evidence
    scopes = _table_scopes(disclosure, unit)
    if "决算" in (disclosure.kind or ""):  # a 决算's totals carry over what was not spent: its 本年 figures sum
        income = income.model_copy(update={"total": income.current_year})
        spending = spending.model_copy(update={"total": spending.current_year})

    def said(*fields: str) -> list[str | None]:
        """The scopes the tables give the figures (the prose names them in
        other sentences): one set each, as the sentences to compare."""
        out: list[str | None] = []
        for field in fields:
            section, name = field.split(".")
            figure = getattr(getattr(overview, section), name)
            found = scopes.get((_MEASURE.get(field, name), figure)) if figure is not None else None
            out.append(None if found is None else ",".join(sorted(found)))
        if _unread_parts(evidence, fields[1:]):
            return ["", "unread parts"]
        known = [x for x in out if x is not None]
        if known and not set.intersection(*(set(x.split(",")) for x in known)):
            return out  # of scopes no table shares: not summed
        return []

    sum_check(
        log,
        what="income total",
        stated=income.total,
        part=2,
        parts={"personnel": income.personnel, "public": income.public, "project": income.project},
        unit=unit,
        sentences=said("income.total", "income.personnel", "income.public", "income.project"),
    )
    sum_check(
        log,
        what="expenditure basic",
        stated=spending.basic,
        part=2,
        parts={"personnel": spending.personnel, "public": spending.public},
        unit=unit,
        sentences=said("expenditure.basic", "expenditure.personnel", "expenditure.public"),
    )
    sum_check(
        log,
        what="expenditure total",
        stated=spending.total,
        part=2,
        parts={"basic": spending.basic, "project": spending.project},
        unit=unit,
        sentences=said("expenditure.total", "expenditure.basic", "expenditure.project"),
    )
    sum_check(
        log,
        what="change total",
        stated=change.total,
        part=2,
        parts={"basic change": change.basic, "project change": change.project},
        unit=unit,
        sentences=said("change.total", "change.basic", "change.project"),
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
            unit=table.amount_unit,
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
