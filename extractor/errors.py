"""The exceptions the extractor raises, as one hierarchy.

    ExtractorError
    └── InputError                 the file cannot be turned into a disclosure
        ├── UnreadableInput        missing, empty, or not readable at all
        ├── UnsupportedFormat      a format we do not read (with how to convert it)
        ├── DecodeError            text in an encoding we cannot decode
        ├── NotADisclosure         readable, but no topic heading and no budget table or figure
        ├── TimedOut               took longer than the per-file time limit
        └── MemoryExceeded         needed more memory than the per-file memory limit

Every error carries the file it concerns and renders as one line:
``path: what is wrong (what to do)``.
"""

from __future__ import annotations

from pathlib import Path

from .textutil import path_text

__all__ = [
    "DecodeError",
    "ExtractorError",
    "InputError",
    "MemoryExceeded",
    "NotADisclosure",
    "TimedOut",
    "UnreadableInput",
    "UnsupportedFormat",
]


class ExtractorError(Exception):
    """Base class of every error the extractor raises on purpose."""


class InputError(ExtractorError):
    """An input file that cannot be extracted; the message names the file
    (as `path_text`: a name that is not UTF-8 is shown with U+FFFD)."""

    def __init__(self, path: str | Path, problem: str, hint: str | None = None) -> None:
        self.path = path_text(path)
        self.problem = problem
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        tail = f" ({self.hint})" if self.hint else ""
        return f"{self.path}: {self.problem}{tail}"


class UnreadableInput(InputError):
    """The file is missing, empty or cannot be opened."""


class UnsupportedFormat(InputError):
    """The file is in a format the extractor does not read."""


class DecodeError(InputError):
    """A text file in none of the encodings the extractor accepts."""


class NotADisclosure(InputError):
    """The file reads fine but holds none of the template's nine parts."""


class TimedOut(InputError):
    """The file took longer than the per-file time limit."""


class MemoryExceeded(InputError):
    """Extracting the file needed more memory than ``--max-memory``."""
