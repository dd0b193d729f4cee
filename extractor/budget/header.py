"""A budget table's header, read into columns and blocks.

The header is the run of rows at the top that hold no figures (a row of
column numbers, 栏次 1 2 3, is part of it).  Each grid column gets the path
of header cells above it, group before leaf (``基本支出`` > ``人员经费``);
columns under the same cells are one column.  A column's role comes from
its leaf (a code, a name, a row number) and, for the rest, from its body:
figures make an amount column, words a text column.  A table printing the
row label twice or more (收入 | 支出 side by side, 人员经费 | 公用经费) is cut
into blocks, one side each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import regex

from ..blocks import Cell, Table
from ..numbers import parse_number
from ..textutil import compact
from .labels import (
    CODE_PART,
    COUNT_HEADER,
    NAME_HEADER,
    ROWNO_HEADER,
    SIDES,
    UNIT,
    code_header,
    measure_of,
)

__all__ = ["Block", "Column", "Layout", "body_rows", "read_layout", "signature"]

Role = Literal["code", "code_part", "name", "rowno", "amount", "text"]

#: The most header rows a budget table prints.
MAX_HEADER_ROWS = 6
_COLUMN_NUMBERS = regex.compile(r"^(?:栏次|行次)$")
#: The mark a column-number row prints over a label column: **, 甲, 乙, 栏次.
_COLUMN_MARK = regex.compile(r"^(?:\*+|[甲乙丙丁]|栏次|行次)$")
_YEAR = regex.compile(r"(20[0-9]{2})年")
_ECONOMIC = regex.compile(r"经济")
_OTHER_CODE = regex.compile(r"(?:编码|代码|编号)$")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the table: grid columns ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    path: tuple[str, ...]
    role: Role
    name: str
    measure: str | None = None
    part: str | None = None
    economic: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """Columns that print one side: its label columns, then its amounts."""

    side: str | None
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """The header rows and the blocks of a table."""

    header_rows: int
    blocks: tuple[Block, ...]
    unit: str | None

    @property
    def columns(self) -> list[Column]:
        return [column for block in self.blocks for column in block.columns]

    def amount_columns(self) -> list[Column]:
        return [column for column in self.columns if column.role == "amount"]


def _is_number(text: str) -> bool:
    return parse_number(text).value is not None


def _column_numbers(row: list[Cell]) -> bool:
    """A row of column numbers: 栏次 | 1 | 2 | …, or only small integers."""
    texts = [compact(cell.text) for cell in row if cell.text.strip()]
    if not texts:
        return False
    if _COLUMN_NUMBERS.match(texts[0]):
        return True
    numbers = [text for text in texts if not _COLUMN_MARK.match(text)]
    if len(numbers) < len(texts):  # ** ** ** ** 1 2 3 (Changsha), 甲 乙 1 2 3: the label columns marked
        small = all(text.isdigit() and len(text) <= 2 for text in numbers)
        return len(texts) >= 3 and small and numbers[:1] in ([], ["1"], ["01"])
    return len(texts) >= 3 and all(text.isdigit() and len(text) <= 2 for text in texts) and texts[0] in ("1", "01")


def _is_header_row(row: list[Cell], first: bool) -> bool:
    texts = [cell.text for cell in row if cell.text.strip() and not cell.covered]
    if not texts:
        return False
    if _column_numbers(row):
        return True
    if any(_is_number(text) for text in texts):
        return False
    return first or len(texts) >= 2


def signature(row: list[Cell]) -> tuple[str, ...]:
    """A row's texts, compacted: a header printed again overleaf has its header's."""
    return tuple(compact(cell.text) for cell in row if cell.text.strip())


def body_rows(table: Table, header_rows: int) -> list[list[Cell]]:
    """The rows under the header, less the header rows printed again (a table
    continued overleaf repeats them) and rows of column numbers."""
    repeated = {signature(row) for row in table.rows[:header_rows]}
    return [
        row
        for row in table.rows[header_rows:]
        if signature(row) not in repeated and not _column_numbers(row) and not all(c.covered for c in row if c.text)
    ]


def _header_count(table: Table) -> int:
    count = 0
    for row in table.rows[:MAX_HEADER_ROWS]:
        if not _is_header_row(row, count == 0):
            break
        count += 1
    return count


def _width(table: Table) -> int:
    return max((cell.col + cell.col_span for row in table.rows for cell in row), default=0)


def _paths(table: Table, header_rows: int, width: int) -> tuple[list[tuple[Cell, ...]], str | None]:
    """For every grid column, the header cells above it, top to bottom (the
    column-number row and unit cells left out), and the unit a header cell names."""
    above: list[list[Cell]] = [[] for _ in range(width)]
    unit: str | None = None
    for row in table.rows[:header_rows]:
        if _column_numbers(row):
            continue
        for cell in row:
            text = compact(cell.text)
            if not text or cell.covered:
                continue
            # a row ending short of the table: its last cell spans the rest (flattened text prints no spans)
            span = width - cell.col if cell is row[-1] else cell.col_span
            found = UNIT.search(text)
            if found is not None:
                unit = unit or found.group("unit")
                if found.end() - found.start() >= len(text) - 2:
                    continue
            for col in range(cell.col, min(cell.col + span, width)):
                above[col].append(cell)
    return [tuple(cells) for cells in above], unit


def _grid_groups(paths: list[tuple[Cell, ...]]) -> list[tuple[int, int, tuple[Cell, ...]]]:
    """Runs of grid columns under the same header cells."""
    groups: list[tuple[int, int, tuple[Cell, ...]]] = []
    for col, cells in enumerate(paths):
        if groups and cells and [id(c) for c in groups[-1][2]] == [id(c) for c in cells]:
            start, _, same = groups[-1]
            groups[-1] = (start, col + 1, same)
        else:
            groups.append((col, col + 1, cells))
    return groups


def _body_texts(table: Table, header_rows: int, start: int, end: int) -> list[str]:
    return [
        cell.text.strip()
        for row in body_rows(table, header_rows)
        for cell in row
        if start <= cell.col < end and cell.text.strip()
    ]


def _role(path: tuple[str, ...], body: list[str]) -> tuple[Role, str | None]:
    leaf = path[-1] if path else ""
    part = CODE_PART.match(leaf)
    if part is not None and (len(path) > 1 or not body or all(text.isdigit() for text in body)):
        return "code_part", part.group("part")
    if ROWNO_HEADER.match(leaf):
        return "rowno", None
    if code_header(leaf):
        return "code", None
    if _OTHER_CODE.search(leaf):
        return "text", None  # 单位编码, 部门代码: not a subject code
    if NAME_HEADER.match(leaf):
        return "name", None
    if any(COUNT_HEADER.search(text) for text in path):
        return "text", None
    words = sum(1 for text in body if not _is_number(text))
    if body and words * 2 > len(body):
        return "text", None  # a figure the reader merged or a typo stays an amount: null and an issue
    return "amount", None


def _columns(table: Table, header_rows: int) -> tuple[list[Column], str | None]:
    width = _width(table)
    paths, unit = _paths(table, header_rows, width)
    columns: list[Column] = []
    for start, end, cells in _grid_groups(paths):
        path = tuple(dict.fromkeys(compact(cell.text) for cell in cells))
        body = _body_texts(table, header_rows, start, end)
        role, part = _role(path, body)
        economic = any(_ECONOMIC.search(text) for text in path)
        columns.append(Column(start, end, path, role, ".".join(path), measure_of(path), part, economic))
    return columns, unit


def _label_column(column: Column) -> bool:
    return column.role in ("code", "code_part", "name")


def _named(columns: list[Column]) -> list[Column]:
    """A table with no label column names its rows in its first text column
    (指导性目录, 支出项目类别): that column is the name."""
    if any(_label_column(column) for column in columns):
        return columns
    first = next((index for index, column in enumerate(columns) if column.role == "text"), None)
    if first is None or any(column.role == "amount" for column in columns[:first]):
        return columns
    return [replace(column, role="name") if index == first else column for index, column in enumerate(columns)]


def _split_blocks(columns: list[Column]) -> list[list[Column]]:
    """Blocks start at label columns that follow a figure or text column."""
    blocks: list[list[Column]] = []
    for column in columns:
        starts = _label_column(column) and (not blocks or not _label_column(blocks[-1][-1]))
        if starts and blocks and not any(_label_column(c) for c in blocks[-1]):
            starts = False  # amounts before any label (a 三公 table) stay in one block
        if starts or not blocks:
            blocks.append([column])
        else:
            blocks[-1].append(column)
    return blocks


def _group(block: list[Column]) -> str | None:
    """The group header all of a block's figures stand under."""
    firsts = {column.path[0] for column in block if column.role == "amount" and len(column.path) > 1}
    return firsts.pop() if len(firsts) == 1 else None


