"""Schema version 3's outputs on the real disclosures (../shared/real):
budget_tables and budget_lines in the CSV set, SQLite, Parquet and
PostgreSQL, the headline columns of documents, the Data Package.

One run of the command over every real PDF (the two non-disclosures fail,
as they should) feeds every test; the figures asserted are those printed on
the pages (Yantai's 公开表5 in 万元 p. 20, Shanghai's 单位预算 in 元 p. 11)."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.writers.json import loads
from extractor.writers.sql import SqlLoader
from extractor.writers.tables import TABLES, in_yuan
from tests.conftest import SEED
from tests.writers.conftest import assert_valid_package, pg_url
from tests.writers.test_duckdb_csv import declared_types_read, sniffed_disagreements

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
PG_URL = os.environ.get("EXTRACTOR_TEST_PG")

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real is not present")

YANTAI = "yantai-commerce-bureau-2026-budget"
SHANGHAI = "shanghai-sasac-2026-unit-budget"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("real-v3")
    out = folder / "out"
    pg = pg_url("budget_outputs") if PG_URL else None
    arguments = [*map(str, sorted(REAL.glob("*.pdf"))), "-o", str(out), "-q"]
    arguments += ["--sqlite", str(folder / "real.db"), "--parquet", str(folder / "parquet")]
    if pg is not None:
        arguments += ["--db", pg]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 1, result.output  # the two not-a-disclosure PDFs fail, every other is ok
    return {"out": out, "sqlite": folder / "real.db", "parquet": folder / "parquet", "pg": pg}


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _doc_id(out: Path, stem: str) -> str:
    (doc_id,) = [r["doc_id"] for r in _rows(out, "documents") if r["file"] == f"{stem}.pdf"]
    return doc_id


def _lines(out: Path, stem: str, table: int, code: str) -> list[dict[str, str]]:
    doc_id = _doc_id(out, stem)
    return [r for r in _rows(out, "budget_lines") if (r["doc_id"], r["table"], r["code"]) == (doc_id, str(table), code)]


def _line(out: Path, stem: str, table: int, code: str, column: str) -> dict[str, str]:
    (line,) = [r for r in _lines(out, stem, table, code) if r["column"] == column]
    return line


def test_one_line_per_amount_cell_and_the_key_is_unique_on_every_real_document(run: dict[str, Any]) -> None:
    out: Path = run["out"]
    lines = _rows(out, "budget_lines")
    keys = Counter((r["doc_id"], r["table"], r["row"], r["column"]) for r in lines)
    assert [key for key, count in keys.items() if count > 1] == []
    per_document = Counter(r["doc_id"] for r in lines)
    cells: dict[str, int] = {}
    tables: dict[str, int] = {}
    for file in out.glob("*.json"):
        if file.name == "datapackage.json":
            continue
        disclosure = loads(file.read_bytes())
        assert disclosure.doc_id is not None
        tables[disclosure.doc_id] = len(disclosure.budget_tables)
        cells[disclosure.doc_id] = sum(
            value is not None for t in disclosure.budget_tables for row in t.rows for value in row.amounts.values()
        )
    assert len(cells) == 16
    assert {doc: per_document.get(doc, 0) for doc in cells} == cells  # every amount cell, none twice
    assert sum(1 for count in cells.values() if count > 0) >= 15  # all but the projects-only attachment
    assert Counter(r["doc_id"] for r in _rows(out, "budget_tables")) == +Counter(tables)
    assert all(r["amount_yuan"] for r in lines)  # every table's unit is 元 or 万元


def test_a_yantai_line_in_wanyuan_as_printed(run: dict[str, Any]) -> None:
    # 公开表5 一般公共预算支出情况表, p. 20: 类/款/项 in three columns, `01 行政运行` under 201 13.
    line = _line(run["out"], YANTAI, 5, "2011301", "基本支出.人员支出")
    assert {k: line[k] for k in ("level", "parent_code", "name", "measure", "amount", "amount_unit")} == {
        "level": "项",
        "parent_code": "20113",
        "name": "行政运行",
        "measure": "personnel",
        "amount": "1156.75",
        "amount_unit": "万元",
    }
    assert line["amount_yuan"] == "11567500"
    project = _line(run["out"], YANTAI, 5, "2011301", "项目支出")
    assert (project["amount"], project["amount_yuan"]) == ("30.00", "300000")
    table = next(
        t for t in _rows(run["out"], "budget_tables") if t["doc_id"] == line["doc_id"] and t["table"] == line["table"]
    )
    assert {k: table[k] for k in ("label", "title", "kind", "amount_unit", "empty", "page", "end_page")} == {
        "label": "公开表5",
        "title": "一般公共预算支出情况表",
        "kind": "general_public_expenditure",
        "amount_unit": "万元",
        "empty": "false",
        "page": "20",
        "end_page": "21",
    }
    assert json.loads(table["columns"])[2] == {"name": "基本支出.人员支出", "measure": "personnel"}


def test_a_shanghai_line_in_yuan_as_printed(run: dict[str, Any]) -> None:
    # 2026年预算单位一般公共预算支出功能分类预算表, 单位：元, p. 11: 208 05 02 事业单位离退休 685,140.
    line = _line(run["out"], SHANGHAI, 5, "2080502", "一般公共预算支出.合计")
    assert (line["name"], line["level"], line["amount"], line["amount_unit"], line["amount_yuan"]) == (
        "事业单位离退休",
        "项",
        "685140",
        "元",
        "685140",
    )
    # 基本支出 of 213 01 06 科技转化与推广服务 is printed empty: no line for it.
    assert [r["column"] for r in _lines(run["out"], SHANGHAI, 5, "2130106")] == [
        "一般公共预算支出.合计",
        "一般公共预算支出.项目支出",
    ]


def _headline(document: dict[str, str]) -> dict[str, str]:
    names = TABLES["documents"].column_names
    return {name: document[name] for name in names[names.index("income_total") : names.index("figures_unit") + 1]}


def test_headline_columns_follow_the_contract() -> None:
    names = TABLES["documents"].column_names
    start = names.index("income_total")
    assert names[start : start + 9] == [
        "income_total",
        "income_current_year",
        "expenditure_total",
        "expenditure_current_year",
        "three_public_total",
        "operating_costs_total",
        "procurement_total",
        "assets_total",
        "figures_unit",
    ]


def test_headline_columns_of_real_documents(run: dict[str, Any]) -> None:
    documents = {r["file"]: r for r in _rows(run["out"], "documents")}
    assert _headline(documents[f"{YANTAI}.pdf"]) == {
        "income_total": "6340.22",
        "income_current_year": "6340.22",
        "expenditure_total": "6340.22",
        "expenditure_current_year": "6340.22",
        "three_public_total": "186",
        "operating_costs_total": "294.79",
        "procurement_total": "573",
        "assets_total": "",
        "figures_unit": "万元",
    }
    # Shanghai's totals are printed in 元 (8,332,285), its procurement in 万元 (5.30): one unit, exactly.
    assert _headline(documents[f"{SHANGHAI}.pdf"]) == {
        "income_total": "833.2285",
        "income_current_year": "",
        "expenditure_total": "833.2285",
        "expenditure_current_year": "",
        "three_public_total": "",
        "operating_costs_total": "",
        "procurement_total": "5.30",
        "assets_total": "",
        "figures_unit": "万元",
    }


def test_headline_columns_of_the_seed(csv_out: Path) -> None:
    (document,) = _rows(csv_out, "documents")
    assert _headline(document) == {
        "income_total": "1975.32",
        "income_current_year": "",
        "expenditure_total": "1975.32",
        "expenditure_current_year": "",
        "three_public_total": "64.93",
        "operating_costs_total": "231.44",
        "procurement_total": "0",
        "assets_total": "418.6860",
        "figures_unit": "万元",
    }


def test_the_real_data_package_is_valid(run: dict[str, Any]) -> None:
    assert_valid_package(run["out"])
    descriptor = json.loads((run["out"] / "datapackage.json").read_text(encoding="utf-8"))
    lines = next(r for r in descriptor["resources"] if r["name"] == "budget_lines")
    assert lines["schema"]["primaryKey"] == ["doc_id", "table", "row", "column"]
    assert {
        "fields": ["doc_id", "table"],
        "reference": {"resource": "budget_tables", "fields": ["doc_id", "table"]},
    } in lines["schema"]["foreignKeys"]
    types = {f["name"]: f["type"] for f in lines["schema"]["fields"]}
    assert (types["amount"], types["amount_yuan"], types["code"], types["row"]) == (
        "number",
        "number",
        "string",
        "integer",
    )


_QUERY = (
    "SELECT l.name, l.amount, l.amount_unit, l.amount_yuan, t.title FROM budget_lines l JOIN budget_tables t "
    'ON t.doc_id = l.doc_id AND t."table" = l."table" '
    'WHERE l.doc_id = {mark} AND l."table" = 5 AND l.code = {mark} AND l."column" = {mark}'
)


def test_duckdb_reads_the_real_csv_set_as_declared(run: dict[str, Any]) -> None:
    # what docs/output.md claims, held on every real document, not only the seed
    checked, disagreements = sniffed_disagreements(run["out"])
    assert checked > 150
    codes = {("projects", "unit_code"), ("budget_lines", "code"), ("budget_lines", "parent_code")}
    codes |= {("budget_lines", "econ_code"), ("projects", "project_code"), ("budget_lines", "code_printed")}
    assert {(table, field) for table, field, _ in disagreements} <= codes  # unhinted, only codes look like numbers
    read = declared_types_read(run["out"])
    assert {"budget_lines", "budget_tables", "documents", "projects", "indicators"} <= set(read)
    assert all(read.values()), read


def test_the_yantai_line_read_back_from_sqlite(run: dict[str, Any]) -> None:
    doc_id = _doc_id(run["out"], YANTAI)
    connection = sqlite3.connect(run["sqlite"])
    found = connection.execute(_QUERY.format(mark="?"), (doc_id, "2011301", "基本支出.人员支出")).fetchall()
    # NUMERIC affinity: a number that compares and sums as one (the exact decimal is in the CSV and PostgreSQL)
    assert found == [("行政运行", 1156.75, "万元", 11567500, "一般公共预算支出情况表")]
    total = connection.execute(
        "SELECT sum(amount_yuan) FROM budget_lines WHERE doc_id = ? AND \"table\" = 5 AND level = '项' "
        "AND \"column\" = '合计'",
        (doc_id,),
    ).fetchone()[0]
    # The 项 rows of 公开表5 sum to 5,713.24 万元, 0.02 over its printed 合计 5,713.22: each item is rounded.
    assert total == 57132400
    lines = connection.execute("SELECT count(*) FROM budget_lines").fetchone()[0]
    assert lines == len(_rows(run["out"], "budget_lines"))


def test_reloading_a_real_document_replaces_its_budget_lines(run: dict[str, Any], tmp_path: Path) -> None:
    doc_id = _doc_id(run["out"], YANTAI)
    disclosure = loads((run["out"] / f"{doc_id}.json").read_bytes())
    target = tmp_path / "again.db"
    with SqlLoader(target) as loader:
        loader.load(doc_id, disclosure)
        loader.load(doc_id, disclosure)
        counts = loader.connection.execute(
            "SELECT count(*), count(DISTINCT \"table\" || '/' || row || '/' || \"column\") FROM budget_lines"
        ).fetchone()
        tables = loader.connection.execute("SELECT count(*) FROM budget_tables").fetchone()[0]
    cells = sum(value is not None for t in disclosure.budget_tables for r in t.rows for value in r.amounts.values())
    assert counts == (cells, cells)
    assert tables == len(disclosure.budget_tables) == 12


def test_the_yantai_line_read_back_from_parquet(run: dict[str, Any]) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    doc_id = _doc_id(run["out"], YANTAI)
    lines = pq.read_table(run["parquet"] / "budget_lines.parquet")
    assert str(lines.schema.field("amount_yuan").type) == "decimal128(38, 10)"
    mask = pc.and_(
        pc.and_(pc.equal(lines["doc_id"], doc_id), pc.equal(lines["table"], 5)),
        pc.and_(pc.equal(lines["code"], "2011301"), pc.equal(lines["column"], "基本支出.人员支出")),
    )
    (row,) = lines.filter(mask).to_pylist()
    assert (row["name"], row["amount"], row["amount_yuan"], row["measure"]) == (
        "行政运行",
        Decimal("1156.75"),
        Decimal("11567500"),
        "personnel",
    )
    documents = pq.read_table(run["parquet"] / "documents.parquet").to_pylist()
    yantai = next(d for d in documents if d["doc_id"] == doc_id)
    assert (yantai["income_total"], yantai["figures_unit"]) == (Decimal("6340.22"), "万元")
    assert lines.num_rows == len(_rows(run["out"], "budget_lines"))


def test_the_yantai_line_read_back_from_postgres(run: dict[str, Any]) -> None:
    if run["pg"] is None:
        pg_url("budget_outputs")  # skips, or fails in CI
    import psycopg

    doc_id = _doc_id(run["out"], YANTAI)
    with psycopg.connect(run["pg"]) as connection:
        found = connection.execute(_QUERY.format(mark="%s"), (doc_id, "2011301", "基本支出.人员支出")).fetchall()
        income = connection.execute(
            "SELECT income_total, figures_unit FROM documents WHERE doc_id = %s", (doc_id,)
        ).fetchone()
        lines = connection.execute("SELECT count(*) FROM budget_lines").fetchone()
    assert found == [("行政运行", Decimal("1156.75"), "万元", Decimal("11567500"), "一般公共预算支出情况表")]
    assert income == (Decimal("6340.22"), "万元")
    assert lines == (len(_rows(run["out"], "budget_lines")),)


def test_amount_yuan_is_exact() -> None:
    assert in_yuan(Decimal("0.01"), "万元") == Decimal("100")
    assert in_yuan(Decimal("110896.619602"), "万元") == Decimal("1108966196.02")
    assert in_yuan(Decimal("1234.5"), "千元") == Decimal("1234500")
    assert in_yuan(Decimal("3"), "亿元") is None  # a unit not known: no guess


def test_no_csv_still_writes_files_and_failures(tmp_path: Path) -> None:
    # issue 29: with --no-csv the summary pointed to a files.csv that was not written
    refused = tmp_path / "notice.txt"
    refused.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(SEED), str(refused), "-o", str(out), "-q", "--no-csv"])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.glob("*.csv")) == ["failures.csv", "files.csv"]
    assert [r["path"] for r in _rows(out, "files")] == [str(SEED), str(refused)]
    (failure,) = _rows(out, "failures")
    assert (failure["file"], failure["stage"]) == ("notice.txt", "segment")
    assert not (out / "datapackage.json").exists()  # no Data Package for two files of the set
    assert sorted(p.name for p in out.glob("*.json")) == [f"{_doc_id_of(out)}.json"]


def _doc_id_of(out: Path) -> str:
    (row,) = [r for r in _rows(out, "files") if r["path"] == str(SEED)]
    return row["doc_id"]


def test_issues_join_their_projects_outside_hebei(run: dict[str, Any]) -> None:
    # issue 29: project_seq is null outside the Hebei layout; `project` is projects.csv's key everywhere
    out: Path = run["out"]
    doc_id = _doc_id(out, YANTAI)
    projects = {r["project"]: r for r in _rows(out, "projects") if r["doc_id"] == doc_id}
    issue = next(
        r
        for r in _rows(out, "issues")
        if r["doc_id"] == doc_id and r["code"] == "value_unit_suspect" and "2026年12月1日前" in r["message"]
    )
    assert issue["project_seq"] == ""
    assert projects[issue["project"]]["project_name"] == "葡萄酒产业发展专项资金"  # its form, p. 38
    keys = {(r["doc_id"], r["project"]) for r in _rows(out, "projects")}
    joined = [r for r in _rows(out, "issues") if r["project"]]
    assert len(joined) > 100 and all((r["doc_id"], r["project"]) in keys for r in joined)


def test_seed_issues_keep_their_project_by_its_number(csv_out: Path) -> None:
    issue = next(r for r in _rows(csv_out, "issues") if r["code"] == "table_numbering_gap")
    (project,) = [r for r in _rows(csv_out, "projects") if r["project"] == issue["project"]]
    assert (issue["project_seq"], project["seq"]) == ("29", "29")
