"""Per-unit project budgets (二、分项绩效目标): each unit's stated total
against its items, and against the performance tables of that unit.

The prose names units by short names (团委, 文联) and the tables by full
names (中国共产主义青年团阜平县委员会); a short name matches the full name
that contains it, else the one holding its characters in order (文联 →
阜平县文学艺术界联合会).  The head office (县委办, 局本级) matches the
table unit named …本级 when nothing else does.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..findings import UNIT_TABLES_MISMATCH, UNIT_UNMATCHED, IssueLog
from ..models import Disclosure
from ..textutil import in_order
from . import check
from .arithmetic import sum_check

PART = 5
HEAD_OFFICE_SUFFIX = "本级"


def match_unit(short: str, full_names: list[str]) -> str | None:
    """The full unit name a short name stands for, when exactly one fits."""
    for fits in (str.__contains__, lambda full, name: in_order(name, full)):
        found = [full for full in full_names if fits(full, short)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    head = [full for full in full_names if full.endswith(HEAD_OFFICE_SUFFIX)]
    return head[0] if len(head) == 1 else None


@check("unit_budgets")
def unit_budgets(disclosure: Disclosure, log: IssueLog) -> None:
    performance = disclosure.performance
    if performance is None:
        return
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for project in performance.projects:
        if project.unit_name and project.budget.total is not None:
            totals[project.unit_name] += project.budget.total
            counts[project.unit_name] += 1
    for budget in performance.unit_budgets:
        sum_check(
            log,
            what=f"{budget.unit} 分项绩效目标 total",
            stated=budget.total,
            part=PART,
            location=budget.location,
            parts={item.name: item.amount for item in budget.items},
        )
        full_name = match_unit(budget.unit, list(totals))
        if full_name is None:
            log.add(UNIT_UNMATCHED, part=PART, location=budget.location, unit=budget.unit)
            continue
        if budget.total is not None and totals[full_name] != budget.total:
            log.add(
                UNIT_TABLES_MISMATCH,
                part=PART,
                location=budget.location,
                unit=budget.unit,
                stated=budget.total,
                count=counts[full_name],
                full_name=full_name,
                computed=totals[full_name],
            )
