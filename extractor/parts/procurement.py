"""Part 6, 政府采购预算情况: the total from the prose (``政府采购预算总额…``,
``政府采购安排…``, ``政府采购项目共有…``, never an item such as
``货物类采购预算…``), with its sentence as evidence, and the table's rows."""

from __future__ import annotations

import regex

from ..blocks import Block, Cell, Table
from ..findings import model_location
from ..models import Procurement, ProcurementRow
from ..textutil import compact
from ._prose import Figures, paragraphs, sentences, unit_in
from ._report import Report
from ._tables import row_location, tables_of

__all__ = ["parse_procurement"]

_TOTAL_LABEL = r"采购(?:预算|项目)?(?:总额|总计|合计|共有|共计|共|安排)|政府采购预算"
_TOTAL_ROW = regex.compile(r"^(?:合计|总计)$")
_HEADER_WORDS = ("采购", "名称", "单位", "数量", "单价", "金额", "预算", "拨款", "核拨", "资金", "合计", "小计")


def _is_header(row: list[Cell]) -> bool:
    labels = [compact(cell.text) for cell in row if cell.text]
    return len(labels) >= 2 and all(any(word in label for word in _HEADER_WORDS) for label in labels)


def _columns(table: Table) -> tuple[list[str], int]:
    """Header labels by grid column (two header rows merged) and the first data row."""
    labels: dict[int, list[str]] = {}
    start = 0
    for index, row in enumerate(table.rows):
        if index == 0 and len(row) <= 2:
            start = 1
            continue
        if not _is_header(row):
            break
        for cell in row:
            if cell.text:
                labels.setdefault(cell.col, []).append(compact(cell.text))
        start = index + 1
    return ["/".join(labels[col]) for col in sorted(labels)], start


def parse_procurement(blocks: list[Block], report: Report) -> Procurement:
    text = "\n".join(p.text for p in paragraphs(blocks)) or None
    figures = Figures(report, "政府采购预算")
    total = figures.value(sentences(blocks), _TOTAL_LABEL, "total", required=False)
    rows: list[ProcurementRow] = []
    for table in tables_of(blocks):
        names, start = _columns(table)
        for row in table.rows[start:]:
            values = [cell for cell in row if cell.text]
            if not values or (_TOTAL_ROW.match(compact(values[0].text)) and len(values) == 1):
                continue
            cells = {names[i] if i < len(names) else f"column_{i + 1}": (c.text or None) for i, c in enumerate(row)}
            rows.append(ProcurementRow(cells=cells, location=model_location(row_location(row))))
    return Procurement(
        amount_unit=figures.unit or unit_in(blocks), total=total, text=text, rows=rows, evidence=figures.evidence
    )
