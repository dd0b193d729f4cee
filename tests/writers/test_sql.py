"""Database loads: SQLite always; PostgreSQL against a real server.

The PostgreSQL tests use ``EXTRACTOR_TEST_PG`` (a connection URL).  They
skip on a developer's machine without one, and fail in CI (``CI=true``),
whose .ci/run starts a server and sets it.
"""

from __future__ import annotations

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
        "budget": "3",
        "value": "90",
        "op": ">=",
        "assets": "418.6860",
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

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    target = tmp_path / "d.db"
    for _ in range(2):
        result = CliRunner().invoke(app, [str(folder), "-o", str(tmp_path / "out"), "--sqlite", str(target), "-q"])
        assert result.exit_code == 1  # notes.txt is not a disclosure
    connection = sqlite3.connect(target)
    assert connection.execute("SELECT doc_id, status FROM documents ORDER BY doc_id").fetchall() == [
        ("notes", "failed"),
        ("seed", "ok"),
    ]
    assert connection.execute("SELECT count(*) FROM indicators").fetchone() == (401,)
    assert connection.execute("SELECT stage FROM failures").fetchall() == [("segment",)]
