"""Indicator rows of a performance table, in every layout.

A header row (or two: a group label above its sub-columns) ties each grid
column to a contract field through the synonyms of `perf_labels`; columns
whose label names no field are kept, each row's text under them going to
the indicator's ``attributes``.  Rows are then read by column:

* levels 1 and 2 are carried down from the row above when their cell is
  covered by a merge, or empty in a source that does not record merges
  (flattened text); an empty cell of its own in a source that does is left
  empty (carrying it would give the row the level of another group);
* an operator column (``≥``) and a unit column (``人``) are joined to the
  number as printed (``≥32人``) and the whole is parsed as one value;
* weights and scores are numbers; 是否核心 is a yes/no.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import regex

from ..blocks import Cell, Location
from ..findings import UNPARSED_TEXT, VALUE_UNIT_SUSPECT, model_location
from ..models import Indicator, IndicatorValue
from ..textutil import compact
from ..values import is_operator, parse_value
from ._report import Report
from ._tables import row_location
from .perf_labels import GROUP_LABEL, column_field, fits_framework, label_key

__all__ = [
    "IndicatorColumns",
    "LevelCarry",
    "find_indicator_header",
    "indicator_value",
    "prose_indicators",
    "read_indicator",
    "read_indicators",
]

_YES = frozenset({"是", "√", "Y", "y", "yes", "核心"})
_NO = frozenset({"否", "×", "N", "n", "no", "非核心"})
#: Fields whose presence makes a header row the indicator header.
_LEVEL_FIELDS = frozenset({"level1", "level2", "level3"})
_NAME_FALLBACK = regex.compile(r"^(?:绩效指标|指标)$")
_INDICATOR_NUMBER = regex.compile(r"^\s{0,3}指标\s{0,3}[0-9]{1,3}\s{0,3}[:：]\s{0,3}")
# Indicators written as prose: each opens with its number (1. / 2、) before level 1's code and a dash,
# after the previous one's closing mark; bounded repeats throughout (a long cell is never rescanned).
_DASH = r"\s{0,3}[－\-—–]\s{0,3}"
_PROSE_ITEM = regex.compile(r"(?:^|(?<=[；;。]))\s{0,3}[0-9]{1,3}\s{0,3}[、.．](?=\s{0,3}[0-9]{1,3}" + _DASH + ")")
_PROSE_INDICATOR = regex.compile(
    r"^[0-9]{1,3}" + _DASH + r"(?P<level1>[^，,、；;]{1,20}?)\s{0,3}[，,、]\s{0,3}"
    r"[0-9]{1,4}" + _DASH + r"(?P<level2>[^，,、；;]{1,20}?)\s{0,3}[，,、]\s{0,3}"
    r"(?P<level3>.{1,300}?)\s{0,3}[；;，,]?\s{0,3}"
    r"(?:(?P<single>(?:年度)?指标值)|实施周期指标值)\s{0,3}[:：]\s{0,3}(?P<period>.{0,300}?)\s{0,3}"
    r"(?:[，,；;。]\s{0,3}年度指标值\s{0,3}[:：]\s{0,3}(?P<annual>.{0,300}?))?\s{0,3}[；;，,。]?\s{0,3}$",
    regex.S,
)


@dataclass(frozen=True, slots=True)
class IndicatorColumns:
    """Grid column → field, and → label for columns that name no field."""

    fields: dict[int, str]
    labels: dict[int, str]
    rows_above: int  # header rows above the indicator header row
    rows_below: int  # and below it
    used: frozenset[int] = field(default_factory=frozenset)  # ids of the header cells read as labels

    def has(self, name: str) -> bool:
        return name in self.fields.values()

    @property
    def layout_hint(self) -> str:
        """``self_evaluation``, ``flat`` or ``levels``: what the columns say of the layout."""
        if self.has("actual") or self.has("score"):
            return "self_evaluation"
        return "levels" if self.has("level1") or self.has("level2") or self.has("prose") else "flat"


def _header_fields(row: Sequence[Cell]) -> dict[str, Cell]:
    found: dict[str, Cell] = {}
    for cell in row:
        name = column_field(cell.text) if cell.text and not cell.covered else None
        if name is not None and name not in found:
            found[name] = cell
    if "level3" not in found and "description" in found and _LEVEL_FIELDS & found.keys():
        found["level3"] = found.pop("description")  # 一级 | 二级 | 指标内容 | 指标值: the content is the indicator
    if not _LEVEL_FIELDS & found.keys() and ("value" in found or "project_name" in found):
        name_cell = next((cell for cell in row if _NAME_FALLBACK.match(label_key(cell.text))), None)
        if name_cell is not None:
            found["level3" if "value" in found else "prose"] = name_cell
    return found


def _column_field(cell: Cell, row: Sequence[Cell]) -> str | None:
    """The field of a header cell; 绩效指标 names the indicator column in a
    row that has no level column (elsewhere it labels a group of rows)."""
    name = column_field(cell.text)
    if name == "description" and _header_fields(row).get("level3") is cell:
        return "level3"
    if name is None and _NAME_FALLBACK.match(label_key(cell.text)):
        fields = _header_fields(row)
        return next((field for field in ("level3", "prose") if fields.get(field) is cell), None)
    return name


def is_indicator_header(row: Sequence[Cell]) -> bool:
    """A row naming a level (一级指标, 三级指标, 指标名称) and a value column,
    or projects with their indicators written as prose (项目名称 … | 绩效指标)."""
    names = _header_fields(row).keys()
    return (bool(_LEVEL_FIELDS & names) and ("value" in names or "actual" in names)) or "prose" in names


def find_indicator_header(rows: Sequence[Sequence[Cell]]) -> int | None:
    """Index of the first indicator header row, if any: one naming levels
    and values, else one of projects with prose indicators (绩效指标 over
    level columns in the row below is a group label, not prose)."""
    headers = [index for index, row in enumerate(rows) if is_indicator_header(row)]
    leveled = [index for index in headers if "prose" not in _header_fields(rows[index])]
    chosen = leveled or headers
    return chosen[0] if chosen else None


def _columns_of(cell: Cell) -> range:
    return range(cell.col, cell.col + max(cell.col_span, 1))


def header_columns(rows: Sequence[Sequence[Cell]], header: int) -> IndicatorColumns:
    """The column map from the header row, with the row above or below it
    when that row labels the same columns (a two-row header: 其中 over
    财政资金 / 其他资金)."""
    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    used: set[int] = set()
    start = header - 1 if header > 0 and _is_upper_header(rows[header - 1], rows[header]) else header
    below = header + 1 < len(rows) and _is_upper_header(rows[header], rows[header + 1], labels_only=True)
    end = header + 1 if below else header
    for row in rows[start : end + 1]:
        for cell in row:
            if cell.covered or not cell.text:
                continue
            name = _column_field(cell, row)
            if name == "prose" and row is not rows[header]:
                name = None  # 绩效指标 over the level columns of the header row below
            used.add(id(cell))
            for col in _columns_of(cell):
                if name is not None:
                    fields[col] = name
                    labels.pop(col, None)
                elif not GROUP_LABEL.match(label_key(cell.text)) and col not in fields:
                    labels[col] = label_key(cell.text)
    return IndicatorColumns(fields, labels, header - start, end - header, frozenset(used))


def _is_upper_header(upper: Sequence[Cell], lower: Sequence[Cell], labels_only: bool = False) -> bool:
    """Of two rows, the upper is a header with the lower when the lower has
    cells covered by the upper's merges and the upper has field labels;
    a lower row below the indicator header must hold field labels only."""
    lower_labels = [cell for cell in lower if cell.text and not cell.covered]
    if labels_only and not (lower_labels and all(column_field(cell.text) for cell in lower_labels)):
        return False
    return any(cell.covered for cell in lower) and any(
        column_field(cell.text) for cell in upper if cell.text and not cell.covered
    )


@dataclass(slots=True)
class LevelCarry:
    """Levels 1 and 2 of the row above, carried into merged cells below."""

    level1: str | None = None
    level2: str | None = None

    def take(self, cells: dict[str, Cell], merges_known: bool) -> tuple[str | None, str | None]:
        cell1, cell2 = cells.get("level1"), cells.get("level2")
        level1 = self._level(cell1, self.level1, merges_known)
        level2 = compact(cell2.text) if cell2 is not None and cell2.text else None
        if cell1 is not None and not cell1.text and not fits_framework(level1, level2):
            level1 = None  # an empty first level whose second level belongs to another: not carried
        changed = cell1 is not None and bool(cell1.text) and compact(cell1.text) != self.level1
        if level2 is None and not (changed and merges_known):
            level2 = self._level(cell2, self.level2, merges_known)
        self.level1, self.level2 = level1, level2
        return level1, level2

    @staticmethod
    def _level(cell: Cell | None, above: str | None, merges_known: bool) -> str | None:
        """The cell's text, or the level above when the cell is covered, or
        empty in a source without merges, or a one-row empty cell (a merge
        the producer drew as separate cells); an empty merge of its own stays empty.
        A level is a name: spaced out in a tall merged cell (产 出 指 标), it is read whole."""
        if cell is not None and cell.text:
            return compact(cell.text)
        if cell is None or cell.covered or not merges_known or cell.row_span == 1:
            return above
        return None


def indicator_value(raw: str | None, location: Location | None, report: Report) -> IndicatorValue:
    """One 指标值 parsed per the contract; doubts become issues."""
    parsed = parse_value(raw)
    for reason in parsed.problems:
        report.add(VALUE_UNIT_SUSPECT, location, raw=raw, reason=reason)
    return IndicatorValue(
        raw=parsed.raw,
        op=parsed.op,
        number=parsed.number,
        upper=parsed.upper,
        unit=parsed.unit,
        redacted=parsed.redacted,
    )


def _joined_value(cells: dict[str, Cell]) -> str | None:
    """The value as printed, its operator and unit columns joined to it."""
    value = _text(cells, "value")
    if value is None:
        return None
    nature, unit = _text(cells, "nature"), _text(cells, "unit")
    prefix = nature if nature is not None and is_operator(nature) and not is_operator(value[:1]) else ""
    suffix = unit if unit is not None and not value.endswith(unit) else ""
    return f"{prefix}{value}{suffix}"


def _text(cells: dict[str, Cell], name: str) -> str | None:
    cell = cells.get(name)
    return cell.text if cell is not None and cell.text else None


def _yes_no(text: str | None) -> bool | None:
    if text is None:
        return None
    return True if text in _YES else False if text in _NO else None


def row_cells(row: Sequence[Cell], columns: IndicatorColumns) -> tuple[dict[str, Cell], dict[str, Cell]]:
    """The row's cells by field, and by label for the columns naming none."""
    by_field: dict[str, Cell] = {}
    by_label: dict[str, Cell] = {}
    for cell in row:
        name = columns.fields.get(cell.col)
        if name is not None:
            by_field.setdefault(name, cell)
        elif cell.col in columns.labels:
            by_label.setdefault(columns.labels[cell.col], cell)
    return by_field, by_label


