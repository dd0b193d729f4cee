"""The outputs of a run that the parent process writes as outcomes arrive:
the CSV set and the database loads (workers write the JSON files).

The run holds the output folder's lock (`FolderLock`) while they are open,
so a second run cannot write into it nor remove its temporary files.  A
document a database refuses fails with stage ``database`` and the
database's reason; its JSON and CSV rows are still written (its
``documents`` row says ``failed``), and the other documents go on.  An
output that cannot be written (the disk full, the folder removed during
the run) stops the run with `OutputError`: the temporary files are
removed and the lock released."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import TracebackType

from .batch import remove_outputs, remove_temporaries
from .dsn import Target
from .errors import ExtractorError, OutputError
from .processes import FolderLock
from .tasks import Outcome
from .textutil import path_text
from .writers.csv import LEDGER, CsvSet
from .writers.parquet import ParquetSet
from .writers.sql import LoadFailed, SqlLoader
from .writers.tables import Row, failure_rows, file_rows

__all__ = ["Sinks"]

DATABASE_STAGE = "database"


class Sinks:
    """Opened once per run; `write` takes each outcome in input order.
    ``note`` says when a dead run's lock was taken over."""

    def __init__(
        self,
        out: Path,
        csv_encoding: str | None,
        databases: list[Target],
        parquet: Path | None = None,
        ledger_only: bool = False,
        *,
        overwrite: bool = False,
    ) -> None:
        self.out = out
        self.lock = FolderLock(out)
        self.note = self.lock.acquire()
        self.loaders: list[SqlLoader] = []
        self.tables: CsvSet | None = None
        self.parquet: ParquetSet | None = None
        try:
            remove_temporaries(out)  # left by a run that was killed
            if overwrite:
                remove_outputs(out)  # under the lock: no other run sees the folder half cleared
            for target in databases:
                self.loaders.append(SqlLoader(target))
            # --no-csv still writes the run's ledger (files.csv, failures.csv): the summary points to it.
            only = LEDGER if ledger_only else None
            self.tables = CsvSet(out, csv_encoding, only) if csv_encoding is not None else None
            self.parquet = ParquetSet(parquet) if parquet is not None else None
        except OSError as exc:
            self._close(failed=True)
            raise OutputError(f"{out}: cannot write the outputs here: {exc.strerror or exc}") from None
        except ExtractorError:
            self._close(failed=True)
            raise

    def write(self, outcome: Outcome) -> Outcome:
        """Write one outcome's rows everywhere.  Returns the outcome, failed
        with stage ``database`` when a database did not take its rows.  A
        duplicate adds only its path (a ``files`` row).  Raises `OutputError`
        when the output folder is gone (its workers' JSON with it)."""
        if not self.out.is_dir():
            raise OutputError.removed(self.out)
        paths = list(file_rows(outcome.doc_id, [outcome.path]))
        if outcome.duplicate:
            rows = paths
        elif outcome.rows is None:
            rows = [*self._failure(outcome, outcome.stage or "internal", outcome.reason or ""), *paths]
        else:
            rows = [*outcome.rows, *paths]
        refused = self._load(outcome, rows)
        if refused is not None:
            if outcome.ok:
                failure = [row for row in self._failure(outcome, DATABASE_STAGE, refused) if row[0] == "failures"]
                rows = [*_marked_failed(rows, refused), *failure]
            if outcome.stage is not None:  # failed already: the database's reason is added
                outcome = replace(outcome, reason=f"{outcome.reason}; {refused}")
            else:
                outcome = replace(outcome, rows=None, duplicate=False, stage=DATABASE_STAGE, reason=refused)
        if self.tables is not None:
            self.tables.add_rows(rows)
        if self.parquet is not None:
            self.parquet.add_rows(rows)
        return outcome

    def target(self, outcome: Outcome) -> str | None:
        """Where the outcome's JSON is, None for a failure."""
        return str(self.out / f"{outcome.doc_id}.json") if outcome.ok else None

    def _failure(self, outcome: Outcome, stage: str, reason: str) -> list[tuple[str, Row]]:
        return list(
            failure_rows(outcome.doc_id, path_text(outcome.file.name), outcome.path, outcome.sha256, stage, reason)
        )

    def _load(self, outcome: Outcome, rows: list[tuple[str, Row]]) -> str | None:
        """Load the rows into every database; why any did not take them."""
        reasons = []
        for loader in self.loaders:
            try:
                if outcome.duplicate:
                    loader.add_rows(rows, outcome.path)
                else:
                    loader.load_rows(outcome.doc_id, rows, outcome.path)
            except LoadFailed as exc:
                reasons.append(exc.reason)
        return "; ".join(reasons) or None

    def _close(self, failed: bool) -> None:
        """Close every output (abort them after a failure, or when one cannot
        be closed); the databases are closed and the lock released whatever fails."""
        sets = [files for files in (self.tables, self.parquet) if files is not None]
        try:
            for files in sets:
                if failed:
                    files.abort()
                else:
                    files.close()
        except OutputError:
            for files in sets:
                files.abort()
            raise
        finally:
            for loader in self.loaders:
                loader.close()
            self.lock.release()

    def __enter__(self) -> Sinks:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._close(failed=kind is not None)


def _marked_failed(rows: list[tuple[str, Row]], reason: str) -> list[tuple[str, Row]]:
    """The rows of a document with its ``documents`` row marked as failed."""
    failure = f"{DATABASE_STAGE}: {reason}"
    return [(t, {**row, "status": "failed", "failure": failure} if t == "documents" else row) for t, row in rows]
