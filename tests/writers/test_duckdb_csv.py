"""DuckDB's ``read_csv_auto`` on the CSV set agrees with the Data Package's declared types.

Unhinted, DuckDB sniffs every column: whatever it finds must be what the
descriptor declares (a number column holds numbers, a boolean one true and
false …), except for codes, which look like numbers (``201001``) and are
declared text; read with the descriptor's types (as the README shows), every
column has its declared type and codes keep every character."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from extractor.writers.json import loads
from tests.writers.test_csv import DOC

#: The DuckDB type each Table Schema type is read as (amounts exact).
DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DECIMAL(38,10)", "boolean": "BOOLEAN"}
#: What DuckDB's sniffer may find in a column of each declared type.
SNIFFED = {
    "string": {"VARCHAR"},
    "integer": {"BIGINT"},
    "number": {"BIGINT", "DOUBLE"},
    "boolean": {"BOOLEAN"},
}


def _resources(folder: Path) -> list[dict[str, Any]]:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources: list[dict[str, Any]] = descriptor["resources"]
    return resources


def _sniffed(connection: duckdb.DuckDBPyConnection, file: Path) -> dict[str, str]:
    rows = connection.execute(f"DESCRIBE SELECT * FROM read_csv_auto('{file}', header = true)").fetchall()
    return {row[0]: row[1] for row in rows}


def _filled(connection: duckdb.DuckDBPyConnection, file: Path, column: str) -> bool:
    query = f"SELECT count(\"{column}\") FROM read_csv_auto('{file}', header = true, all_varchar = true)"
    row = connection.execute(query).fetchone()
    return row is not None and row[0] > 0


def sniffed_disagreements(folder: Path) -> tuple[int, set[tuple[str, str, str]]]:
    """How many filled columns DuckDB sniffed unhinted, and those whose
    sniffed type is not what the descriptor declares (resource, field, type)."""
    connection = duckdb.connect()
    disagreements = set()
    checked = 0
    for resource in _resources(folder):
        file = folder / resource["path"]
        sniffed = _sniffed(connection, file)
        for field in resource["schema"]["fields"]:
            if not _filled(connection, file, field["name"]):
                continue  # an empty column says nothing about its type
            checked += 1
            if sniffed[field["name"]] not in SNIFFED[field["type"]]:
                disagreements.add((resource["name"], field["name"], sniffed[field["name"]]))
    return checked, disagreements


def declared_types_read(folder: Path) -> dict[str, bool]:
    """Per resource: whether read with the descriptor's types, every column has its declared type."""
    read = {}
    for resource in _resources(folder):
        declared = {field["name"]: DUCKDB_TYPES[field["type"]] for field in resource["schema"]["fields"]}
        file = folder / resource["path"]
        rows = duckdb.connect().execute(
            f"DESCRIBE SELECT * FROM read_csv_auto('{file}', header = true, types = {declared!r})"
        ).fetchall()
        read[resource["name"]] = {row[0]: row[1] for row in rows} == declared
    return read


def test_unhinted_read_csv_auto_agrees_except_codes(csv_out: Path) -> None:
    checked, disagreements = sniffed_disagreements(csv_out)
    assert checked > 100
    # Only codes disagree: they look like integers and are declared text.
    assert disagreements == {("projects", "unit_code", "BIGINT")}


def test_read_with_declared_types(csv_out: Path) -> None:
    read = declared_types_read(csv_out)
    assert {"projects", "indicators", "documents", "issues", "three_public", "assets"} <= set(read)
    assert all(read.values()), read


def test_codes_and_amounts_read_back_exactly(csv_out: Path) -> None:
    resource = next(r for r in _resources(csv_out) if r["name"] == "projects")
    declared = {field["name"]: DUCKDB_TYPES[field["type"]] for field in resource["schema"]["fields"]}
    query = (
        f"SELECT unit_code, sum(budget_total) FROM read_csv_auto('{csv_out / 'projects.csv'}', header = true, "
        f"types = {declared!r}) GROUP BY unit_code ORDER BY unit_code"
    )
    totals = dict(duckdb.connect().execute(query).fetchall())
    document = loads((csv_out / f"{DOC}.json").read_text(encoding="utf-8"))
    assert document.performance is not None
    expected: dict[str, Decimal] = {}
    for project in document.performance.projects:
        assert project.unit_code is not None and project.budget.total is not None
        expected[project.unit_code] = expected.get(project.unit_code, Decimal(0)) + project.budget.total
    assert totals == expected
    assert "201001" in totals  # the code as printed, a string
