"""The header block of a performance table: the labelled cells above the
indicator rows (项目名称 | X, 主管部门 | Y, 资金总额 | 745.00 …).

Rows are read as label → value pairs, left to right, labels known by the
synonyms of `perf_labels`.  Two other shapes occur:

* a label alone in its row (当年整体绩效目标) whose value fills the next row;
* a matrix: a row of column labels (年初预算数 | 全年预算数 | 全年执行数 …, or
  预期目标 | 实际完成情况) under a group label whose merge spans the rows
  below, each of those rows a label and its values by column.  A budget
  row (年度资金总额, 财政拨款 …) gives its field from the first column; a
  column naming a field (预期目标, 总额) gives it from a row without a label
  or a total row; every other cell is kept as ``row label/column label``.

Whatever names no field is kept in ``attributes`` as printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from ..blocks import Cell
from .perf_labels import AMOUNT_FIELDS, GROUP_LABEL, PERF_TITLE, amount_unit_of, block_field, label_key

__all__ = ["HeaderBlock", "read_block"]

_UNIT_NOTE = regex.compile(r"^(?:金额)?单位[:：]\s*(?P<unit>亿元|万元|千元|元)$")
_TOTAL_ROW = regex.compile(r"^(?:金额)?(?:合计|总计|小计)$")
_MATRIX_WORDS = regex.compile(
    r"^(?:年初预算数|全年预算数|全年执行数|执行数|分值|(?:预算)?执行率|得分|(?:全年)?实际完成情况|任务名称|主要内容|"
    r"预算金额|完成情况|偏差原因|权重|基本支出|项目支出)$"
)
# What a budget matrix's cells hold: an amount, a rate, or a dash for none.
_FIGURE = regex.compile(r"^(?:[-—–]*|[-+]?[0-9][0-9,]*(?:\.[0-9]+)?%?)$")
_AMOUNT = regex.compile(r"^[-+]?[0-9][0-9,]*(?:\.[0-9]+)?$")
_COLON_END = regex.compile(r"[:：]\s*$")


@dataclass(slots=True)
class HeaderBlock:
    """What the labelled rows above the indicators hold."""

    fields: dict[str, Cell] = field(default_factory=dict)
    goals: list[str] = field(default_factory=list)
    period_goals: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    amount_unit: str | None = None
    title: str | None = None
    used: set[int] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)  # every label read, as matched

    def put(self, name: str, label: Cell, value: Cell | None) -> None:
        self.used.update(id(cell) for cell in (label, value) if cell is not None)
        self.labels.append(label_key(label.text))
        if name == "goals" and value is not None and value.text:
            self.goals.append(value.text)
        elif name == "period_goals" and value is not None and value.text:
            self.period_goals.append(value.text)
        elif name not in self.fields and value is not None:
            self.fields[name] = value
        elif value is not None and value.text:
            self.keep(label_key(label.text), value)
        self._unit(label.text)

    def keep(self, label: str, value: Cell | None) -> None:
        if value is not None:
            self.used.add(id(value))
        text = value.text if value is not None else ""
        key, number = label, 2
        while key in self.attributes:
            key, number = f"{label}#{number}", number + 1
        self.attributes[key] = text

    def _unit(self, text: str) -> None:
        unit = amount_unit_of(text)
        if unit is not None and self.amount_unit is None:
            self.amount_unit = unit


def _is_label(cell: Cell) -> bool:
    key = label_key(cell.text)
    return bool(key) and (
        block_field(cell.text) is not None
        or GROUP_LABEL.match(key) is not None
        or _MATRIX_WORDS.match(key) is not None
        or _COLON_END.search(cell.text) is not None
    )


def _labels_at(row: Sequence[Cell], position: int) -> bool:
    """Whether the row's cell at ``position`` is a label: a known one, one
    ending in a colon (``年度预算资金总额：``), or a text that is no figure
    followed by a bare amount (``预算资金总额`` | ``30.00``)."""
    cell = row[position]
    if _is_label(cell):
        return True
    following = row[position + 1] if position + 1 < len(row) else None
    key = label_key(cell.text)
    return (
        following is not None
        and bool(key)
        and _AMOUNT.match(label_key(following.text)) is not None
        and _label_like(cell, 1)
    )


def _label_like(cell: Cell, position: int) -> bool:
    """An unknown label: the row's first cell, or a short text that is no number."""
    key = label_key(cell.text)
    return position == 0 or (len(key) <= 12 and not any(ch.isdigit() for ch in key))


def _live(row: Sequence[Cell]) -> list[Cell]:
    return [cell for cell in row if not cell.covered]


def read_block(rows: Sequence[Sequence[Cell]]) -> HeaderBlock:
    """The fields, goals and attributes of the rows above the indicators."""
    block = HeaderBlock()
    index = 0
    pending: Cell | None = None
    while index < len(rows):
        row = _live(rows[index])
        filled = [cell for cell in row if cell.text]
        if pending is not None and len(filled) == 1 and not _is_label(filled[0]):
            _pair(block, pending, filled[0])
            pending, index = None, index + 1
            continue
        if pending is not None:
            block.keep(label_key(pending.text), None)
        pending = None
        if _title_or_unit(block, filled):
            index += 1
            continue
        matrix = _matrix_scope(rows, index)
        if matrix:
            _read_matrix(block, rows, index, matrix)
            index += matrix
            continue
        pending = _pairs(block, row)
        index += 1
    if pending is not None:
        block.keep(label_key(pending.text), None)
        block.used.add(id(pending))
    return block


