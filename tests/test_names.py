"""File names (issue 28): names that are not UTF-8, that hold terminal
controls or line ends, or that start like a spreadsheet formula; each is
recorded as text every output can hold, shown escaped, and guarded in CSVs."""

from __future__ import annotations

import json
import os
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.textutil import path_text, printable
from extractor.writers.csv import cell_text
from extractor.writers.tables import TABLES, Column
from tests.conftest import CLEAN, csv_rows

runner = CliRunner()
#: 附件1.txt and 附件2.txt in GBK, as `unzip` leaves them on a UTF-8 system.
GBK_GOOD, GBK_EMPTY = b"\xb8\xbd\xbc\xfe1.txt", b"\xb8\xbd\xbc\xfe2.txt"
SHOWN_GOOD, SHOWN_EMPTY = "\ufffd" * 4 + "1.txt", "\ufffd" * 4 + "2.txt"


def _gbk_folder(tmp_path: Path) -> Path:
    """A folder of a good file, a good file named in GBK and an empty one named in GBK."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(CLEAN.read_bytes())
    with open(os.path.join(os.fsencode(folder), GBK_GOOD), "wb") as handle:
        handle.write(CLEAN.read_bytes().replace(b"2022", b"2023"))
    with open(os.path.join(os.fsencode(folder), GBK_EMPTY), "wb"):
        pass
    return folder


def _manifest(out: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (out / ".manifest.jsonl").read_bytes().split(b"\n") if line]


def test_a_name_of_gbk_bytes_is_read_under_replacement_characters_and_the_batch_finishes(tmp_path: Path) -> None:
    # issue 28: a name of GBK bytes killed the batch with UnicodeEncodeError; no CSV set was written
    folder = _gbk_folder(tmp_path)
    out, database = tmp_path / "out", tmp_path / "d.db"
    result = runner.invoke(app, [str(folder), "-o", str(out), "--sqlite", str(database), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    named = folder.as_posix()
    assert f"extract: error: {named}/{SHOWN_EMPTY}: the file is empty" in result.output.splitlines()
    assert f"[2/3] {named}/{SHOWN_GOOD} -> " in result.output
    paths = [f"{named}/good.txt", f"{named}/{SHOWN_GOOD}", f"{named}/{SHOWN_EMPTY}"]
    assert [row["path"] for row in csv_rows(out / "files.csv")] == paths
    assert [(row["file"], row["status"]) for row in csv_rows(out / "documents.csv")] == [
        ("good.txt", "ok"),
        (SHOWN_GOOD, "ok"),
        (SHOWN_EMPTY, "failed"),
    ]
    assert [(row["file"], row["stage"], row["reason"]) for row in csv_rows(out / "failures.csv")] == [
        (SHOWN_EMPTY, "read", "the file is empty")
    ]
    manifest = _manifest(out)
    assert [(entry["path"], entry["status"]) for entry in manifest] == list(
        zip(paths, ["ok", "ok", "failed"], strict=True)
    )
    assert manifest[2]["file"] == f"{named}/{SHOWN_EMPTY}"
    document = json.loads((out / f"{manifest[1]['doc_id']}.json").read_text(encoding="utf-8"))
    assert (document["source"]["file"], document["source"]["path"]) == (SHOWN_GOOD, paths[1])
    assert sorted(sqlite3.connect(database).execute("SELECT path FROM files")) == [(path,) for path in sorted(paths)]
    review = runner.invoke(app, ["review", str(out), "-o", str(tmp_path / "review"), "--sources", str(folder)])
    assert review.exit_code == 0, review.output
    assert "2 documents, 0 page images, 1 failed input" in review.output
    assert SHOWN_EMPTY in (tmp_path / "review" / "index.html").read_text(encoding="utf-8")


def test_a_name_of_gbk_bytes_with_no_csv_still_writes_the_manifest_and_json(tmp_path: Path) -> None:
    # issue 28: with --no-csv the manifest stayed empty and no JSON was written
    folder = _gbk_folder(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, [str(folder), "-o", str(out), "--no-csv", "-q"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [entry["status"] for entry in _manifest(out)] == ["ok", "ok", "failed"]
    assert len([p for p in out.glob("*.json") if p.name != "datapackage.json"]) == 2
    resumed = runner.invoke(app, [str(folder), "-o", str(out), "--no-csv", "-q", "--resume"])
    assert resumed.exit_code == 1 and "2 ok (0 with warnings or errors in their data, 2 resumed)" in resumed.output


def test_a_name_of_gbk_bytes_in_check_and_review_of_inputs(tmp_path: Path) -> None:
    folder = _gbk_folder(tmp_path)
    check = runner.invoke(app, ["check", str(folder), "--format", "json"])
    assert check.exit_code == 1 and "Traceback" not in check.output
    reports = [json.loads(line) for line in check.stdout.splitlines()]
    statuses = [(r["file"], r["status"]) for r in reports]
    assert statuses == [("good.txt", "ok"), (SHOWN_GOOD, "ok"), (SHOWN_EMPTY, "failed")]
    assert f"extract: error: {folder.as_posix()}/{SHOWN_EMPTY}: the file is empty" in check.stderr
    review = runner.invoke(app, ["review", str(folder), "-o", str(tmp_path / "review")])
    assert review.exit_code == 0 and "2 documents, 0 page images, 1 failed input" in review.output


def test_path_text_replaces_each_byte_that_is_not_utf8() -> None:
    assert path_text(os.fsdecode(b"in/" + GBK_GOOD)) == f"in/{SHOWN_GOOD}"
    assert path_text(Path("附件1.txt")) == "附件1.txt"


FORGED = "x\nextract: note: all 1000 files ok\n\x1b[2K\x85\u2028.txt"
FORGED_SHOWN = "x\\nextract: note: all 1000 files ok\\n\\x1b[2K\\x85\\u2028.txt"


def test_a_name_with_terminal_escapes_and_newlines_is_shown_escaped(tmp_path: Path) -> None:
    # issue 28: a name's ESC and newlines reached stderr raw: it could forge "extract: note: all 1000 files ok"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / FORGED).write_bytes(b"")
    (folder / "ok\x1b]0;owned\x07.txt").write_bytes(CLEAN.read_bytes())
    log = tmp_path / "run.log"
    result = runner.invoke(app, [str(folder), "-o", str(tmp_path / "out"), "-v", "--log-file", str(log)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"extract: error: {folder}/{FORGED_SHOWN}: the file is empty" in lines
    assert "extract: note: all 1000 files ok" not in lines
    assert not any(char in result.output for char in "\x1b\x07\x85\u2028")
    assert f"extract: INFO: {folder}/ok\\x1b]0;owned\\x07.txt: ok_0_owned-" in result.output
    logged = log.read_text(encoding="utf-8")
    assert "ok\\x1b]0;owned\\x07.txt" in logged and "\x1b" not in logged
    check = runner.invoke(app, ["check", str(folder / FORGED)])
    assert check.output == f"extract: error: {folder}/{FORGED_SHOWN}: the file is empty\n"
    missing = runner.invoke(app, [str(folder / "gone\x1b[31m.txt")])
    assert missing.output == f"extract: error: {folder}/gone\\x1b[31m.txt: no such file or folder\n"


def test_printable_escapes_controls_and_line_separators_only() -> None:
    assert printable("a\tb\rc\x00\x7f\x9b\u2029\u202e 附件 \\") == "a\\tb\\rc\\x00\\x7f\\x9b\\u2029\\u202e 附件 \\"


def test_a_name_starting_like_a_formula_is_guarded_in_every_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 28: =1+2.txt was written unquoted into files.csv, documents.csv and failures.csv
    monkeypatch.chdir(tmp_path)
    (tmp_path / "=1+2.txt").write_bytes(CLEAN.read_bytes())
    (tmp_path / "@SUM(A1).txt").write_bytes(b"")
    (tmp_path / "'quoted.txt").write_bytes(CLEAN.read_bytes().replace(b"2022", b"2023"))
    names = ["=1+2.txt", "@SUM(A1).txt", "'quoted.txt"]
    result = runner.invoke(app, [*names, "-o", "out", "--sqlite", "d.db", "-q"])
    assert result.exit_code == 1, result.output
    guarded = ["'=1+2.txt", "'@SUM(A1).txt", "''quoted.txt"]
    assert [row["path"] for row in csv_rows(tmp_path / "out" / "files.csv")] == guarded
    assert [row["file"] for row in csv_rows(tmp_path / "out" / "documents.csv")] == guarded
    assert [row["file"] for row in csv_rows(tmp_path / "out" / "failures.csv")] == ["'@SUM(A1).txt"]
    # the JSON and the database keep the names as they are
    assert sorted(sqlite3.connect(tmp_path / "d.db").execute("SELECT path FROM files")) == sorted((n,) for n in names)
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out").glob("*-*.json")]
    assert sorted(d["source"]["path"] for d in documents) == ["'quoted.txt", "=1+2.txt"]


def test_formula_guard_leaves_numbers_and_enumerations_alone() -> None:
    text, number, integer = Column("path"), Column("amount", "number"), Column("row", "integer")
    assert [cell_text(v, text) for v in ("-1.5", "+1", "\tx", "\rx", "'x", "x=1")] == [
        "'-1.5",
        "'+1",
        "'\tx",
        "'\rx",
        "''x",
        "x=1",
    ]
    assert (cell_text(Decimal("-1.5"), number), cell_text(-1, integer)) == ("-1.5", "-1")
    value_op = next(c for c in TABLES["indicators"].columns if c.name == "value_op")
    assert cell_text("=", value_op) == "="
    guarded = {c.name for spec in TABLES.values() for c in spec.columns if cell_text("=x", c) != "=x"}
    assert {"file", "path", "reason", "failure", "project_code", "purpose"} <= guarded
    assert not guarded & {"value_op", "severity", "status", "amount", "value_number", "row"}
