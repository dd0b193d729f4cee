"""Split a document's blocks into the template's nine parts.

A part starts at a paragraph ``第N部分`` followed by any of ``： : 、 .`` or a
space and its title.  Every block lands somewhere: before part 1 in the
preamble, otherwise in the part whose heading precedes it.  A heading seen
again stays text of the part already open (and is reported).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .blocks import Block, Location, Paragraph, Table
from .findings import PART_MISSING, PART_OUT_OF_ORDER, PART_REPEATED, IssueLog

__all__ = ["PART_TITLES", "PartSegment", "Segments", "block_text", "segment"]

#: The template's part titles, used for parts that are missing.
PART_TITLES: dict[int, str] = {
    1: "部门职责及机构设置情况",
    2: "部门预算安排的总体情况",
    3: "机关运行经费安排情况",
    4: "财政拨款“三公”经费预算情况及增减变化原因",
    5: "预算绩效信息",
    6: "政府采购预算情况",
    7: "国有资产信息情况说明",
    8: "名词解释",
    9: "其他需说明的事项",
}

# Words of each part's title, for documents that head their parts "一、…" instead of "第一部分".
_PART_WORDS: dict[int, tuple[str, ...]] = {
    1: ("职责", "机构设置"),
    2: ("总体情况", "收支", "预算安排"),
    3: ("运行经费",),
    4: ("三公",),
    5: ("绩效",),
    6: ("采购",),
    7: ("资产",),
    8: ("名词解释",),
    9: ("其他",),
}
_NUMBERED = regex.compile(r"^\s*(?P<n>[一二三四五六七八九])\s*[、.．]\s*(?P<title>\S.{1,40}?)\s*$")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HEADING = regex.compile(
    r"^\s*第\s*(?P<n>[一二三四五六七八九]|[1-9])\s*部分\s*(?:[:：、.．,，]\s*|\s+|$)(?P<title>.*?)\s*$"
)


@dataclass(slots=True)
class PartSegment:
    number: int
    title: str
    heading: Paragraph
    blocks: list[Block] = field(default_factory=list)

    @property
    def location(self) -> Location:
        last = self.blocks[-1].location if self.blocks else self.heading.location
        return self.heading.location.through(last)


@dataclass(slots=True)
class Segments:
    preamble: list[Block]
    parts: dict[int, PartSegment]


def part_heading(block: Block) -> tuple[int, str] | None:
    """``(number, title)`` when the block is a part heading paragraph."""
    if not isinstance(block, Paragraph):
        return None
    match = _HEADING.match(block.text)
    if match is None:
        return None
    numeral = match.group("n")
    number = _NUMERALS.get(numeral) or int(numeral)
    return number, match.group("title").strip()


def _numbered_part_heading(block: Block, after: int) -> tuple[int, str] | None:
    """``一、部门职责及机构设置情况`` as part 1, when its number follows ``after``
    and its title has a word of that part's title."""
    match = _NUMBERED.match(block.text) if isinstance(block, Paragraph) else None
    if match is None:
        return None
    number = _NUMERALS[match.group("n")]
    title = match.group("title")
    if number <= after or not any(word in title for word in _PART_WORDS[number]):
        return None
    return number, title


def segment(blocks: list[Block], log: IssueLog) -> Segments:
    """The preamble and the parts found; missing parts are reported.  Parts
    are headed ``第N部分``; a document with no such heading at all may head
    them ``一、…`` with the part's title."""
    numbered = not any(part_heading(block) for block in blocks)
    preamble: list[Block] = []
    parts: dict[int, PartSegment] = {}
    current: PartSegment | None = None
    for block in blocks:
        heading = _numbered_part_heading(block, current.number if current else 0) if numbered else part_heading(block)
        if heading is not None and heading[0] not in parts and isinstance(block, Paragraph):
            number, title = heading
            if current is not None and number < current.number:
                log.add(PART_OUT_OF_ORDER, part=number, location=block.location, number=number, previous=current.number)
            current = PartSegment(number, title or PART_TITLES[number], block)
            parts[number] = current
            continue
        if heading is not None:
            log.add(
                PART_REPEATED, part=heading[0], location=block.location, number=heading[0], heading=block_text(block)
            )
        (current.blocks if current is not None else preamble).append(block)
    for number, title in PART_TITLES.items():
        if number not in parts and parts:
            log.add(PART_MISSING, part=number, number=number, title=title)
    return Segments(preamble, parts)


def block_text(block: Block) -> str:
    """Plain text of a block: a paragraph's text, a table's rows as
    tab-separated cells, one row a line."""
    if isinstance(block, Table):
        return "\n".join("\t".join(cell.text.replace("\n", " ") for cell in row) for row in block.rows)
    return block.text
