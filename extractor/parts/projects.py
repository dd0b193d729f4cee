"""The performance-target table reader (绩效目标表), one table per project.

A project is everything from its title paragraph (``1.门卫安保经费绩效目标表``)
to the next title: the unit line, then table rows read by their labels, not
their positions, so that a table split in two, a unit line printed as a
paragraph, or cells spanning columns all read the same:

* ``项目编码 | X | 项目名称 | Y`` — a label and the cell after it;
* ``预算数 | 3 | 其中：财政资金 | 3 | 其他资金 | 0`` — likewise;
* the row after the budget holds the purpose;
* ``资金支出计划（%） | 3月底 | …`` then a row of percentages, matched by column;
* ``绩效目标 | 1.… 2.…`` — goals, one a line, numbering removed;
* ``一级指标 | 二级指标 | …`` — the indicator header; every later row is an
  indicator, its empty first two levels carried down from the row above.

Every cell is accounted for: used as a label or value, empty, or reported as
``unparsed_cell``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import regex

from ..blocks import Block, Cell, Location, Paragraph, Table
from ..findings import (
    FIELD_MISSING,
    TABLE_UNNUMBERED,
    UNPARSED_CELL,
    UNPARSED_TEXT,
    model_location,
)
from ..models import Indicator, Project, ProjectBudget, ScheduleEntry
from ..textutil import compact, list_number, strip_list_number
from ._report import Report
from ._tables import ColumnMap, row_location, text_of
from .perf_indicators import indicator_value
from .perf_labels import column_field

__all__ = ["TITLE", "CellLedger", "ProjectTable", "group_projects", "parse_project", "split_goals"]

# "1.门卫安保经费绩效目标表", also "（1）…", "表1 …", "1：…", and a year in brackets after 表
TITLE = regex.compile(
    r"^\s*(?:(?:表\s*|附表\s*)?(?P<seq>[0-9]{1,3})\s*[.、．:：]\s*|[（(]\s*(?P<seq>[0-9]{1,3})\s*[）)]\s*"
    r"|(?:表|附表)\s*(?P<seq>[0-9]{1,3})\s+)?"
    r"(?P<title>\S.*?绩效目标(?:申报)?表(?:\s*[（(][^（()）]{1,20}[）)])?)\s*[:：]?\s*$"
)
# "201001中国共产党阜平县委员会本级  单位：万元", or "单位名称：阜平县妇女联合会"
_UNIT_LINE = regex.compile(
    r"^(?:(?P<label>(?:预算|部门|编制)?单位(?:名称)?)\s*[:：]\s*)?(?P<code>\d{3,12})?\s*(?P<name>[\p{Han}（(].*?)"
    r"\s*(?:(?:金额)?单位\s*[:：]\s*(?P<unit>\S+))?$"
)
_AMOUNT_UNIT = regex.compile(r"^(?:金额)?单位[:：](?P<unit>\S+)$")

_LABELS: dict[str, regex.Pattern[str]] = {
    "project_code": regex.compile(r"^项目(?:编码|代码|编号)$"),
    "project_name": regex.compile(r"^项目名称$"),
    "total": regex.compile(r"^(?:预算数|预算金额|项目总额|预算总额|资金总额|年度预算数)(?:[(（]万元[)）])?$"),
    "fiscal": regex.compile(r"^(?:其中[:：])?(?:财政资金|财政拨款)(?:[(（]万元[)）])?$"),
    "other": regex.compile(r"^(?:其中[:：])?其他资金(?:[(（]万元[)）])?$"),
    "goals": regex.compile(r"^(?:年度|项目)?绩效目标$"),
    "unit": regex.compile(r"^(?:(?:预算|部门|编制|主管)?单位(?:名称)?|预算单位|主管部门)$"),
}
_PURPOSE_LABEL = regex.compile(r"^(?:预算规模及)?资金用途$|^预算规模$|^项目概况$")
# The labels merged down over two rows, which a page break may cut in two (预算规模及资金用 / 途)
_MERGED_LABEL = regex.compile(r"^(?:预算规模及)?资金用途$|^(?:资金支出|支出进度)计划(?:[(（]%[)）])?$")
# 资金支出计划（%） (支出进度计划 in some counties), or its first half when a page break cut the
# merged label (资金支出 / 计划（%）)
_SCHEDULE_LABEL = regex.compile(r"^资金支出|^支出进度")
# The indicator columns this table has, named as every layout names them (`perf_labels`).
_INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "basis", "value")


@dataclass(slots=True)
class ProjectTable:
    """The blocks of one project: its title paragraph and what follows it."""

    title: Paragraph
    seq: int | None
    name: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def location(self) -> Location:
        location = self.title.location
        for block in self.blocks:
            location = location.through(block.location)
        return location

    def cells(self) -> list[Cell]:
        return [cell for block in self.blocks if isinstance(block, Table) for cell in block.cells()]


@dataclass(slots=True)
class CellLedger:
    """How the cells of one project were accounted for."""

    total: int = 0
    used: int = 0
    empty: int = 0
    unplaced: int = 0


def _title_row(row: list[Cell]) -> Cell | None:
    """The cell of a row that holds nothing but a table title."""
    filled = [cell for cell in row if cell.text]
    return filled[0] if len(filled) == 1 and TITLE.match(filled[0].text) else None


def _titles_out_of_tables(blocks: list[Block]) -> list[Block]:
    """Tables with a title printed as one of their rows, split there into
    the rows above, the title as a paragraph, and the rows below (some
    producers print every project into one long table)."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Table) or not any(_title_row(row) for row in block.rows):
            out.append(block)
            continue
        rows: list[list[Cell]] = []
        for row in block.rows:
            title = _title_row(row)
            if title is None:
                rows.append(row)
                continue
            if rows:
                out.append(
                    Table(rows=rows, location=rows[0][0].location.through(rows[-1][-1].location), index=block.index)
                )
            out.append(Paragraph(title.text, title.location))
            rows = []
        if rows:
            out.append(Table(rows=rows, location=rows[0][0].location.through(rows[-1][-1].location), index=block.index))
    return out


