"""Standard input as an input (``-``): saved to a file for the batch to read.

It is copied in chunks and never past ``--max-size`` + 1 bytes, so neither a
large input nor an endless one (``yes |``) is held in memory or read to its
end: a copy one byte over the limit is refused by the reader as any file
too large is, one line, and the other inputs of the run go on.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from .limits import Limits

__all__ = ["CHUNK_BYTES", "save_stdin"]

CHUNK_BYTES = 1 << 20


def save_stdin(stream: BinaryIO, file: Path, limits: Limits) -> int:
    """Copy ``stream`` into ``file``, at most ``limits.max_input_bytes`` + 1
    bytes of it; the number of bytes copied."""
    left = limits.max_input_bytes + 1
    with file.open("wb") as out:
        while left > 0 and (chunk := stream.read(min(CHUNK_BYTES, left))):
            out.write(chunk)
            left -= len(chunk)
    return limits.max_input_bytes + 1 - left
