"""Part 3, 机关运行经费安排情况: the total and its items, from the prose."""

from __future__ import annotations

import regex

from ..blocks import Block
from ..findings import FIELD_MISSING, UNPARSED_TEXT
from ..models import LineItem, OperatingCosts
from ._prose import AMOUNT, line_items, paragraphs
from ._report import Report

__all__ = ["parse_operating_costs"]

_TOTAL = regex.compile(r"(?:安排|合计|共计|总额|总计)(?:为|共)?\s*" + AMOUNT)


def parse_operating_costs(blocks: list[Block], report: Report) -> OperatingCosts:
    total = None
    unit = "万元"
    items: list[LineItem] = []
    for paragraph in paragraphs(blocks):
        match = _TOTAL.search(paragraph.text) if total is None else None
        if match is None:
            continue
        unit = match.group("unit")
        total = report.number(match.group("num"), "机关运行经费 total", paragraph.location)
        found, leftovers = line_items(paragraph.text[match.end() :])
        for item in found:
            items.append(
                LineItem(
                    name=item.name,
                    amount=report.number(item.amount_text, f"机关运行经费 {item.name}", paragraph.location),
                    raw=f"{item.amount_text}{item.unit}",
                )
            )
        for fragment in leftovers:
            report.add(UNPARSED_TEXT, paragraph.location, where="机关运行经费", text=fragment)
    if total is None:
        report.add(FIELD_MISSING, None, field="机关运行经费 total")
    return OperatingCosts(amount_unit=unit, total=total, items=items)
