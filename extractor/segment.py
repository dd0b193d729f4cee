"""Split a document's blocks into the nine topics of the Hebei template.

``parts[n]`` is topic n (1 职责及机构, 2 收支总体, 3 机关运行经费, 4 三公,
5 绩效, 6 政府采购, 7 国有资产, 8 名词解释, 9 其他) whatever the heading's
printed number.  A Hebei document (``第N部分`` headings carrying the topics
at their own numbers, or ``一、…`` when it has no ``第N部分`` at all) is
split on those headings: every block lands before part 1 in the preamble or
in the part whose heading precedes it, and a heading seen again stays text
of the part already open (and is reported).  Any other document is split
on its outline (`extractor.outline`): each topic is the heading naming it
at the highest level (first in reading order among equals), with the
blocks up to the next heading of the same or a higher level; a topic may
sit inside another part (机关运行经费 under 其他重要事项), so a block may
belong to two parts.  The table of contents is never taken for headings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .blocks import Block, Location, Paragraph, Table
from .findings import PART_MISSING, PART_OUT_OF_ORDER, PART_REPEATED, TEMPLATE_UNKNOWN, TOPIC_ABSENT, IssueLog
from .models import Template
from .outline import Heading, contents_range, outline, part_number

__all__ = [
    "NOT_A_DISCLOSURE",
    "PART_TITLES",
    "PartSegment",
    "Segments",
    "block_text",
    "has_budget_content",
    "refusal",
    "segment",
    "topic_of",
]

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
# Topic words of a heading's title, most specific first (三公 before 运行经费 …).
_TOPICS: tuple[tuple[int, regex.Pattern[str]], ...] = (
    (8, regex.compile(r"名词解释")),
    (4, regex.compile(r"三公")),
    (3, regex.compile(r"运行经费")),
    (6, regex.compile(r"采购")),
    (7, regex.compile(r"资产")),
    (5, regex.compile(r"绩效")),
    (9, regex.compile(r"^其他")),
    (1, regex.compile(r"职责|职能|机构设置|概况|基本情况")),
    (2, regex.compile(r"收支|收入|支出|财政拨款|预算安排的总体情况")),
)
# A table's own title (…预算表), not a heading about the topic (…表的说明 is).
_TABLE_TITLE = regex.compile(r"表\s*(?:[（(][^）)]*[）)])?$")
_BUDGET_WORD = regex.compile(r"预算|决算|绩效目标|绩效指标|绩效自评")  # a performance table alone is one too
# From the start of a run of digits, with bounded repeats: unbounded ones rescan a long run from
# each of its digits (quadratic).
_AMOUNT_IN_TEXT = regex.compile(r"(?<![0-9])[0-9][0-9,]{0,30}(?:\.[0-9]{1,10})?\s{0,3}(?:万元|元)")
_AMOUNT_CELL = regex.compile(r"^\s*-?[0-9][0-9,]*(?:\.[0-9]+)?\s*$")
_NUMBERED = regex.compile(r"^\s*(?P<n>[一二三四五六七八九])\s*[、.．]\s*(?P<title>\S.{1,40}?)\s*$")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


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
    template: Template = "unknown"
    outline: list[Heading] = field(default_factory=list)


def part_heading(block: Block) -> tuple[int, str] | None:
    """``(number, title)`` when the block is a part heading paragraph."""
    found = part_number(block.text) if isinstance(block, Paragraph) else None
    return found if found is not None and found[0] in PART_TITLES else None


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


def topic_of(title: str) -> int | None:
    """The template topic a heading's title names, or None (a table's own
    title names none)."""
    title = title.strip()
    if _TABLE_TITLE.search(title):
        return None
    return next((topic for topic, words in _TOPICS if words.search(title)), None)


def segment(blocks: list[Block], log: IssueLog) -> Segments:
    """The preamble, the parts found by topic, the template and the
    outline; topics missing are reported (``part_missing`` for the Hebei
    template, ``topic_absent`` for templates that need not have them)."""
    contents = contents_range(blocks)
    headings = outline(blocks, contents)
    template = _template(headings, blocks)
    if template == "hebei_nine_parts":
        segments = _hebei(blocks, contents, log)
    else:
        segments = _by_topic(blocks, headings)
        if template == "unknown":
            log.add(TEMPLATE_UNKNOWN)
    segments.template, segments.outline = template, headings
    for number, title in PART_TITLES.items():
        if number not in segments.parts and segments.parts:
            if template == "hebei_nine_parts":
                log.add(PART_MISSING, part=number, number=number, title=title)
            else:
                log.add(TOPIC_ABSENT, part=number, number=number, title=title, template=template)
    return segments


def _top(headings: list[Heading]) -> list[Heading]:
    """The document's top-level headings (table titles aside)."""
    return [h for h in headings if h.level == 1 and h.style != "table"]