def has_indicator(cells: dict[str, Cell]) -> bool:
    """Whether the row holds an indicator: a level-3 name or a value."""
    return any(_text(cells, name) for name in ("level3", "value", "actual", "description"))


def read_indicators(
    row: Sequence[Cell], columns: IndicatorColumns, carry: LevelCarry, merges_known: bool, report: Report
) -> list[Indicator]:
    """The indicators of a row: one, or those its prose cell writes out."""
    if columns.has("prose"):
        cell = row_cells(row, columns)[0].get("prose")
        return prose_indicators(cell, report) if cell is not None and cell.text else []
    indicator = read_indicator(row, columns, carry, merges_known, report)
    return [indicator] if indicator is not None else []


def prose_indicators(cell: Cell, report: Report) -> list[Indicator]:
    """Indicators written as prose in one cell, each numbered:
    ``1.4－成本指标，41－经济成本指标，项目支出成本控制率；实施周期指标值：≤0%，年度指标值：≤0%;2、…``
    — level 1 and 2 with their codes (stripped), the indicator, then the
    period's and the year's values.  A piece that reads otherwise is reported."""
    indicators: list[Indicator] = []
    location = model_location(cell.location)
    for piece in _PROSE_ITEM.split(cell.text):
        piece = piece.strip()
        if not piece:
            continue
        match = _PROSE_INDICATOR.match(piece)
        if match is None:
            report.add(UNPARSED_TEXT, cell.location, where="绩效指标", text=piece)
            continue
        period, annual, single = match.group("period"), match.group("annual"), match.group("single")
        indicators.append(
            Indicator(
                level1=match.group("level1"),
                level2=match.group("level2"),
                level3=match.group("level3"),
                description=None,
                value=indicator_value(annual or (period if single else None), cell.location, report),
                basis=None,
                location=location,
                period_value=indicator_value(period, cell.location, report) if period and not single else None,
            )
        )
    return indicators


