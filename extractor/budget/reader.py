"""The standard budget tables of a document, found by their content.

A table is a budget table when its title names one (`labels.kind_of_title`),
or when it prints figures under a 单位：万元 line or under the header words
only budget tables print; performance tables are read elsewhere and never
here.  Its title, number, unit and note come from the paragraphs around it.
Every row is kept: a printed line of a two-sided table gives a row per side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

import regex

from ..blocks import Block, Cell, Paragraph, Table
from ..findings import BUDGET_TABLE_UNREAD, BUDGET_UNIT_ASSUMED, NUMBER_REPAIRED, model_location
from ..models import BudgetColumn, BudgetRow, BudgetTable, BudgetTableKind
from ..numbers import parse_number
from ..parts._report import Report
from ..parts._tables import row_location
from ..textutil import compact
from .codes import CodeParts, level_of, parent_of, split_code_name
from .header import Block as ColumnBlock
from .header import Column, Layout, body_rows, read_layout, signature
from .labels import (
    EMPTY_NOTE,
    LABEL,
    NOTE,
    PERFORMANCE_WORDS,
    TOTAL_ROW,
    UNIT,
    budget_header_words,
    kind_of_title,
)

__all__ = ["read_budget_tables"]

#: Paragraphs before a table searched for its title, number and unit.
CONTEXT_BEFORE = 4
#: A paragraph longer than this is prose, not a title.
MAX_TITLE_LENGTH = 60
#: The unit assumed when a table prints none (and the document none either).
DEFAULT_UNIT = "万元"
#: A table of this many rows or fewer and no figures, at a page's foot, is the head of the next.
_HEAD_ONLY = 2
_THREE_PUBLIC_WORDS = ("因公出国", "公务接待", "公务用车")
#: An amount cell holding the end of the row's name before its figure (the PDF reader wrapped the name into it).
_GLUED = regex.compile(r"^(?P<words>\p{Han}[\p{Han}（）()、]*)(?P<number>-?[0-9][0-9,]*(?:\.[0-9]+)?)$")


@dataclass(slots=True)
class _Context:
    label: str | None = None
    title: str | None = None
    unit: str | None = None
    note: str | None = None


def _before(blocks: Sequence[Block], index: int) -> list[Paragraph]:
    """The short paragraphs just before ``blocks[index]``, nearest first."""
    found: list[Paragraph] = []
    for block in reversed(blocks[max(0, index - CONTEXT_BEFORE) : index]):
        if isinstance(block, Table) or len(compact(block.text)) > MAX_TITLE_LENGTH:
            break
        found.append(block)
    return found


def _after(blocks: Sequence[Block], index: int) -> list[Paragraph]:
    found: list[Paragraph] = []
    for block in blocks[index + 1 : index + 3]:
        if isinstance(block, Table):
            break
        found.append(block)
    return found


def _split_label(text: str) -> tuple[str | None, str]:
    match = LABEL.match(text)
    if match is None:
        return None, text
    return match.group().strip(), text[match.end() :].strip()


def _context(blocks: Sequence[Block], index: int) -> _Context:
    context = _Context()
    for paragraph in _before(blocks, index):
        text = paragraph.text.strip()
        unit = UNIT.search(compact(text))
        if unit is not None:
            context.unit = context.unit or unit.group("unit")
        label, rest = _split_label(compact(text))
        if label is not None and context.label is None and (not rest or kind_of_title(rest) is not None):
            context.label = label  # a number on its own line, or before its title; not a list item of the prose
        if context.title is None and rest and unit is None and kind_of_title(rest) is not None:
            context.title = rest
        elif context.label is None and unit is not None and (found := LABEL.search(compact(text))):
            context.label = found.group()
        if context.title is None and unit is not None:
            _title_before_unit(compact(text), unit, context)
    _read_after(blocks, index, context)
    return context


#: A table number inside a line (a part heading and the title joined by the PDF reader).
_INNER_LABEL = regex.compile(r"(?:公开|预算|部门)?表\s*[0-9]{1,2}(?=\p{Han})")


def _title_before_unit(text: str, unit: regex.Match[str], context: _Context) -> None:
    """A title and its unit on one line (``表2 支出总表单位：万元``, a PDF's short
    lines joined), perhaps after a heading (``第六部分：部门预算公开表表1 收支总表…``)."""
    before = text[: unit.start()].removesuffix("金额")
    label, rest = _split_label(before)
    if label is None:
        inner = list(_INNER_LABEL.finditer(before))
        if inner:
            label, rest = inner[-1].group(), before[inner[-1].end() :]
    if rest and kind_of_title(rest) is not None and len(rest) <= MAX_TITLE_LENGTH:
        context.title = rest
        context.label = context.label or label


def _read_after(blocks: Sequence[Block], index: int, context: _Context) -> None:
    """The note (注：…, 此表为空) and the unit printed under the table."""
    for paragraph in _after(blocks, index):
        unit = UNIT.search(compact(paragraph.text))
        if unit is not None and len(compact(paragraph.text)) <= MAX_TITLE_LENGTH:
            context.unit = context.unit or unit.group("unit")
        text = paragraph.text.strip()
        if context.note is None and (NOTE.match(text) or EMPTY_NOTE.search(text)):
            context.note = text
        elif context.note is not None and NOTE.match(text) and text not in context.note:
            context.note = f"{context.note}\n{text}"  # 注：本表反映… then 说明：…故本表无数据


def _header_texts(table: Table, rows: int) -> list[str]:
    return [compact(cell.text) for row in table.rows[:rows] for cell in row if cell.text.strip()]


def _kind(title: str | None, layout: Layout, header: list[str]) -> BudgetTableKind:
    kind = kind_of_title(title) if title else None
    if kind is not None:
        return kind
    if any(word in text for text in header for word in _THREE_PUBLIC_WORDS):
        return "three_public"
    sides = {block.side for block in layout.blocks}
    if {"income", "expenditure"} <= sides:
        return "income_expenditure_summary"
    return "other"


def _is_budget_table(table: Table, context: _Context, layout: Layout) -> bool:
    header = _header_texts(table, max(layout.header_rows, 1))
    if any(PERFORMANCE_WORDS.search(text) for text in _header_texts(table, 8)):
        return False
    if not layout.amount_columns():
        return False
    if context.title is not None:
        return True
    labelled = any(column.role in ("code", "code_part", "name") for column in layout.columns)
    return (context.unit is not None and labelled) or (labelled and budget_header_words(header))


@dataclass(slots=True)
class _Label:
    """What a row's label cells say."""

    economic: bool
    code: str | None = None
    printed: str | None = None
    econ_code: str | None = None
    names: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return " ".join(dict.fromkeys(self.names))

    def other_code(self, column: Column, text: str) -> None:
        """A second classification's code (Beijing's 政府 and 部门 经济分类 beside the 功能 code)."""
        code = text if text.isdigit() else split_code_name(text)[0]
        if "政府" in column.name and code is not None and self.econ_code is None:
            self.econ_code = code
        else:
            self.attributes[column.name] = text


