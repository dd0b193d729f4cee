"""The exceptions the extractor raises, as one hierarchy.

    ExtractorError
    ├── UsageError                 options that cannot work, or nothing to work on
    │   └── DatabaseTargetError    a --db value that names no database this loads
    ├── ClusterError               the Dask cluster cannot be used
    ├── InputError                 the file cannot be turned into a disclosure
    │   ├── UnreadableInput        missing, empty, or not readable at all
    │   ├── UnsupportedFormat      a format we do not read (with how to convert it)
    │   ├── DecodeError            text in an encoding we cannot decode
    │   ├── NotADisclosure         readable, but no topic heading and no budget table or figure
    │   ├── TimedOut               took longer than the per-file time limit
    │   └── MemoryExceeded         needed more memory than the per-file memory limit
    └── OutputError                the outputs cannot be written (read-only, full, gone, in use)
        └── FolderInUse            another run is writing into the output folder

Every input error carries the file it concerns and renders as one line:
``path: what is wrong (what to do)``.
"""

from __future__ import annotations

from pathlib import Path

from .textutil import path_text

__all__ = [
    "ClusterError",
    "DatabaseTargetError",
    "DecodeError",
    "ExtractorError",
    "FolderInUse",
    "InputError",
    "MemoryExceeded",
    "NotADisclosure",
    "OutputError",
    "TimedOut",
    "UnreadableInput",
    "UnsupportedFormat",
    "UsageError",
]


class ExtractorError(Exception):
    """Base class of every error the extractor raises on purpose."""


class UsageError(ExtractorError):
    """Options that cannot work together, or no input to work on: the command
    stops before reading a file, with exit status 2."""


class ClusterError(ExtractorError):
    """The cluster cannot be used: unreachable, misconfigured, or distributed missing."""


class DatabaseTargetError(UsageError):
    """A ``--db`` value that is neither PostgreSQL nor an SQLite file; the
    message never repeats the value (it may hold a password)."""


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


class OutputError(ExtractorError):
    """The outputs cannot be written: the folder is read-only, a file, full,
    removed during the run, or in use; the message names the file or folder."""

    @classmethod
    def removed(cls, folder: Path) -> OutputError:
        return cls(f"{folder}: the output folder was removed during the run")

    @classmethod
    def writing(cls, path: Path, error: OSError, folder: Path | None = None) -> OutputError:
        """The error of a write to ``path`` that failed, said as one line: the
        ``folder`` it is in removed during the run, or the system's reason."""
        if folder is not None and not folder.is_dir():
            return cls.removed(folder)
        return cls(f"{path}: cannot be written: {error.strerror or error}")


class FolderInUse(OutputError):
    """Another run is writing into the output folder."""
