"""Part 3, 机关运行经费安排情况: the total and its items, from the prose.

The total is the figure a clause states after 运行经费 (``…机关运行经费安排
231.44万元``, ``机关运行经费预算为577.91万元``, ``…运行经费财政拨款预算
2,376.26万元``); an amount elsewhere (因公出国 0.00, 收支总计) never is.  The
items are the ``name amount`` pairs after 其中 (in the total's sentence or
the next one), else the rest of the total's sentence.  A change on the year
before (``比上年增加1万元``) is not an item.
"""

from __future__ import annotations

import regex

from ..blocks import Block
from ..findings import UNPARSED_TEXT
from ..models import LineItem, OperatingCosts
from ._prose import CHANGE_WORD, Figure, Figures, Sentence, line_items, sentences
from ._report import Report

__all__ = ["parse_operating_costs"]

_LABEL = r"运行经费"
_ITEMS_START = regex.compile(r"其中\s*[:：,，]?")


def _item_text(figure: Figure, found: list[Sentence]) -> str:
    """The text after the total that lists its items."""
    rest = figure.sentence.text[figure.end :]
    index = found.index(figure.sentence)
    following = found[index + 1].text if index + 1 < len(found) else ""
    if _ITEMS_START.search(rest) is None and _ITEMS_START.match(following):
        rest = following
    start = _ITEMS_START.search(rest)
    return (rest[start.end() :] if start else rest).replace("\n", "")


def parse_operating_costs(blocks: list[Block], report: Report) -> OperatingCosts:
    found = sentences(blocks)
    figures = Figures(report, "机关运行经费")
    figure = figures.read(found, _LABEL, "total")
    if figure is None:
        return OperatingCosts(amount_unit="万元", total=None, items=[], evidence=figures.evidence)
    location = figure.sentence.location
    total = figures.number(figure, "total")
    items: list[LineItem] = []
    listed, leftovers = line_items(_item_text(figure, found))
    for item in listed:
        if CHANGE_WORD.search(item.name) or regex.search(r"(?:比|较)上年|同比", item.name):
            leftovers.append(f"{item.name}{item.amount_text}{item.unit}")
            continue
        amount = report.number(item.amount_text, f"机关运行经费 {item.name}", location)
        items.append(LineItem(name=item.name, amount=amount, raw=f"{item.amount_text}{item.unit}"))
    for fragment in leftovers:
        report.add(UNPARSED_TEXT, location, where="机关运行经费", text=fragment)
    return OperatingCosts(amount_unit=figure.unit, total=total, items=items, evidence=figures.evidence)
