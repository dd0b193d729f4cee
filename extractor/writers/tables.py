"""The relational view of a disclosure: one table specification, and the rows.

`TABLES` names every table of the CSV set (OUTPUT.md, "CSV" and "Schema
version 2 / CSV and databases"), its columns with their types, primary key
and foreign keys.  The CSV writer, the Frictionless Data Package descriptor
and the SQL schema are all derived from it; `rows_of` flattens one
`Disclosure` into rows for those tables.

A column is declared once, as a path into a model (``budget_total`` is
``Project.budget.total``): its type comes from the model field's annotation
(`Decimal` → number, `int` → integer, `bool` → boolean, `Literal` → an
enumerated string, `str`, lists and dicts → free text) and its value from
the same path, so the header, the Data Package, the SQL DDL and the rows
cannot drift apart.  Its description is the model field's (the docstrings
in `extractor.models`), and a `Literal` field's values become the column's
enumeration; columns computed while flattening are described here.  Lists of text are joined with newlines; dicts
(``attributes``) are written as JSON text.

Keys hold in every layout: a project is keyed by its position in its
document (``project``, 1-based), not by its code, which other layouts omit
or repeat; schedule and indicator rows refer to it.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..budget.headline import YUAN
from ..models import (
    AssetRow,
    Assets,
    BudgetColumn,
    BudgetRow,
    BudgetTable,
    DepartmentTarget,
    Disclosure,
    GlossaryTerm,
    Indicator,
    Issue,
    LineItem,
    OperatingCosts,
    OrgUnit,
    Project,
    ScheduleEntry,
    SourceLocation,
    ThreePublic,
    ThreePublicRow,
    UnitBudget,
)

__all__ = ["TABLES", "Column", "Row", "TableSpec", "failure_rows", "file_rows", "in_yuan", "rows_of"]

ColumnType = Literal["string", "integer", "number", "boolean"]
Value = str | int | Decimal | bool | None
Row = dict[str, Value]
ForeignKey = tuple[tuple[str, ...], str, tuple[str, ...]]

#: What the columns computed while flattening hold (the others are described in the models).
_COMPUTED = {
    "doc_id": "The document's key (Disclosure.doc_id): file stem and the start of its sha256.",
    "parts_found": "How many of the nine topics the document has.",
    "projects": "Number of projects (performance-target tables) in the document.",
    "indicators": "Number of indicator rows over all its projects.",
    "errors": "Number of error-level issues.",
    "warnings": "Number of warning-level issues.",
    "status": "ok, or failed (the input could not be extracted or loaded; see failure).",
    "failure": "Why the input failed: stage, then the reason.",
    "path": "A path the document was found under (relative to the input folder, or as given).",
    "file": "File name of the input.",
    "stage": "Where it failed: read, segment, timeout, memory, worker, database or internal.",
    "reason": "Why, in one line.",
    "location": "Where in the source, as JSON text (line/end_line, table/row or page/bbox).",
    "row": "The record's position in its document or table (1-based).",
    "project": "The project's position in its document (1-based); with doc_id, the key of projects.",
    "target": "The department target's position in its document (1-based).",
    "table": "The budget table's position in its document (BudgetTable.seq); with doc_id, the key of budget_tables.",
    "amount": "The cell's amount in the table's unit (amount_unit), exact as printed.",
    "amount_yuan": "The amount in 元, exact (万元 × 10000, 千元 × 1000); null for a unit not known.",
    "figures_unit": (
        "The unit of the headline figures (income_total … assets_total): their blocks' unit when all agree, "
        "else 万元, each figure converted exactly."
    ),
}
_STATUSES = ("ok", "failed")

#: The item name under which a total is written beside its items.
TOTAL_ITEM = "合计"
#: The unit of the headline figures when their blocks' units differ.
HEADLINE_UNIT = "万元"
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType = "string"
    required: bool = False
    #: Attribute path in the model the column is read from; () when computed.
    path: tuple[str, ...] = ()
    #: What the column holds, for people (the Data Package's field descriptions).
    description: str = ""
    #: The values an enumerated column may take.
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    #: (local fields, referenced table, referenced fields)
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _bare(annotation: Any) -> Any:
    """The type inside ``Optional[...]`` and ``Annotated[...]``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _bare(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1:
            return _bare(inner[0])
    return annotation


def _column(model: type[BaseModel], name: str, path: tuple[str, ...]) -> Column:
    current: Any = model
    descriptions = []
    for attribute in path:
        field = current.model_fields[attribute]
        descriptions.append(field.description or "")
        current = _bare(field.annotation)
    origin = get_origin(current)
    # A nested field is described with its parent's description first (value_number: the value, its number).
    description = " — ".join([*(text.rstrip(".") for text in descriptions[:-1]), descriptions[-1]])
    described = Column(name, path=path, description=description)
    if current is Decimal:
        return replace(described, type="number")
    if current is bool:
        return replace(described, type="boolean")
    if current is int:
        return replace(described, type="integer")
    if origin is Literal:
        return replace(described, enum=tuple(str(value) for value in get_args(current)))
    if current is str or origin in (list, dict):
        return described
    raise TypeError(f"no column type for {model.__name__}.{'.'.join(path)}: {current!r}")


def _fields(model: type[BaseModel], spec: str) -> tuple[Column, ...]:
    """Columns read from a model: ``name`` (the field of that name) or
    ``name=dotted.path``, separated by spaces."""
    columns = []
    for item in spec.split():
        name, _, path = item.partition("=")
        columns.append(_column(model, name, tuple((path or name).split("."))))
    return tuple(columns)


def _computed(spec: str, kind: ColumnType = "string") -> tuple[Column, ...]:
    """Columns computed while flattening (positions, counts, keys)."""
    return tuple(Column(name, kind, description=_COMPUTED[name]) for name in spec.split())


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for attribute in path:
        if obj is None:
            return None
        obj = getattr(obj, attribute)
    return obj


def _cell(value: Any) -> Value:
    if isinstance(value, list) and any(isinstance(item, BaseModel) for item in value):
        return json.dumps([item.model_dump(mode="json") for item in value], ensure_ascii=False)
    if isinstance(value, list):
        return "\n".join(value) or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value  # type: ignore[no-any-return]


def _values(columns: tuple[Column, ...], obj: Any) -> Row:
    return {column.name: _cell(_get(obj, column.path)) for column in columns}


# Column groups, in the contract's order (version 1 columns, then version 2's,
# then the project's own additions: keys, positions, status).
_DOCUMENT = _fields(Disclosure, "file=source.file format=source.format sha256=source.sha256 title department year")
_DOCUMENT_COUNTS = _computed("parts_found projects indicators errors warnings", "integer")
_DOCUMENT_V2 = _fields(
    Disclosure,
    "path=source.path template kind "
    + " ".join(
        f"{name}=extraction.{name}"
        for name in (
            "tables_seen",
            "tables_read",
            "performance_tables_seen",
            "performance_tables_read",
            "characters",
            "characters_placed",
            "characters_reported",
        )
    ),
)
#: Version 3's headline figures, each in its block's unit (converted to ``figures_unit`` by `_headline`).
_HEADLINE = _fields(
    Disclosure,
    "income_total=budget_overview.income.total income_current_year=budget_overview.income.current_year "
    "expenditure_total=budget_overview.expenditure.total "
    "expenditure_current_year=budget_overview.expenditure.current_year "
    "three_public_total=three_public.total.current operating_costs_total=operating_costs.total "
    "procurement_total=procurement.total assets_total=assets.total",
)
_FIGURES_UNIT = _computed("figures_unit")
_STATUS = (
    Column("status", description=_COMPUTED["status"], enum=_STATUSES),
    Column("failure", description=_COMPUTED["failure"]),
)
_PROJECT = _fields(
    Project,
    "seq unit_code unit_name project_code project_name amount_unit budget_total=budget.total "
    "budget_fiscal=budget.fiscal budget_other=budget.other purpose goals "
    "layout department budget_carryover=budget.carryover budget_period_total=budget.period_total "
    "period_goals attributes",
)
_PROJECT_CODE = _fields(Project, "project_code")
_SCHEDULE = _fields(ScheduleEntry, "checkpoint percent")
_INDICATOR = _fields(
    Indicator,
    "level1 level2 level3 description value_raw=value.raw value_op=value.op value_number=value.number "
    "value_upper=value.upper value_unit=value.unit value_redacted=value.redacted basis "
    "weight nature scoring core period_value_raw=period_value.raw actual_raw=actual.raw score deviation attributes",
)
_TARGET = _fields(
    DepartmentTarget,
    "unit amount_unit budget_total=budget.total budget_fiscal=budget.fiscal budget_other=budget.other "
    "budget_carryover=budget.carryover budget_period_total=budget.period_total goals attributes",
)
_ORG_UNIT = _fields(OrgUnit, "seq name nature level funding")
_OPERATING = _fields(LineItem, "name amount")
_OPERATING_UNIT = _fields(OperatingCosts, "amount_unit")
_THREE_PUBLIC = _fields(ThreePublicRow, "item previous current change reason")
_THREE_PUBLIC_UNIT = _fields(ThreePublic, "amount_unit")
_THREE_PUBLIC_SUBITEM = _fields(ThreePublicRow, "subitem")
_UNIT_BUDGET = _fields(UnitBudget, "unit")
_UNIT_BUDGET_ITEM = _fields(LineItem, "item=name amount")
_UNIT_BUDGET_UNIT = _fields(UnitBudget, "amount_unit")
_ASSET = _fields(AssetRow, "item quantity value")
_ASSET_UNIT = _fields(Assets, "amount_unit")
_ASSET_SUBITEM = _fields(AssetRow, "subitem")
_GLOSSARY = _fields(GlossaryTerm, "term definition")
_ISSUE = _fields(Issue, "severity code message part project_seq")
_BUDGET_TABLE_KEY = _computed("table", "integer")
_BUDGET_TABLE = _fields(
    BudgetTable, "label title kind amount_unit columns empty note page=location.page end_page=location.end_page"
)
_BUDGET_ROW = _fields(BudgetRow, "side code level parent_code econ_code name")
_BUDGET_COLUMN = _fields(BudgetColumn, "column=name measure")
_BUDGET_AMOUNT = _computed("amount", "number")
_BUDGET_UNIT = _fields(BudgetTable, "amount_unit")
_BUDGET_YUAN = _computed("amount_yuan", "number")
_ROW = _computed("row", "integer")
#: The project an issue is about, keyed as projects.csv: by its table's number (project_seq), or
#: where a layout numbers none, the project whose source span holds the issue's location.  (Not its
#: indicator row: real layouts give a form's rows one box, which would guess.)
_ISSUE_KEYS = _computed("project", "integer")
_PROJECT_KEY = _computed("project", "integer")
_TARGET_KEY = _computed("target", "integer")
_PATH = (Column("path", description=_COMPUTED["path"]),)
_FAILURE = (
    Column("file", description=_COMPUTED["file"]),
    Column("stage", description=_COMPUTED["stage"]),
    Column("reason", description=_COMPUTED["reason"]),
)


def _spec(
    name: str,
    *groups: tuple[Column, ...],
    key: tuple[str, ...],
    parent: ForeignKey | None = None,
) -> TableSpec:
    """A table whose columns follow ``doc_id``; every other table refers to
    its document.  Key columns are required."""
    columns = [Column("doc_id", required=True, description=_COMPUTED["doc_id"])]
    for group in groups:
        columns.extend(replace(c, required=True) if c.name in key else c for c in group)
    keys: list[ForeignKey] = [] if name == "documents" else [(("doc_id",), "documents", ("doc_id",))]
    if parent is not None:
        keys.append(parent)
    return TableSpec(name, tuple(columns), ("doc_id", *key), tuple(keys))


_TO_PROJECT: ForeignKey = (("doc_id", "project"), "projects", ("doc_id", "project"))
_TO_TARGET: ForeignKey = (("doc_id", "target"), "department_targets", ("doc_id", "target"))
_TO_BUDGET_TABLE: ForeignKey = (("doc_id", "table"), "budget_tables", ("doc_id", "table"))

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        _spec("documents", _DOCUMENT, _DOCUMENT_COUNTS, _DOCUMENT_V2, _HEADLINE, _FIGURES_UNIT, _STATUS, key=()),
        # Every path a document was found under (identical files are one document).
        _spec("files", _PATH, key=("path",)),
        _spec("projects", _PROJECT, _PROJECT_KEY, key=("project",)),
        _spec("schedule", _PROJECT_CODE, _SCHEDULE, _PROJECT_KEY, _ROW, key=("project", "row"), parent=_TO_PROJECT),
        _spec("indicators", _PROJECT_CODE, _ROW, _INDICATOR, _PROJECT_KEY, key=("project", "row"), parent=_TO_PROJECT),
        _spec("department_targets", _TARGET_KEY, _TARGET, key=("target",)),
        _spec("department_indicators", _TARGET_KEY, _ROW, _INDICATOR, key=("target", "row"), parent=_TO_TARGET),
        # Tables without a natural unique key get a trailing ``row``: the record's
        # position in its document (columns beyond the contract's come last).
        _spec("org_units", _ORG_UNIT, _ROW, key=("row",)),
        _spec("operating_costs", _OPERATING, _OPERATING_UNIT, _ROW, key=("row",)),
        _spec("three_public", _THREE_PUBLIC, _THREE_PUBLIC_UNIT, _ROW, _THREE_PUBLIC_SUBITEM, key=("row",)),
        _spec("unit_budgets", _UNIT_BUDGET, _UNIT_BUDGET_ITEM, _UNIT_BUDGET_UNIT, _ROW, key=("row",)),
        _spec("assets", _ASSET, _ASSET_UNIT, _ROW, _ASSET_SUBITEM, key=("row",)),
        _spec("glossary", _GLOSSARY, _ROW, key=("row",)),
        # Version 3: the standard budget tables, and one line per amount cell.
        _spec("budget_tables", _BUDGET_TABLE_KEY, _BUDGET_TABLE, key=("table",)),
        _spec(
            "budget_lines",
            _BUDGET_TABLE_KEY,
            _ROW,
            _BUDGET_ROW,
            _BUDGET_COLUMN,
            _BUDGET_AMOUNT,
            _BUDGET_UNIT,
            _BUDGET_YUAN,
            key=("table", "row", "column"),
            parent=_TO_BUDGET_TABLE,
        ),
        _spec("failures", _FAILURE, key=()),
        # No foreign key to projects: most issues are about no project (project null), which a
        # Data Package's composite foreign key (doc_id, project) does not allow.
        _spec("issues", _ISSUE, _computed("location"), _ROW, _ISSUE_KEYS, key=("row",)),
    )
}


