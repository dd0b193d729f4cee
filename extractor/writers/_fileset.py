"""The life of a set of output files written under temporary names."""

from __future__ import annotations

import contextlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

from ..errors import OutputError

__all__ = ["FILE_MODE", "FileSet"]

FILE_MODE = 0o644


class FileSet(ABC):
    """Files written under temporary names in ``folder``: `close` writes
    every file out, then renames each into place, so a disk that fills fails
    the set before any file is replaced; `abort` removes them.  A failure to
    close aborts the set and raises `OutputError` naming the file (or the
    folder, removed during the run).  As a context manager, a run that ends
    well closes the set and one that fails aborts it, so nothing
    half-written stays."""

    folder: Path

    @abstractmethod
    def _finish(self) -> Iterator[tuple[Path, Path]]:
        """Write out each file: yield its (temporary, final) names, then
        write the rest of it (so that a failure names the right file); forget
        the files once all are written out."""

    @abstractmethod
    def abort(self) -> None:
        """Remove the temporary files, whatever fails (the disk full, the folder gone)."""

    def close(self) -> None:
        renames: list[tuple[Path, Path]] = []
        target = self.folder
        try:
            for temporary, target in self._finish():
                renames.append((temporary, target))
            for temporary, target in renames:
                os.chmod(temporary, FILE_MODE)
                os.replace(temporary, target)
        except OSError as exc:
            self.abort()  # the files not yet written out
            for temporary, _ in renames:  # and those written out, not yet renamed
                with contextlib.suppress(OSError):
                    temporary.unlink(missing_ok=True)
            raise OutputError.writing(target, exc, self.folder) from None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
