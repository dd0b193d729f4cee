"""The run's manifest (``OUT/.manifest.jsonl``, issue 28): only ``\\n`` ends a
record, and a damaged line is skipped with a warning, never a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.batch import MANIFEST, read_manifest
from extractor.cli import app
from tests.conftest import CLEAN, csv_rows

runner = CliRunner()


def test_a_name_holding_a_line_separator_keeps_its_manifest_line_whole(tmp_path: Path) -> None:
    # issue 28: U+2028, U+2029 or NEL in a name split its manifest line (read with str.splitlines):
    # export wrote 0 documents of 2 and --resume lost a recorded failure
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\u2028b.txt").write_bytes(CLEAN.read_bytes())
    (folder / "c\u2029d.txt").write_bytes(CLEAN.read_bytes().replace(b"2022", b"2023"))
    (folder / "e\x85f.txt").write_bytes(b"")  # fails: a failure the manifest records
    out = tmp_path / "out"
    assert runner.invoke(app, [str(folder), "-o", str(out), "-q"]).exit_code == 1
    manifest = read_manifest(out)
    assert sorted(manifest.paths) == sorted(row["doc_id"] for row in csv_rows(out / "documents.csv"))
    names = ("a\u2028b.txt", "c\u2029d.txt", "e\x85f.txt")
    assert [path for _, path in manifest.order] == [f"{folder}/{name}" for name in names]
    exported = runner.invoke(app, ["export", str(out), "--parquet", str(tmp_path / "parquet")])
    assert exported.exit_code == 0 and "the tables of 3 documents" in exported.output
    resumed = runner.invoke(app, [str(folder / "a\u2028b.txt"), "-o", str(out), "-q", "--resume"])
    assert resumed.exit_code == 1  # the failure recorded stands
    assert "2 ok (0 with warnings or errors in their data, 2 resumed), 1 failed (1 read)" in resumed.output
    failures = [(row["file"], row["reason"]) for row in csv_rows(out / "failures.csv")]
    assert failures == [("e\x85f.txt", "the file is empty")]


def _damaged_run(tmp_path: Path) -> tuple[Path, Path]:
    """A run of an ok and a failed file, then its manifest damaged as a full
    disk leaves it: a line of garbage and a last line cut inside a character."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "附件.txt").write_bytes(CLEAN.read_bytes())
    (folder / "空.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert runner.invoke(app, [str(folder), "-o", str(out), "-q"]).exit_code == 1
    with (out / MANIFEST).open("ab") as handle:
        handle.write(b'{"doc_id": "x", "sha\n')
        handle.write(b'{"doc_id": "x", "path": "' + "附".encode()[:2])
    return folder, out


def test_a_manifest_line_cut_inside_a_character_is_skipped_with_a_warning(tmp_path: Path) -> None:
    # issue 28: --resume, review and export died with UnicodeDecodeError
    folder, out = _damaged_run(tmp_path)
    warnings = [
        f"extract: WARNING: {out}/{MANIFEST} line 3: skipped, not JSON (cut short?)",
        f"extract: WARNING: {out}/{MANIFEST} line 4: skipped, not UTF-8 (cut short?)",
    ]
    (folder / "新.txt").write_bytes(CLEAN.read_bytes().replace(b"2022", b"2024"))
    resumed = runner.invoke(app, [str(folder), "-o", str(out), "-q", "--resume"])
    assert resumed.exit_code == 1 and "Traceback" not in resumed.output
    assert resumed.output.splitlines()[:2] == warnings
    assert "3 documents" in resumed.output and "1 resumed), 1 failed (1 read)" in resumed.output
    # the record after the cut line starts a line of its own: the new document is known to the next run
    assert len(read_manifest(out).done) == 2
    review = runner.invoke(app, ["review", str(out), "-o", str(tmp_path / "review")])
    assert review.exit_code == 0 and review.output.splitlines()[:2] == warnings
    assert "2 documents, 0 page images, 1 failed input" in review.output
    exported = runner.invoke(app, ["export", str(out), "--parquet", str(tmp_path / "parquet")])
    assert exported.exit_code == 0 and exported.output.splitlines() == [
        *warnings,
        f"wrote {tmp_path / 'parquet'}: the tables of 3 documents",
    ]


def test_read_manifest_names_each_damaged_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / MANIFEST).write_bytes(
        b'{"doc_id": "a-1", "sha256": "1", "path": "a.txt", "status": "ok"}\n'
        b"[1, 2]\n"
        b'{"doc_id": "b-2", "sha256": "", "path": "b.txt", "status": "failed"}\n'
        b'{"doc_id": "c-3", "sha256": "3", "path": "c\\udcb8.txt", "status": "ok"}\n'
        b"\xff\xfe\n"
    )
    with caplog.at_level(logging.WARNING, logger="extractor"):
        manifest = read_manifest(tmp_path)
    assert manifest.done == {"a-1": "1", "c-3": "3"}
    assert manifest.paths["c-3"] == {"c\ufffd.txt": "3"}  # a lone surrogate can be written nowhere
    assert [record.getMessage().split(": skipped, ")[0].rsplit(" ", 1)[1] for record in caplog.records] == [
        "2",
        "3",
        "5",
    ]
    assert "needs the text fields doc_id, file, path, reason, sha256, stage, status" in caplog.records[1].getMessage()