def _sides(blocks: list[list[Column]], two_sided: bool) -> list[str | None]:
    if len(blocks) < 2:
        return [None] * len(blocks)
    sides: list[str | None] = []
    for index, block in enumerate(blocks):
        group = _group(block)
        side = next((name for name, pattern in SIDES if group and pattern.match(group)), None)
        if side is None and two_sided and len(blocks) == 2:
            side = ("income", "expenditure")[index]
        sides.append(side or (f"expenditure.{group}" if group else f"block{index + 1}"))
    return sides


def _unique_names(columns: list[Column]) -> list[Column]:
    seen: dict[str, int] = {}
    out: list[Column] = []
    for column in columns:
        name = column.name or f"第{column.start + 1}列"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}({seen[name]})"
        out.append(replace(column, name=name))
    return out


def _years(columns: Sequence[Column]) -> list[Column]:
    """Columns under a year (2025年预算数 | 2026年预算数) measure previous and current."""
    years = {column.start: int(m.group(1)) for column in columns for m in [_YEAR.search(column.name)] if m}
    if len(set(years.values())) < 2:
        return list(columns)
    last = max(years.values())
    out: list[Column] = []
    for column in columns:
        year = years.get(column.start)
        if column.role == "amount" and year is not None and column.measure in (None, "budget", "actual"):
            column = replace(column, measure="current" if year == last else "previous")
        out.append(column)
    return out


