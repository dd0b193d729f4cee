"""Finding labelled amounts and lists of amounts in running text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex

from ..blocks import Block, Paragraph

__all__ = ["AMOUNT", "Found", "ItemMatch", "find_amount", "line_items", "paragraphs", "unit_in"]

#: A number as printed (typos such as ``0,。2`` included) and its money unit.
AMOUNT = r"(?P<num>[+-]?\d(?:[\d,，。.．]*\d)?)\s*(?P<unit>亿元|万元|千元|元)"
_UNIT_NOTE = regex.compile(r"单位\s*[:：]\s*(?P<unit>亿元|万元|千元|元)")
_ITEM = regex.compile(r"(?P<name>[^\d，,；;。:：\s][^\d，,；;。:：]*?)\s*(?:为|共|计)?\s*" + AMOUNT)
_ITEM_PREFIX = regex.compile(r"^(?:其中|包括|主要包括|主要用于|包含|分别为|具体为)[:：]?")
_FILLER = regex.compile(r"[\s，,；;。:：、.．]+|其中|包括|主要包括|分别为|具体为|等")


@dataclass(frozen=True, slots=True)
class Found:
    text: str
    unit: str
    end: int


@dataclass(frozen=True, slots=True)
class ItemMatch:
    name: str
    amount_text: str
    unit: str


def paragraphs(blocks: Iterable[Block]) -> list[Paragraph]:
    return [block for block in blocks if isinstance(block, Paragraph)]


def find_amount(text: str, label: str, gap: int = 8) -> Found | None:
    """The first amount printed after ``label`` (a regex) within ``gap``
    characters that are neither digits nor sentence ends."""
    pattern = regex.compile(rf"(?:{label})[^\d。；;]{{0,{gap}}}?" + AMOUNT)
    match = pattern.search(text)
    if match is None:
        return None
    return Found(match.group("num"), match.group("unit"), match.end())


def line_items(text: str) -> tuple[list[ItemMatch], list[str]]:
    """``name amount unit`` items in a list such as ``办公费48.64万元，邮电费32.1万元``,
    and the fragments between them that are not just punctuation."""
    items: list[ItemMatch] = []
    leftovers: list[str] = []
    position = 0
    for match in _ITEM.finditer(text):
        _keep_leftover(text[position : match.start()], leftovers)
        name = _ITEM_PREFIX.sub("", match.group("name").strip(" .．、")).strip()
        items.append(ItemMatch(name, match.group("num"), match.group("unit")))
        position = match.end()
    _keep_leftover(text[position:], leftovers)
    return items, leftovers


def _keep_leftover(fragment: str, leftovers: list[str]) -> None:
    if _FILLER.sub("", fragment):
        leftovers.append(fragment.strip(" ，,；;。"))


def unit_in(blocks: Iterable[Block], default: str = "万元") -> str:
    """The money unit a part declares (``单位：万元``), else ``default``."""
    for block in blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c.text for c in block.cells()]
        for text in texts:
            match = _UNIT_NOTE.search(text)
            if match:
                return str(match.group("unit"))
    return default
