"""Part 2, 部门预算安排的总体情况: income, expenditure and the change on the
year before, read from the prose.

Each figure comes from a clause that names it (`_prose.find_figure`):
收入预算总额为…, 收入总计…, 收支总预算…, 预算收入…, 基本支出…, 项目支出….
The sentence of every figure taken is kept in ``evidence``.
"""

from __future__ import annotations

from decimal import Decimal

import regex

from ..blocks import Block, Paragraph
from ..findings import FIELD_MISSING
from ..models import BudgetChange, BudgetExpenditure, BudgetIncome, BudgetOverview
from ._prose import Figures, Sentence, paragraphs, sentences
from ._report import Report

__all__ = ["parse_overview"]

_SUBHEADING = regex.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*(?P<title>\S.{0,15})$")
_SECTION_WORDS = (("change", ("增减", "比上年", "较上年")), ("income", ("收入",)), ("expenditure", ("支出",)))
_CHANGE = r"(?P<dir>增加|减少|增长|下降)"
# a total: 收入预算总额, 收入总计, 收支总预算, 收、支总计, 收支预算总额, 预算收入 (not 一般公共预算收入)
_TOTAL_WORDS = r"[^，,。；;\d]{0,4}?(?:预算总额|总额|总计|合计|总预算|预算数|预算)"
_OTHER_BUDGETS = r"(?<!公共|基金|经营|拨款)"

_INCOME = {
    "total": rf"(?:收入|收、?支){_TOTAL_WORDS}|{_OTHER_BUDGETS}预算收入",
    "personnel": r"人员经费",
    "public": r"公用经费",
    "project": r"项目(?:支出)?(?:经费)?",
}
_EXPENDITURE = {
    "total": rf"(?<!基本|项目)(?:支出|收、?支){_TOTAL_WORDS}|{_OTHER_BUDGETS}预算支出",
    "basic": r"基本支出",
    "personnel": r"人员经费",
    "public": r"公用经费",
    "project": r"项目支出",
}


def _sections(blocks: list[Block]) -> dict[str, list[Block]]:
    """The blocks under the ``1、收入说明`` / ``2、支出说明`` / ``3、比上年增减情况``
    headings; the whole part under each key when there are none."""
    found: dict[str, list[Block]] = {}
    current: list[Block] | None = None
    for block in blocks:
        heading = _SUBHEADING.match(block.text) if isinstance(block, Paragraph) else None
        kind = next(
            (k for k, words in _SECTION_WORDS if heading and any(w in heading.group("title") for w in words)), None
        )
        if kind is not None:
            current = found.setdefault(kind, [])
        elif current is not None:
            current.append(block)
    return {kind: found.get(kind, blocks) for kind, _ in _SECTION_WORDS}


def _section_first(section: list[Block], whole: list[Sentence]) -> list[Sentence]:
    """The section's sentences, then the rest of the part's: a total is often
    stated once, ahead of the 收入/支出 sections."""
    own = sentences(section)
    return own + [sentence for sentence in whole if sentence not in own]


def _amounts(found: list[Sentence], labels: dict[str, str], figures: Figures, where: str) -> dict[str, Decimal | None]:
    return {name: figures.value(found, label, f"{where}.{name}") for name, label in labels.items()}


def _change(found: list[Sentence], label: str, figures: Figures, field: str) -> Decimal | None:
    pattern = regex.compile(rf"(?:{label})[^\d。；;]{{0,6}}?{_CHANGE}\s*(?P<num>\d[\d.,，。．]*)")
    for sentence in found:
        match = pattern.search(sentence.text)
        if match is None:
            continue
        value = figures.report.number(match.group("num"), field, sentence.location)
        if value is not None:
            figures.evidence[field] = sentence.quote
            return -value if match.group("dir") in ("减少", "下降") else value
        return None
    figures.report.add(FIELD_MISSING, None, field=field)
    return None


def parse_overview(blocks: list[Block], report: Report) -> BudgetOverview:
    sections = _sections(blocks)
    figures = Figures(report)
    whole = sentences(blocks)
    income = _amounts(_section_first(sections["income"], whole), _INCOME, figures, "income")
    spending = _amounts(_section_first(sections["expenditure"], whole), _EXPENDITURE, figures, "expenditure")
    changes = sentences(sections["change"])
    change_text = "\n".join(p.text for p in paragraphs(sections["change"]))
    return BudgetOverview(
        amount_unit=figures.unit or "万元",
        income=BudgetIncome(**income),
        expenditure=BudgetExpenditure(**spending),
        change=BudgetChange(
            total=_change(changes, r"较上年|比上年|上年", figures, "change.total"),
            basic=_change(changes, r"基本支出", figures, "change.basic"),
            project=_change(changes, r"项目支出", figures, "change.project"),
            explanation=change_text or None,
        ),
        evidence=figures.evidence,
    )
