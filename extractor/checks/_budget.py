"""What the budget-table checks share: a table's name and a row's page as
the messages quote them, the rounding a sum of printed figures allows, and
the one way a sum is reported.

A table in 万元 (or 千元) prints each figure rounded on its own to its last
printed decimal, so a sum of n printed figures may miss the printed total by
up to half a last decimal per figure involved, at most 0.005 (the total's
own rounding included): within that, the gap is info `rounding_difference`; above it, an
error of the check's own code with the gap in the message.  A table in 元
rounds nothing away: every gap is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import regex

from ..findings import ROUNDING_DIFFERENCE, IssueLog, IssueType
from ..models import BudgetRow, BudgetTable, SourceLocation
from ..textutil import compact

__all__ = [
    "Term",
    "half_step",
    "page_of",
    "plain_name",
    "report_sum",
    "row_name",
    "table_name",
    "tolerance",
]

#: The most rounding one figure brings: half of 0.01 (a figure printed whole, 8 or 60万元, is taken as exact to
#: the cent: printing 8.00 as 8 rounds nothing away).
_HALF_CENT = Decimal("0.005")
#: Terms listed in a message before the rest are counted.
_SHOWN_TERMS = 8
#: An enumerator before a row's name: 一、 (二) 3、 1.
_ENUMERATOR = regex.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十0-9]+[)）]|[0-9]{1,2}[、.．](?![0-9]))"
)


@dataclass(frozen=True, slots=True)
class Term:
    """One figure of a sum, with the words that name it in a message."""

    name: str
    value: Decimal


def table_name(table: BudgetTable) -> str:
    """The table as the messages name it: its printed number and title."""
    return f"{table.label or ''} {table.title}".strip()


def row_name(row: BudgetRow) -> str:
    """A row as the messages name it: its code and label as printed."""
    name = compact(row.name)
    if row.code:
        return f"{row.code} {name}".strip()
    return name or "(unnamed row)"


def plain_name(row: BudgetRow) -> str:
    """A row's label without its enumerator and spaces (一、一般公共服务支出 → 一般公共服务支出)."""
    return _ENUMERATOR.sub("", compact(row.name))


def page_of(location: SourceLocation | None, table: BudgetTable | None = None) -> str:
    """The page (or line, for text) a message quotes."""
    for where in (location, table.location if table is not None else None):
        if where is None:
            continue
        if where.page is not None:
            return str(where.page)
        if where.line is not None:
            return f"line {where.line}"
        if where.table is not None:
            return f"table {where.table}" + (f" row {where.row}" if where.row is not None else "")
    return "?"


def half_step(value: Decimal) -> Decimal:
    """Half the last printed decimal of ``value`` (0.005 for 12.34, 0.05 for 12.3)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal(0)
    return Decimal(5).scaleb(exponent - 1)


def tolerance(unit: str, figures: Iterable[Decimal]) -> Decimal:
    """The gap the rounding of ``figures`` allows: none in 元."""
    if unit == "元":
        return Decimal(0)
    return sum((min(half_step(value), _HALF_CENT) for value in figures if value != 0), Decimal(0))


def _formula(terms: Sequence[Term]) -> str:
    if not terms:
        return "nothing"
    shown = [f"{term.name} {term.value}" for term in terms[:_SHOWN_TERMS]]
    rest = len(terms) - _SHOWN_TERMS
    return " + ".join(shown) + (f" + {rest} more" if rest > 0 else "")


def report_sum(
    log: IssueLog,
    kind: IssueType,
    table: BudgetTable,
    row: BudgetRow,
    column: str,
    stated: Decimal,
    terms: Sequence[Term],
) -> bool:
    """Report ``stated`` against the sum of ``terms`` when they differ:
    within rounding as info, else as ``kind``.  True when they differ beyond rounding."""
    computed = sum((term.value for term in terms), Decimal(0))
    difference = stated - computed
    if difference == 0:
        return False
    allowed = tolerance(table.amount_unit, [stated, *(term.value for term in terms)])
    count = 1 + sum(1 for term in terms if term.value != 0)
    within = abs(difference) <= allowed
    log.add(
        ROUNDING_DIFFERENCE if within else kind,
        part=2,
        location=row.location,
        table=table_name(table),
        row=row_name(row),
        column=column,
        page=page_of(row.location, table),
        stated=stated,
        parts=_formula(terms),
        computed=computed,
        difference=difference,
        count=count,
        tolerance=allowed,
    )
    return not within
