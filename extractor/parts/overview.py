"""Part 2, 部门预算安排的总体情况: income, expenditure and the change on the
year before, read from the prose."""

from __future__ import annotations

from decimal import Decimal

import regex

from ..blocks import Block
from ..findings import FIELD_MISSING
from ..models import BudgetChange, BudgetExpenditure, BudgetIncome, BudgetOverview
from ._prose import find_amount, paragraphs
from ._report import Report

__all__ = ["parse_overview"]

_SUBHEADING = regex.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*(?P<title>\S.{0,15})$")
_SECTION_WORDS = (("change", ("增减", "比上年", "较上年")), ("income", ("收入",)), ("expenditure", ("支出",)))
_CHANGE = r"(?P<dir>增加|减少|增长|下降)"

_INCOME = {
    "total": r"总额|总计|合计|总预算|收入预算(?:为|是)",
    "personnel": r"人员经费",
    "public": r"公用经费",
    "project": r"项目(?:支出)?(?:经费)?",
}
_EXPENDITURE = {
    "total": r"总额|总计|合计|总预算|支出预算(?:为|是)",
    "basic": r"基本支出",
    "personnel": r"人员经费",
    "public": r"公用经费",
    "project": r"项目支出",
}


def _sections(blocks: list[Block]) -> dict[str, str]:
    """The prose under the ``1、收入说明`` / ``2、支出说明`` / ``3、比上年增减情况``
    headings; the whole part under each key when there are none."""
    whole = "\n".join(p.text for p in paragraphs(blocks))
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for paragraph in paragraphs(blocks):
        heading = _SUBHEADING.match(paragraph.text)
        kind = next(
            (k for k, words in _SECTION_WORDS if heading and any(w in heading.group("title") for w in words)), None
        )
        if kind is not None:
            current = found.setdefault(kind, [])
        elif current is not None:
            current.append(paragraph.text)
    return {kind: "\n".join(found[kind]) if kind in found else whole for kind, _ in _SECTION_WORDS}


def _amounts(
    text: str, labels: dict[str, str], report: Report, where: str
) -> tuple[dict[str, Decimal | None], str | None]:
    values: dict[str, Decimal | None] = {}
    unit: str | None = None
    for name, label in labels.items():
        found = find_amount(text, label)
        if found is None:
            report.add(FIELD_MISSING, None, field=f"{where}.{name}")
            values[name] = None
            continue
        unit = unit or found.unit
        values[name] = report.number(found.text, f"{where}.{name}")
    return values, unit


def _change(text: str, label: str, report: Report, field: str) -> Decimal | None:
    found = regex.search(rf"(?:{label})[^\d。；;]{{0,6}}?{_CHANGE}\s*(?P<num>\d[\d.,，。．]*)", text)
    if found is None:
        report.add(FIELD_MISSING, None, field=field)
        return None
    value = report.number(found.group("num"), field)
    if value is not None and found.group("dir") in ("减少", "下降"):
        value = -value
    return value


def parse_overview(blocks: list[Block], report: Report) -> BudgetOverview:
    sections = _sections(blocks)
    income, unit_in = _amounts(sections["income"], _INCOME, report, "income")
    spending, unit_out = _amounts(sections["expenditure"], _EXPENDITURE, report, "expenditure")
    change_text = sections["change"]
    return BudgetOverview(
        amount_unit=unit_in or unit_out or "万元",
        income=BudgetIncome(**income),
        expenditure=BudgetExpenditure(**spending),
        change=BudgetChange(
            total=_change(change_text, r"较上年|比上年|上年", report, "change.total"),
            basic=_change(change_text, r"基本支出", report, "change.basic"),
            project=_change(change_text, r"项目支出", report, "change.project"),
            explanation=change_text or None,
        ),
    )
