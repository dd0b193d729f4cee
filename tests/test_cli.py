"""The extract command, run in-process."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app
from extractor.pipeline import NOT_A_DISCLOSURE
from tests.conftest import SEED

runner = CliRunner()


def test_extract_writes_json_with_exact_amounts(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(SEED), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("fuping-2021-county-party-office-*.json")
    assert written.name == f"fuping-2021-county-party-office-{hashlib.sha256(SEED.read_bytes()).hexdigest()[:8]}.json"
    text = written.read_text(encoding="utf-8")
    assert '"total": 418.6860' in text and '"total": 1122.5675' in text
    data = json.loads(text)
    assert data["performance"]["projects"][0]["project_code"] == "130624210SN9T0TGCCC6F"


def test_bad_file_is_one_line_and_the_rest_of_the_batch_succeeds(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.txt"
    junk.write_text("这不是预算公开文件。\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(empty), str(junk), str(SEED), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("extract: error:")]
    assert errors == [
        f"extract: error: {empty}: the file is empty",
        f"extract: error: {junk}: {NOT_A_DISCLOSURE} (is this a 部门预算 or 决算 disclosure?)",
    ]
    assert len(list((tmp_path / "out").glob("fuping-2021-county-party-office-*.json"))) == 1


def test_unsupported_format_names_the_file(tmp_path: Path) -> None:
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = runner.invoke(app, [str(doc), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert f"extract: error: {doc}: old binary Word (.doc) is not read" in result.output


def test_folder_input(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "county"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("a-*.json"))) == 1


def test_check_report_and_strict_exit(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SEED), "--strict", "--no-info"])
    assert result.exit_code == 3
    assert "change_mismatch" in result.output and "8 errors" in result.output
    assert "schedule_checkpoint_empty" not in result.output  # an info-level code, hidden by --no-info
    clean = runner.invoke(app, ["check", str(SEED.parent / "clean-minimal.txt"), "--strict"])
    assert clean.exit_code == 0, clean.output
    assert "0 errors, 0 warnings" in clean.output
