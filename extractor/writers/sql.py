"""Loading disclosures into a database: SQLite (embedded default) or PostgreSQL.

The schema is derived from `tables.TABLES`: one table per CSV file, the same
columns, primary keys, foreign keys to ``documents`` (``ON DELETE CASCADE``),
to ``projects`` and to ``budget_tables``, and an index on ``doc_id`` of every
child table.  Column names are quoted (``"table"``, ``"column"`` of
``budget_lines`` are reserved words): quote them in queries too.

Amounts and other numbers compare and aggregate as numbers in both:
``NUMERIC`` in PostgreSQL, exact (``418.6860`` keeps its digits); in SQLite
columns of ``NUMERIC`` affinity, so ``value_number < 95`` and
``max(value_number)`` are numeric — SQLite stores them as integers or
binary floats (``418.686``: the value, without the printed trailing zero).
The exact printed decimal stays in the JSON, the CSV set and PostgreSQL.

Loading a document again replaces it: its ``documents`` row is deleted (the
cascade removes its rows everywhere) and written anew, in one transaction.
The ``files`` rows are the exception: the paths a document was found under
in earlier loads are kept beside this run's, so loading county folders in
separate runs still records every folder a file came from.

Faults are per document: a row the database refuses (a duplicate key, a
NULL where it wants a value, a NUL byte in PostgreSQL text) fails that
document's load (`LoadFailed`, with the database's reason) and the next
load goes on.  A lost connection (a locked SQLite file, a PostgreSQL server
gone) is retried `RETRIES` times with a growing pause, reconnecting; after
that the loader is lost and every later load fails at once with the same
reason.  A database that cannot be opened at all (a folder, a damaged
file, a server that refuses) is a `DatabaseError` before anything is loaded.

Connection targets are shown without their secrets in every message, and
the database's own messages are shown with them masked (`dsn.redact`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from ..dsn import Target, database_target, redact
from ..errors import ExtractorError
from ..models import Disclosure
from .tables import TABLES, ColumnType, Row, TableSpec, Value, file_rows, rows_of

__all__ = ["RETRIES", "DatabaseError", "LoadFailed", "SqlLoader", "quoted", "schema_statements"]

RETRIES = 3  # reconnections after a lost connection, before the loader gives up
BACKOFF_SECONDS = 0.5  # the pause before the first retry; doubled for each next one
SQLITE_BUSY_SECONDS = 5.0  # how long a write waits for another process's lock on an SQLite file


class DatabaseError(ExtractorError):
    """A database could not be opened."""


class LoadFailed(DatabaseError):
    """One document was not loaded; ``reason`` says why, without the file."""

    def __init__(self, file: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{file}: {reason}")


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    placeholder: str
    types: dict[ColumnType, str]


SQLITE = Dialect("sqlite", "?", {"string": "TEXT", "integer": "INTEGER", "number": "NUMERIC", "boolean": "INTEGER"})
POSTGRES = Dialect(
    "postgresql", "%s", {"string": "TEXT", "integer": "BIGINT", "number": "NUMERIC", "boolean": "BOOLEAN"}
)


def quoted(names: Iterable[str]) -> str:
    """Column names as SQL identifiers, quoted: budget_lines has columns
    named ``table`` and ``column``, words both databases reserve."""
    return ", ".join(f'"{name}"' for name in names)


def _create_table(spec: TableSpec, dialect: Dialect) -> str:
    lines = [
        f"  {quoted([c.name])} {dialect.types[c.type]}{' NOT NULL' if c.name == 'doc_id' else ''}" for c in spec.columns
    ]
    lines.append(f"  PRIMARY KEY ({quoted(spec.primary_key)})")
    for local, table, remote in spec.foreign_keys:
        lines.append(f"  FOREIGN KEY ({quoted(local)}) REFERENCES {table} ({quoted(remote)}) ON DELETE CASCADE")
    return f"CREATE TABLE IF NOT EXISTS {spec.name} (\n" + ",\n".join(lines) + "\n)"


def schema_statements(dialect: Dialect = SQLITE) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements, parents first."""
    statements = [_create_table(spec, dialect) for spec in TABLES.values()]
    for spec in TABLES.values():
        if spec.name != "documents":
            statements.append(f"CREATE INDEX IF NOT EXISTS {spec.name}_doc ON {spec.name} (doc_id)")
    statements.append("CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256)")
    statements.append("CREATE INDEX IF NOT EXISTS indicators_levels ON indicators (level1, level2)")
    statements.append("CREATE INDEX IF NOT EXISTS budget_lines_code ON budget_lines (code)")
    return statements


def _sql_value(value: Value, dialect: Dialect) -> Any:
    if isinstance(value, Decimal) and dialect is SQLITE:
        return format(value, "f")  # NUMERIC affinity stores it as a number
    if isinstance(value, bool) and dialect is SQLITE:
        return int(value)
    return value


class _Gone(Exception):
    """The connection could not be made again."""


