"""The libraries' own complaints while a file is read, kept as reader notes.

pdfminer logs a warning for each damaged font or stream (hundreds for one
broken PDF, printed on stderr with no file name by Python's last-resort
handler); python-docx and others issue `warnings`.  While a reader runs,
`library_messages` takes both: logging records of WARNING and above from
any logger but the extractor's own, and every warning.  Nothing reaches
stderr; the messages come back counted (``… (×63)``), at most
`MAX_NOTES` distinct ones, for the document's ``reader_note`` issues.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["MAX_NOTES", "library_messages"]

#: Distinct library messages kept for one document; the rest are counted.
MAX_NOTES = 20
_MAX_MESSAGE = 300
_OURS = "extractor"


class _Collector(logging.Handler):
    def __init__(self, seen: Counter[str]) -> None:
        super().__init__(logging.WARNING)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        if record.name != _OURS and not record.name.startswith(f"{_OURS}."):
            self.seen[f"{record.name}: {record.getMessage()}"[:_MAX_MESSAGE]] += 1


def _notes(seen: Counter[str]) -> list[str]:
    notes = [f"{message} (×{count})" if count > 1 else message for message, count in list(seen.items())[:MAX_NOTES]]
    if len(seen) > MAX_NOTES:
        left = sum(list(seen.values())[MAX_NOTES:])
        notes.append(f"{left} more library message(s) of {len(seen) - MAX_NOTES} other kind(s)")
    return [f"while reading: {note}" for note in notes]


@contextmanager
def library_messages() -> Iterator[list[str]]:
    """Collect the libraries' warnings and log records while the block runs;
    the yielded list is filled with the notes when it ends."""
    seen: Counter[str] = Counter()
    collector = _Collector(seen)
    root = logging.getLogger()
    notes: list[str] = []
    root.addHandler(collector)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield notes
        for warning in caught:
            seen[f"{warning.category.__name__}: {warning.message}"[:_MAX_MESSAGE]] += 1
    finally:
        root.removeHandler(collector)
        notes.extend(_notes(seen))
