"""Part 4, 财政拨款“三公”经费: the table of previous and current budgets."""

from __future__ import annotations

from decimal import Decimal

import regex

from ..blocks import Block
from ..findings import TABLE_MISSING, model_location
from ..models import ThreePublic, ThreePublicRow, ThreePublicTotal
from ..textutil import compact
from ._prose import unit_in
from ._report import Report
from ._tables import find_header, row_location, tables_of, text_of

__all__ = ["parse_three_public"]

_COLUMNS = {
    "item": regex.compile(r"^(?:项目(?:名称)?|科目|名称)$"),
    "previous": regex.compile(r"(?:\d{4}年|上年).*(?:预算|决算)"),
    "current": regex.compile(r"(?:\d{4}年|本年).*预算"),
    "change": regex.compile(r"增减|变动|增长"),
    "reason": regex.compile(r"原因|说明"),
}
_AMOUNTS = ("previous", "current", "change")
_TOTAL = regex.compile(r"^(?:合计|总计|小计|共计)$")
_YEAR = regex.compile(r"([0-9]{4})年")


def _years(table_header: list[str]) -> list[int]:
    return [int(m.group(1)) for text in table_header for m in [_YEAR.search(text)] if m]


def _adds_up(parent: ThreePublicRow, parts: list[ThreePublicRow]) -> bool:
    """Whether ``parts`` sum to ``parent`` in both years."""
    fields = [f for f in ("previous", "current") if getattr(parent, f) is not None]
    return bool(fields) and all(
        sum((getattr(p, f) or 0 for p in parts), Decimal(0)) == getattr(parent, f) for f in fields
    )


def _mark_subitems(rows: list[ThreePublicRow]) -> None:
    """Rows from a ``其中：…`` row on are parts of the row above it: as many
    as add up to it (公务用车购置及运行费 = 购置费 + 运行费); when none add up,
    only the 其中 row itself is marked."""
    for index, row in enumerate(rows):
        if index == 0 or not compact(row.item).startswith("其中"):
            continue
        parent = rows[index - 1]
        for end in range(index + 1, len(rows) + 1):
            if _adds_up(parent, rows[index:end]):
                for part in rows[index:end]:
                    part.subitem = True
                break
        else:
            row.subitem = True


def parse_three_public(blocks: list[Block], report: Report) -> ThreePublic:
    rows: list[ThreePublicRow] = []
    total: ThreePublicTotal | None = None
    years: list[int] = []
    for table in tables_of(blocks):
        columns = find_header(table, _COLUMNS, ("item", "previous", "current"))
        if columns is None:
            continue
        header = table.rows[columns.header_row]
        years = _years([cell.text for cell in header])
        for row in table.rows[columns.header_row + 1 :]:
            cells = columns.read(row)
            item = cells.get("item")
            if item is None or not item.text:
                continue
            fields = {
                **{key: report.cell_number(cells.get(key), f"三公 {item.text} {key}") for key in _AMOUNTS},
                "reason": text_of(cells, "reason"),
                "location": model_location(row_location(row)),
            }
            if _TOTAL.match(compact(item.text)):
                total = ThreePublicTotal.model_validate(fields)
            else:
                rows.append(ThreePublicRow.model_validate({"item": item.text, **fields}))
        break
    else:
        report.add(TABLE_MISSING, None, what="“三公”经费")
    _mark_subitems(rows)
    previous_year = years[0] if len(years) >= 2 else None
    current_year = years[1] if len(years) >= 2 else None
    return ThreePublic(
        amount_unit=unit_in(blocks), previous_year=previous_year, current_year=current_year, rows=rows, total=total
    )