def group_projects(blocks: list[Block]) -> tuple[list[Block], list[ProjectTable]]:
    """Blocks before the first title, and the projects from each title on."""
    before: list[Block] = []
    projects: list[ProjectTable] = []
    for block in _titles_out_of_tables(blocks):
        match = TITLE.match(block.text) if isinstance(block, Paragraph) else None
        if match is not None and isinstance(block, Paragraph):
            seq = int(match.group("seq")) if match.group("seq") else None
            projects.append(ProjectTable(block, seq, match.group("title")))
        elif projects:
            projects[-1].blocks.append(block)
        else:
            before.append(block)
    return before, projects


@lru_cache(maxsize=64)
def _item_start(number: int) -> regex.Pattern[str]:
    return regex.compile(rf"(?<=[。；;！!])\s*(?=(?:{number}\s*[.、．]|[（(]{number}[）)]))")


def _next_item(text: str, number: int) -> int:
    """Where item ``number`` starts inside a line, after a sentence end; 0 if nowhere."""
    match = _item_start(number).search(text)
    return match.start() if match else 0


# A goal's own label: 目标 1： (older special-fund forms number their goals so)
_GOAL_LABEL = regex.compile(r"^\s{0,3}目标\s{0,3}[0-9]{1,3}\s{0,3}[:：]\s{0,3}")


def split_goals(text: str | None) -> list[str]:
    """Goals one per item: split at line breaks and where the next list
    number follows a sentence end; numbering (1. / 1、 / 目标 1：) removed,
    empty items dropped."""
    goals: list[str] = []
    expected = 1
    for line in (text or "").split("\n"):
        rest = line
        while rest.strip():
            number = list_number(rest, expected)
            if number is not None:
                rest, expected = strip_list_number(rest, number), number + 1
            cut = _next_item(rest, expected)
            piece, rest = (rest[:cut], rest[cut:]) if cut else (rest, "")
            piece = _GOAL_LABEL.sub("", piece)
            if piece.strip():
                goals.append(piece.strip())
    return goals


