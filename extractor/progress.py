"""What a batch run shows: a rich progress bar on a terminal (files done,
files/s, time left), plain log lines otherwise (CI, pipes), and a summary.
Every line is `printable`: a file name cannot move the cursor or forge a line."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import TextIO

from .batch import BatchSummary
from .tasks import Outcome
from .textutil import counted, printable

__all__ = ["Reporter"]


class Reporter:
    def __init__(
        self, total: int, *, quiet: bool = False, stream: TextIO | None = None, scratch: Path | None = None
    ) -> None:
        self.total = total
        self.scratch = scratch  # where standard input was saved: its files are shown by their input name
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.done = 0
        self._progress = None
        self._task = None
        if self.stream.isatty() and total > 1:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]extract"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[rate]} files/s"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._task = self._progress.add_task("extract", total=total, rate="-")

    def __enter__(self) -> Reporter:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _print(self, text: str) -> None:
        line = printable(text)
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def outcome(self, outcome: Outcome, target: str | None, elapsed: float) -> None:
        if outcome.duplicate and outcome.resumed:
            return  # another path an earlier run found a document under: nothing to show
        self.done += 1
        self.total = max(self.total, self.done)  # documents an earlier run left in the folder
        if outcome.duplicate:
            if not self.quiet and self._progress is None:
                name = self._name(outcome)
                self._print(f"[{self.done}/{self.total}] {name} = {outcome.doc_id} (same content as an earlier file)")
        elif not outcome.ok:
            self._print(f"extract: error: {self._name(outcome)}: {outcome.reason}")
        elif not self.quiet and self._progress is None:
            note = " (resumed)" if outcome.resumed else ""
            self._print(f"[{self.done}/{self.total}] {self._name(outcome)} -> {target}{note} ({_counts(outcome)})")
        if self._progress is not None and self._task is not None:
            rate = f"{self.done / elapsed:.1f}" if elapsed > 0 else "-"
            self._progress.update(self._task, advance=1, rate=rate)

    def _name(self, outcome: Outcome) -> str:
        """The file as the user named it: standard input as ``stdin``, not
        the temporary file it was saved in."""
        if self.scratch is not None and outcome.file.is_relative_to(self.scratch):
            return outcome.path
        return str(outcome.file)

    def summary(self, summary: BatchSummary, elapsed: float) -> None:
        rate = summary.total / elapsed if elapsed > 0 else 0.0
        line = (
            f"{counted(summary.total, 'document')} in {elapsed:.1f} s ({rate:.1f}/s): {summary.ok} ok "
            f"({summary.with_warnings} with warnings or errors in their data"
            f"{f', {summary.resumed} resumed' if summary.resumed else ''}), {summary.failed} failed"
        )
        stages = Counter(f.stage for f in summary.failures)
        if stages:
            line += " (" + ", ".join(f"{count} {stage}" for stage, count in stages.most_common()) + ")"
        if summary.duplicates:
            more = counted(summary.duplicates, "more file", "more files")
            line += f"; {more} with the content of one of them (paths in files.csv)"
        self._print(line)


def _counts(outcome: Outcome) -> str:
    c = outcome.counts
    assert c is not None
    return ", ".join(
        counted(n, noun)
        for n, noun in (
            (c.projects, "project"),
            (c.indicators, "indicator"),
            (c.errors, "error"),
            (c.warnings, "warning"),
        )
    )
