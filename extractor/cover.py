"""The cover: title, department, year and kind of a disclosure.

Read from the document's first lines — the short title-like paragraphs of
the first page before the table of contents or the first heading — never
from the contents page or a running header.  ``2026年度`` / ``福州市医疗保障局``
/ ``部门预算`` printed on three lines make one title; a date line
(``二〇二六年三月``) and page numbers are not part of it.  A table with no
text (an empty layout cell above the title) is passed over.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .blocks import Block, Paragraph, Table
from .findings import TITLE_MISSING, YEAR_MISSING, IssueLog
from .outline import heading_of, is_contents_marker
from .textutil import compact

__all__ = ["Cover", "read_cover", "report_cover"]

_YEAR = regex.compile(r"(?P<year>(?:19|20)[0-9]{2})\s*年(?:度)?")
_KIND = regex.compile(r"(?P<kind>(?:部门|单位)(?:预算|决算))")
_BUDGET = regex.compile(r"预算|决算")
_DATE = regex.compile(
    r"^[〇○零一二三四五六七八九十0-9]{4}年[0-9一二三四五六七八九十]{1,2}月(?:[0-9一二三四五六七八九十]{1,3}日)?$"
)
# A summary or own-level tag after the department's name: 西安市信访局（汇总）.
_TAG = regex.compile(r"(?<!\s)\s*[（(](?:汇总|本级|部门汇总|合并)[）)]\s*$")  # from a space run's start
_MAX_LINE = 60
# In a table, only the department's own label: 单位名称 heads a column of units (| 单位性质 | …)
_NAME_LABEL = regex.compile(r"^(?:部门[（(]单位[)）]名称|部门名称|预算单位|编报单位)[:：]?$")
_NAME = regex.compile(r"^[^\s:：0-9]{2,40}(?<!名称|性质|类型|级别|编码|代码)$")
_NAME_LINE = regex.compile(
    r"(?:^|\s)(?:部门[（(]单位[)）]名称|部门名称|单位名称|预算单位|编报单位|填报单位)\s{0,3}[:：]\s{0,3}(?P<name>[^\s:：0-9]{2,40})"
)


@dataclass(frozen=True, slots=True)
class Cover:
    title: str | None
    department: str | None
    year: int | None
    kind: str | None  # 部门预算 / 单位预算 / 部门决算 / 单位决算, as printed


def _lines(blocks: list[Block]) -> list[str]:
    """The title lines: short paragraphs at the start of the first page, up
    to the contents, a heading, a table, a long paragraph, or the line that
    completes a title naming its year and its budget."""
    lines: list[str] = []
    shown = [block for block in blocks if not _blank(block)]
    first_page = shown[0].location.page if shown else None
    for block in shown:
        if not isinstance(block, Paragraph) or block.location.page != first_page or heading_of(block):
            break
        text = compact(block.text)
        if is_contents_marker(block):
            lines.append(text.removesuffix("目录"))
            break
        if len(text) > _MAX_LINE:
            break
        if text and not text.isdigit() and not _DATE.match(text):
            lines.append(text)
        joined = "".join(lines)
        if _YEAR.search(joined) and _BUDGET.search(text):
            break
    return [line for line in lines if line]


def _blank(block: Block) -> bool:
    return isinstance(block, Table) and not any(cell.text.strip() for row in block.rows for cell in row)


def _department(title: str) -> str | None:
    """The name before the year (长沙市信访局2026年…), or after it up to the
    kind of document (2026年深圳市信访局部门预算)."""
    year = _YEAR.search(title)
    before, after = (title[: year.start()], title[year.end() :]) if year else ("", title)
    name = before or regex.split(r"(?:部门|单位)?(?:预算|决算)", after, maxsplit=1)[0]
    if name == after and year is None:
        return None
    return _TAG.sub("", name).strip() or None


def _labelled(blocks: Sequence[Block]) -> str | None:
    """The name a labelled line gives (``预算单位：上海市花卉良种试验场``,
    ``部门名称：广州市生态环境局 单位：万元``), or a table's 部门名称 cell and
    the cell after it, the first among ``blocks``."""
    for block in blocks:
        if isinstance(block, Paragraph):
            match = _NAME_LINE.search(block.text)
            if match is not None:
                return match.group("name")
            continue
        for row in block.rows:
            live = [cell for cell in row if cell.text and not cell.covered]
            for label, value in itertools.pairwise(live):
                if _NAME_LABEL.match(compact(label.text)) and _NAME.match(compact(value.text)):
                    return compact(value.text)
    return None


def read_cover(blocks: list[Block]) -> Cover:
    """Title, department, year and kind from the cover lines (title, year
    and kind None when the document has no cover, e.g. an attachment of
    tables).  The department is the name a labelled line of the cover
    gives (预算单位：…, under a title naming only the city: 上海市2026年市级单位预算),
    else the title's, else — no cover — the first 部门名称 / 单位名称 line or
    cell of the document's tables."""
    lines = _lines(blocks)
    title = "".join(lines) or None
    shown = [block for block in blocks if not _blank(block)]
    first_page = [b for b in shown if shown and b.location.page == shown[0].location.page and isinstance(b, Paragraph)]
    if title is None:
        return Cover(None, _labelled(shown), None, None)
    year = _YEAR.search(title)
    kind = _KIND.search(title)
    department = _labelled(first_page) or (_department(title) if len(lines) > 1 or year or kind else None)
    return Cover(title, department, int(year.group("year")) if year else None, kind.group("kind") if kind else None)


def report_cover(cover: Cover, log: IssueLog) -> None:
    """Say why the cover's fields are empty: no title found, or a title without a year."""
    if cover.title is None:
        log.add(TITLE_MISSING)
    elif cover.year is None:
        log.add(YEAR_MISSING, title=cover.title)
