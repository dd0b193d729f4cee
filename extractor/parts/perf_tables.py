"""Performance tables found anywhere in a document, by their content, and
read in every layout family (OUTPUT.md, schema version 2):

* ``form`` / ``self_evaluation``: one project per table — a header block of
  labelled cells (`perf_block`), then the indicator header and its rows;
* ``wide`` / ``flat``: one table of many projects, a row group per project,
  the project's name, amounts and goals in columns beside the indicators;
* department-level targets (部门整体支出绩效目标表) into `DepartmentTarget`.

A table is a performance table when a row names a level (一级指标, 三级指标,
指标名称) and a value column (指标值 …).  Tables are cut where a title row
(…绩效目标表) or a new 项目名称 block starts another project; a wide table
printed page by page continues its last project when the next page's
first group repeats it.  Tables that look like performance tables but give
no indicator header are counted as seen and not read, for the coverage
ledger and the `performance_tables_unread` error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from ..blocks import Block, Cell, Location, Paragraph, Table
from ..findings import PERFORMANCE_TABLE_UNATTACHED, UNPARSED_TEXT, model_location
from ..models import DepartmentTarget, Indicator, Layout, Project, ProjectBudget
from ..outline import heading_of
from ..textutil import compact
from ._report import Report
from ._tables import row_location
from .perf_block import HeaderBlock, read_block
from .perf_indicators import (
    IndicatorColumns,
    LevelCarry,
    find_indicator_header,
    header_columns,
    read_indicators,
    row_cells,
)
from .perf_labels import AMOUNT_FIELDS, PERF_TITLE, block_field, is_department_title, is_generic_title, label_key
from .projects import split_goals

__all__ = ["PerformanceTables", "read_performance_tables"]

_CONTEXT = regex.compile(
    r"(?P<label>单位名称|部门名称|资金主管部门|主管部门|预算单位|部门[（(]单位[)）]名称)\s*[:：]\s*(?P<name>[^\s:：]+)"
)
_UNIT = regex.compile(r"(?:金额)?单位\s*[:：]\s*(?P<unit>亿元|万元|千元|元)")
# Codes are 18 to 24 characters; bounded repeats keep a long run from being rescanned (quadratic).
_CODE_NAME = regex.compile(r"^(?P<code>[0-9A-Z]{8,40}[0-9A-Z-]{0,40}?)\s*[-－—_]?\s*(?P<name>[^\x00-\x7f].*)$", regex.S)
_TITLE_NUMBER = regex.compile(r"^\s*(?:(?:预算)?\d{1,3}\s*表|表\s*[0-9一二三四五六七八九十]+|\d{1,3}\s*[.、．])\s*")
_PERF_WORDS = regex.compile(r"项目名称|绩效目标|绩效指标|一级指标|三级指标|指标值|指标名称")
_INDICATOR_WORDS = frozenset({"绩效指标", "一级指标", "三级指标", "指标值", "指标名称"})
# The header row of an indicator table printed as a line of text (no ruling lines to make it a table):
# three column names or more, no sentence.
_HEADER_WORDS = regex.compile(r"一级指标|二级指标|三级指标|指标值|指标名称|指标内容|绩效指标")
_HEADER_LINE_LENGTH = 60
_SENTENCE = regex.compile(r"[，,。；;]")
_FRAGMENT_LENGTH = 40
_COLON = regex.compile(r"[:：]")
# code _ unit _ project, then the title's words: the project's name is only in the title
_TITLE_NAMES = regex.compile(
    r"^(?:(?:(?P<code>[0-9]{3,12})[_＿])?(?P<unit>[^_＿]{2,60})[_＿])?(?P<name>[^_＿]{2,80}?)(?:绩效目标表|绩效目标申报表)$"
)


@dataclass(slots=True)
class Context:
    """What the paragraphs before a table say of it."""

    title: str | None = None
    unit_name: str | None = None
    department: str | None = None
    amount_unit: str | None = None
    fragment: str | None = None  # a short line that may be a title's first line, wrapped

    def read(self, text: str, heading: bool = False) -> None:
        wrapped = (self.fragment or "") + text.strip()
        if PERF_TITLE.search(compact(wrapped)) and len(wrapped) <= 80 and not PERF_TITLE.search(compact(text)):
            self.title = _TITLE_NUMBER.sub("", wrapped)
        elif PERF_TITLE.search(compact(text)) and len(text) <= 80:
            self.title = _TITLE_NUMBER.sub("", (self.fragment or "") + text.strip())
        self.fragment = _title_fragment(text) if not heading else None
        for match in _CONTEXT.finditer(text):
            if "主管" in match.group("label"):
                self.department = match.group("name")
            else:
                self.unit_name = match.group("name")
        unit = _UNIT.search(text)
        if unit is not None:
            self.amount_unit = unit.group("unit")


def _title_fragment(text: str) -> str | None:
    """A line that may open a title wrapped over two lines (``301007_泉州市…_全国民航反``):
    short, no sentence, no label (no colon), not itself a title."""
    key = text.strip()
    if not key or len(key) > _FRAGMENT_LENGTH or _SENTENCE.search(key) or _COLON.search(key):
        return None
    return None if PERF_TITLE.search(compact(key)) else key


def _title_names(title: str | None) -> tuple[str | None, str | None, str | None]:
    """Unit code, unit and project a form's title names, for a form with no
    项目名称 cell: ``code_unit_project绩效目标表``
    (``301007_泉州市公安局晋江国际机场分局_全国民航反电诈中心建设项目绩效目标表``),
    or the project alone (``公务用车购置项目绩效目标表``); a table's generic
    title (项目支出绩效目标表) names none."""
    match = _TITLE_NAMES.match(compact(title or ""))
    if match is None or is_generic_title(match.group("name")):
        return None, None, None
    return match.group("code"), match.group("unit"), match.group("name")


@dataclass(slots=True)
class PerformanceTables:
    """The projects and department targets read, and what was seen."""

    projects: list[Project] = field(default_factory=list)
    department_targets: list[DepartmentTarget] = field(default_factory=list)
    seen: int = 0
    read: int = 0
    unread: list[Location] = field(default_factory=list)
    tables: set[int] = field(default_factory=set)  # ids of the tables read
    unruled: list[Location] = field(default_factory=list)  # header rows printed as text, no table after them


@dataclass(slots=True)
class _Segment:
    rows: list[list[Cell]]
    title: str | None
    table: Table
    titled: bool = False  # opened by a title row of its own: never a continuation

    @property
    def location(self) -> Location:
        return row_location(self.rows[0]).through(row_location(self.rows[-1])) if self.rows else self.table.location


@dataclass(slots=True)
class _Open:
    """A wide table whose last project may go on in the next table."""

    columns: IndicatorColumns
    project: Project
    key: tuple[str | None, ...]
    carry: LevelCarry


def _live_filled(row: Sequence[Cell]) -> list[Cell]:
    return [cell for cell in row if cell.text and not cell.covered]


def _title_row(row: Sequence[Cell]) -> str | None:
    filled = _live_filled(row)
    if len(filled) == 1 and PERF_TITLE.search(compact(filled[0].text)) and len(filled[0].text) <= 80:
        return _TITLE_NUMBER.sub("", filled[0].text.strip())
    return None


def _segments(table: Table, title: str | None) -> list[_Segment]:
    """The table cut at title rows and where a new 项目名称 block begins."""
    segments: list[_Segment] = []
    current = _Segment([], title, table)
    has_header = False
    for row in table.rows:
        row_title = _title_row(row)
        filled = _live_filled(row)
        restart = has_header and bool(filled) and block_field(filled[0].text) == "project_name"
        if row_title is not None or restart:
            if current.rows:
                segments.append(current)
            current = _Segment([] if row_title else [row], row_title or current.title, table, row_title is not None)
            has_header = False
            continue
        current.rows.append(row)
        has_header = has_header or find_indicator_header([row]) is not None
    if current.rows:
        segments.append(current)
    return segments


def _merges_known(table: Table) -> bool:
    return any(cell.covered or cell.row_span > 1 for row in table.rows for cell in row)


class _Reader:
    """Walks the document's blocks, reading every performance table."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.context = Context()
        self.out = PerformanceTables()
        self.open: _Open | None = None
        self.pending: _Segment | None = None  # a header block cut from its indicators by a page break
        self.last_target: DepartmentTarget | None = None
        self.last_project: Project | None = None  # the last form read, whose indicators may go on overleaf

    def paragraph(self, paragraph: Paragraph) -> None:
        """Text between two tables: the second is not the first one cut by a
        page break (page furniture never reaches here), so a pending header
        block ends unread (a workbook's sheet names, a title overleaf)."""
        if paragraph.text.strip():
            self._flush()
        self.context.read(paragraph.text, heading_of(paragraph) is not None)

    def finish(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if self.pending is not None and _looks_like_performance(self.pending):
            self.out.seen += 1
            self.out.unread.append(self.pending.location)
        self.pending = None

    def table(self, table: Table) -> None:
        for segment in _segments(table, self.context.title):
            self.segment(segment)
        self.context.title = self.context.fragment = None

    def segment(self, segment: _Segment) -> None:
        header = find_indicator_header(segment.rows)
        if header is None:
            self._headerless(segment)
            return
        if self.pending is not None and not segment.titled:
            segment = _Segment(self.pending.rows + segment.rows, self.pending.title, segment.table)
            header += len(self.pending.rows)
            self.pending = None
        self._flush()
        self.out.seen += 1
        self.out.read += 1
        self.out.tables.add(id(segment.table))
        columns = header_columns(segment.rows, header)
        block = read_block(segment.rows[: header - columns.rows_above])
        body = segment.rows[header + 1 + columns.rows_below :]
        wide = "project_name" in columns.fields.values() and "project_name" not in block.fields
        if wide and not is_department_title(segment.title or ""):
            self._wide(segment, block, columns, body)
        else:
            self.open = None
            self._form(segment, block, columns, body)

    def _headerless(self, segment: _Segment) -> None:
        labelled = any(block_field(c.text) for row in segment.rows[:1] for c in row if c.text)
        if self.open is not None and not segment.titled and not labelled:
            self._wide_rows(segment, self.open.columns, segment.rows, HeaderBlock())
            return
        self.open = None
        self._flush()
        if _looks_like_performance(segment) or any(
            block_field(cell.text) == "project_name" for row in segment.rows for cell in row if cell.text
        ):
            self.pending = segment

    # -- form layout -------------------------------------------------------

    def _form(self, segment: _Segment, block: HeaderBlock, columns: IndicatorColumns, rows: list[list[Cell]]) -> None:
        carry = LevelCarry()
        merges = _merges_known(segment.table)
        indicators: list[Indicator] = []
        for row in rows:
            if indicators and _name_goes_on(row, columns, indicators[-1]):
                continue
            found = read_indicators(row, columns, carry, merges, self.report)
            indicators.extend(found)
            if not found:
                _keep_row(block, row, columns)
        title = block.title or segment.title
        if _is_empty(block, indicators):
            return
        _annual_total(block)
        budget = self._budget(block.fields, title or "")
        if _is_department(title, block):
            self._department(segment, block, budget, indicators)
            return
        named = "project_name" in block.fields or _title_names(title)[2] is not None
        if not named and not block.fields and self._goes_on(segment):
            assert self.last_project is not None
            self.last_project.indicators.extend(indicators)
            return
        if not named and (self.last_target is None or segment.titled):
            self.report.add(PERFORMANCE_TABLE_UNATTACHED, segment.location, count=len(indicators))
            self.out.read -= 1
            self.out.unread.append(segment.location)
            return
        if not named and self.last_target is not None:
            self.last_target.indicators.extend(indicators)
            return
        self.last_target = None
        unit_code, unit_name, titled_name = _title_names(title)
        name = _text(block.fields.get("project_name")) or titled_name
        self.last_project = Project(
            seq=None,
            title=title or name or "绩效目标表",
            unit_code=unit_code,
            unit_name=_text(block.fields.get("unit_name")) or unit_name or self.context.unit_name,
            amount_unit=block.amount_unit or self.context.amount_unit,
            project_code=_text(block.fields.get("project_code")),
            project_name=name,
            budget=budget,
            purpose=None,
            schedule=[],
            goals=_goals(block.goals),
            indicators=indicators,
            location=model_location(segment.location),
            layout=_layout("form", columns, block),
            department=_text(block.fields.get("department")) or self.context.department,
            period_goals=_goals(block.period_goals),
            attributes=block.attributes,
        )
        self.out.projects.append(self.last_project)

    def _goes_on(self, segment: _Segment) -> bool:
        """Whether an indicator table naming nothing, untitled, carries on the
        last form's indicators overleaf (its columns drawn anew on the next page)."""
        last = self.last_project.location if self.last_project is not None else None
        page = segment.location.page
        return (
            last is not None
            and not segment.titled
            and segment.title is None
            and page is not None
            and last.page is not None
            and page == (last.end_page or last.page) + 1
        )

    def _department(
        self, segment: _Segment, block: HeaderBlock, budget: ProjectBudget, indicators: list[Indicator]
    ) -> None:
        self.last_project = None
        unit = _text(block.fields.get("unit_name")) or self.context.unit_name
        goals = _goals(block.goals)
        last = self.last_target
        if last is not None and not segment.titled and last.unit == unit and goals in ([], last.goals):
            last.indicators.extend(indicators)
            return
        self.last_target = DepartmentTarget(
            unit=unit,
            amount_unit=block.amount_unit or self.context.amount_unit,
            budget=budget,
            goals=goals,
            indicators=indicators,
            location=model_location(segment.location),
            attributes=block.attributes,
        )
        self.out.department_targets.append(self.last_target)

    def _budget(self, fields: dict[str, Cell], where: str) -> ProjectBudget:
        def amount(name: str) -> object:
            return self.report.cell_number(fields.get(name), f"{where} {name}")

        return ProjectBudget.model_validate({name: amount(name) for name in AMOUNT_FIELDS})

    # -- wide and flat layouts ---------------------------------------------

    def _wide(self, segment: _Segment, block: HeaderBlock, columns: IndicatorColumns, rows: list[list[Cell]]) -> None:
        self.last_project = None
        if block.amount_unit:
            self.context.amount_unit = block.amount_unit
        self._wide_rows(segment, columns, rows, block)

    def _wide_rows(
        self, segment: _Segment, columns: IndicatorColumns, rows: list[list[Cell]], block: HeaderBlock
    ) -> None:
        merges = _merges_known(segment.table)
        for group in _groups(rows, columns):
            cells, _ = row_cells(group[0], columns)
            key = _group_key(cells)
            start = key[0] is not None
            if start and self.open is not None and key == self.open.key:
                self._wide_indicators(self.open, group, merges)
            elif start:
                self._wide_project(segment, columns, cells, key, group, merges, block)
            elif self.open is not None:
                self._wide_indicators(self.open, group, merges)
            else:
                self._stray(group)

    def _wide_project(
        self,
        segment: _Segment,
        columns: IndicatorColumns,
        cells: dict[str, Cell],
        key: tuple[str | None, ...],
        group: list[list[Cell]],
        merges: bool,
        block: HeaderBlock,
    ) -> None:
        code, name = _code_and_name(_text(cells.get("project_code")), _text(cells.get("project_name")))
        code_cell = cells.get("project_code")
        if code is None and code_cell is not None and code_cell.covered and self.open is not None:
            code = self.open.project.unit_code or self.open.project.project_code  # a code merged over several groups
        title = segment.title or name or "绩效目标表"
        project = Project(
            seq=None,
            title=title,
            unit_code=code if code and "project_name" in columns.fields.values() and _is_unit_code(code) else None,
            unit_name=self.context.unit_name,
            amount_unit=block.amount_unit or self.context.amount_unit,
            project_code=code if code and not _is_unit_code(code) else None,
            project_name=name,
            budget=self._budget(cells, name or title),
            purpose=None,
            schedule=[],
            goals=split_goals(_text(cells.get("goals"))),
            indicators=[],
            location=model_location(row_location(group[0])),
            layout=_layout("wide", columns, block),
            department=self.context.department,
        )
        state = _Open(columns, project, key, LevelCarry())
        self._wide_indicators(state, group, merges)
        if not project.indicators and not project.goals:
            self._unit_row(project)
            return
        self.out.projects.append(project)
        self.open = state

    def _unit_row(self, project: Project) -> None:
        """A group with neither goals nor indicators: a unit's subtotal line
        (``126001 | 长沙市信访局 | 417.41``, ``广州市固体废物管理中心 | 163.39``), whose
        unit names the projects after it, or the table's total line (合计)."""
        if project.project_name and block_field(project.project_name) != "total":
            self.context.unit_name = project.project_name

    def _wide_indicators(self, state: _Open, group: list[list[Cell]], merges: bool) -> None:
        for row in group:
            state.project.indicators.extend(read_indicators(row, state.columns, state.carry, merges, self.report))
        if group and state.project.location is not None:
            end = model_location(row_location(group[-1]))
            if end is not None and end.page is not None and end.page != state.project.location.page:
                state.project.location.end_page = end.page

    def _stray(self, group: list[list[Cell]]) -> None:
        for row in group:
            for cell in _live_filled(row):
                self.report.add(UNPARSED_TEXT, cell.location, where="绩效目标表", text=cell.text)


def _groups(rows: list[list[Cell]], columns: IndicatorColumns) -> Iterable[list[list[Cell]]]:
    """Rows cut where a project's name (or code, without a name column) starts."""
    starter = "project_name" if "project_name" in columns.fields.values() else "project_code"
    group: list[list[Cell]] = []
    for row in rows:
        cells, _ = row_cells(row, columns)
        cell = cells.get(starter)
        if cell is not None and cell.text and not cell.covered and group:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _group_key(cells: dict[str, Cell]) -> tuple[str | None, ...]:
    def live(name: str) -> str | None:
        cell = cells.get(name)
        return cell.text if cell is not None and cell.text and not cell.covered else None

    return (live("project_name") or live("project_code"), live("total"))


def _code_and_name(code: str | None, name: str | None) -> tuple[str | None, str | None]:
    """``11000022T000000444016-医疗保障公众评价`` is a code and a name in one cell."""
    if name is not None:
        match = _CODE_NAME.match(name)
        if match is not None and code is None:
            return match.group("code"), match.group("name").strip()
    return code, name


def _is_unit_code(code: str) -> bool:
    """A unit's code (``126001``) rather than a project's (``11000022T000000444016``)."""
    return code.isdigit() and len(code) <= 9


def _name_goes_on(row: list[Cell], columns: IndicatorColumns, last: Indicator) -> bool:
    """A row holding only the rest of the indicator name above, beside its
    value's merged cell (``指标 2：做好抗旱减灾、森林防火及治污减霾工`` / ``作``):
    joined to that name.  Returns whether it was."""
    cells, _ = row_cells(row, columns)
    name, value = cells.get("level3"), cells.get("value")
    filled = _live_filled(row)
    if name is None or value is None or not value.covered or filled != [name] or last.level3 is None:
        return False
    last.level3 += name.text
    return True


def _keep_row(block: HeaderBlock, row: list[Cell], columns: IndicatorColumns) -> None:
    """A row below the indicators that holds none (备注, 总分): kept in attributes."""
    filled = [cell for cell in _live_filled(row) if id(cell) not in columns.used]
    if not filled:
        return
    label, values = filled[0], filled[1:]
    block.keep(label_key(label.text), None)
    if values:
        block.attributes[label_key(label.text)] = " | ".join(cell.text for cell in values)


def _annual_total(block: HeaderBlock) -> None:
    """A 实施期资金总额 printed alone (no annual amount beside it) is the project's total."""
    period = block.fields.get("period_total")
    if "total" not in block.fields and period is not None:
        block.fields["total"] = block.fields.pop("period_total")


def _is_department(title: str | None, block: HeaderBlock) -> bool:
    """A department-level table: so titled, or labelled 部门（单位）名称, 整体绩效目标, 年度主要任务."""
    if "project_name" in block.fields:
        return False
    return is_department_title(title or "") or any(
        is_department_title(label) or label.startswith("部门") or "主要任务" in label for label in block.labels
    )


def _is_empty(block: HeaderBlock, indicators: list[Indicator]) -> bool:
    """A blank template: no indicator and no field filled."""
    return not indicators and not any(cell.text for cell in block.fields.values()) and not block.goals


def _looks_like_performance(segment: _Segment) -> bool:
    """Performance words in the first rows, one of them an indicator's: two,
    or one under a performance title.  (A table of projects and their goals
    alone, with no indicator, is not a performance table.)"""
    words = {match.group() for row in segment.rows[:3] for cell in row for match in _PERF_WORDS.finditer(cell.text)}
    return bool(words & _INDICATOR_WORDS) and len(words) >= (1 if segment.title is not None else 2)


def _layout(shape: Layout, columns: IndicatorColumns, block: HeaderBlock) -> Layout:
    hint = columns.layout_hint
    if hint == "self_evaluation" or any("执行数" in key for key in block.attributes):
        return "self_evaluation"
    return "flat" if hint == "flat" else shape


def _goals(texts: list[str]) -> list[str]:
    return [goal for text in texts for goal in split_goals(text)]


def _text(cell: Cell | None) -> str | None:
    return cell.text if cell is not None and cell.text else None


def _is_header_line(text: str) -> bool:
    """Whether a paragraph reads as the header row of an indicator table."""
    key = compact(text)
    return (
        len(key) <= _HEADER_LINE_LENGTH and len(set(_HEADER_WORDS.findall(key))) >= 3 and _SENTENCE.search(key) is None
    )


def read_performance_tables(blocks: Iterable[Block], report: Report, skip: frozenset[int]) -> PerformanceTables:
    """Every performance table among ``blocks`` (those in ``skip`` were read
    as Hebei tables), in document order."""
    reader = _Reader(report)
    listed = list(blocks)
    for index, block in enumerate(listed):
        if isinstance(block, Paragraph):
            following = listed[index + 1] if index + 1 < len(listed) else None
            if _is_header_line(block.text) and not isinstance(following, Table):
                reader.out.unruled.append(block.location)
            reader.paragraph(block)
        elif id(block) not in skip:
            reader.table(block)
        else:
            reader.context.title = None
    reader.finish()
    return reader.out
