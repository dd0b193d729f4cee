"""Batch runs: a mixed folder, parallel workers, interruptions and --resume."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.batch import find_inputs
from extractor.cli import app
from extractor.pipeline import NOT_A_DISCLOSURE
from tests.conftest import FIXTURES, ROOT, SEED
from tests.writers.conftest import assert_valid_package

runner = CliRunner()
CLEAN = FIXTURES / "clean-minimal.txt"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _variant(text: str, n: int) -> bytes:
    """The seed with another title year and a changed amount: distinct content."""
    return (
        text.replace("2021年部门预算信息公开", f"{2000 + n}年部门预算信息公开", 1)
        .replace("418.6860", f"418.{6860 + n:04d}", 1)
        .encode("utf-8")
    )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "county-a").mkdir()
    (folder / "county-b").mkdir()
    (folder / "county-a" / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "county-a" / "seed-word.docx").write_bytes(SEED.with_suffix(".docx").read_bytes())
    (folder / "county-b" / "download-123").write_bytes(SEED.with_suffix(".pdf").read_bytes())
    (folder / "county-b" / "broken.docx").write_bytes(b"PK\x03\x04" + os.urandom(500))
    (folder / "county-b" / "minutes.txt").write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    (folder / "county-b" / "photo.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(100))
    return folder


def test_inputs_found_by_extension_and_content(mixed: Path) -> None:
    assert [p.name for p in find_inputs([mixed])] == [
        "seed-word.docx",
        "seed.txt",
        "broken.docx",
        "download-123",
        "minutes.txt",
    ]


def test_mixed_folder_in_parallel(mixed: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, [str(mixed), "-o", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 1
    assert sorted(p.name.rsplit("-", 1)[0] for p in tmp_path.glob("*.json") if p.name != "datapackage.json") == [
        "download-123",
        "seed",
        "seed-word",
    ]
    failures = {
        row["file"].rsplit("/", 1)[-1]: (row["stage"], row["reason"]) for row in _rows(tmp_path / "failures.csv")
    }
    assert failures["minutes.txt"] == (
        "segment",
        f"{NOT_A_DISCLOSURE} (is this a 部门预算 or 决算 disclosure?)",
    )
    assert failures["broken.docx"][0] == "read" and "not a readable DOCX" in failures["broken.docx"][1]
    documents = {row["path"].removeprefix(f"{mixed.as_posix()}/"): row for row in _rows(tmp_path / "documents.csv")}
    minutes = documents["county-b/minutes.txt"]
    assert minutes["status"] == "failed" and minutes["failure"].startswith("segment: ")
    assert documents["county-b/download-123"]["format"] == "pdf" and documents["county-a/seed.txt"]["status"] == "ok"
    assert (
        "5 documents" in result.output and "3 ok" in result.output and "2 failed (1 read, 1 segment)" in result.output
    )


def _corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"doc-{n:03d}.txt").write_bytes(_variant(text, n))
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def _extract(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", *args, "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for_manifest(out: Path, lines: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        manifest = out / ".manifest.jsonl"
        if manifest.exists() and manifest.read_text(encoding="utf-8").count("\n") >= lines:
            return
        time.sleep(0.02)
    raise AssertionError("the run did not get going")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    base = tmp_path_factory.mktemp("corpus")
    source = _corpus(base / "in", 40)
    expected = base / "expected"
    assert runner.invoke(app, [str(source), "-o", str(expected), "--jobs", "1", "-q"]).exit_code == 0
    return source, _outputs(expected)


def test_one_and_two_jobs_give_identical_outputs(corpus: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    source, expected = corpus
    assert runner.invoke(app, [str(source), "-o", str(tmp_path), "--jobs", "2", "-q"]).exit_code == 0
    assert _outputs(tmp_path) == expected


def test_killed_worker_then_resume_gives_the_uninterrupted_outputs(
    corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    source, expected = corpus
    process = _extract(str(source), "-o", str(tmp_path), "--jobs", "2")
    _wait_for_manifest(tmp_path, 3, process)
    workers = _children(process.pid)
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)
    assert process.wait(timeout=120) == 0  # the pool is rebuilt and the batch finishes
    assert _outputs(tmp_path) == expected
    resumed = _extract(str(source), "-o", str(tmp_path), "--jobs", "2", "--resume")
    assert resumed.wait(timeout=120) == 0
    assert _outputs(tmp_path) == expected


def test_killed_run_leaves_complete_files_and_resume_finishes_it(
    corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    source, expected = corpus
    process = _extract(str(source), "-o", str(tmp_path), "--jobs", "2")
    _wait_for_manifest(tmp_path, 5, process)
    os.killpg(process.pid, signal.SIGKILL)  # the whole run, workers included
    process.wait(timeout=30)
    partial = _outputs(tmp_path)
    assert 0 < len([n for n in partial if n.endswith(".json")]) < 40
    for name, data in partial.items():  # whatever is there is complete
        assert data == expected[name], name
    started = time.monotonic()
    resumed = _extract(str(source), "-o", str(tmp_path), "--jobs", "2", "--resume")
    assert resumed.wait(timeout=120) == 0
    assert _outputs(tmp_path) == expected
    assert not list(tmp_path.glob(".*.tmp"))
    assert time.monotonic() - started < 60


def test_twenty_identical_files_in_folders_are_one_document(tmp_path: Path) -> None:
    # issue 14: 20 copies gave 20 rows per doc_id, an INVALID package and 5 documents in SQLite
    crawl = tmp_path / "crawl"
    for n in range(20):
        (crawl / f"county-{n:02d}").mkdir(parents=True)
        (crawl / f"county-{n:02d}" / "budget.txt").write_bytes(CLEAN.read_bytes())
    out, target = tmp_path / "out", tmp_path / "d.db"
    result = runner.invoke(app, [str(crawl), "-o", str(out), "--jobs", "2", "--sqlite", str(target), "-q"])
    assert result.exit_code == 0, result.output
    assert "1 document " in result.output and "19 more files with the content of one" in result.output
    doc_id = f"budget-{hashlib.sha256(CLEAN.read_bytes()).hexdigest()[:16]}"
    assert [p.name for p in out.glob("*.json") if p.name != "datapackage.json"] == [f"{doc_id}.json"]
    assert [row["doc_id"] for row in _rows(out / "documents.csv")] == [doc_id]
    files = _rows(out / "files.csv")
    assert [row["path"] for row in files] == [f"{crawl.as_posix()}/county-{n:02d}/budget.txt" for n in range(20)]
    assert {row["doc_id"] for row in files} == {doc_id}
    written = json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))
    assert written["source"]["path"] == f"{crawl.as_posix()}/county-00/budget.txt"
    assert_valid_package(out)
    connection = sqlite3.connect(target)
    counts = connection.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM files)").fetchone()
    assert counts == (1, 20)


def test_rerun_into_the_same_folder_is_refused_and_resume_adds_consistently(tmp_path: Path) -> None:
    # issue 14: a re-run replaced documents.csv with its own rows and left the earlier JSON undescribed
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(CLEAN.read_bytes())
    second.write_bytes(_variant(SEED.read_text(encoding="utf-8"), 1))
    out = tmp_path / "out"
    assert runner.invoke(app, [str(first), "-o", str(out), "-q"]).exit_code == 0
    before = _outputs(out)
    refused = runner.invoke(app, [str(second), "-o", str(out), "-q"])
    assert refused.exit_code == 2
    assert "already holds the outputs of a run: add --resume" in refused.output
    assert _outputs(out) == before
    added = runner.invoke(app, [str(second), "-o", str(out), "-q", "--resume"])
    assert added.exit_code == 0, added.output
    ids = sorted(p.stem for p in out.glob("*.json") if p.name != "datapackage.json")
    assert sorted(row["doc_id"] for row in _rows(out / "documents.csv")) == ids and len(ids) == 2
    assert sorted(row["path"] for row in _rows(out / "files.csv")) == [str(first), str(second)]
    assert len(_rows(out / "indicators.csv")) == 5 + 401
    assert_valid_package(out)


def _small_corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = CLEAN.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"doc-{n:02d}.txt").write_text(text.replace("2021", f"{2000 + n}"), encoding="utf-8")
    return folder


def _wait(process: subprocess.Popen[bytes], seconds: float) -> int:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise AssertionError(f"still running {seconds} s after the interrupt") from None


def test_interrupts_at_random_moments_stop_cleanly_and_resume_finishes(tmp_path: Path) -> None:
    # issue 14: Ctrl-C on a two-worker batch hung 2 times in 13 and did not mention --resume
    source = _small_corpus(tmp_path / "in", 12)
    expected = tmp_path / "expected"
    assert runner.invoke(app, [str(source), "-o", str(expected), "--jobs", "1", "-q"]).exit_code == 0
    wanted = _outputs(expected)
    chance = random.Random(14)
    stopped = 0
    for attempt in range(30):
        out = tmp_path / f"out-{attempt}"
        process = _extract(str(source), "-o", str(out), "--jobs", "2")
        deadline = time.monotonic() + 30
        while not out.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(chance.uniform(0, 0.6))
        how = chance.choice(("parent", "group", "term"))
        if process.poll() is None:
            if how == "group":  # what a terminal's Ctrl-C does
                os.killpg(process.pid, signal.SIGINT)
            else:
                os.kill(process.pid, signal.SIGTERM if how == "term" else signal.SIGINT)
        code = _wait(process, 10)
        assert code in (0, 130, 143), (attempt, how, code)  # 143: SIGTERM once the run had ended
        stopped += code == 130
        assert not list(out.glob(".*.tmp")), attempt
        if code == 130:
            resumed = _extract(str(source), "-o", str(out), "--jobs", "2", "--resume")
            assert _wait(resumed, 60) == 0, attempt
        assert _outputs(out) == wanted, (attempt, how)
    assert stopped >= 10  # most interrupts land while the run is going


def test_second_interrupt_exits_at_once_without_a_traceback(tmp_path: Path) -> None:
    source = _small_corpus(tmp_path / "in", 12)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor", str(source), "-o", str(out), "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _wait_for_manifest(out, 1, process)
    os.kill(process.pid, signal.SIGINT)
    os.kill(process.pid, signal.SIGINT)
    assert _wait(process, 10) == 130
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8")
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors
    assert not list(out.glob(".*.tmp"))


def test_first_interrupt_says_how_to_resume(tmp_path: Path) -> None:
    source = _small_corpus(tmp_path / "in", 12)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor", str(source), "-o", str(out), "--jobs", "2", "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _wait_for_manifest(out, 1, process)
    os.kill(process.pid, signal.SIGINT)
    assert _wait(process, 10) == 130
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8")
    assert "extract: interrupted after" in errors and "again with --resume to finish" in errors
    assert "Traceback" not in errors


# Issue 15: silent faults and one-line errors of a batch.


def test_file_names_starting_like_a_formula_are_guarded_in_the_csvs_only(tmp_path: Path) -> None:
    # issue 15: files.csv said '-leading.txt while the JSON and the database said -leading.txt;
    # issue 28: every CSV guards every text cell (OWASP), the JSON and the database keep the name
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "-leading.txt").write_bytes(CLEAN.read_bytes())
    out, target = tmp_path / "out", tmp_path / "d.db"
    assert runner.invoke(app, [str(folder), "-o", str(out), "--sqlite", str(target), "-q"]).exit_code == 0
    doc_id = f"leading-{hashlib.sha256(CLEAN.read_bytes()).hexdigest()[:16]}"
    named = f"{folder.as_posix()}/-leading.txt"
    assert [(row["doc_id"], row["path"]) for row in _rows(out / "files.csv")] == [(doc_id, named)]
    document = _rows(out / "documents.csv")[0]
    assert (document["file"], document["path"]) == ("'-leading.txt", named)
    assert json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))["source"]["path"] == named
    assert sqlite3.connect(target).execute("SELECT doc_id, path FROM files").fetchall() == [(doc_id, named)]


def test_an_input_named_like_the_runs_own_files_overwrites_none_of_them(tmp_path: Path) -> None:
    # issue 15: an input named datapackage.txt was overwritten by the package descriptor
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("datapackage.txt", "documents.txt", "failures.txt", ".manifest.txt"):
        (folder / name).write_text(CLEAN.read_text(encoding="utf-8") + f"\n{name}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, [str(folder), "-o", str(out), "-q"]).exit_code == 0
    names = sorted(p.name.rsplit("-", 1)[0] for p in out.glob("*.json") if p.name != "datapackage.json")
    assert names == ["datapackage", "documents", "failures"]  # dot files are not inputs
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["profile"] == "tabular-data-package"
    assert len(_rows(out / "documents.csv")) == 3
    assert_valid_package(out)


def test_negative_zero_reads_back_as_written_so_resume_gives_the_same_outputs(tmp_path: Path) -> None:
    # issue 15: -0 in the JSON read back as 0, so --resume output differed
    from decimal import Decimal

    from extractor import extract_file
    from extractor.writers.json import dumps, loads
    from extractor.writers.tables import rows_of

    disclosure = extract_file(CLEAN)
    assert disclosure.performance is not None
    disclosure.performance.projects[0].budget.other = Decimal("-0")
    text = dumps(disclosure)
    assert '"other": -0,' in text
    again = loads(text)
    assert again.performance is not None and str(again.performance.projects[0].budget.other) == "-0"
    assert dumps(again) == text
    assert list(rows_of("d", again)) == list(rows_of("d", disclosure))


def test_an_output_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder\n", encoding="utf-8")
    result = runner.invoke(app, [str(CLEAN), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output == f"extract: error: {out}: is a file, not a folder (name a folder for the outputs with -o)\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = runner.invoke(app, [str(CLEAN), "-o", str(out)])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 2
    assert result.output == f"extract: error: {out}: cannot write the outputs here: Permission denied\n"


def test_check_goes_on_after_a_file_it_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 15: extract check stopped with a traceback at the first DOCX it could not read
    import extractor.pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-damaged.docx").write_bytes(SEED.with_suffix(".docx").read_bytes())
    (folder / "b-clean.txt").write_bytes(CLEAN.read_bytes())
    extract = extractor.pipeline.extract_file

    def failing(path: Path, *args: object) -> object:
        if path.suffix == ".docx":
            raise KeyError("word/document.xml")  # what a reader's own fault looks like
        return extract(path, *args)

    monkeypatch.setattr(extractor.pipeline, "extract_file", failing)
    result = runner.invoke(app, ["check", str(folder), "--no-info"])
    assert result.exit_code == 1
    assert f"extract: error: {folder / 'a-damaged.docx'}: internal error: KeyError: 'word/document.xml'" in (
        result.output
    )
    assert "b-clean.txt" in result.output and "Traceback" not in result.output


def _capped(megabytes: int) -> Callable[[], None]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, resource.RLIM_INFINITY))

    return cap


def test_a_huge_sparse_file_is_refused_without_being_read_or_hashed_whole(tmp_path: Path) -> None:
    # issue 15: a 2 GB sparse text file was refused as too large, but hashed whole first (2 GB resident)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    out = tmp_path / "out"
    process = subprocess.run(
        [sys.executable, "-m", "extractor", str(huge), str(CLEAN), "-o", str(out), "--jobs", "1", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=_capped(1024),  # a regression fails here rather than swapping
        timeout=120,
    )
    assert process.returncode == 1, process.stderr
    assert f"extract: error: {huge}: too large: 2048.0 MB, the limit is 32 MB" in process.stderr
    assert "Traceback" not in process.stderr
    assert [row["status"] for row in _rows(out / "documents.csv")] == ["failed", "ok"]


# Issue 28: keys that never collide, paths as the user named them.


def test_two_folders_holding_the_same_name_keep_their_paths_as_named(tmp_path: Path) -> None:
    # issue 28: `extract a/ b/` wrote both rows of files.csv as disclosure.txt
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "disclosure.txt").write_bytes(CLEAN.read_bytes())
    out = tmp_path / "out"
    named = [f"{(tmp_path / 'a').as_posix()}/", f"{(tmp_path / 'b').as_posix()}/"]
    assert runner.invoke(app, [*named, "-o", str(out), "-q"]).exit_code == 0
    paths = [row["path"] for row in _rows(out / "files.csv")]
    assert paths == [f"{(tmp_path / f).as_posix()}/disclosure.txt" for f in ("a", "b")]


def test_doc_id_keeps_sixteen_hex_digits_of_the_sha256_two_attachments(tmp_path: Path) -> None:
    # issue 28: with 8 digits two different 附件1.pdf of two counties may share an id
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "附件1.txt"
    first.write_bytes(CLEAN.read_bytes())
    out = tmp_path / "out"
    assert runner.invoke(app, [str(first), "-o", str(out), "-q"]).exit_code == 0
    (row,) = _rows(out / "documents.csv")
    assert row["doc_id"] == f"附件1-{hashlib.sha256(CLEAN.read_bytes()).hexdigest()[:16]}"


def test_doc_id_collision_fails_the_second_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 28: two files given one id: one JSON overwrote the other, exit 0, no word
    import extractor.batch as batch

    monkeypatch.setattr(batch, "doc_id", lambda path, sha256: "附件1-same")
    for county, text in (("a", CLEAN.read_bytes()), ("b", _variant(SEED.read_text(encoding="utf-8"), 1))):
        (tmp_path / county).mkdir()
        (tmp_path / county / "附件1.txt").write_bytes(text)
    out = tmp_path / "out"
    result = runner.invoke(app, [str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert "doc_id 附件1-same is already that of" in result.output
    (failure,) = _rows(out / "failures.csv")
    owner = failure["reason"].split(" is already that of ")[1]
    assert failure["stage"] == "read" and owner.startswith(str(tmp_path / "a"))
    kept = json.loads((out / "附件1-same.json").read_text(encoding="utf-8"))
    assert kept["source"]["path"].endswith("a/附件1.txt")


def test_readme_command_run_twice_replaces_the_outputs_with_overwrite(tmp_path: Path) -> None:
    # issue 29: a second run of the README's first command exited 2 (the folder is used)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(CLEAN.read_bytes())
    second.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine\n", encoding="utf-8")
    assert runner.invoke(app, [str(first), "-o", str(out), "-q", "--overwrite"]).exit_code == 0
    assert runner.invoke(app, [str(second), "-o", str(out), "-q"]).exit_code == 2
    again = runner.invoke(app, [str(second), "-o", str(out), "-q", "--overwrite"])
    assert again.exit_code == 0, again.output
    ids = sorted(p.stem for p in out.glob("*.json") if p.name != "datapackage.json")
    assert ids == [f"b-{hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]}"]
    assert [row["doc_id"] for row in _rows(out / "documents.csv")] == ids
    assert len(_rows(out / "indicators.csv")) == 401
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert_valid_package(out)
    both = runner.invoke(app, [str(second), "-o", str(out), "--overwrite", "--resume"])
    assert both.exit_code == 2 and "give one of them" in both.output
