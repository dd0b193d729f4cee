"""The limits of a run where a run does not start one (issue 28): standard
input read within --max-size, and check and review under --max-memory."""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.limits import MB, Limits
from extractor.models import Disclosure
from extractor.stdin import save_stdin
from tests.conftest import CLEAN, ROOT

runner = CliRunner()


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


ALLOCATION = 256 * MB


@pytest.fixture
def hungry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of a file whose extraction takes 256 MB (as a hostile
    workbook takes gigabytes), and a clean file."""
    import extractor.pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-hungry.txt").write_bytes(CLEAN.read_bytes().replace(b"2022", b"2023"))
    (folder / "b-clean.txt").write_bytes(CLEAN.read_bytes())
    extract = extractor.pipeline.extract_file

    def hungry_extract(path: Path, *args: Any) -> Disclosure:
        if path.name == "a-hungry.txt":
            bytearray(ALLOCATION)
        return extract(path, *args)

    monkeypatch.setattr(extractor.pipeline, "extract_file", hungry_extract)
    return folder


def test_check_applies_max_memory_as_a_run_does(hungry: Path) -> None:
    # issue 28: extract check ran the readers with no memory cap (5.3 GB on a 5 KB hostile workbook)
    before = resource.getrlimit(resource.RLIMIT_AS)
    result = runner.invoke(app, ["check", str(hungry), "--format", "json", "--max-memory", "100"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"extract: error: {hungry}/a-hungry.txt: needs more than 100 MB of memory "
        "(raise --max-memory if the file is genuine)\n"
    )
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["status"]) for r in reports] == [("a-hungry.txt", "failed"), ("b-clean.txt", "ok")]
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # the cap is lifted after each file
    assert runner.invoke(app, ["check", str(hungry), "--max-memory", "1024"]).exit_code == 0


def test_review_of_files_applies_max_memory_as_a_run_does(hungry: Path, tmp_path: Path) -> None:
    # issue 28: extract review FILE ran the readers with no memory cap
    result = runner.invoke(app, ["review", str(hungry), "-o", str(tmp_path / "review"), "--max-memory", "100"])
    assert result.exit_code == 0, result.output
    assert "1 document, 0 page images, 1 failed input" in result.output
    index = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert "needs more than 100 MB of memory" in index


def test_check_and_review_refuse_a_max_memory_that_is_not_positive(tmp_path: Path) -> None:
    for command in (["check", str(CLEAN)], ["review", str(CLEAN), "-o", str(tmp_path / "r")]):
        result = runner.invoke(app, [*command, "--max-memory", "0"])
        assert (result.exit_code, result.output) == (2, "extract: error: limit max_memory_mb must be positive\n")