def rows_of(doc_id: str, d: Disclosure) -> Iterator[tuple[str, Row]]:
    """Every row of the relational view of one disclosure, as (table, row),
    except its ``files`` rows (`file_rows`: the paths are the run's)."""
    projects = d.performance.projects if d.performance else []
    severities = [issue.severity for issue in d.issues]
    yield (
        "documents",
        {
            "doc_id": doc_id,
            **_values(_DOCUMENT, d),
            "parts_found": sum(1 for p in d.parts if p.found),
            "projects": len(projects),
            "indicators": sum(len(p.indicators) for p in projects),
            "errors": severities.count("error"),
            "warnings": severities.count("warning"),
            **_values(_DOCUMENT_V2, d),
            **_headline(d),
            "status": "ok",
            "failure": None,
        },
    )
    for number, p in enumerate(projects, start=1):
        yield "projects", {"doc_id": doc_id, **_values(_PROJECT, p), "project": number}
        code = p.project_code
        for position, entry in enumerate(p.schedule, start=1):
            yield (
                "schedule",
                {
                    "doc_id": doc_id,
                    "project_code": code,
                    **_values(_SCHEDULE, entry),
                    "project": number,
                    "row": position,
                },
            )
        for position, i in enumerate(p.indicators, start=1):
            yield (
                "indicators",
                {"doc_id": doc_id, "project_code": code, "row": position, **_values(_INDICATOR, i), "project": number},
            )
    for number, target in enumerate(d.performance.department_targets if d.performance else [], start=1):
        yield "department_targets", {"doc_id": doc_id, "target": number, **_values(_TARGET, target)}
        for position, i in enumerate(target.indicators, start=1):
            yield (
                "department_indicators",
                {"doc_id": doc_id, "target": number, "row": position, **_values(_INDICATOR, i)},
            )
    positions: dict[str, int] = {}
    for table, row in _part_rows(d):
        positions[table] = positions.get(table, 0) + 1
        yield table, {"doc_id": doc_id, **row, "row": positions[table]}
    for number, budget in enumerate(d.budget_tables, start=1):
        yield "budget_tables", {"doc_id": doc_id, "table": number, **_values(_BUDGET_TABLE, budget)}
        for line in _budget_lines(budget):
            yield "budget_lines", {"doc_id": doc_id, "table": number, **line}
    for number, issue in enumerate(d.issues, start=1):
        location = json.dumps(issue.location.model_dump(), ensure_ascii=False) if issue.location else None
        project = _issue_project(issue, projects)
        yield (
            "issues",
            {
                "doc_id": doc_id,
                **_values(_ISSUE, issue),
                "location": location,
                "row": number,
                "project": project,
            },
        )


