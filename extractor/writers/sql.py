"""Loading disclosures into a database: SQLite (embedded default) or PostgreSQL.

The schema is derived from `tables.TABLES`: one table per CSV file, the same
columns, primary keys, foreign keys to ``documents`` (``ON DELETE CASCADE``)
and to ``projects``, and an index on ``doc_id`` of every child table.

Amounts are exact: ``NUMERIC`` in PostgreSQL; in SQLite, whose numbers are
binary floats, they are stored as ``TEXT`` holding the decimal as written
(``'418.6860'``) — cast in queries (``CAST(budget_total AS REAL)``) where a
float is good enough.

Loading a document again replaces it: its ``documents`` row is deleted (the
cascade removes its rows everywhere) and written anew, in one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import ExtractorError
from ..models import Disclosure
from .tables import TABLES, ColumnType, Row, TableSpec, Value, rows_of

__all__ = ["DatabaseError", "SqlLoader", "schema_statements"]


class DatabaseError(ExtractorError):
    """A database could not be opened or a document could not be loaded."""


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    placeholder: str
    types: dict[ColumnType, str]


SQLITE = Dialect("sqlite", "?", {"string": "TEXT", "integer": "INTEGER", "number": "TEXT", "boolean": "INTEGER"})
POSTGRES = Dialect(
    "postgresql", "%s", {"string": "TEXT", "integer": "BIGINT", "number": "NUMERIC", "boolean": "BOOLEAN"}
)


def _create_table(spec: TableSpec, dialect: Dialect) -> str:
    lines = [f"  {c.name} {dialect.types[c.type]}{' NOT NULL' if c.name == 'doc_id' else ''}" for c in spec.columns]
    lines.append(f"  PRIMARY KEY ({', '.join(spec.primary_key)})")
    for local, table, remote in spec.foreign_keys:
        lines.append(f"  FOREIGN KEY ({', '.join(local)}) REFERENCES {table} ({', '.join(remote)}) ON DELETE CASCADE")
    return f"CREATE TABLE IF NOT EXISTS {spec.name} (\n" + ",\n".join(lines) + "\n)"


def schema_statements(dialect: Dialect = SQLITE) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements, parents first."""
    statements = [_create_table(spec, dialect) for spec in TABLES.values()]
    for spec in TABLES.values():
        if spec.name != "documents":
            statements.append(f"CREATE INDEX IF NOT EXISTS {spec.name}_doc ON {spec.name} (doc_id)")
    statements.append("CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256)")
    statements.append("CREATE INDEX IF NOT EXISTS indicators_levels ON indicators (level1, level2)")
    return statements


def _sql_value(value: Value, dialect: Dialect) -> Any:
    if isinstance(value, Decimal) and dialect is SQLITE:
        return format(value, "f")
    if isinstance(value, bool) and dialect is SQLITE:
        return int(value)
    return value


class SqlLoader:
    """A database connection that loads documents; use as a context manager."""

    def __init__(self, target: str | Path) -> None:
        target = str(target)
        self.dialect = POSTGRES if target.startswith(("postgresql://", "postgres://")) else SQLITE
        self.target = target
        self.connection = self._connect(target)
        cursor = self.connection.cursor()
        for statement in schema_statements(self.dialect):
            cursor.execute(statement)
        self.connection.commit()

    def _connect(self, target: str) -> Any:
        if self.dialect is POSTGRES:
            try:
                import psycopg
            except ImportError:
                hint = "PostgreSQL needs psycopg: pip install 'budget-disclosure-extractor[postgres]'"
                raise DatabaseError(hint) from None
            try:
                return psycopg.connect(target)
            except psycopg.Error as exc:
                raise DatabaseError(f"cannot connect to {target}: {str(exc).strip()}") from None
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(target)
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def load(self, doc_id: str, disclosure: Disclosure) -> None:
        """Insert (or replace) one document and all its rows, atomically."""
        self.load_rows(doc_id, rows_of(doc_id, disclosure), disclosure.source.file)

    def load_rows(self, doc_id: str, rows: Iterable[tuple[str, Row]], file: str) -> None:
        """Insert (or replace) the rows of one document, atomically."""
        mark = self.dialect.placeholder
        cursor = self.connection.cursor()
        try:
            cursor.execute(f"DELETE FROM documents WHERE doc_id = {mark}", (doc_id,))
            for table, row in rows:
                names = TABLES[table].column_names
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
                    [_sql_value(row[name], self.dialect) for name in names],
                )
            self.connection.commit()
        except Exception as exc:
            self.connection.rollback()
            raise DatabaseError(
                f"{file}: not loaded into {self.target}: {type(exc).__name__}: {str(exc).strip()}"
            ) from None

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> SqlLoader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