class _ProjectReader:
    """Walks one project's rows, filling fields and keeping the cell ledger."""

    def __init__(self, table: ProjectTable, report: Report) -> None:
        self.table = table
        self.report = report
        self.used: set[int] = set()
        self.fields: dict[str, Cell] = {}
        self.purpose: str | None = None
        self.schedule: list[ScheduleEntry] = []
        self.goals: list[str] = []
        self.indicators: list[Indicator] = []
        self.unit_code: str | None = None
        self.unit_name: str | None = None
        self.amount_unit: str | None = None
        self._checkpoints: list[Cell] = []
        self._columns: ColumnMap | None = None
        self._expect_purpose = False
        self._last_label: str | None = None
        self.more_goals: list[str] = []
        self._levels: tuple[str | None, str | None] = (None, None)
        self._first: Cell | None = None  # the previous row's label cell

    def use(self, *cells: Cell) -> None:
        self.used.update(map(id, cells))

    def read(self) -> None:
        for block in self.table.blocks:
            if isinstance(block, Paragraph):
                self._paragraph(block)
            else:
                for row in block.rows:
                    self._row(row)

    def _paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if self._unit_text(text) or not text:
            return
        self.report.add(UNPARSED_TEXT, paragraph.location, where=self.table.name, text=text)

    def _unit_text(self, text: str) -> bool:
        unit = _AMOUNT_UNIT.match(compact(text))
        if unit:
            self.amount_unit = unit.group("unit")
            return True
        match = _UNIT_LINE.match(text.strip())
        if match is None or not (match.group("code") or match.group("label")):
            return False
        self.unit_code, self.unit_name = match.group("code"), match.group("name").strip()
        if match.group("unit"):
            self.amount_unit = match.group("unit")
        return True

    def _row(self, row: list[Cell]) -> None:
        if self._columns is not None:
            self._indicator(row)
            return
        labels = self._labels(row)
        if any(column_field(label) == "level1" for label in labels):
            self._start_indicators(row)
            return
        if self._checkpoints:
            self._schedule_values(row)
            return
        if any(_SCHEDULE_LABEL.match(label) for label in labels):
            self._schedule_header(row, labels)
            return
        names = [_field_label(label) for label in labels]  # once per row, not again for each value looked up
        if self._expect_purpose and not any(names):
            self._purpose(row, labels)
        elif self._last_label == "goals" and not labels[0] and any(labels[1:]):
            self._more_goals(row)
        else:
            self._labelled(row, labels, names)

    def _labels(self, row: list[Cell]) -> list[str]:
        """The row's texts, compacted; the second half of a merged label cut
        by a page break (预算规模及资金用 | … then 途 | …) as an empty label,
        both halves accounted for."""
        labels = [compact(cell.text) for cell in row]
        previous, self._first = self._first, row[0] if row else None
        head = compact(previous.text) if previous is not None else ""
        if not head or not labels or not labels[0] or _MERGED_LABEL.match(head):
            return labels
        if previous is not None and _MERGED_LABEL.match(head + labels[0]) and _field_label(labels[0]) is None:
            self.use(previous, row[0])
            labels[0] = ""
        return labels

    def _more_goals(self, row: list[Cell]) -> None:
        """A row under the goals row whose label cell is merged down: more goals."""
        texts = [cell for cell in row[1:] if cell.text]
        self.use(*texts)
        self.more_goals.extend(cell.text for cell in texts)

    def _labelled(self, row: list[Cell], labels: list[str], names: list[str | None]) -> None:
        """Label cells (``names``: the field each label names, if any) and the value after each."""
        for index, (cell, label, name) in enumerate(zip(row, labels, names, strict=True)):
            if id(cell) in self.used:
                continue
            if name is not None:
                self.use(cell)
                value = next((c for c, n in zip(row[index + 1 :], names[index + 1 :], strict=True) if not n), None)
                if value is not None:
                    self.use(value)
                    self.fields[name] = value
                self._expect_purpose = name in ("total", "fiscal", "other")
                self._last_label = name
            elif _PURPOSE_LABEL.match(label) or self._unit_text(cell.text):
                self.use(cell)

    def _purpose(self, row: list[Cell], labels: list[str]) -> None:
        texts = [cell for cell, label in zip(row, labels, strict=True) if label and not _PURPOSE_LABEL.match(label)]
        self.use(*(cell for cell, label in zip(row, labels, strict=True) if _PURPOSE_LABEL.match(label)))
        if texts:
            self.purpose = "\n".join(cell.text for cell in texts)
            self.use(*texts)
        self._expect_purpose = False

    def _schedule_header(self, row: list[Cell], labels: list[str]) -> None:
        start = next(i for i, label in enumerate(labels) if _SCHEDULE_LABEL.match(label))
        self.use(row[start])
        self._checkpoints = [cell for cell in row[start + 1 :] if cell.text]
        self.use(*self._checkpoints)

    def _schedule_values(self, row: list[Cell]) -> None:
        by_col = {cell.col: cell for cell in row}
        positional = len(row) == len(self._checkpoints) + 1
        for index, checkpoint in enumerate(self._checkpoints):
            cell = row[index + 1] if positional else by_col.get(checkpoint.col)
            percent = None
            if cell is not None:
                self.use(cell)
                percent = self.report.percent(cell.text, f"{checkpoint.text} 支出计划", cell.location)
            self.schedule.append(ScheduleEntry(checkpoint=checkpoint.text, percent=percent))
        first = self._checkpoints[0].col
        self.use(*(cell for cell in row if cell.col < first))  # the label, or what a page break left of it
        self._checkpoints = []

    def _start_indicators(self, row: list[Cell]) -> None:
        self._columns = _indicator_columns(row)
        self.use(*(cell for cell in row if self._columns and self._columns.field_of(cell)))

    def _indicator(self, row: list[Cell]) -> None:
        assert self._columns is not None
        if all(not cell.text for cell in row):
            return
        cells = self._columns.read(row)
        self.use(*cells.values())
        level1, level2 = text_of(cells, "level1"), text_of(cells, "level2")
        previous1, previous2 = self._levels
        if level1 is None:
            level1 = previous1
            level2 = level2 or previous2
        elif level2 is None and level1 == previous1:
            level2 = previous2
        self._levels = (level1, level2)
        value_cell = cells.get("value")
        value = indicator_value(text_of(cells, "value"), value_cell.location if value_cell else None, self.report)
        self.indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=text_of(cells, "level3"),
                description=text_of(cells, "description"),
                value=value,
                basis=text_of(cells, "basis"),
                location=model_location(row_location(row)),
            )
        )

    def ledger(self) -> CellLedger:
        ledger = CellLedger()
        for cell in self.table.cells():
            ledger.total += 1
            if id(cell) in self.used:
                ledger.used += 1
            elif not cell.text:
                ledger.empty += 1
            else:
                ledger.unplaced += 1
                self.report.add(UNPARSED_CELL, cell.location, text=cell.text)
        return ledger