def file_rows(doc_id: str, paths: Iterable[str]) -> Iterator[tuple[str, Row]]:
    """The ``files`` rows: each path a document was found under."""
    for path in paths:
        yield "files", {"doc_id": doc_id, "path": path}


def failure_rows(doc_id: str, file: str, path: str, sha256: str, stage: str, reason: str) -> Iterator[tuple[str, Row]]:
    """The rows recording an input that could not be extracted."""
    empty = dict.fromkeys(TABLES["documents"].column_names)
    yield (
        "documents",
        {
            **empty,
            "doc_id": doc_id,
            "file": file,
            "sha256": sha256 or None,
            "path": path,
            "status": "failed",
            "failure": f"{stage}: {reason}",
        },
    )
    yield "failures", {"doc_id": doc_id, "file": file, "stage": stage, "reason": reason}


def in_yuan(amount: Decimal, unit: str) -> Decimal | None:
    """An amount in 元, exactly (Decimal arithmetic: no float); None for a unit not known."""
    factor = YUAN.get(unit.strip())
    if factor is None:
        return None
    yuan = amount * factor  # 12.30 万元 is 123000.00: written 123000, a fraction of a 元 kept (0.5)
    return yuan.quantize(_ONE) if yuan == yuan.to_integral_value() else yuan.normalize()


