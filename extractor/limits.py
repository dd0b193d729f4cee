"""Limits on what one input may cost, with their defaults.

A batch runs whatever a crawler downloaded; these keep one file from
taking the machine: input size, the size a DOCX (a ZIP package) unpacks
to and its compression ratio, the time one file may take, and the memory
(address space) the process extracting it may grow to.  The CLI sets them
with --max-size, --max-unzipped, --timeout and --max-memory.  Two more
have no option: the members a ZIP archive may hold, and the empty cells a
table of a workbook or an HTML page may declare beyond the cells it holds,
which a few bytes can make a billion (a cell at XFD1048576, ``colspan=1000``).
The review report caps the pixels of a page image (a PDF page may be
declared 20,000 pt across).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_EMPTY_CELLS",
    "DEFAULT_MAX_INPUT_MB",
    "DEFAULT_MAX_MEMBERS",
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_MAX_PAGE_PIXELS",
    "DEFAULT_MAX_UNZIPPED_MB",
    "DEFAULT_MAX_ZIP_RATIO",
    "DEFAULT_TIMEOUT_SECONDS",
    "MB",
    "Limits",
    "ZipExcess",
    "zip_excess",
]

MB = 1024 * 1024

DEFAULT_MAX_INPUT_MB = 32.0  # the seed is 0.12 MB as text, 0.5 MB as PDF; scans are refused anyway
DEFAULT_MAX_UNZIPPED_MB = 256.0  # a DOCX's parts, unpacked
DEFAULT_MAX_ZIP_RATIO = 200.0  # unpacked ÷ packed for one part; Word XML compresses about 10:1
DEFAULT_TIMEOUT_SECONDS = 120.0  # per file; the seed PDF takes under 3 s
DEFAULT_MAX_MEMORY_MB = 2048.0  # per worker, beyond its start; the seed PDF needs about 110 MB
DEFAULT_MAX_MEMBERS = 10_000  # files in one ZIP archive; a county's bundle of attachments holds dozens
DEFAULT_MAX_EMPTY_CELLS = 200_000  # in one table, past the cells present: 1,000 blank rows of 200 columns
#: A page image of the review report: 16 Mpx (16 MB in grey), 4000 × 4000 px; A4 is 1000 × 1414 px there.
DEFAULT_MAX_PAGE_PIXELS = 16_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    max_input_mb: float = DEFAULT_MAX_INPUT_MB
    max_unzipped_mb: float = DEFAULT_MAX_UNZIPPED_MB
    max_zip_ratio: float = DEFAULT_MAX_ZIP_RATIO
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_memory_mb: float = DEFAULT_MAX_MEMORY_MB
    max_members: int = DEFAULT_MAX_MEMBERS
    max_empty_cells: int = DEFAULT_MAX_EMPTY_CELLS

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) <= 0:
                raise ValueError(f"limit {name} must be positive")

    @property
    def max_input_bytes(self) -> int:
        return int(self.max_input_mb * MB)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * MB)


DEFAULT_LIMITS = Limits()


class ZipExcess(NamedTuple):
    """The limit a ZIP's declared sizes break: the total unpacked size
    (``member`` None), or one large member's compression ratio."""

    total: int
    member: zipfile.ZipInfo | None = None
    ratio: float = 0.0


def zip_excess(members: Sequence[zipfile.ZipInfo], limits: Limits) -> ZipExcess | None:
    """Whether a ZIP (a DOCX package, an archive) is a bomb, from the sizes
    it declares, before anything is inflated; None when it is within limits."""
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        return ZipExcess(total)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > limits.max_zip_ratio:
            return ZipExcess(total, member, ratio)
    return None
