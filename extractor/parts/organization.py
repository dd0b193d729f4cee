"""Part 1, 部门职责及机构设置情况: duties and the table of units."""

from __future__ import annotations

import regex

from ..blocks import Block, Paragraph
from ..findings import TABLE_MISSING, model_location
from ..models import Organization, OrgUnit
from ..textutil import CJK_HEADING
from ._report import Report
from ._tables import find_header, row_location, tables_of, text_of

__all__ = ["parse_organization"]

_COLUMNS = {
    "seq": regex.compile(r"^序号$"),
    "name": regex.compile(r"单位名称|机构名称"),
    "nature": regex.compile(r"单位性质|机构性质"),
    "level": regex.compile(r"单位规格|机构规格|级别"),
    "funding": regex.compile(r"经费(?:保障)?形式|经费来源"),
}


_ITEM = regex.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．](?!\d))"
)


def _duties(blocks: list[Block]) -> list[str]:
    """The duties under the duties heading (``一、部门职责``): its enumerated
    items (（一）… or 1.…) when it has any — an introduction before them
    (``根据…说明如下：``) is not a duty and stays in the part's text — else
    every paragraph."""
    paragraphs_: list[str] = []
    inside = False
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        heading = CJK_HEADING.match(block.text)
        if heading is not None and len(block.text) <= 20:
            inside = "职责" in heading.group("title") or "职能" in heading.group("title")
        elif inside and block.text:
            paragraphs_.append(block.text)
    first_item = next((i for i, text in enumerate(paragraphs_) if _ITEM.match(text)), None)
    return paragraphs_ if first_item is None else paragraphs_[first_item:]


def parse_organization(blocks: list[Block], report: Report) -> Organization:
    units: list[OrgUnit] = []
    for table in tables_of(blocks):
        columns = find_header(table, _COLUMNS, ("name",))
        if columns is None:
            continue
        for row in table.rows[columns.header_row + 1 :]:
            cells = columns.read(row)
            name = cells.get("name")
            if name is None or not name.text:
                continue
            seq = report.number(text_of(cells, "seq"), f"{name.text} 序号", row[0].location)
            units.append(
                OrgUnit(
                    seq=int(seq) if seq is not None else None,
                    name=name.text,
                    nature=text_of(cells, "nature"),
                    level=text_of(cells, "level"),
                    funding=text_of(cells, "funding"),
                    location=model_location(row_location(row)),
                )
            )
        break
    else:
        report.add(TABLE_MISSING, None, what="机构设置 (units)")
    return Organization(duties=_duties(blocks), units=units)
