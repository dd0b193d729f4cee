"""The outputs of a run that the parent process writes as outcomes arrive:
the CSV set and the database loads (workers write the JSON files)."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from .batch import Outcome, remove_temporaries
from .writers.csv import CsvSet
from .writers.sql import SqlLoader
from .writers.tables import failure_rows, file_rows

__all__ = ["Sinks"]


class Sinks:
    """Opened once per run; `write` takes each outcome in input order."""

    def __init__(self, out: Path, csv_encoding: str | None, databases: list[str]) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        remove_temporaries(out)  # left by a run that was killed
        self.loaders = [SqlLoader(target) for target in databases]
        self.tables = CsvSet(out, csv_encoding) if csv_encoding is not None else None

    def write(self, outcome: Outcome) -> str | None:
        """Write one outcome's rows everywhere; the JSON's path, or None for a
        failure.  A duplicate adds only its path (a ``files`` row)."""
        paths = list(file_rows(outcome.doc_id, [outcome.path]))
        if outcome.duplicate:
            rows = paths
        elif outcome.rows is None:
            stage, reason = outcome.stage or "internal", outcome.reason or ""
            failure = failure_rows(outcome.doc_id, outcome.file.name, outcome.path, outcome.sha256, stage, reason)
            rows = [*failure, *paths]
        else:
            rows = [*outcome.rows, *paths]
        if self.tables is not None:
            self.tables.add_rows(rows)
        for loader in self.loaders:
            if outcome.duplicate:
                loader.add_rows(rows, outcome.path)
            else:
                loader.load_rows(outcome.doc_id, rows, outcome.path)
        return str(self.out / f"{outcome.doc_id}.json") if outcome.ok else None

    def __enter__(self) -> Sinks:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.tables is not None:
            if kind is None:
                self.tables.close()
            else:
                self.tables.abort()
        for loader in self.loaders:
            loader.close()