class _Closed:
    """Stands for a connection that could not be made again: every use fails
    as a lost connection would, so the loader retries and then gives up."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def cursor(self) -> Any:
        raise _Gone(self.reason)

    def rollback(self) -> None:
        """Nothing to roll back."""

    def close(self) -> None:
        """Nothing to close."""


class SqlLoader:
    """A database connection that loads documents; use as a context manager.
    A path is an SQLite file; a string is read as ``--db`` reads it."""

    def __init__(self, target: Target | str | Path) -> None:
        if isinstance(target, Path):
            target = Target.sqlite(target)
        elif isinstance(target, str):
            target = database_target(target)
        self.dialect = POSTGRES if target.dialect == "postgresql" else SQLITE
        self.target = target
        self.lost: str | None = None  # why the connection is given up, once it is
        self.connection = self._connect()
        try:
            cursor = self.connection.cursor()
            for statement in schema_statements(self.dialect):
                cursor.execute(statement)
            self.connection.commit()
        except Exception as exc:
            self.close()
            raise DatabaseError(f"{target.shown}: cannot create the tables: {self._reason(exc)}") from None
        self._check_columns(cursor)

    def _check_columns(self, cursor: Any) -> None:
        """Refuse a database whose tables an older version created differently."""
        stale = []
        for spec in TABLES.values():
            cursor.execute(f"SELECT * FROM {spec.name} LIMIT 0")
            if [column[0] for column in cursor.description] != spec.column_names:
                stale.append(spec.name)
        if stale:
            self.connection.close()
            raise DatabaseError(
                f"{self.target.shown}: tables {', '.join(stale)} have other columns than this version writes "
                "(made by an older version): load into a new database, or drop those tables first"
            )

    def _connect(self) -> Any:
        target = self.target.opens
        if self.dialect is POSTGRES:
            try:
                import psycopg
            except ImportError:
                hint = "PostgreSQL needs psycopg: pip install 'budget-disclosure-extractor[postgres]'"
                raise DatabaseError(hint) from None
            try:
                return psycopg.connect(target)
            except psycopg.Error as exc:
                raise DatabaseError(f"cannot connect to {self.target.shown}: {self._said(exc)}") from None
        try:
            if Path(target).is_dir():
                raise DatabaseError(f"{target}: is a folder, not an SQLite file (name a file: --sqlite out/budgets.db)")
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(target, timeout=SQLITE_BUSY_SECONDS)
            connection.execute("PRAGMA foreign_keys = ON")
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"{target}: cannot open the SQLite database: {self._reason(exc)}") from None
        return connection

    def load(self, doc_id: str, disclosure: Disclosure) -> None:
        """Insert (or replace) one document and all its rows, atomically."""
        paths = [disclosure.source.path or disclosure.source.file]
        self.load_rows(doc_id, [*rows_of(doc_id, disclosure), *file_rows(doc_id, paths)], disclosure.source.file)

    def load_rows(self, doc_id: str, rows: Iterable[tuple[str, Row]], file: str) -> None:
        """Insert (or replace) the rows of one document, atomically; the
        paths it was found under before are kept.  `LoadFailed` when not loaded."""
        rows = list(rows)
        self._retrying(file, lambda cursor: self._replace(cursor, doc_id, rows))

    def add_rows(self, rows: Iterable[tuple[str, Row]], file: str) -> None:
        """Add rows to documents already loaded (another path of one), atomically."""
        rows = list(rows)
        self._retrying(file, lambda cursor: self._insert_all(cursor, rows))

    def _replace(self, cursor: Any, doc_id: str, rows: list[tuple[str, Row]]) -> None:
        mark = self.dialect.placeholder
        cursor.execute(f"SELECT path FROM files WHERE doc_id = {mark}", (doc_id,))
        earlier = [path for (path,) in cursor.fetchall()]
        cursor.execute(f"DELETE FROM documents WHERE doc_id = {mark}", (doc_id,))
        self._insert_all(cursor, [*rows, *file_rows(doc_id, earlier)])

    def _insert_all(self, cursor: Any, rows: list[tuple[str, Row]]) -> None:
        for table, row in rows:
            self._insert(cursor, table, row)

    def _retrying(self, file: str, work: Callable[[Any], None]) -> None:
        """Run ``work`` in one transaction; a lost connection is retried with
        a growing pause, reconnecting, then given up for good."""
        not_loaded = f"not loaded into {self.target.shown}"
        for attempt in range(RETRIES + 1):
            if self.lost is not None:
                break
            try:
                work(self.connection.cursor())
                self.connection.commit()
                return
            except Exception as exc:
                with contextlib.suppress(Exception):
                    self.connection.rollback()
                if not self._disconnected(exc):
                    raise LoadFailed(file, f"{not_loaded}: {self._reason(exc)}") from None
                if attempt == RETRIES:
                    self.lost = f"gave up after {RETRIES} retries: {self._reason(exc)}"
                    break
            time.sleep(BACKOFF_SECONDS * 2**attempt)
            self._reconnect()
        raise LoadFailed(file, f"{not_loaded}: {self.lost}")

    def _disconnected(self, exc: Exception) -> bool:
        """Whether an error is the connection's (worth a retry), not the rows'."""
        if isinstance(exc, _Gone):
            return True
        if self.dialect is SQLITE:
            return isinstance(exc, sqlite3.OperationalError)
        import psycopg

        return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)

    def _reconnect(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()
        try:
            self.connection = self._connect()
        except DatabaseError as exc:
            self.connection = _Closed(str(exc))

    def _insert(self, cursor: Any, table: str, row: Row) -> None:
        """Insert one row; a path already recorded for its document is left as it is."""
        names = TABLES[table].column_names
        marks = ", ".join([self.dialect.placeholder] * len(names))
        known = " ON CONFLICT DO NOTHING" if table == "files" else ""
        cursor.execute(
            f"INSERT INTO {table} ({quoted(names)}) VALUES ({marks}){known}",
            [_sql_value(row[name], self.dialect) for name in names],
        )

    def _reason(self, exc: BaseException) -> str:
        """The database's own words and the kind of error."""
        return f"{type(exc).__name__}: {self._said(exc)}"

    def _said(self, exc: BaseException) -> str:
        """The database's own words, on one line, without the target's secrets."""
        return " ".join(redact(str(exc), self.target).split())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()

    def __enter__(self) -> SqlLoader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
