"""A run's outputs under faults (issue 28): the disk filling while the CSV
set is closed, the output folder removed during the run, a log file on a
full disk.  Each is one line ``extract: error: …`` naming the file, a
non-zero exit, no temporary file left and the folder's lock released."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import OutputError
from extractor.processes import LOCK_FILE
from extractor.sinks import Sinks
from extractor.tasks import Outcome
from extractor.writers.csv import CsvSet
from tests.conftest import FIXTURES

runner = CliRunner()
CLEAN = FIXTURES / "clean-minimal.txt"
FULL = "No space left on device"


def _disk_full(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _leftovers(out: Path) -> list[str]:
    return sorted(path.name for path in out.iterdir() if path.name.endswith(".tmp") or path.name == LOCK_FILE)


def test_a_disk_full_while_the_csv_set_is_renamed_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: a traceback (OSError 28), exit 1, 18 .*.csv.tmp files and the lock left in out/
    out = tmp_path / "out"
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        if str(target).endswith(".csv"):
            _disk_full()
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = runner.invoke(app, [str(CLEAN), "-o", str(out), "-q"])
    assert result.exit_code == 2
    assert result.output == f"extract: error: {out}/documents.csv: cannot be written: {FULL}\n"
    assert _leftovers(out) == []
    assert not (out / "documents.csv").exists()  # nothing half replaced
    monkeypatch.setattr(os, "replace", real)
    # the document's JSON was complete: --resume finishes the job
    result = runner.invoke(app, [str(CLEAN), "-o", str(out), "-q", "--resume"])
    assert result.exit_code == 0, result.output
    assert (out / "documents.csv").read_text(encoding="utf-8-sig").count("\n") == 2


def test_a_disk_full_while_a_csv_file_is_written_out_replaces_none(tmp_path: Path) -> None:
    """The files are all written out before any is renamed: a flush that fails
    on the fifth file leaves the folder's earlier CSV set as it was."""
    tables = CsvSet(tmp_path)
    (tmp_path / "documents.csv").write_text("an earlier run's\n", encoding="utf-8")
    name, (temporary, handle, writer) = list(tables._files.items())[4]
    handle.close()
    tables._files[name] = (temporary, _Full(), writer)
    with pytest.raises(OutputError, match=f"^{tmp_path}/{name}.csv: cannot be written: {FULL}$"):
        tables.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["documents.csv"]
    assert (tmp_path / "documents.csv").read_text(encoding="utf-8") == "an earlier run's\n"


class _Full:
    def close(self) -> None:
        _disk_full()


def test_the_output_folder_removed_during_the_run_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: a traceback (FileNotFoundError writing the manifest), exit 1
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(CLEAN, inputs / "a.txt")
    (inputs / "b.txt").write_text(CLEAN.read_text(encoding="utf-8").replace("示例县", "另一县"), encoding="utf-8")
    out = tmp_path / "out"
    real = Sinks.write

    def write_then_remove(self: Sinks, outcome: Outcome) -> Outcome:
        written = real(self, outcome)
        shutil.rmtree(self.out)  # between the first document and the second
        return written

    monkeypatch.setattr(Sinks, "write", write_then_remove)
    result = runner.invoke(app, [str(inputs), "-o", str(out), "-q", "-j", "1"])
    assert result.exit_code == 2
    assert result.output == f"extract: error: {out}: the output folder was removed during the run\n"
    assert not out.exists()  # nothing written again into a folder the user removed


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_log_file_on_a_full_disk_is_said_once_and_the_run_exits_non_zero(tmp_path: Path) -> None:
    # before: '--- Logging error ---' and a traceback for each record, exit 0
    out = tmp_path / "out"
    result = runner.invoke(app, [str(CLEAN), "-o", str(out), "-q", "-v", "--log-file", "/dev/full"])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("extract: error:")]
    assert errors == [f"extract: error: --log-file /dev/full: cannot be written: {FULL}; logging to it stopped"]
    assert "Traceback" not in result.output and "Logging error" not in result.output
    assert (out / "documents.csv").is_file() and _leftovers(out) == []  # the run itself is complete
    # the failure counts against that command only
    assert runner.invoke(app, ["schema", "-o", str(tmp_path / "schema.json")]).exit_code == 0


def test_an_output_error_restores_the_signal_handlers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    def removed(self: Sinks, outcome: Outcome) -> Outcome:
        raise OutputError.removed(self.out)

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(Sinks, "write", removed)
    result = runner.invoke(app, [str(CLEAN), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2
    assert signal.getsignal(signal.SIGTERM) is before  # not the run's Ctrl-C handler, left behind
