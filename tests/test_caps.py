"""The limits of a run where a run did not apply them (issue 28): standard
input read within --max-size."""

from __future__ import annotations

import io
import resource
import subprocess
import sys
from pathlib import Path

from extractor.limits import MB, Limits
from extractor.stdin import save_stdin
from tests.conftest import CLEAN, ROOT


class _Endless(io.RawIOBase):
    """A stream that never ends (``yes |``), counting what is read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        buffer[:] = b"y" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_stdin_is_saved_in_chunks_to_one_byte_over_the_limit(tmp_path: Path) -> None:
    stream = _Endless()
    limits = Limits(max_input_mb=3)
    assert save_stdin(io.BufferedReader(stream), tmp_path / "stdin", limits) == 3 * MB + 1
    assert (tmp_path / "stdin").stat().st_size == 3 * MB + 1
    assert stream.read_bytes < 4 * MB + 1  # a chunk's read-ahead at most
    assert save_stdin(io.BytesIO(b"short"), tmp_path / "short", limits) == 5
    assert (tmp_path / "short").read_bytes() == b"short"


def _capped(megabytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (megabytes * MB, resource.RLIM_INFINITY))


def test_endless_stdin_is_refused_in_one_line_and_the_other_inputs_finish(tmp_path: Path) -> None:
    # issue 28: stdin was read whole before --max-size applied (1.27 GB resident for 1.2 GB);
    # endless input ended in a MemoryError traceback
    out = tmp_path / "out"
    command = f"yes | {sys.executable} -m extractor - {CLEAN} -o {out} --max-size 1 -q"
    process = subprocess.run(
        ["sh", "-c", command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=lambda: _capped(1024),  # a regression fails here rather than swapping
        timeout=120,
    )
    assert process.returncode == 1, process.stderr
    assert process.stderr.splitlines()[0] == (
        "extract: error: stdin: too large: over 1 MB, the limit is 1 MB "
        "(raise it with --max-size if the file is genuine)"
    )
    assert "Traceback" not in process.stderr and "MemoryError" not in process.stderr
    assert "2 documents" in process.stderr and "1 ok" in process.stderr