def _in_unit(amount: Decimal, unit: str | None, target: str) -> Decimal | None:
    """An amount converted exactly from ``unit`` to ``target``; None for a unit not known."""
    if unit == target:
        return amount
    yuan = in_yuan(amount, unit or "")
    return None if yuan is None or target not in YUAN else yuan / YUAN[target]


def _headline(d: Disclosure) -> Row:
    """The headline figures in one unit (`figures_unit`): their blocks' unit
    when all agree, else 万元 (a 单位预算 in 元 beside 三公 in 万元)."""
    figures = [(column.name, _get(d, column.path), _get(d, (column.path[0], "amount_unit"))) for column in _HEADLINE]
    units = {unit for _, value, unit in figures if value is not None}
    unit = None if not units else units.pop() if len(units) == 1 else HEADLINE_UNIT
    row: Row = {name: None if value is None else _in_unit(value, own, unit or "") for name, value, own in figures}
    row["figures_unit"] = unit
    return row


def _budget_lines(table: BudgetTable) -> Iterator[Row]:
    """One line per non-empty amount cell of a budget table (``doc_id`` and
    ``table`` added by the caller).  A row's amounts are keyed by column
    name, unique in the row, so (table, row, column) is a key; a name the
    columns do not list (none seen) is kept, with a null measure."""
    unit = _values(_BUDGET_UNIT, table)
    columns: dict[str, BudgetColumn] = {}
    for column in table.columns:
        columns.setdefault(column.name, column)
    for position, row in enumerate(table.rows, start=1):
        head = {"row": position, **_values(_BUDGET_ROW, row)}
        for name in [*columns, *(name for name in row.amounts if name not in columns)]:
            amount = row.amounts.get(name)
            if amount is None:
                continue
            column = columns.get(name) or BudgetColumn(name=name, measure=None)
            yield {
                **head,
                **_values(_BUDGET_COLUMN, column),
                "amount": amount,
                **unit,
                "amount_yuan": in_yuan(amount, table.amount_unit),
            }


