"""Part 7, 国有资产信息: the date, the total and the rows of the asset table.
A total read from the prose keeps its sentence as evidence; the table's
总额 row, when there is one, gives the total."""

from __future__ import annotations

import regex

from ..blocks import Block, Paragraph
from ..findings import model_location
from ..models import AssetRow, Assets
from ..textutil import compact
from ._prose import Figures, report_conflict, sentences
from ._report import Report
from ._tables import find_header, row_location, tables_of

__all__ = ["parse_assets"]

_DATE = regex.compile(
    r"(?:截止|截至|截止时间|截至时间)[^0-9]{0,4}(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日"
)
_COLUMNS = {
    "item": regex.compile(r"^项目|^资产|^名称"),
    "quantity": regex.compile(r"数量"),
    "value": regex.compile(r"价值|金额|原值"),
}
_TOTAL_ROW = regex.compile(r"^(?:固定资产)?(?:总额|合计|总计)$|^固定资产总额")
_PROSE_TOTAL = r"固定资产总(?:金)?额|资产总额"
_UNIT = regex.compile(r"(?P<unit>亿元|万元|千元|元)")


def _as_of(blocks: list[Block]) -> str | None:
    for block in blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [cell.text for cell in block.cells()]
        for text in texts:
            match = _DATE.search(text)
            if match:
                return f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    return None


def parse_assets(blocks: list[Block], report: Report) -> Assets:
    figures = Figures(report, "固定资产")
    stated = figures.read(sentences(blocks), _PROSE_TOTAL, "total", required=False)
    total = figures.number(stated, "total") if stated else None
    unit = stated.unit if stated else "万元"
    rows: list[AssetRow] = []
    for table in tables_of(blocks):
        columns = find_header(table, _COLUMNS, ("item", "value"))
        if columns is None:
            continue
        header_unit = _UNIT.search(table.rows[columns.header_row][-1].text)
        unit = header_unit.group("unit") if header_unit else unit
        for row in table.rows[columns.header_row + 1 :]:
            cells = columns.read(row)
            item = cells.get("item")
            if item is None or not item.text.strip():
                continue
            name = item.text.strip()
            quantity_cell, value_cell = cells.get("quantity"), cells.get("value")
            quantity = (
                report.number(quantity_cell.text, f"{name} 数量", quantity_cell.location) if quantity_cell else None
            )
            value = report.number(value_cell.text, f"{name} 价值", value_cell.location) if value_cell else None
            if _TOTAL_ROW.match(compact(name)):
                if stated and total is not None and value is not None:
                    report_conflict(report, "固定资产总额", stated, total, value, unit, "the asset table")
                total = value if value is not None else total
                continue
            rows.append(
                AssetRow(
                    item=name,
                    quantity=quantity,
                    value=value,
                    subitem=compact(name).startswith("其中"),
                    location=model_location(row_location(row)),
                )
            )
    return Assets(amount_unit=unit, as_of=_as_of(blocks), total=total, rows=rows, evidence=figures.evidence)
