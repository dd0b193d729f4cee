"""``extract FILE --review DIR`` and ``extract review OUT``: the report of a
run, written at its end or afterwards from its folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app

from ..conftest import FIXTURES

runner = CliRunner()
MINIMAL = "clean-minimal.txt"


def test_run_with_review_then_review_of_the_run_folder(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(FIXTURES / MINIMAL, inputs / MINIMAL)
    result = runner.invoke(app, [str(inputs), "-o", str(tmp_path / "out"), "-q", "--review", str(tmp_path / "r1")])
    assert result.exit_code == 0, result.output
    page = tmp_path / "r1/documents/clean-minimal-ba9dd9e95a9e8831.html"
    html = page.read_text(encoding="utf-8")
    assert "示例县示例局2022年部门预算信息公开" in html
    assert '<span class="line row"><span class="n">212</span>' in html  # the project's indicator row, from in/
    # afterwards, from the run folder, the inputs moved: the source is found under --sources
    # (the run recorded '…/in/clean-minimal.txt')
    moved = inputs.rename(tmp_path / "moved")
    result = runner.invoke(app, ["review", str(tmp_path / "out"), "--sources", str(moved), "-o", str(tmp_path / "r2")])
    assert result.exit_code == 0, result.output
    assert "1 document, 0 page images, 0 failed inputs" in result.output
    assert (tmp_path / "r2/documents/clean-minimal-ba9dd9e95a9e8831.html").read_text(encoding="utf-8") == html
    # without --sources, from elsewhere: the data, and where the source was looked for
    result = runner.invoke(app, ["review", str(tmp_path / "out"), "-o", str(tmp_path / "r3")])
    assert result.exit_code == 0, result.output
    page = tmp_path / "r3/documents/clean-minimal-ba9dd9e95a9e8831.html"
    assert "Source file not found (looked for" in page.read_text(encoding="utf-8")