def read_indicator(
    row: Sequence[Cell], columns: IndicatorColumns, carry: LevelCarry, merges_known: bool, report: Report
) -> Indicator | None:
    """One indicator from a row, or None when the row holds none."""
    cells, others = row_cells(row, columns)
    if not has_indicator(cells):
        return None
    level1, level2 = carry.take(cells, merges_known)
    value_cell = cells.get("value")
    actual, period = _text(cells, "actual"), _text(cells, "period_value")
    return Indicator(
        level1=level1,
        level2=level2,
        level3=_unnumbered(_text(cells, "level3")),
        description=_text(cells, "description"),
        value=indicator_value(_joined_value(cells), value_cell.location if value_cell else None, report),
        basis=_text(cells, "basis"),
        location=model_location(row_location(list(row))),
        weight=_number(cells.get("weight"), "指标分值", report),
        nature=_text(cells, "nature"),
        scoring=_text(cells, "scoring"),
        core=_yes_no(_text(cells, "core")),
        period_value=indicator_value(period, cells["period_value"].location, report) if period else None,
        actual=indicator_value(actual, cells["actual"].location, report) if actual else None,
        score=_number(cells.get("score"), "得分", report),
        deviation=_text(cells, "deviation"),
        attributes={label: cell.text for label, cell in others.items() if cell.text},
    )


def _unnumbered(text: str | None) -> str | None:
    """An indicator's name without its number (``指标 1：作业次数`` → 作业次数)."""
    return _INDICATOR_NUMBER.sub("", text) or None if text is not None else None


def _number(cell: Cell | None, what: str, report: Report) -> Decimal | None:
    return report.cell_number(cell, what) if cell is not None and cell.text else None
