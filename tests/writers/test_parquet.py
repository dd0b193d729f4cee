"""The Parquet set: loaded into DuckDB beside the CSV set of the same run,
and written again from the run's JSON by ``extract export``."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.writers import parquet
from extractor.writers.parquet import ParquetSet, fits
from extractor.writers.tables import TABLES
from tests.conftest import FIXTURES, SEED

DOC = "fuping-2021-county-party-office-ff7b246ce9e50da3"
SMALL_GROUPS = 100  # rows per row group in these tests, so that big tables have several


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run over the seed, a copy of it (one document, two paths), the minimal
    fixture and a text that is no disclosure (a failure), with Parquet."""
    work = tmp_path_factory.mktemp("parquet")
    inputs = work / "in"
    (inputs / "copy").mkdir(parents=True)
    shutil.copy(SEED, inputs / SEED.name)
    shutil.copy(SEED, inputs / "copy" / SEED.name)
    shutil.copy(FIXTURES / "clean-minimal.txt", inputs / "clean-minimal.txt")
    (inputs / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parquet, "ROW_GROUP_ROWS", SMALL_GROUPS)
        result = CliRunner().invoke(
            app, [str(inputs), "-o", str(work / "out"), "--parquet", str(work / "parquet"), "--jobs", "1", "-q"]
        )
        assert result.exit_code == 1, result.output  # notes.txt failed
        exported = CliRunner().invoke(app, ["export", str(work / "out"), "--parquet", str(work / "exported")])
        assert exported.exit_code == 0, exported.output
    return work


def _sql(run: Path, query: str) -> list[tuple[object, ...]]:
    with duckdb.connect() as connection:
        for name in TABLES:
            connection.execute(f"CREATE VIEW {name} AS SELECT * FROM '{run / 'parquet' / name}.parquet'")
        return connection.sql(query).fetchall()


def _csv_rows(run: Path, table: str) -> list[dict[str, str]]:
    with (run / "out" / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_row_counts_equal_the_csv_sets(run: Path) -> None:
    for name in TABLES:
        assert _sql(run, f"SELECT count(*) FROM {name}") == [(len(_csv_rows(run, name)),)], name
    assert _sql(run, f"SELECT count(*) FROM indicators WHERE doc_id = '{DOC}'") == [(401,)]


def test_files_and_failures(run: Path) -> None:
    named = (run / "in").as_posix()
    assert _sql(run, f"SELECT path FROM files WHERE doc_id = '{DOC}' ORDER BY path") == [
        (f"{named}/copy/fuping-2021-county-party-office.txt",),
        (f"{named}/fuping-2021-county-party-office.txt",),
    ]
    assert _sql(run, "SELECT file, stage FROM failures") == [("notes.txt", "segment")]
    assert _sql(run, "SELECT status, count(*) FROM documents GROUP BY status ORDER BY status") == [
        ("failed", 1),
        ("ok", 2),
    ]


def test_types_follow_the_column_registry(run: Path) -> None:
    types = dict(_sql(run, "SELECT column_name, column_type FROM (DESCRIBE projects)"))
    assert types["budget_total"] == "DECIMAL(38,10)"
    assert types["project"] == "BIGINT"
    assert types["project_code"] == "VARCHAR"
    indicator_types = dict(_sql(run, "SELECT column_name, column_type FROM (DESCRIBE indicators)"))
    assert indicator_types["value_redacted"] == "BOOLEAN"
    assert indicator_types["value_number"] == "DECIMAL(38,10)"
    schema = pq.read_schema(run / "parquet" / "projects.parquet")
    assert not schema.field("doc_id").nullable
    assert schema.field("budget_total").nullable


def test_project_budgets_sum_exactly(run: Path) -> None:
    (total,) = _sql(run, f"SELECT sum(budget_total) FROM projects WHERE doc_id = '{DOC}'")[0]
    assert total == Decimal("1198.75")
    from_csv = sum(Decimal(row["budget_total"]) for row in _csv_rows(run, "projects") if row["doc_id"] == DOC)
    assert total == from_csv


def test_indicators_join_their_projects(run: Path) -> None:
    joined = _sql(
        run,
        "SELECT p.project_name, count(*) FROM indicators i JOIN projects p USING (doc_id, project) "
        f"WHERE doc_id = '{DOC}' GROUP BY p.project, p.project_name ORDER BY p.project LIMIT 1",
    )
    assert joined == [("门卫安保经费", 8)]
    orphans = "SELECT count(*) FROM indicators i ANTI JOIN projects p USING (doc_id, project)"
    assert _sql(run, orphans) == [(0,)]


def test_written_in_row_groups(run: Path) -> None:
    metadata = pq.ParquetFile(run / "parquet" / "indicators.parquet").metadata
    rows = [metadata.row_group(n).num_rows for n in range(metadata.num_row_groups)]
    assert metadata.num_row_groups > 1
    assert set(rows[:-1]) == {SMALL_GROUPS}


def test_export_writes_the_same_bytes(run: Path) -> None:
    for name in TABLES:
        batch = (run / "parquet" / f"{name}.parquet").read_bytes()
        assert (run / "exported" / f"{name}.parquet").read_bytes() == batch, name


def test_an_amount_decimal128_cannot_hold_is_null(tmp_path: Path) -> None:
    assert fits(Decimal("12345678.123456"))
    assert not fits(Decimal("0.00000000001"))
    assert not fits(Decimal("1e28"))
    with ParquetSet(tmp_path) as files:
        row = dict.fromkeys(TABLES["operating_costs"].column_names)
        files.add_rows([("operating_costs", {**row, "doc_id": "d", "row": 1, "amount": Decimal("1.00000000001")})])
        files.add_rows([("operating_costs", {**row, "doc_id": "d", "row": 2, "amount": Decimal("418.6860")})])
    assert files.unfit == 1
    table = pq.read_table(tmp_path / "operating_costs.parquet")
    assert table.column("amount").to_pylist() == [None, Decimal("418.6860000000")]