@dataclass(slots=True)
class _RowReader:
    """Reads the body rows of one block, keeping its running codes."""

    block: ColumnBlock
    report: Report
    where: str
    economic: bool
    codes: CodeParts = field(default_factory=CodeParts)
    econ_codes: CodeParts = field(default_factory=CodeParts)
    second: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.second = _second_classification(self.block)

    def read(self, row: list[Cell]) -> BudgetRow | None:
        cells = self._cells(row)
        label = self._label(cells)
        amounts: dict[str, Decimal | None] = {}
        attributes = label.attributes
        by_column = {column.name: cell for column, cell in cells}
        for column in self.block.columns:
            cell = by_column.get(column.name)
            if column.role == "amount":
                cell = self._unglued(cell, label)
                amounts[column.name] = self._amount(cell, label.name or label.code or "", column)
            elif column.role == "text" and cell is not None and cell.text.strip():
                attributes[column.name] = cell.text.strip()
        if not (label.name or label.printed or attributes) and all(value is None for value in amounts.values()):
            return None
        code = label.code
        total = code is None and bool(TOTAL_ROW.match(compact(label.name)))
        return BudgetRow(
            side=self.block.side,
            code=code,
            code_printed=label.printed,
            level="total" if total else (level_of(code, label.economic) if code else None),
            parent_code=parent_of(code) if code else None,
            econ_code=label.econ_code,
            name=label.name,
            amounts=amounts,
            attributes=attributes,
            location=model_location(row_location([cell for _, cell in cells] or row)),
        )

    def _cells(self, row: list[Cell]) -> list[tuple[Column, Cell]]:
        out: list[tuple[Column, Cell]] = []
        for cell in row:
            column = next((c for c in self.block.columns if c.start <= cell.col < c.end), None)
            if column is not None and not cell.covered:
                out.append((column, cell))
        return out

    def _label(self, cells: list[tuple[Column, Cell]]) -> _Label:
        """The code, name and other label cells of a row."""
        label = _Label(economic=self.economic)
        parts: list[tuple[str, str]] = []
        printed: list[str] = []
        first_code = next((c.name for c in self.block.columns if c.role == "code"), None)
        econ_parts: list[tuple[str, str]] = []
        for column, cell in cells:
            text = _joined(cell.text)
            if column.name in self.second:  # the 政府 economic code and name beside the 部门 ones
                if column.role == "code_part" and text.isdigit():
                    econ_parts.append((column.part or "款", text))
                elif text:
                    label.attributes[column.name] = text
                continue
            if column.role == "code_part":
                printed.append(text)
                if text.isdigit():
                    parts.append((column.part or "项", text))
                    continue
            if not text or column.role not in ("code", "code_part", "name"):
                continue
            if column.role == "code" and column.name != first_code:
                label.other_code(column, text)
                continue
            code, rest = (text, "") if text.isdigit() else split_code_name(text)
            takes_code = column.role == "code" or (first_code is None and not parts)
            if code is not None and label.code is None and takes_code:
                label.code, label.printed = code, code
                label.economic = label.economic or column.economic
                text = rest
            if text:
                label.names.append(text)
        if econ_parts:
            label.econ_code = self.econ_codes.rebuild(econ_parts)
        if parts:
            label.printed = "|".join(printed)
            label.code = self.codes.rebuild(parts)
            label.economic = label.economic or any(c.economic for c, _ in cells if c.role == "code_part")
            if label.code is None:
                self.report.add(
                    BUDGET_TABLE_UNREAD,
                    cells[0][1].location,
                    where=self.where,
                    what=f"code {label.printed!r} has no parent",
                )
        return label

    def _unglued(self, cell: Cell | None, label: _Label) -> Cell | None:
        """A name wrapped into the amount cell beside it (``缴费支出43608.96``,
        ``出 1090.22`` under 机关事业单位职业年金 / 其他社会保障和就业支): the
        words go back to the name, the figure stays, and the repair is reported."""
        if cell is None or not label.names:
            return cell
        glued = _GLUED.match(compact(cell.text))
        if glued is None or parse_number(glued.group("number")).value is None:
            return cell
        words, number = glued.group("words"), glued.group("number")
        label.names[-1] += words
        self.report.add(
            NUMBER_REPAIRED,
            cell.location,
            field=f"{self.where} {label.name}",
            original=cell.text.strip(),
            value=parse_number(number).value,
        )
        return replace(cell, text=number)

    def _amount(self, cell: Cell | None, label: str, column: Column) -> Decimal | None:
        if cell is None:
            return None
        return self.report.cell_number(cell, f"{self.where} {label} {column.name}".strip())


