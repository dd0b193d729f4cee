"""Every output of a run, written by the parent process as outcomes arrive:
the JSON per document, the CSV set, the database loads, the manifest."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from .batch import Outcome, record_done
from .writers.csv import CsvSet
from .writers.json import write_json
from .writers.sql import SqlLoader

__all__ = ["Sinks"]


class Sinks:
    """Opened once per run; `write` takes each outcome in input order."""

    def __init__(self, out: Path, csv_encoding: str | None, databases: list[str], indent: int) -> None:
        self.out = out
        self.indent = indent or None
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(".*.tmp"):  # left by a run that was killed
            stale.unlink(missing_ok=True)
        self.loaders = [SqlLoader(target) for target in databases]
        self.tables = CsvSet(out, csv_encoding) if csv_encoding is not None else None

    def write(self, outcome: Outcome) -> str | None:
        """Write one outcome everywhere; the JSON's path, or None for a failure."""
        name = outcome.doc_id
        if outcome.disclosure is None:
            stage = outcome.stage or "internal"
            reason = outcome.reason or ""
            if self.tables is not None:
                self.tables.add_failure(name, str(outcome.file), outcome.sha256, stage, reason)
            for loader in self.loaders:
                loader.load_failure(name, str(outcome.file), outcome.sha256, stage, reason)
            return None
        target = self.out / f"{name}.json"
        if not outcome.resumed:
            write_json(outcome.disclosure, target, self.indent)
            record_done(self.out, outcome.sha256, name)
        if self.tables is not None:
            self.tables.add(name, outcome.disclosure)
        for loader in self.loaders:
            loader.load(name, outcome.disclosure)
        return str(target)

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
