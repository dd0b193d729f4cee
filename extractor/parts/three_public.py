"""Part 4, 财政拨款“三公”经费: the table of previous and current budgets,
and the figures the prose states (``“三公”经费预算394.49万元，其中：因公出国
（境）费用184.49万元…``).  Without a table the prose figures are the data,
each with its sentence in ``evidence``; beside a table they are compared with
it, and a difference is a `figure_conflict`."""

from __future__ import annotations

from decimal import Decimal

import regex

from ..blocks import Block
from ..findings import TABLE_MISSING, model_location
from ..models import ThreePublic, ThreePublicRow, ThreePublicTotal
from ..textutil import compact
from ._prose import Figures, Sentence, find_figure, report_conflict, sentences, unit_in
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
_PROSE_TOTAL = r"三公[”\"’']?经费"
# the items as the prose names them, parts of 公务用车购置及运行费 last
_PROSE_ITEMS = {
    # a space may stand before the bracket (Chongqing's "因公出国 (境)费用", the bracket in another font)
    "因公出国（境）费": r"因公出国\s*[（(]?境?[）)]?(?:费用|经费|费)",
    "公务接待费": r"公务接待(?:费用|经费|费)",
    "公务用车购置及运行费": r"公务用车购置及运行(?:维护)?(?:费用|经费|费)",
    "公务用车购置费": r"公务用车购置(?:费用|经费|费)",
    "公务用车运行费": r"公务用车运行(?:维护)?(?:费用|经费|费)",
}
_CAR_PARTS = ("公务用车购置费", "公务用车运行费")


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


def _prose_rows(found: list[Sentence], figures: Figures) -> tuple[ThreePublicTotal | None, list[ThreePublicRow]]:
    """The total and the items the prose states, when there is no table."""
    total = figures.value(found, _PROSE_TOTAL, "total.current", required=False)
    rows: list[ThreePublicRow] = []
    for item, label in _PROSE_ITEMS.items():
        field = f"rows[{len(rows)}].current"
        value = figures.value(found, label, field, required=False)
        if value is not None:
            subitem = item in _CAR_PARTS and any(row.item == "公务用车购置及运行费" for row in rows)
            rows.append(
                ThreePublicRow(item=item, previous=None, current=value, change=None, reason=None, subitem=subitem)
            )
    stated = ThreePublicTotal(previous=None, current=total, change=None, reason=None) if total is not None else None
    return stated, rows


def _compare(
    found: list[Sentence], unit: str, total: ThreePublicTotal | None, rows: list[ThreePublicRow], report: Report
) -> None:
    """Each figure the prose states against the table's current budget."""
    stated = [("“三公”经费 total", _PROSE_TOTAL, total.current if total else None)]
    for item, label in _PROSE_ITEMS.items():
        row = next((r for r in rows if regex.search(label, compact(r.item))), None)
        stated.append((f"“三公” {item}", label, row.current if row else None))
    for name, label, table_value in stated:
        figure = find_figure(found, label)[0] if table_value is not None else None
        value = report.number(figure.text, name, figure.sentence.location) if figure else None
        if figure is not None and value is not None and table_value is not None:
            report_conflict(report, name, figure, value, table_value, unit, "the “三公” table")


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
        table = None
        report.add(TABLE_MISSING, None, what="“三公”经费")
    found = sentences(blocks)
    unit = unit_in(blocks)
    figures = Figures(report, "“三公”经费")
    if table is None:
        total, rows = _prose_rows(found, figures)
        unit = figures.unit or unit
    else:
        _compare(found, unit, total, rows, report)
    _mark_subitems(rows)
    previous_year = years[0] if len(years) >= 2 else None
    current_year = years[1] if len(years) >= 2 else None
    return ThreePublic(
        amount_unit=unit,
        previous_year=previous_year,
        current_year=current_year,
        rows=rows,
        total=total,
        evidence=figures.evidence,
    )