def _holds(span: SourceLocation | None, point: SourceLocation) -> tuple[int, float] | None:
    """Whether a record's source span holds a location; its start (to prefer
    the record starting last, the innermost) when it does."""
    if span is None:
        return None
    if span.page is not None and point.page is not None:
        last = span.end_page or span.page
        if not span.page <= point.page <= last:
            return None
        if span.bbox and point.bbox:
            if point.page == span.page and point.bbox[1] < span.bbox[1] - 1:
                return None
            if point.page == last == span.page and point.bbox[3] > span.bbox[3] + 1:
                return None
        return span.page, span.bbox[1] if span.bbox else 0.0
    if span.line is not None and point.line is not None:
        inside = span.line <= point.line <= (span.end_line or span.line)
        return (span.line, 0.0) if inside else None
    if span.table is not None and point.table is not None:
        inside = span.table <= point.table <= (span.end_table or span.table)
        if inside and span.row is not None and point.row is not None and point.table == span.table:
            inside = point.row >= span.row
        return (span.table, float(span.row or 0)) if inside else None
    return None


def _innermost(spans: Iterable[tuple[int, SourceLocation | None]], point: SourceLocation) -> int | None:
    """The record whose span holds ``point`` and starts last; None when none
    does, or when several start there (records given one box: no guess)."""
    found = [(start, number) for number, span in spans for start in [_holds(span, point)] if start is not None]
    if not found:
        return None
    last = max(start for start, _ in found)
    (number, *others) = [number for start, number in found if start == last]
    return None if others else number


