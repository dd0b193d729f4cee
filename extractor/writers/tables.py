"""The relational view of a disclosure: one table specification, and the rows.

`TABLES` names every table of the CSV set (OUTPUT.md, "CSV"), its columns
with their types, primary key and foreign keys.  The CSV writer, the
Frictionless Data Package descriptor and the SQL schema are all derived
from it; `rows_of` flattens one `Disclosure` into rows for those tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from ..models import Disclosure

__all__ = ["TABLES", "Column", "DocIds", "Row", "TableSpec", "failure_rows", "rows_of"]

ColumnType = Literal["string", "integer", "number", "boolean"]
Value = str | int | Decimal | bool | None
Row = dict[str, Value]

#: The item name under which a total is written beside its items.
TOTAL_ITEM = "合计"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType = "string"
    required: bool = False


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    #: (local fields, referenced table, referenced fields)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _spec(
    name: str,
    columns: str,
    key: tuple[str, ...],
    *,
    types: dict[str, ColumnType] | None = None,
    parent: tuple[tuple[str, ...], str, tuple[str, ...]] | None = None,
) -> TableSpec:
    """A table whose columns follow ``doc_id``; every child table refers to its document."""
    types = types or {}
    cols = (
        Column("doc_id", required=True),
        *(Column(c, types.get(c, "string"), required=c in key) for c in columns.split()),
    )
    keys: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = []
    if name != "documents":
        keys.append((("doc_id",), "documents", ("doc_id",)))
    if parent is not None:
        keys.append(parent)
    return TableSpec(name, cols, ("doc_id", *key), tuple(keys))


_AMOUNTS: dict[str, ColumnType] = {
    c: "number"
    for c in (
        "amount",
        "budget_total",
        "budget_fiscal",
        "budget_other",
        "previous",
        "current",
        "change",
        "quantity",
        "value",
        "percent",
        "value_number",
        "value_upper",
    )
}
_ROW: dict[str, ColumnType] = {"row": "integer"}
_PROJECT = (("doc_id", "project_code"), "projects", ("doc_id", "project_code"))

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "documents",
            # status (ok | failed) and failure (stage: reason) follow the contract's columns
            "file format sha256 title department year parts_found projects indicators errors warnings status failure",
            (),
            types={
                "year": "integer",
                "parts_found": "integer",
                "projects": "integer",
                "indicators": "integer",
                "errors": "integer",
                "warnings": "integer",
            },
        ),
        _spec(
            "projects",
            "seq unit_code unit_name project_code project_name amount_unit budget_total budget_fiscal "
            "budget_other purpose goals",
            ("project_code",),
            types={"seq": "integer", **_AMOUNTS},
        ),
        _spec(
            "schedule",
            "project_code checkpoint percent",
            ("project_code", "checkpoint"),
            types=_AMOUNTS,
            parent=_PROJECT,
        ),
        _spec(
            "indicators",
            "project_code row level1 level2 level3 description value_raw value_op value_number "
            "value_upper value_unit value_redacted basis",
            ("project_code", "row"),
            types={"row": "integer", "value_redacted": "boolean", **_AMOUNTS},
            parent=_PROJECT,
        ),
        # Tables without a natural unique key get a trailing ``row``: the record's
        # position in its document (columns beyond the contract's come last).
        _spec("org_units", "seq name nature level funding row", ("row",), types={"seq": "integer", **_ROW}),
        _spec("operating_costs", "name amount amount_unit row", ("row",), types={**_AMOUNTS, **_ROW}),
        _spec(
            "three_public",
            "item previous current change reason amount_unit row subitem",
            ("row",),
            types={**_AMOUNTS, **_ROW, "subitem": "boolean"},
        ),
        _spec("unit_budgets", "unit item amount amount_unit row", ("row",), types={**_AMOUNTS, **_ROW}),
        _spec(
            "assets",
            "item quantity value amount_unit row subitem",
            ("row",),
            types={**_AMOUNTS, **_ROW, "subitem": "boolean"},
        ),
        _spec("glossary", "term definition row", ("row",), types=_ROW),
        _spec("failures", "file stage reason", ()),
        _spec(
            "issues",
            "severity code message part project_seq location row",
            ("row",),
            types={"part": "integer", "project_seq": "integer", **_ROW},
        ),
    )
}
# The documents table's primary key is the document itself.
TABLES["documents"] = TableSpec("documents", TABLES["documents"].columns, ("doc_id",))


class DocIds:
    """doc_id of each input of a run: the file's stem, with the first eight
    hex digits of its sha256 added where two inputs share a stem."""

    def __init__(self, files: list[Path]) -> None:
        self._counts: dict[str, int] = {}
        for file in files:
            self._counts[file.stem] = self._counts.get(file.stem, 0) + 1

    def __call__(self, file: Path, sha256: str) -> str:
        return file.stem if self._counts.get(file.stem, 0) <= 1 else f"{file.stem}-{sha256[:8]}"


def rows_of(doc_id: str, d: Disclosure) -> Iterator[tuple[str, Row]]:
    """Every row of the relational view of one disclosure, as (table, row)."""
    projects = d.performance.projects if d.performance else []
    severities = [issue.severity for issue in d.issues]
    yield (
        "documents",
        {
            "doc_id": doc_id,
            "file": d.source.file,
            "format": d.source.format,
            "sha256": d.source.sha256,
            "title": d.title,
            "department": d.department,
            "year": d.year,
            "parts_found": sum(1 for p in d.parts if p.found),
            "projects": len(projects),
            "indicators": sum(len(p.indicators) for p in projects),
            "errors": severities.count("error"),
            "warnings": severities.count("warning"),
            "status": "ok",
            "failure": None,
        },
    )
    for p in projects:
        yield (
            "projects",
            {
                "doc_id": doc_id,
                "seq": p.seq,
                "unit_code": p.unit_code,
                "unit_name": p.unit_name,
                "project_code": p.project_code,
                "project_name": p.project_name,
                "amount_unit": p.amount_unit,
                "budget_total": p.budget.total,
                "budget_fiscal": p.budget.fiscal,
                "budget_other": p.budget.other,
                "purpose": p.purpose,
                "goals": "\n".join(p.goals) or None,
            },
        )
        for entry in p.schedule:
            yield (
                "schedule",
                {
                    "doc_id": doc_id,
                    "project_code": p.project_code,
                    "checkpoint": entry.checkpoint,
                    "percent": entry.percent,
                },
            )
        for number, i in enumerate(p.indicators, start=1):
            yield (
                "indicators",
                {
                    "doc_id": doc_id,
                    "project_code": p.project_code,
                    "row": number,
                    "level1": i.level1,
                    "level2": i.level2,
                    "level3": i.level3,
                    "description": i.description,
                    "value_raw": i.value.raw,
                    "value_op": i.value.op,
                    "value_number": i.value.number,
                    "value_upper": i.value.upper,
                    "value_unit": i.value.unit,
                    "value_redacted": i.value.redacted,
                    "basis": i.basis,
                },
            )
    positions: dict[str, int] = {}
    for table, row in _part_rows(doc_id, d):
        positions[table] = positions.get(table, 0) + 1
        row["row"] = positions[table]
        yield table, row
    for number, issue in enumerate(d.issues, start=1):
        yield (
            "issues",
            {
                "doc_id": doc_id,
                "severity": issue.severity,
                "code": issue.code,
                "message": issue.message,
                "part": issue.part,
                "project_seq": issue.project_seq,
                "location": json.dumps(issue.location.model_dump(), ensure_ascii=False) if issue.location else None,
                "row": number,
            },
        )


def failure_rows(doc_id: str, file: str, sha256: str, stage: str, reason: str) -> Iterator[tuple[str, Row]]:
    """The rows recording an input that could not be extracted."""
    empty = dict.fromkeys(TABLES["documents"].column_names)
    yield (
        "documents",
        {
            **empty,
            "doc_id": doc_id,
            "file": file,
            "sha256": sha256 or None,
            "status": "failed",
            "failure": f"{stage}: {reason}",
        },
    )
    yield "failures", {"doc_id": doc_id, "file": file, "stage": stage, "reason": reason}


def _part_rows(doc_id: str, d: Disclosure) -> Iterator[tuple[str, Row]]:
    if d.organization:
        for org in d.organization.units:
            yield (
                "org_units",
                {
                    "doc_id": doc_id,
                    "seq": org.seq,
                    "name": org.name,
                    "nature": org.nature,
                    "level": org.level,
                    "funding": org.funding,
                },
            )
    if d.operating_costs:
        unit = d.operating_costs.amount_unit
        for item in d.operating_costs.items:
            yield "operating_costs", {"doc_id": doc_id, "name": item.name, "amount": item.amount, "amount_unit": unit}
    if d.three_public:
        unit = d.three_public.amount_unit
        for row in d.three_public.rows:
            yield (
                "three_public",
                {
                    "doc_id": doc_id,
                    "item": row.item,
                    "previous": row.previous,
                    "current": row.current,
                    "change": row.change,
                    "reason": row.reason,
                    "amount_unit": unit,
                    "subitem": row.subitem,
                },
            )
        total = d.three_public.total
        if total is not None:
            yield (
                "three_public",
                {
                    "doc_id": doc_id,
                    "item": TOTAL_ITEM,
                    "previous": total.previous,
                    "current": total.current,
                    "change": total.change,
                    "reason": total.reason,
                    "amount_unit": unit,
                    "subitem": False,
                },
            )
    if d.performance:
        for budget in d.performance.unit_budgets:
            for item in budget.items:
                yield (
                    "unit_budgets",
                    {
                        "doc_id": doc_id,
                        "unit": budget.unit,
                        "item": item.name,
                        "amount": item.amount,
                        "amount_unit": budget.amount_unit,
                    },
                )
            yield (
                "unit_budgets",
                {
                    "doc_id": doc_id,
                    "unit": budget.unit,
                    "item": TOTAL_ITEM,
                    "amount": budget.total,
                    "amount_unit": budget.amount_unit,
                },
            )
    if d.assets:
        for asset in d.assets.rows:
            yield (
                "assets",
                {
                    "doc_id": doc_id,
                    "item": asset.item,
                    "quantity": asset.quantity,
                    "value": asset.value,
                    "amount_unit": d.assets.amount_unit,
                    "subitem": asset.subitem,
                },
            )
        yield (
            "assets",
            {
                "doc_id": doc_id,
                "item": TOTAL_ITEM,
                "quantity": None,
                "value": d.assets.total,
                "amount_unit": d.assets.amount_unit,
                "subitem": False,
            },
        )
    for term in d.glossary or []:
        yield "glossary", {"doc_id": doc_id, "term": term.term, "definition": term.definition}
