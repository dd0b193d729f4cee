"""The log file of ``--log-file``: a handler that fails once.

A log file that cannot be written (the disk full, ``/dev/full``) would make
stdlib logging print a traceback for every record.  `LogFile` instead says
it once on stderr, ``extract: error: --log-file FILE: cannot be written:
why; logging to it stopped``, and writes to it no more; the command goes
on, and exits non-zero at its end (`lost`) when it would otherwise have
exited 0: the log asked for is incomplete.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

__all__ = ["LogFile", "lost"]


class LogFile(logging.FileHandler):
    """Appends to ``path`` (UTF-8) until a write fails; ``failed`` says why."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")
        self.path = path
        self.failed: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.failed is None:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)  # a bad record (format arguments), not the file
            return
        self.failed = error.strerror or str(error)
        sys.stderr.write(
            f"extract: error: --log-file {self.path}: cannot be written: {self.failed}; logging to it stopped\n"
        )
        stream, self.stream = self.stream, None  # closed, never reopened (`emit` writes no more)
        with contextlib.suppress(OSError):  # what it still buffers cannot be written either
            if stream is not None:
                stream.close()


def lost(logger: logging.Logger) -> bool:
    """Whether a log file of ``logger`` could not be written; the handlers
    of such files are removed (they write nothing more), so that a failure
    counts once, against the command it happened in."""
    failed = [handler for handler in logger.handlers if isinstance(handler, LogFile) and handler.failed is not None]
    for handler in failed:
        logger.removeHandler(handler)
        handler.close()
    return bool(failed)