def _issue_project(issue: Issue, projects: list[Project]) -> int | None:
    """The project an issue is about, as projects.csv keys it: by project_seq
    where the layout numbers its tables, else by where the issue points."""
    if issue.project_seq is not None:
        return next((n for n, p in enumerate(projects, start=1) if p.seq == issue.project_seq), None)
    if issue.location is None:
        return None
    return _innermost(((n, p.location) for n, p in enumerate(projects, start=1)), issue.location)


def _part_rows(d: Disclosure) -> Iterator[tuple[str, Row]]:
    """Rows of the tables keyed by position (``row`` and ``doc_id`` added by the caller)."""
    if d.organization:
        for org in d.organization.units:
            yield "org_units", _values(_ORG_UNIT, org)
    if d.operating_costs:
        unit = _values(_OPERATING_UNIT, d.operating_costs)
        for item in d.operating_costs.items:
            yield "operating_costs", {**_values(_OPERATING, item), **unit}
    if d.three_public:
        unit = _values(_THREE_PUBLIC_UNIT, d.three_public)
        for row in d.three_public.rows:
            yield "three_public", {**_values(_THREE_PUBLIC, row), **unit, **_values(_THREE_PUBLIC_SUBITEM, row)}
        total = d.three_public.total
        if total is not None:
            yield (
                "three_public",
                {"item": TOTAL_ITEM, **_values(_THREE_PUBLIC[1:], total), **unit, "subitem": False},
            )
    if d.performance:
        for budget in d.performance.unit_budgets:
            head = {**_values(_UNIT_BUDGET, budget), **_values(_UNIT_BUDGET_UNIT, budget)}
            for item in budget.items:
                yield "unit_budgets", {**head, **_values(_UNIT_BUDGET_ITEM, item)}
            yield "unit_budgets", {**head, "item": TOTAL_ITEM, "amount": budget.total}
    if d.assets:
        unit = _values(_ASSET_UNIT, d.assets)
        for asset in d.assets.rows:
            yield "assets", {**_values(_ASSET, asset), **unit, **_values(_ASSET_SUBITEM, asset)}
        yield "assets", {"item": TOTAL_ITEM, "quantity": None, "value": d.assets.total, **unit, "subitem": False}
    for term in d.glossary or []:
        yield "glossary", _values(_GLOSSARY, term)