def read_layout(table: Table, two_sided: bool) -> Layout:
    """The header rows and blocks of ``table``; ``two_sided`` when its title
    names a 收支 table, whose two blocks are income and expenditure."""
    header_rows = _header_count(table)
    columns, unit = _columns(table, header_rows)
    columns = _years(_unique_names(columns))
    blocks = _split_blocks(_named(columns))
    sides = _sides(blocks, two_sided)
    blocks = _continued(blocks, sides)
    return Layout(header_rows, tuple(Block(side, tuple(b)) for side, b in zip(sides, blocks, strict=True)), unit)


def _continued(blocks: list[list[Column]], sides: list[str | None]) -> list[list[Column]]:
    """A block printed on beside the one before it, under the same group header
    (公用经费 in two blocks of 科目编码 | 科目名称 | 决算数, the national 决算's
    公开06表), names its figures as that block does: one column, one side."""
    out: list[list[Column]] = []
    for index, block in enumerate(blocks):
        before = out[-1] if out else None
        if before is not None and sides[index] is not None and sides[index] == sides[index - 1]:
            mine = [c for c in block if c.role == "amount"]
            theirs = [c for c in before if c.role == "amount"]
            if mine and [c.path for c in mine] == [c.path for c in theirs]:
                names = iter(c.name for c in theirs)
                block = [replace(c, name=next(names)) if c.role == "amount" else c for c in block]
        out.append(block)
    return out