def _template(headings: list[Heading], blocks: list[Block]) -> Template:
    """The family: Hebei when the parts carry the template's topics at
    their own numbers; else by the number of top-level parts."""
    parts: dict[int | None, str] = {}
    for heading in headings:
        if heading.style == "part":
            parts.setdefault(heading.value, heading.title)
    if parts:
        matching = sum(1 for number, title in parts.items() if not title or topic_of(title) == number)
        if matching >= len(parts) - (1 if len(parts) >= 7 else 0):
            return "hebei_nine_parts"
    top = _top(headings)
    if not parts and top and all(h.style == "cjk" and topic_of(h.title) == h.value for h in top):
        return "hebei_nine_parts"
    if not top:
        return "tables_only" if any(isinstance(b, Table) for b in blocks) else "unknown"
    count = len(parts) or len({h.value for h in top})
    if count >= 7:
        return "nine_parts_other"
    return "four_parts" if count >= 2 else "unknown"


def _by_topic(blocks: list[Block], headings: list[Heading]) -> Segments:
    """Each topic at the highest-level heading naming it (the first among
    equals), not inside 职责 or 名词解释 (duties and terms name topics too);
    a sibling of the same topic right after it joins it (重点项目绩效 after
    绩效管理)."""
    ends = _span_ends(headings, len(blocks))
    parts: dict[int, PartSegment] = {}
    enclosed: list[range] = []
    for topic in (1, 8, 2, 3, 4, 5, 6, 7, 9):
        chosen = _best(
            [
                k
                for k, h in enumerate(headings)
                if h.style != "table" and topic_of(h.title) == topic and not any(h.index in r for r in enclosed)
            ],
            headings,
        )
        if chosen is None:
            continue
        heading = headings[chosen]
        end = ends[chosen]
        for k in range(chosen + 1, len(headings)):
            later = headings[k]
            if later.index == end and later.level == heading.level and topic_of(later.title) == topic:
                end = ends[k]
            elif later.index >= end:
                break
        printed = Paragraph(heading.text, heading.location)
        start = heading.end + 1 if heading.whole else heading.index
        parts[topic] = PartSegment(topic, heading.title, printed, blocks[start:end])
        if topic in (1, 8):
            enclosed.append(range(heading.end + 1, end))
    first = next((h.index for h in headings if h.style != "table"), None)
    if first is None:
        first = next((i for i, b in enumerate(blocks) if isinstance(b, Table)), len(blocks))
    return Segments(blocks[:first], dict(sorted(parts.items())))


def _best(candidates: list[int], headings: list[Heading]) -> int | None:
    if not candidates:
        return None
    return min(candidates, key=lambda k: (headings[k].level, k))


def _span_ends(headings: list[Heading], total: int) -> list[int]:
    """For each heading, the index of the block where its section ends: the
    next heading of the same or a higher level (table titles aside), and at
    the latest where the tables printed after the last section begin (表一 …
    after 名词解释 are the document's tables, not the glossary's)."""
    appendix = _appendix(headings, total)
    ends: list[int] = []
    for k, heading in enumerate(headings):
        following = (h.index for h in headings[k + 1 :] if h.style != "table" and h.level <= heading.level)
        end = next(following, total)
        ends.append(min(end, appendix) if heading.index < appendix else end)
    return ends


def _appendix(headings: list[Heading], total: int) -> int:
    """Where the run of table titles after the document's last section
    heading begins (``total`` when none follows it)."""
    last = max((k for k, h in enumerate(headings) if h.style != "table"), default=None)
    if last is None:
        return total
    return next((h.index for h in headings[last + 1 :] if h.style == "table"), total)


def _hebei(blocks: list[Block], contents: range, log: IssueLog) -> Segments:
    """The Hebei template: parts at their ``第N部分`` headings (or ``一、…``
    with the part's title words when there is no ``第N部分`` at all); the
    table of contents stays in the preamble."""
    body = [b for i, b in enumerate(blocks) if i not in contents]
    numbered = not any(part_heading(block) for block in body)
    preamble: list[Block] = []
    parts: dict[int, PartSegment] = {}
    current: PartSegment | None = None
    for index, block in enumerate(blocks):
        if index in contents:
            preamble.append(block)
            continue
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
    return Segments(preamble, parts)


