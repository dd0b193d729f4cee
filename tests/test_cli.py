"""The extract command, run in-process."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.pipeline import NOT_A_DISCLOSURE
from tests.conftest import SEED

runner = CliRunner()


def test_extract_writes_json_with_exact_amounts(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(SEED), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("fuping-2021-county-party-office-*.json")
    assert written.name == f"fuping-2021-county-party-office-{hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]}.json"
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
    assert f"extract: error: {doc}: named .doc but its content is not DOC" in result.output


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


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"extract {version('budget-disclosure-extractor')} (output schema version 3)\n"


def test_stdin_to_json_lines_on_stdout_through_real_pipes() -> None:
    """``cat fixture.txt | extract - -o - | jq .doc_id``: one line of JSON, nothing else on stdout."""
    done = subprocess.run(
        [Path(sys.executable).parent / "extract", "-", "-o", "-"],
        input=SEED.read_bytes(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    assert '"total": 1122.5675' in lines[0]  # exact amounts on stdout too
    document = json.loads(lines[0])
    assert document["doc_id"] == f"stdin-{hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]}"
    assert document["source"]["file"] == "stdin" and document["source"]["format"] == "txt"
    assert len(document["performance"]["projects"]) == 48
    assert "1 ok" in done.stderr.decode()
    assert done.stderr.decode().startswith("[1/1] stdin -> ")  # not the temporary file stdin was saved in


def test_json_lines_keep_input_order_and_write_no_csv(tmp_path: Path) -> None:
    clean = SEED.parent / "clean-minimal.txt"
    result = runner.invoke(app, [str(clean), str(SEED), "-o", "-", "-q"])
    assert result.exit_code == 0, result.output
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"]["file"] for d in documents] == ["clean-minimal.txt", SEED.name]
    assert [len(d["performance"]["projects"]) for d in documents] == [2, 48]
    assert not Path("-").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-file.pdf", "-o", "out"], "extract: error: no-such-file.pdf: no such file or folder"),
        ([str(SEED), "-o", "out", "--jobs", "0"], "extract: error: --jobs must be 1 or more, not 0"),
        ([str(SEED), "-o", "out", "-j", "-3"], "extract: error: --jobs must be 1 or more, not -3"),
        (
            [str(SEED), "-o", "-", "--csv"],
            "extract: error: --csv, --resume and --review need an output folder (-o FOLDER), "
            "not standard output (-o -)",
        ),
        (["check", str(SEED), "missing-folder"], "extract: error: missing-folder: no such file or folder"),
        # issue 29: review and check said nothing and exited 0; click's errors came as boxed panels
        (["review", "MISSING", "-o", "r"], "extract: error: MISSING: no such file or folder"),
        (["check", "EMPTY"], "extract: error: no input files found in EMPTY"),
        (["review", "EMPTY", "-o", "r"], "extract: error: no run outputs or input files found in EMPTY"),
        (
            ["run", "--bogus"],
            "extract: error: No such option: --bogus (Possible options: --jobs, --out, --verbose) "
            "(see 'extract run --help')",
        ),
        (["check"], "extract: error: Missing argument 'PATH'. (see 'extract check --help')"),
        (
            ["check", "--format", "xml", str(SEED)],
            "extract: error: Invalid value for '--format': Value error, 'xml' is not one of 'text', 'json'. "
            "(see 'extract check --help')",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    arguments: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "EMPTY").mkdir()
    result = runner.invoke(app, arguments, prog_name="extract")
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""


def test_help_shows_the_real_defaults() -> None:
    result = runner.invoke(app, ["run", "--help"], terminal_width=200)
    text = " ".join(result.stdout.split())  # wrapping undone
    assert f"Worker processes (default: the number of cores). [default: {os.cpu_count()}]" in text
    assert "Refuse inputs larger than this many MB. [default: 32.0]" in text
    assert "Give up on a file after this many seconds. [default: 120.0]" in text
    assert "needs more than this many MB of memory. [default: 2048.0]" in text


def test_help_keeps_brackets_and_shows_flags_bare() -> None:
    # issue 29: rich markup ate `[the document's issues, as in its JSON]`; every flag showed `<bool>`
    text = " ".join(runner.invoke(app, ["check", "--help"], prog_name="extract").stdout.split())
    assert "\"issues\": [the document's issues, as in its JSON]}" in text
    assert "<bool>" not in text and "--strict Exit 3 when any error-level issue is found." in text
    assert "Usage: extract check [OPTIONS] {PATH}..." in text


def test_schema_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 29: `-o -` wrote a file named `-`
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["schema", "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["properties"]["schema_version"]["const"] == "3"
    assert list(tmp_path.iterdir()) == []


def test_shell_completion_is_offered() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert "--install-completion" in result.stdout
    script = runner.invoke(app, ["--show-completion", "bash"], prog_name="extract")
    assert script.exit_code == 0
    assert "_EXTRACT_COMPLETE=complete_bash" in script.stdout


def test_check_format_json_one_object_per_document(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("这不是预算公开文件。\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--format", "json", "--no-info", str(SEED), str(junk)])
    assert result.exit_code == 1  # a file could not be read
    seed, failed = (json.loads(line) for line in result.stdout.splitlines())
    assert seed["doc_id"] == f"fuping-2021-county-party-office-{hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]}"
    assert seed["status"] == "ok" and seed["path"] == str(SEED)
    assert seed["counts"]["error"] == 8 and seed["counts"]["info"] > 0
    assert {i["severity"] for i in seed["issues"]} == {"error", "warning"}  # info left out, still counted
    assert "change_mismatch" in {i["code"] for i in seed["issues"]}
    assert failed["status"] == "failed"
    assert failed["reason"] == f"{NOT_A_DISCLOSURE} (is this a 部门预算 or 决算 disclosure?)"
    assert failed["issues"] == [] and failed["doc_id"] is None


def test_check_format_json_reads_stdin_and_exits_3_when_strict() -> None:
    result = runner.invoke(app, ["check", "-", "--format", "json", "--strict"], input=SEED.read_bytes())
    assert result.exit_code == 3
    (report,) = (json.loads(line) for line in result.stdout.splitlines())
    assert report["file"] == "stdin" and report["counts"]["error"] == 8


def test_verbose_and_log_file(tmp_path: Path) -> None:
    log_file = tmp_path / "run.log"
    result = runner.invoke(app, [str(SEED), "-o", str(tmp_path / "out"), "-vv", "--log-file", str(log_file)])
    assert result.exit_code == 0, result.output
    assert "extract: DEBUG: 1 workers" in result.stderr
    logged = log_file.read_text(encoding="utf-8")
    assert f"INFO extractor: {SEED}: fuping-2021-county-party-office-" in logged
    assert "DEBUG extractor: 1 workers, Limits(max_input_mb=32.0" in logged
    quiet = runner.invoke(app, [str(SEED), "-o", str(tmp_path / "again")])
    assert "extract: INFO" not in quiet.stderr  # without -v only warnings reach stderr
    logging.getLogger("extractor").handlers.clear()