def _indicator_columns(row: list[Cell]) -> ColumnMap:
    """The indicator header's columns, by the synonyms of `perf_labels`."""
    columns: dict[str, tuple[int, int]] = {}
    for cell in row:
        name = column_field(cell.text)
        if name in _INDICATOR_FIELDS and name not in columns:
            columns[name] = (cell.col, cell.col_span)
    return ColumnMap(columns, 0)


_ANY_LABEL = regex.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in _LABELS.items()))


@lru_cache(maxsize=4096)
def _field_label(label: str) -> str | None:
    """The field a compacted label names (remembered: the same labels head every project)."""
    match = _ANY_LABEL.match(label)
    return match.lastgroup if match else None


def parse_project(table: ProjectTable, report: Report) -> tuple[Project, CellLedger]:
    """One project from its blocks, and how its cells were accounted for."""
    report = report.for_project(table.seq)
    if table.seq is None:
        report.add(TABLE_UNNUMBERED, table.title.location, title=table.name)
    reader = _ProjectReader(table, report)
    reader.read()
    fields = reader.fields

    def amount(name: str) -> Decimal | None:
        return report.cell_number(fields.get(name), f"{table.name} {name}")

    unit = fields.get("unit")
    if reader.unit_name is None and unit is not None and unit.text:
        match = _UNIT_LINE.match(unit.text)
        reader.unit_code = match.group("code") if match else None
        reader.unit_name = match.group("name").strip() if match else unit.text
    for required in ("project_code", "project_name", "total"):
        if required not in fields:
            report.add(FIELD_MISSING, table.location, field=f"{table.name}: {required}")
    project = Project(
        seq=table.seq,
        title=table.name,
        unit_code=reader.unit_code,
        unit_name=reader.unit_name,
        amount_unit=reader.amount_unit,
        project_code=text_of(fields, "project_code"),
        project_name=text_of(fields, "project_name"),
        budget=ProjectBudget(total=amount("total"), fiscal=amount("fiscal"), other=amount("other")),
        purpose=reader.purpose,
        schedule=reader.schedule,
        goals=split_goals("\n".join(t for t in (text_of(fields, "goals"), *reader.more_goals) if t)),
        indicators=reader.indicators,
        location=model_location(table.location),
    )
    return project, reader.ledger()
