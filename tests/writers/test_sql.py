"""Database loads: SQLite always; PostgreSQL against a real server.

The PostgreSQL tests use ``EXTRACTOR_TEST_PG`` (a connection URL).  They
skip on a developer's machine without one, and fail in CI (``CI=true``),
whose .ci/run starts a server and sets it.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor import extract_file
from extractor.cli import app
from extractor.writers import sql
from extractor.writers.sql import DatabaseError, LoadFailed, SqlLoader
from extractor.writers.tables import TABLES
from tests.conftest import SEED
from tests.writers.conftest import CLEAN, assert_valid_package, clean_variants, pg_url

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
    return pg_url("test_sql")


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
        ("notes-" + hashlib.sha256("会议纪要\n".encode()).hexdigest()[:16], "failed"),
        ("seed-ff7b246ce9e50da3", "ok"),
    ]
    assert connection.execute("SELECT count(*) FROM indicators").fetchone() == (401,)
    assert connection.execute("SELECT stage FROM failures").fetchall() == [("segment",)]
    # every path either run found the seed under is kept, as named (both runs named county-a's alike)
    found = connection.execute("SELECT path FROM files WHERE doc_id = 'seed-ff7b246ce9e50da3' ORDER BY path").fetchall()
    assert found == [(f"{folder.as_posix()}/county-a/seed.txt",), (f"{folder.as_posix()}/county-b/seed.txt",)]


# Issue 15: database faults are per document; the batch and the CSV set go on.


def _strict_sqlite(target: Path) -> None:
    """A database with rules of its own: one checkpoint per project, every project coded."""
    SqlLoader(target).close()
    connection = sqlite3.connect(target)
    connection.executescript(
        """
        CREATE UNIQUE INDEX schedule_checkpoint ON schedule (doc_id, project, checkpoint);
        CREATE TRIGGER projects_code BEFORE INSERT ON projects WHEN NEW.project_code IS NULL
        BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: projects.project_code'); END;
        """
    )
    connection.close()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_rows_the_database_refuses_fail_that_document_and_the_others_load(tmp_path: Path) -> None:
    # issue 15: a duplicate key or a NOT NULL refusal aborted the whole run with a traceback
    clean_variants(tmp_path / "in")
    target, out = tmp_path / "d.db", tmp_path / "out"
    _strict_sqlite(target)
    result = CliRunner().invoke(app, [str(tmp_path / "in"), "-o", str(out), "--sqlite", str(target), "-q"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    failures = {row["file"]: (row["stage"], row["reason"]) for row in _rows(out / "failures.csv")}
    assert sorted(failures) == ["a-twice-march.txt", "b-no-code.txt"]
    assert failures["a-twice-march.txt"][0] == "database"
    assert failures["a-twice-march.txt"][1].startswith(f"not loaded into {target}: IntegrityError: UNIQUE constraint")
    assert "NOT NULL constraint failed: projects.project_code" in failures["b-no-code.txt"][1]
    assert f"extract: error: {tmp_path / 'in' / 'b-no-code.txt'}: not loaded into" in result.output
    documents = {row["path"].rsplit("/", 1)[-1]: row for row in _rows(out / "documents.csv")}
    assert [documents[p]["status"] for p in ("a-twice-march.txt", "b-no-code.txt", "c-clean.txt")] == [
        "failed",
        "failed",
        "ok",
    ]
    assert documents["b-no-code.txt"]["failure"].startswith("database: not loaded into")
    # the refused documents keep their JSON and CSV rows: only the database lacks them
    assert len(list(out.glob("*.json"))) == 4  # three documents and datapackage.json
    assert [row["project_code"] for row in _rows(out / "projects.csv") if row["doc_id"].startswith("b-no-code")] == [
        "",
        "13990122ABCDEFGHJKLMP",
    ]
    assert_valid_package(out)
    connection = sqlite3.connect(target)
    assert [row[0][:7] for row in connection.execute("SELECT doc_id FROM documents")] == ["c-clean"]
    assert connection.execute("SELECT count(*) FROM indicators").fetchone() == (5,)


def test_a_locked_sqlite_file_is_retried_then_each_load_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 15: a locked SQLite file aborted the run with a traceback and no CSV set
    monkeypatch.setattr(sql, "SQLITE_BUSY_SECONDS", 0.05)
    monkeypatch.setattr(sql, "BACKOFF_SECONDS", 0.01)
    clean_variants(tmp_path / "in")
    target, out = tmp_path / "d.db", tmp_path / "out"
    SqlLoader(target).close()
    other = sqlite3.connect(target)
    other.execute("BEGIN IMMEDIATE")  # another process writing: readers go on, writers wait
    result = CliRunner().invoke(app, [str(tmp_path / "in"), "-o", str(out), "--sqlite", str(target), "-q"])
    other.rollback()
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.count("extract: error: ") == 3  # one line per document
    reason = f"not loaded into {target}: gave up after 3 retries: OperationalError: database is locked"
    assert [row["reason"] for row in _rows(out / "failures.csv")] == [reason] * 3
    assert "3 failed (3 database)" in result.output
    assert len(_rows(out / "projects.csv")) == 6 and len(list(out.glob("*.json"))) == 4
    assert_valid_package(out)
    # once the other writer is done, --resume loads what the database lacks
    resumed = CliRunner().invoke(app, [str(tmp_path / "in"), "-o", str(out), "--sqlite", str(target), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    connection = sqlite3.connect(target)
    assert connection.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone() == (3,)
    assert {row["status"] for row in _rows(out / "documents.csv")} == {"ok"}


@pytest.mark.parametrize("kind", ["folder", "damaged"])
def test_a_sqlite_path_that_is_a_folder_or_damaged_is_one_line(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "d.db"
    if kind == "folder":
        target.mkdir()
    else:
        target.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(CLEAN), "-o", str(out), "--sqlite", str(target)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = (
        f"extract: error: {target}: is a folder, not an SQLite file"
        if kind == "folder"
        else f"extract: error: {target}: cannot create the tables: DatabaseError: file is not a database"
    )
    assert result.output.startswith(expected)
    assert len(result.output.strip().splitlines()) == 1
    assert not (out / ".extract.lock").exists()


def test_postgres_refuses_a_nul_byte_for_that_document_only() -> None:
    url = _pg()
    disclosure = extract_file(CLEAN)
    broken = disclosure.model_copy(deep=True)
    assert broken.performance is not None
    broken.performance.projects[0].project_name = "会议\x00保障"
    with SqlLoader(url) as loader:
        loader.connection.execute("DELETE FROM documents WHERE doc_id IN ('nul', 'fine')")
        loader.connection.commit()
        with pytest.raises(LoadFailed, match="DataError: PostgreSQL text fields cannot contain NUL"):
            loader.load("nul", broken)
        loader.load("fine", disclosure)
        cursor = loader.connection.cursor()
        cursor.execute("SELECT doc_id FROM documents WHERE doc_id IN ('nul', 'fine')")
        assert cursor.fetchall() == [("fine",)]


def test_a_postgres_connection_lost_mid_load_is_retried() -> None:
    # issue 15: a PostgreSQL server stopping mid-load aborted the run
    url = _pg()
    disclosure = extract_file(CLEAN)
    with SqlLoader(url) as loader, SqlLoader(url) as admin:
        loader.load("before", disclosure)
        pid = loader.connection.info.backend_pid
        admin.connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
        admin.connection.commit()
        loader.load("after", disclosure)  # reconnected
        assert loader.connection.info.backend_pid != pid
        cursor = loader.connection.cursor()
        cursor.execute("SELECT count(*) FROM documents WHERE doc_id IN ('before', 'after')")
        assert cursor.fetchone() == (2,)
