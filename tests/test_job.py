"""The job without the command line: settings checked together, then run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.errors import UsageError
from extractor.job import EXIT_OK, STDIO, RunSettings, gather_inputs, run_job
from extractor.limits import Limits

from .conftest import SEED


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (RunSettings((SEED,), jobs=0), "--jobs must be 1 or more, not 0"),
        (RunSettings((SEED,), out=Path(STDIO), resume=True), "need an output folder"),
        (RunSettings((SEED,), resume=True, overwrite=True), "give one of them"),
        (RunSettings((SEED,), csv_encoding="latin-1"), "--csv-encoding must be one of utf-8-sig, utf-8"),
    ],
)
def test_settings_that_cannot_work_are_refused_before_anything_is_read(
    settings: RunSettings, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match=message):
        run_job(settings)
    assert not (tmp_path / "out").exists()


def test_an_unknown_pdf_backend_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="pdfminer"):
        run_job(RunSettings((SEED,), out=tmp_path / "out", pdf_backend="pdfminer"))


def test_a_folder_without_disclosures_gives_no_inputs(tmp_path: Path) -> None:
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    with pytest.raises(UsageError, match=f"no input files found in {tmp_path}"):
        gather_inputs((tmp_path,), tmp_path, Limits())


def test_a_program_runs_the_seed_job_as_the_command_does(tmp_path: Path) -> None:
    out = tmp_path / "out"
    status = run_job(RunSettings((SEED,), out=out, jobs=1, debug=True, quiet=True))
    assert status == EXIT_OK
    [document] = [
        json.loads(path.read_text(encoding="utf-8")) for path in out.glob("*.json") if path.stem != "datapackage"
    ]
    assert document["source"]["file"] == SEED.name
    assert (out / "projects.csv").is_file()
    assert (out / "files.csv").read_text(encoding="utf-8-sig").count(SEED.name) == 1
