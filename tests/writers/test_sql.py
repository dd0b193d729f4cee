"""Database loads: SQLite always; PostgreSQL against a real server.

The PostgreSQL tests use ``EXTRACTOR_TEST_PG`` (a connection URL).  They
skip on a developer's machine without one, and fail in CI (``CI=true``),
whose .ci/run starts a server and sets it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractor import extract_file
from extractor.writers.sql import DatabaseError, SqlLoader
from extractor.writers.tables import TABLES
from tests.conftest import SEED

PG_URL = os.environ.get("EXTRACTOR_TEST_PG")
CODE = "130624210SN9T0TGCCC6F"


def _queries(connection: Any, mark: str) -> dict[str, Any]:
    cursor = connection.cursor()

    def one(sql: str, *args: object) -> Any:
        cursor.execute(sql.replace("?", mark), args)
        return cursor.fetchone()[0]

    return {
        "documents": one("SELECT count(*) FROM documents"),
        "projects": one("SELECT count(*) FROM projects"),
        "indicators": one("SELECT count(*) FROM indicators"),
        "budget": one("SELECT budget_total FROM projects WHERE project_code = ?", CODE),
        "value": one("SELECT value_number FROM indicators WHERE project_code = ? AND row = 2", CODE),
        "op": one("SELECT value_op FROM indicators WHERE project_code = ? AND row = 2", CODE),
        "assets": one("SELECT value FROM assets WHERE item = ?", "合计"),
    }


def test_sqlite_round_trip_and_reload_without_duplicates(tmp_path: Path) -> None:
    disclosure = extract_file(SEED)
    target = tmp_path / "d.db"
    with SqlLoader(target) as loader:
        loader.load("seed", disclosure)
        loader.load("seed", disclosure)
    connection = sqlite3.connect(target)
    assert _queries(connection, "?") == {
        "documents": 1,
        "projects": 48,
        "indicators": 401,
        "budget": 3,
        "value": 90,
        "op": ">=",
        "assets": 418.686,  # a number in SQLite; the printed 418.6860 stays in JSON, CSV and PostgreSQL
    }
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(TABLES)


def test_sqlite_cascade_removes_a_documents_rows(tmp_path: Path) -> None:
    disclosure = extract_file(SEED)
    with SqlLoader(tmp_path / "d.db") as loader:
        loader.load("a", disclosure)
        loader.load("b", disclosure)
        loader.connection.execute("DELETE FROM documents WHERE doc_id = 'a'")
        counts = loader.connection.execute("SELECT count(*), count(DISTINCT doc_id) FROM indicators").fetchone()
    assert counts == (401, 1)


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(DatabaseError, match="cannot connect to postgresql://"):
        SqlLoader("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_password_in_a_failing_url_is_never_shown() -> None:  # issue 14: the URL was echoed whole
    with pytest.raises(DatabaseError) as failure:
        SqlLoader("postgresql://bob:s3cr3t-pw@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cr3t-pw" not in str(failure.value)
    assert "cannot connect to postgresql://bob:***@127.0.0.1:1/none" in str(failure.value)


def test_sqlite_numbers_compare_and_aggregate_as_numbers(tmp_path: Path) -> None:
    # issue 14: TEXT amounts gave 615 rows for value_number < 95 and max() = '99'
    disclosure = extract_file(SEED)
    numbers = [
        i.value.number for p in disclosure.performance.projects for i in p.indicators if i.value.number is not None
    ]
    with SqlLoader(tmp_path / "d.db") as loader:
        loader.load("seed", disclosure)
        below = loader.connection.execute("SELECT count(*) FROM indicators WHERE value_number < 95").fetchone()[0]
        top = loader.connection.execute(
            "SELECT max(value_number), typeof(max(value_number)) FROM indicators"
        ).fetchone()
        total = loader.connection.execute("SELECT sum(budget_total) FROM projects").fetchone()[0]
        codes = loader.connection.execute("SELECT DISTINCT typeof(unit_code) FROM projects").fetchall()
    assert (below, top) == (sum(1 for n in numbers if n < 95), (1200, "integer"))
    assert (below, len(numbers)) == (198, 361)
    assert total == pytest.approx(float(sum(p.budget.total or 0 for p in disclosure.performance.projects)))
    assert codes == [("text",)]  # codes such as 201001 stay text


def test_a_database_made_by_an_older_version_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE projects (doc_id TEXT, seq INTEGER, project_code TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="tables projects have other columns"):
        SqlLoader(target)


def _pg() -> str:
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide EXTRACTOR_TEST_PG (see .ci/run)")
        pytest.skip("no PostgreSQL server: set EXTRACTOR_TEST_PG to run")
    return PG_URL


def test_postgres_round_trip_and_reload_without_duplicates() -> None:
    url = _pg()
    disclosure = extract_file(SEED)
    with SqlLoader(url) as loader:
        loader.connection.execute("DROP TABLE IF EXISTS " + ", ".join(reversed(list(TABLES))) + " CASCADE")
        loader.connection.commit()
    with SqlLoader(url) as loader:
        loader.load("seed", disclosure)
        loader.load("seed", disclosure)
        found = _queries(loader.connection, "%s")
    assert found == {
        "documents": 1,
        "projects": 48,
        "indicators": 401,
        "budget": Decimal("3"),
        "value": Decimal("90"),
        "op": ">=",
        "assets": Decimal("418.6860"),
    }
    assert str(found["assets"]) == "418.6860"


def test_cli_loads_sqlite_and_reloads_without_duplicates(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from extractor.cli import app

    # issue 14: the same file got two ids in two runs, and the database held it twice
    folder = tmp_path / "in"
    (folder / "county-a").mkdir(parents=True)
    (folder / "county-b").mkdir()
    (folder / "county-a" / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "county-a" / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    (folder / "county-b" / "seed.txt").write_bytes(SEED.read_bytes())
    target = tmp_path / "d.db"
    for run, inputs in enumerate(([folder], [folder / "county-a"])):
        out = tmp_path / f"out-{run}"
        result = CliRunner().invoke(app, [*map(str, inputs), "-o", str(out), "--sqlite", str(target), "-q"])
        assert result.exit_code == 1  # notes.txt is not a disclosure
    connection = sqlite3.connect(target)
    assert connection.execute("SELECT doc_id, status FROM documents ORDER BY doc_id").fetchall() == [
        ("notes-" + hashlib.sha256("会议纪要\n".encode()).hexdigest()[:8], "failed"),
        ("seed-ff7b246c", "ok"),
    ]
    assert connection.execute("SELECT count(*) FROM indicators").fetchone() == (401,)
    assert connection.execute("SELECT stage FROM failures").fetchall() == [("segment",)]
    # every path either run found the seed under is kept
    assert connection.execute("SELECT path FROM files WHERE doc_id = 'seed-ff7b246c' ORDER BY path").fetchall() == [
        ("county-a/seed.txt",),
        ("county-b/seed.txt",),
        ("seed.txt",),
    ]
