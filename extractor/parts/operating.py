"""Part 3, 机关运行经费安排情况: the total and its items, from the prose.

The total is the first amount after 运行经费 (``…机关运行经费安排231.44万元``,
``…运行经费预算20.5万元``) or after a word of total (安排, 合计 …); the items
are the ``name amount`` pairs after 其中 (or after the total when there is
no 其中), to the end of their sentence.  A change on the year before
(``比上年增加1万元``) is not an item.
"""

from __future__ import annotations

import regex

from ..blocks import Block
from ..findings import FIELD_MISSING, UNPARSED_TEXT
from ..models import LineItem, OperatingCosts
from ._prose import AMOUNT, line_items, paragraphs
from ._report import Report

__all__ = ["parse_operating_costs"]

_TOTAL = regex.compile(r"(?:运行经费[^\d，,。；;]{0,8}?|(?:安排|合计|共计|总额|总计)(?:为|共)?\s*)" + AMOUNT)
_ITEMS_START = regex.compile(r"其中\s*[:：,，]?")
_CHANGE = regex.compile(r"(?:比|较)上年|同比")


def _item_text(text: str) -> str:
    """The part of the sentence(s) after the total that lists items."""
    start = _ITEMS_START.search(text)
    listed = text[start.end() :] if start else text
    # a sentence ends at 。 — not at the 。 of a typo inside a number ("0,。2万元")
    return regex.split(r"。(?!\d)", listed, maxsplit=1)[0] if start else listed


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
        found, leftovers = line_items(_item_text(paragraph.text[match.end() :]))
        for item in found:
            if _CHANGE.search(item.name):
                leftovers.append(f"{item.name}{item.amount_text}{item.unit}")
                continue
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