def _title_or_unit(block: HeaderBlock, filled: list[Cell]) -> bool:
    if len(filled) != 1:
        return False
    text = label_key(filled[0].text)
    unit = _UNIT_NOTE.match(text)
    if unit is not None:
        block.amount_unit = block.amount_unit or unit.group("unit")
    elif PERF_TITLE.search(text) and block.title is None:
        block.title = filled[0].text.strip()
    else:
        return False
    block.used.add(id(filled[0]))
    return True


def _pair(block: HeaderBlock, label: Cell, value: Cell | None) -> None:
    name = block_field(label.text)
    if name is not None:
        block.put(name, label, value)
    else:
        block.used.add(id(label))
        block.labels.append(label_key(label.text))
        block._unit(label.text)
        if not GROUP_LABEL.match(label_key(label.text)) or (value is not None and value.text):
            block.keep(label_key(label.text), value)


def _pairs(block: HeaderBlock, row: list[Cell]) -> Cell | None:
    """Label → value pairs of one row; a label left without a value is returned."""
    position = 0
    while position < len(row):
        cell = row[position]
        following = row[position + 1] if position + 1 < len(row) else None
        if not cell.text:
            position += 1
            continue
        next_label = following is not None and _labels_at(row, position + 1)
        label = _labels_at(row, position) or (following is not None and not next_label and _label_like(cell, position))
        if not label:
            block.keep("", cell)
            position += 1
            continue
        if following is None:
            if GROUP_LABEL.match(label_key(cell.text)):
                _pair(block, cell, None)
                return None
            return cell
        if next_label and GROUP_LABEL.match(label_key(cell.text)):
            _pair(block, cell, None)
            position += 1
            continue
        _pair(block, cell, None if next_label else following)
        position += 1 if next_label else 2
    return None


def _matrix_scope(rows: Sequence[Sequence[Cell]], index: int) -> int:
    """How many rows a matrix starting at ``index`` spans (0: no matrix).

    A matrix row holds two or more column labels and no values, besides a
    group label at its left whose merge gives the matrix its height; a
    group label not merged down (资金情况（万元） | 全年预算数 | 全年执行数 …)
    spans the rows of a label and figures under the columns."""
    row = _live(rows[index])
    filled = [cell for cell in row if cell.text]
    first = row.index(filled[0]) if filled else 0
    if len(filled) < 2 or len(filled) != len(row) - first or not all(_is_label(cell) for cell in filled):
        return 0  # an empty cell between labels is a label's (empty) value: pairs, not a matrix
    columns = [cell for cell in filled[1:] if block_field(cell.text) or not GROUP_LABEL.match(label_key(cell.text))]
    if len(columns) < 2 or index + 1 >= len(rows):
        return 0
    if filled[0].row_span > 1:
        return filled[0].row_span
    return max(2, 1 + _figure_rows(rows[index + 1 :], columns))


def _figure_rows(rows: Sequence[Sequence[Cell]], columns: list[Cell]) -> int:
    """How many of ``rows`` hold a label and then figures under ``columns``."""
    count = 0
    for row in rows:
        filled = [cell for cell in _live(row) if cell.text]
        if len(filled) < 2 or any(_under(filled[0], column) for column in columns):
            break
        if not all(
            any(_under(cell, c) for c in columns) and _FIGURE.match(label_key(cell.text)) for cell in filled[1:]
        ):
            break
        count += 1
    return count


def _read_matrix(block: HeaderBlock, rows: Sequence[Sequence[Cell]], start: int, height: int) -> None:
    header = [cell for cell in _live(rows[start]) if cell.text]
    group, columns = header[0], header[1:]
    block.used.update(id(cell) for cell in header)
    block.labels.extend(label_key(cell.text) for cell in header)
    block._unit(group.text)
    for row in rows[start + 1 : start + height]:
        live = _live(row)
        if all(_is_label(cell) for cell in live if cell.text):
            block.used.update(id(cell) for cell in live)  # a second header row (合计 | 基本支出 …)
            continue
        row_label = next((cell for cell in live if cell.text and not any(_under(cell, c) for c in columns)), None)
        if row_label is not None:
            block.used.add(id(row_label))
        taken: set[int] = set()
        for cell in live:
            column = next((c for c in columns if _under(cell, c)), None)
            if column is None or cell is row_label:
                continue
            first_under = id(column) not in taken
            taken.add(id(column))
            _matrix_cell(block, group, row_label, column, cell, first=column is columns[0] and first_under)


def _under(cell: Cell, column: Cell) -> bool:
    return cell.col < column.col + column.col_span and column.col < cell.col + cell.col_span


def _matrix_cell(
    block: HeaderBlock, group: Cell, row_label: Cell | None, column: Cell, value: Cell, first: bool
) -> None:
    row_field = block_field(row_label.text) if row_label is not None else None
    column_field = block_field(column.text)
    label = label_key(row_label.text) if row_label is not None else label_key(group.text)
    if row_field in AMOUNT_FIELDS and first and row_label is not None:
        block.put(row_field, row_label, value)
    elif column_field is not None and (row_label is None or _TOTAL_ROW.match(label_key(row_label.text))):
        block.put(column_field, column, value)
    elif value.text:
        block.keep(f"{label}/{label_key(column.text)}", value)
    else:
        block.used.add(id(value))
