"""Figures a document states twice: the two must agree.

A budget balances, so part 2's income total and expenditure total are one
figure written twice (final accounts need not: the year's income and
spending differ by what is carried over, so a 决算 is not checked); a difference means one of them was misprinted or
misread, and the issue quotes both sentences.  (Figures stated in prose and
again in a table — 三公, assets — are compared where both are at hand, in
their parsers; operating costs against their items is a `sum_mismatch`.)
"""

from __future__ import annotations

from ..findings import FIGURE_CONFLICT, IssueLog
from ..models import Disclosure
from . import check


@check("budget_totals")
def budget_totals(disclosure: Disclosure, log: IssueLog) -> None:
    overview = disclosure.budget_overview
    if overview is None or disclosure.kind == "部门决算":
        return
    income, spending = overview.income.total, overview.expenditure.total
    if income is None or spending is None or income == spending:
        return
    evidence = overview.evidence
    log.add(
        FIGURE_CONFLICT,
        part=2,
        field="budget total (income = expenditure)",
        first=f"income {income}",
        where_first=repr(evidence.get("income.total", "income.total")),
        second=f"expenditure {spending}",
        where_second=repr(evidence.get("expenditure.total", "expenditure.total")),
    )