def _second_classification(block: ColumnBlock) -> frozenset[str]:
    """The label columns of a second classification printed after the first
    in one block (Yantai's 公开表6 / 10: 部门 economic 类 | 款 | name, then the
    政府 economic 类 | 款 | name): the row's code is the first's, the second
    gives its econ_code (unless its name header says 部门: then it is the first)."""
    groups: list[list[Column]] = [[]]
    for column in block.columns:
        if column.role not in ("code", "code_part", "name"):
            continue
        if column.role in ("code", "code_part") and any(c.role == "name" for c in groups[-1]):
            groups.append([])
        groups[-1].append(column)
    if len(groups) != 2 or not all(any(c.role == "code_part" for c in group) for group in groups):
        return frozenset()
    first, second = groups
    if any("部门" in c.name for c in second if c.role == "name") and any("政府" in c.name for c in first):
        first, second = second, first
    return frozenset(c.name for c in second)


def _joined(text: str) -> str:
    """A cell's lines rejoined: a label wrapped inside its cell (2.政府性基金预 / 算)."""
    return "".join(" ".join(line.split()) for line in text.splitlines())  # spaces as one: 合  计 is 合 计


def _rows(table: Table, layout: Layout, report: Report, where: str, economic: bool) -> list[BudgetRow]:
    body = body_rows(table, layout.header_rows)
    by_block: list[list[BudgetRow | None]] = []
    for block in layout.blocks:
        reader = _RowReader(block, report, where, economic)
        by_block.append([reader.read(row) for row in body])
    for index in range(1, len(by_block)):
        if layout.blocks[index].side is not None and layout.blocks[index].side == layout.blocks[index - 1].side:
            _carry_over(by_block[index - 1], by_block[index])
    return [row for rows in by_block for row in rows if row is not None]


def _carry_over(left: list[BudgetRow | None], right: list[BudgetRow | None]) -> None:
    """A label printed in one block with its figure in the next block of the
    same side (公用经费合计 across both 公用经费 blocks): one row."""
    for index, (named, figures) in enumerate(zip(left, right, strict=True)):
        if named is None or figures is None or figures.name or figures.code or figures.attributes:
            continue
        if all(value is None for value in named.amounts.values()):
            named.amounts = {**named.amounts, **{k: v for k, v in figures.amounts.items() if v is not None}}
            right[index] = None


def _empty(rows: list[BudgetRow]) -> bool:
    return all(value is None for row in rows for value in row.amounts.values())