def has_budget_content(blocks: list[Block]) -> bool:
    """Whether the blocks hold budget figures: a paragraph naming 预算 or 决算
    with an amount in 元/万元, or a table naming them with a numeric cell."""
    for block in blocks:
        if isinstance(block, Paragraph):
            if _BUDGET_WORD.search(block.text) and _AMOUNT_IN_TEXT.search(block.text):
                return True
            continue
        cells = block.cells()
        if any(_BUDGET_WORD.search(c.text) for c in cells) and any(_AMOUNT_CELL.match(c.text) for c in cells):
            return True
    return False


NOT_A_DISCLOSURE = (
    "not a budget disclosure: no heading on any of the nine topics (职责, 收支, 机关运行经费, 三公, 绩效, 采购, 资产,"
    " 名词解释, 其他) and no 预算/决算 table or figure was found"
)
#: What a disclosure shows, when it has headings that do not make it one.
_SIGNALS = (
    "not a budget disclosure: no 预算/决算 title naming a year ({found}), none of the standard tables"
    " with figures (收支总表, 收入总表, 支出总表, 财政拨款收支, 一般公共预算, 三公, 绩效目标表 …), and {topics} of the"
    " nine topics headed (three or more, with budget figures, make one)"
)
_TOPICS_NEEDED = 3
_STANDARD_TABLE = regex.compile(
    r"收支总表|收入总表|支出总表|财政拨款收支|一般公共预算|基本支出|三公|政府性基金|国有资本经营|项目支出|政府采购|"
    r"收支预算|收入支出决算|绩效目标|绩效指标|绩效自评"
)
_TABLE_FIGURES = 3  # amount cells a standard table holds at the least
_PERFORMANCE_TITLE = regex.compile(
    r"绩效(?:目标|自评)表"
)  # a performance table alone is a disclosure (its rows may be text)
# The title of what is not a disclosure: a letter or notice (文号 〔2024〕31号, 关于…的通报), a plan, a report
_OTHER_DOCUMENT = regex.compile(r"〔[0-9]{4}〕|关于|通报|通知|函$|规划|评价报告|报告$|指南|公告")
_DISCLOSURE_TITLE = regex.compile(r"(?:19|20)[0-9]{2}\s*年.{0,30}?(?:预算|决算)|(?:预算|决算).{0,10}(?:19|20)[0-9]{2}")


def refusal(blocks: list[Block], segments: Segments, title: str | None) -> str | None:
    """Why the blocks are no disclosure, or None when they are one.  A
    disclosure shows the signals of one: a 预算/决算 title naming a year, the
    standard tables with figures, a performance table's title, a 第N部分
    part heading, or three topics headed with budget figures; a text that mentions 预算 (a notice, a letter, a portal's
    menus) is not one."""
    if not segments.parts and not has_budget_content(blocks):
        return NOT_A_DISCLOSURE
    titled = title is not None and _DISCLOSURE_TITLE.search(title) and not _OTHER_DOCUMENT.search(title)
    parted = any(heading.style == "part" for heading in segments.outline)  # 第五部分 预算绩效信息
    topics = parted or (len(segments.parts) >= _TOPICS_NEEDED and has_budget_content(blocks))
    performance = any(_PERFORMANCE_TITLE.search(block_text(block)) for block in blocks)
    if titled or topics or performance or _standard_tables(blocks):
        return None
    found = f"the title is {title[:40]!r}" if title else "no title at all"
    return _SIGNALS.format(found=found, topics=len(segments.parts))


def _standard_tables(blocks: list[Block]) -> bool:
    """Whether a table with figures is titled (in the paragraph above or its first rows) as a standard table."""
    above = ""
    for block in blocks:
        if isinstance(block, Paragraph):
            above = block.text
            continue
        head = above + "".join(cell.text for row in block.rows[:3] for cell in row)
        figures = sum(1 for cell in block.cells() if _AMOUNT_CELL.match(cell.text))
        if _STANDARD_TABLE.search(head) and figures >= _TABLE_FIGURES:
            return True
    return False


def block_text(block: Block) -> str:
    """Plain text of a block: a paragraph's text, a table's rows as
    tab-separated cells, one row a line."""
    if isinstance(block, Table):
        return "\n".join(["\t".join([cell.text.replace("\n", " ") for cell in row]) for row in block.rows])
    return block.text
