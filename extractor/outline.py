"""The document's own outline: its numbered headings as printed, with levels.

Levels come from the numbering style, in the order ``第一部分`` > ``一、`` >
``（一）`` > ``1.`` > ``（1）``; a style used again right under a heading of
the same style (``一、部门职责`` straight after ``一、部门职责及机构设置情况``)
opens a nested level.  Numbered table titles (``表十``, ``表14``,
``预算12表``, ``公开01表``) are entries of their own, one level under the
heading they stand in.  A table of contents is recognised — a paragraph
titled 目录, dot leaders and page numbers, a run of headings with no body
that the body then repeats — and skipped: its lines are never headings.

Pure functions over a reader's blocks; the segmenter builds the parts on
this outline and the pipeline writes it as ``Disclosure.sections``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from .blocks import Block, Location, Paragraph, Table
from .textutil import compact

__all__ = ["Heading", "contents_range", "heading_of", "is_contents_marker", "numeral_value", "outline", "part_number"]

_CJK_DIGITS = "一二三四五六七八九十"
_STYLES: tuple[tuple[str, regex.Pattern[str]], ...] = (
    (
        "part",
        regex.compile(
            r"^\s*第\s*(?P<n>[一二三四五六七八九十]{1,3}|[0-9]{1,2})\s*部分"
            r"\s*(?:[:：、.．,，]\s*|\s+|$|(?=[\p{Han}0-9][^，,；;。！？]*$))(?P<title>.*)$"
        ),
    ),
    ("cjk", regex.compile(r"^\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>\S.*)$")),
    ("paren_cjk", regex.compile(r"^\s*[（(]\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[）)]\s*(?P<title>\S.*)$")),
    ("arabic", regex.compile(r"^\s*(?P<n>[0-9]{1,2})\s*(?:[.．、](?![0-9]))\s*(?P<title>\S.*)$")),
    ("paren_arabic", regex.compile(r"^\s*[（(]\s*(?P<n>[0-9]{1,2})\s*[）)]\s*(?P<title>\S.*)$")),
)
_RANK = {style: rank for rank, (style, _) in enumerate(_STYLES)}
# 表十 / 表14 / 表1：… / 预算12表 / 公开 01表 / 附表3
_TABLE_TITLE = regex.compile(
    r"^\s*(?P<n>(?:附\s*)?表\s*[0-9一二三四五六七八九十]{1,3}|(?:预算|公开|附)\s*[0-9]{1,2}\s*表)"
    r"(?![0-9])\s*(?:[:：、.．]\s*)?(?P<title>.*)$"
)
# Dot leaders and a page number: "第一部分 部门概况......1", "一、部门职责……2".
# Each leader from the start of its run: tried from every dot of a long run, it was quadratic.
_LEADER = regex.compile(r"(?:(?<!\.)\.{3,}|(?<!…)…{2,}|(?<!·)·{3,}|(?<!-)-{4,}|(?<!\.\s)(?:\.\s){3,})\s*[0-9]{1,3}")
_TRAILING_PAGE = regex.compile(r"\S\s+[0-9]{1,3}\s*$")
_NOT_NUMERAL = regex.compile(r"[^0-9一二三四五六七八九十]")
_SENTENCE = regex.compile(r"[，,；;。！？]")
_LABELLED = regex.compile(r"^[^：:]{1,30}[：:]\s*\S")
# A heading with its body in the same paragraph, after 。, or after a colon
# when figures follow or the title names a section (「（一）机关运行经费：2026年…」,
# 「（五）国有资产占用使用情况：截至…」, not 「财政拨款收入：指…」).
_GLUED = regex.compile(r"^(?P<title>[^，,；;。：:]{1,20})(?:。|[：:](?=\s*[0-9])|(?<=情况|说明|概况)[：:])\s*\S")
# A section's name closed with a full stop, as a heading ends (情况, 说明, 概况), nothing after it.
_CLOSED = regex.compile(r"(?<=情况|说明|概况)\s*。\s*$")
_MAX_TITLE = 40
_MAX_GLUED_TITLE = 20
_CONTENTS_REACH = 120
_CUT_LINE = 10  # a title line this long may go on on the next line


@dataclass(frozen=True, slots=True)
class Heading:
    """One outline entry: where it is (``index``, ``end`` = last block of a
    heading printed over two paragraphs), its numbering and title."""

    index: int
    end: int
    style: str  # part, cjk, paren_cjk, arabic, paren_arabic or table
    number: str  # as printed: 第五部分, 七, （二）, 3, 表十
    value: int | None
    title: str
    text: str  # the heading as printed
    whole: bool  # the paragraph holds the heading alone (no body text glued on)
    location: Location
    level: int = 0


def numeral_value(numeral: str) -> int | None:
    """``七`` → 7, ``十二`` → 12, ``二十`` → 20, ``14`` → 14."""
    numeral = compact(numeral)
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    if not numeral or any(char not in _CJK_DIGITS for char in numeral):
        return None
    if "十" not in numeral:
        return _CJK_DIGITS.index(numeral) + 1 if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    high = _CJK_DIGITS.index(tens) + 1 if tens else 1
    low = _CJK_DIGITS.index(units) + 1 if units else 0
    return high * 10 + low if len(tens) <= 1 and len(units) <= 1 else None


def part_number(text: str) -> tuple[int, str] | None:
    """``(number, title)`` of a ``第N部分`` heading (``第五部分：预算绩效信息``,
    ``第一部分单位概况``), whatever its numeral."""
    match = _STYLES[0][1].match(text)
    value = numeral_value(match.group("n")) if match is not None else None
    return (value, match.group("title").strip()) if match is not None and value is not None else None


def _value(number: str) -> int | None:
    """The value of a printed numbering: 第五部分 → 5, （二） → 2, 公开01表 → 1."""
    return numeral_value(_NOT_NUMERAL.sub("", number))


def is_contents_line(text: str) -> bool:
    """A line of a table of contents: dot leaders with a page number, or a
    heading followed by its page number."""
    return _LEADER.search(text) is not None or (_TRAILING_PAGE.search(text) is not None and _parse(text) is not None)


def _parse(text: str) -> tuple[str, str, str] | None:
    """``(style, number, rest)`` when the text opens with a numbering."""
    table = _TABLE_TITLE.match(text)
    if table is not None:
        return "table", compact(table.group("n")), table.group("title").strip()
    for style, pattern in _STYLES:
        match = pattern.match(text)
        if match is not None:
            number = compact(text[: match.start("title")]).rstrip("、.．:：,，")
            return style, number, match.group("title").strip()
    return None


def _title(style: str, rest: str) -> str | None:
    """The heading's title from the text after its number, or None when
    that text reads as a sentence or a labelled item, not a heading."""
    if style in ("part", "table"):
        return rest if len(compact(rest)) <= _MAX_TITLE * 2 else None
    glued = _GLUED.match(rest)
    if glued is not None:
        return glued.group("title").strip()  # 「（一）收入预算。2026 年…」: heading and body in one paragraph
    rest = _CLOSED.sub("", rest)  # 「(二)政府采购预算安排情况说明。」: a heading closed with a full stop
    if _SENTENCE.search(rest) or _LABELLED.match(rest) or len(compact(rest)) > _MAX_TITLE:
        return None
    return rest


def heading_of(block: Block) -> tuple[str, str, str] | None:
    """``(style, number, title)`` when the block reads as a heading paragraph
    (not a table-of-contents line), on its own; the title may be empty
    (printed on the next line)."""
    if not isinstance(block, Paragraph) or is_contents_line(block.text):
        return None
    parsed = _parse(block.text)
    if parsed is None:
        return None
    style, number, rest = parsed
    title = _title(style, rest)
    return (style, number, title) if title is not None else None


def _title_line(block: Block) -> str | None:
    """A short unnumbered line that carries the title of a heading printed
    on the line before (``第一部分`` / ``部门概况``; ``表1`` / ``收支总表``)."""
    if not isinstance(block, Paragraph):
        return None
    text = block.text.strip()
    if not text or text.isdigit() or len(compact(text)) > _MAX_TITLE or _SENTENCE.search(text):
        return None
    return None if _parse(text) is not None or "单位：" in text else text


def _title_after(blocks: list[Block], index: int) -> tuple[str, int]:
    """The title printed on the lines after a bare ``第三部分`` (one line, or
    two when the first is long: ``国家信访局 2024年度部门决`` / ``算情况说明``)
    and the index of its last line."""
    title, end = "", index
    while end + 1 < len(blocks) and (end == index or (end - index < 2 and len(compact(title)) >= _CUT_LINE)):
        line = _title_line(blocks[end + 1])
        if line is None or len(compact(title + line)) > _MAX_TITLE:
            break
        title, end = title + line, end + 1
    return title, end


def _key(block: Block) -> tuple[str, int | None] | None:
    """The numbering of a heading or contents line, to match a contents
    entry with the body heading that repeats it."""
    if not isinstance(block, Paragraph):
        return None
    parsed = _parse(block.text)
    if parsed is None or parsed[0] == "table":
        return None
    return parsed[0], _value(parsed[1])


def is_contents_marker(block: Block) -> bool:
    """A paragraph titled 目录 (possibly after the cover's title on one line)."""
    return isinstance(block, Paragraph) and len(block.text) <= _MAX_TITLE and compact(block.text).endswith("目录")


def _contents_like(block: Block) -> bool:
    """A block that may stand in a table of contents: a contents line, a
    short line, or a one-row table (a contents line cut into cells)."""
    if isinstance(block, Table):
        return len(block.rows) <= 1
    return is_contents_line(block.text) or len(compact(block.text)) <= _MAX_TITLE


def _run_end(blocks: list[Block], start: int) -> int:
    end = start
    while end < len(blocks) and _contents_like(blocks[end]):
        end += 1
    return end


def _repeat(blocks: list[Block], first: int) -> int | None:
    """Index of the body heading repeating the contents entry at ``first``
    (the same numbering), when only contents-like blocks stand between."""
    key = _key(blocks[first])
    if key is None:
        return None
    for index in range(first + 1, min(len(blocks), first + _CONTENTS_REACH)):
        block = blocks[index]
        if _key(block) == key and not is_contents_line(block.text if isinstance(block, Paragraph) else ""):
            return index
        if not _contents_like(block):
            return None
    return None


def contents_range(blocks: list[Block]) -> range:
    """The blocks of the table of contents (an empty range when there is
    none): from the 目录 paragraph, or the first dot-leader line, or the
    first heading of a run of bare headings, up to the body heading that
    repeats its first entry (else to the end of the run)."""
    marker = next((i for i, b in enumerate(blocks[:_CONTENTS_REACH]) if is_contents_marker(b)), None)
    if marker is not None:
        first = next((i for i in range(marker + 1, min(len(blocks), marker + 8)) if _key(blocks[i])), None)
        end = _repeat(blocks, first) if first is not None else None
        return range(marker, end if end is not None else _run_end(blocks, marker + 1))
    leader = next(
        (i for i, b in enumerate(blocks[:_CONTENTS_REACH]) if isinstance(b, Paragraph) and _LEADER.search(b.text)),
        None,
    )
    if leader is not None:
        end = _repeat(blocks, leader)
        return range(leader, end if end is not None else _run_end(blocks, leader))
    first = next((i for i, b in enumerate(blocks[:_CONTENTS_REACH]) if heading_of(b)), None)
    end = _repeat(blocks, first) if first is not None else None
    if first is None or end is None or end - first < 3:
        return range(0)
    bare = all(_key(b) for b in blocks[first:end] if isinstance(b, Paragraph))
    return range(first, end) if bare else range(0)


def _numbered(blocks: list[Block], skip: range) -> list[tuple[int, str, str, str | None]]:
    """Every numbered paragraph outside ``skip``: ``(index, style, number,
    title)``, the title None when the text reads as a sentence."""
    found: list[tuple[int, str, str, str | None]] = []
    for index, block in enumerate(blocks):
        if index in skip or not isinstance(block, Paragraph) or is_contents_line(block.text):
            continue
        parsed = _parse(block.text)
        if parsed is not None:
            style, number, rest = parsed
            title = _title(style, rest)
            found.append((index, style, number, title.rstrip("：:") if title is not None else None))
    return found


def _list_items(numbered: list[tuple[int, str, str, str | None]]) -> set[int]:
    """Indexes of numbered lines that are items of an enumeration, not
    headings: the number just before or after them in the same list (same
    style, no higher heading between) reads as a sentence
    (``十二、承办市委交办的其他事项`` among the duties)."""
    items: set[int] = set()
    for position, (index, style, number, title) in enumerate(numbered):
        value = _value(number)
        if title is None or value is None or style in ("part", "table"):
            continue
        before = _neighbour(reversed(numbered[:position]), style, value - 1)
        after = _neighbour(iter(numbered[position + 1 :]), style, value + 1)
        near = [other for other in (before, after) if other is not None and abs(other[0] - index) <= 40]
        if any(other[3] is None for other in near) and not any(other[3] for other in near):
            items.add(index)
    return items


def _neighbour(
    entries: Iterator[tuple[int, str, str, str | None]], style: str, value: int
) -> tuple[int, str, str, str | None] | None:
    """The nearest entry in ``style`` when it is numbered ``value`` and no
    heading of a higher style ends the list first."""
    for entry in entries:
        if entry[1] == style:
            return entry if _value(entry[2]) == value else None
        if entry[3] is not None and entry[1] != "table" and _RANK[entry[1]] < _RANK[style]:
            return None
    return None


def _headings(blocks: list[Block], skip: range) -> list[Heading]:
    """Every heading outside ``skip``, with its title joined from the next
    line when printed apart; a table title repeated page after page once."""
    numbered = _numbered(blocks, skip)
    items = _list_items(numbered)
    found: list[Heading] = []
    taken = -1
    for index, style, number, title in numbered:
        if title is None or index in items or index <= taken:
            continue
        block = blocks[index]
        raw = block.text.strip() if isinstance(block, Paragraph) else ""
        cut = raw.find(title) + len(title) if title else len(raw)
        end, location, text, whole = index, block.location, raw[:cut], not raw[cut:].strip(" 。：:")
        if not title and style in ("part", "table"):
            title, end = _title_after(blocks, index)
            location = location.through(blocks[end].location)
            text = f"{text} {title}".strip()
        if not (style == "table" and found and found[-1].style == "table" and found[-1].number == number):
            found.append(Heading(index, end, style, number, _value(number), title, text, whole, location))
        taken = end
    return found


def _levels(headings: list[Heading], blocks: list[Block]) -> list[Heading]:
    """Levels by numbering style (see the module docstring)."""
    stack: list[tuple[str, int | None]] = []
    leveled: list[Heading] = []
    previous_end = -2
    for heading in headings:
        if heading.style == "table":
            leveled.append(replace(heading, level=len(stack) + 1))
            continue
        straight_after = _only_blank_between(blocks, previous_end, heading.index)
        depth = _depth(stack, heading, straight_after)
        del stack[depth:]
        stack.append((heading.style, heading.value))
        leveled.append(replace(heading, level=depth + 1))
        previous_end = heading.end
    return leveled


def _depth(stack: list[tuple[str, int | None]], heading: Heading, straight_after: bool) -> int:
    """Where a heading goes in the stack of open levels: continuing a list
    of its style, nested under the heading just before, or under the
    nearest heading of a higher style."""
    same = [i for i, (style, _) in enumerate(stack) if style == heading.style]
    value = heading.value or 0
    if stack and value == 1:
        above = stack[-1][0]
        if _RANK[above] < _RANK[heading.style] or (above == heading.style and straight_after):
            return len(stack)  # the first item of a list under the heading above
    if not same:
        if straight_after and stack:
            return len(stack)  # 「一、文字部分」 straight before 「第一部分」 holds the parts
        higher = [i for i, (style, _) in enumerate(stack) if _RANK[style] < _RANK[heading.style]]
        return higher[-1] + 1 if higher else 0
    continuing = [i for i in same if (stack[i][1] or 0) + 1 == value]
    if continuing:
        return continuing[-1]
    below = [i for i in same if (stack[i][1] or 0) < value]
    return below[-1] if below else same[-1]


def _only_blank_between(blocks: list[Block], start: int, stop: int) -> bool:
    return start >= 0 and all(isinstance(b, Paragraph) and not b.text.strip() for b in blocks[start + 1 : stop])


def outline(blocks: list[Block], contents: range | None = None) -> list[Heading]:
    """The document's headings in reading order with their levels, the
    table of contents (``contents``, found when not given) skipped."""
    skip = contents_range(blocks) if contents is None else contents
    return _levels(_headings(blocks, skip), blocks)