def _table(table: Table, context: _Context, layout: Layout, seq: int, unit: str, report: Report) -> BudgetTable:
    header = _header_texts(table, layout.header_rows)
    kind = _kind(context.title, layout, header)
    title = context.title or (header[0] if header else "")
    where = f"{context.label or ''}{title}"
    economic = kind == "general_public_basic" or "经济" in title
    rows = _rows(table, layout, report, where, economic)
    empty = _empty(rows)
    if empty:
        rows = [row for row in rows if row.level != "total" and (row.code or row.attributes)]
    return BudgetTable(
        seq=seq,
        label=context.label,
        title=title,
        kind=kind,
        amount_unit=unit,
        columns=list({c.name: BudgetColumn(name=c.name, measure=c.measure) for c in layout.amount_columns()}.values()),
        rows=rows,
        empty=empty,
        note=context.note,
        location=model_location(table.location),
    )


def _continues(previous: Table, table: Table, context: _Context, between: Sequence[Block]) -> bool:
    """Whether ``table`` goes on with ``previous`` over a page break: no title
    or number of its own, only short lines (page furniture) between them, and
    the same header (printed again) or the same width and no header."""
    if context.title is not None or context.label is not None or previous.location.page is None:
        return False
    if any(isinstance(b, Table) or len(compact(b.text)) > MAX_TITLE_LENGTH for b in between):
        return False
    if len(previous.rows) <= _HEAD_ONLY and not any(parse_number(c.text).value is not None for c in previous.cells()):
        return True  # only the table's first rows stand at the foot of the page
    width = max((c.col + c.col_span for c in previous.rows[0]), default=0)
    first = table.rows[0]
    if signature(first) == signature(previous.rows[0]):
        return True
    return max((c.col + c.col_span for c in first), default=0) == width and any(
        parse_number(cell.text).value is not None for cell in first if cell.text.strip()
    )


def _without_title_rows(table: Table, context: _Context) -> Table:
    """The table less its leading one-cell rows that print its title, number
    or unit inside it (a Word table whose first row is the title), which go
    to ``context`` as if printed above it."""
    start = 0
    for row in table.rows[:3]:
        texts = [cell.text.strip() for cell in row if cell.text.strip()]
        if len(texts) != 1 or (len(row) > 1 and all(cell.col_span == 1 for cell in row)):
            break
        text = compact(texts[0])
        unit = UNIT.search(text)
        label, rest = _split_label(text)
        if unit is not None and len(text) <= MAX_TITLE_LENGTH:
            context.unit = context.unit or unit.group("unit")
        elif rest and kind_of_title(rest) is not None and context.title is None:
            context.title, context.label = rest, context.label or label
        else:
            break
        start += 1
    return Table(table.rows[start:], table.location, table.index) if start else table


def _candidates(blocks: Sequence[Block], skip: set[int]) -> list[tuple[Table, _Context, set[int]]]:
    """The tables that may be budget tables, with their context and the ids
    of the reader's tables they hold: a table continued over a page break
    is joined to the one it continues."""
    found: list[tuple[Table, _Context, set[int], int]] = []
    for index, block in enumerate(blocks):
        if not isinstance(block, Table) or id(block) in skip or not block.rows:
            continue
        context = _context(blocks, index)
        if found and _continues(found[-1][0], block, context, blocks[found[-1][3] + 1 : index]):
            previous, previous_context, ids, _ = found[-1]
            joined = Table(previous.rows + block.rows, previous.location.through(block.location), previous.index)
            _read_after(blocks, index, previous_context)
            found[-1] = (joined, previous_context, ids | {id(block)}, index)
            continue
        found.append((block, context, {id(block)}, index))
    return [(table, context, ids) for table, context, ids, _ in found]


def read_budget_tables(
    blocks: Sequence[Block], skip: Iterable[int], report: Report
) -> tuple[list[BudgetTable], set[int]]:
    """The budget tables among ``blocks`` (tables whose ids are in ``skip``
    are performance tables), and the ids of the tables read."""
    tables: list[BudgetTable] = []
    read: set[int] = set()
    last_unit: str | None = None
    for found, context, ids in _candidates(blocks, set(skip)):
        table = _without_title_rows(found, context)
        if not table.rows:
            continue
        title_kind = kind_of_title(context.title) if context.title else None
        layout = read_layout(table, two_sided=title_kind in ("income_expenditure_summary", "fiscal_summary"))
        if not _is_budget_table(table, context, layout):
            if title_kind is not None and not layout.amount_columns() and context.label is not None:
                report.add(BUDGET_TABLE_UNREAD, table.location, where=context.title, what="no column of figures")
            continue
        unit = context.unit or layout.unit or last_unit
        if unit is None:
            report.add(BUDGET_UNIT_ASSUMED, table.location, where=context.title or "", unit=DEFAULT_UNIT)
            unit = DEFAULT_UNIT
        last_unit = unit
        tables.append(_table(table, context, layout, len(tables) + 1, unit, report))
        read |= ids
    return tables, read
