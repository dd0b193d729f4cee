"""The life of a set of output files written under temporary names."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

__all__ = ["FileSet"]


class FileSet(ABC):
    """Files written under temporary names: `close` renames them into place,
    `abort` removes them.  As a context manager, a run that ends well closes
    the set and one that fails aborts it, so nothing half-written stays."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def abort(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
