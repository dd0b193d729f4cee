"""ZIP bundles: each member a document of its own, named after the archive
and the member, within the limits a DOCX gets; and a crawl folder holding a
spreadsheet, a ZIP of PDFs and an HTML error page, each treated right."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import UnreadableInput, read_bytes, read_path
from extractor.archive import list_members, member_path, read_input_bytes, split_member
from extractor.batch import find_input_paths
from extractor.cli import app
from extractor.identity import doc_id
from extractor.limits import DEFAULT_MAX_MEMBERS, Limits
from fixtures.make_format_fixtures import seed_blocks, to_xlsx
from tests.conftest import FIXTURES, SEED

runner = CliRunner()
SEED_PDF = FIXTURES / "fuping-2021-county-party-office.pdf"
SEED_DOCX = FIXTURES / "fuping-2021-county-party-office.docx"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_single_zip_is_a_batch_of_its_members(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(
        _zip({"预算/seed.docx": SEED_DOCX.read_bytes(), "seed.txt": SEED.read_bytes(), "__MACOSX/._seed.txt": b"x"})
    )
    result = runner.invoke(app, [str(bundle), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    docx_sha = hashlib.sha256(SEED_DOCX.read_bytes()).hexdigest()
    written = json.loads((tmp_path / "out" / f"bundle_预算_seed-{docx_sha[:16]}.json").read_text(encoding="utf-8"))
    assert written["source"]["path"] == f"{bundle}!/预算/seed.docx"
    assert written["source"]["file"] == "seed.docx" and written["source"]["sha256"] == docx_sha
    assert written["performance"]["projects"][0]["project_code"] == "130624210SN9T0TGCCC6F"
    documents = {row["path"]: row["status"] for row in _rows(tmp_path / "out" / "documents.csv")}
    assert documents == {f"{bundle}!/预算/seed.docx": "ok", f"{bundle}!/seed.txt": "ok"}


def test_member_names_in_gbk_without_the_utf8_flag(tmp_path: Path) -> None:
    # Windows archivers in China write GBK names and no UTF-8 flag
    data = _zip({"AAAA.txt": SEED.read_bytes()}).replace(b"AAAA.txt", "预算.txt".encode("gbk"))
    bundle = tmp_path / "gbk.zip"
    bundle.write_bytes(data)
    assert list_members(data, "gbk.zip") == ["预算.txt"]
    (found,) = find_input_paths([bundle])
    assert found.path == member_path(str(bundle), "预算.txt")
    assert split_member(found.file) == (bundle, "预算.txt")
    document = read_path(found.file)
    assert document.source.file == "预算.txt" and document.source.format == "txt"
    assert doc_id(found.file, document.source.sha256).startswith("gbk_预算-")


def test_zip_bomb_member_is_refused_before_inflating() -> None:
    data = _zip({"a.txt": SEED.read_bytes(), "zeros.txt": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(UnreadableInput, match=r"^b\.zip: member zeros\.txt of the ZIP archive is compressed \d+:1"):
        list_members(data, "b.zip")


def test_archive_unpacking_past_the_limit(tmp_path: Path) -> None:
    bundle = tmp_path / "big.zip"
    bundle.write_bytes(_zip({"seed.txt": SEED.read_bytes()}))
    with pytest.raises(UnreadableInput, match=r"ZIP archive unpacks to 0 MB, the limit is 0\.01 MB"):
        read_path(member_path(str(bundle), "seed.txt"), Limits(max_unzipped_mb=0.01))


def test_a_zip_given_to_the_library_names_its_members() -> None:
    with pytest.raises(Exception, match=r"a ZIP archive of 2 files \(give it to 'extract'"):
        read_bytes(_zip({"a.pdf": SEED_PDF.read_bytes(), "b.txt": SEED.read_bytes()}), "bundle.zip")


def test_mixed_crawl_folder(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "budget-tables.xlsx").write_bytes(to_xlsx(seed_blocks()))
    (crawl / "attachments.zip").write_bytes(_zip({"附件1.pdf": SEED_PDF.read_bytes()}))
    (crawl / "download.html").write_bytes(
        '<html><head><meta charset="gb2312"></head><body><h1>404 页面不存在</h1></body></html>'.encode("gb2312")
    )
    (crawl / "list.php").write_bytes(b"<!DOCTYPE html><html><body><a href='1.zip'>1</a></body></html>")
    out = tmp_path / "out"
    result = runner.invoke(app, [str(crawl), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 1
    documents = {row["path"].removeprefix(f"{crawl.as_posix()}/"): row for row in _rows(out / "documents.csv")}
    assert set(documents) == {"budget-tables.xlsx", "attachments.zip!/附件1.pdf", "download.html", "list.php"}
    sheet, pdf = documents["budget-tables.xlsx"], documents["attachments.zip!/附件1.pdf"]
    assert (sheet["status"], sheet["format"], sheet["tables_seen"]) == ("ok", "xlsx", "52")
    assert (pdf["status"], pdf["format"], pdf["doc_id"].rsplit("-", 1)[0]) == ("ok", "pdf", "attachments_附件1")
    assert pdf["title"] == "中国共产党阜平县委员会办公室2021年部门预算信息公开"
    failures = {row["file"]: (row["stage"], row["reason"]) for row in _rows(out / "failures.csv")}
    assert set(failures) == {"download.html", "list.php"}
    assert failures["download.html"][0] == "segment"
    assert failures["download.html"][1].endswith("(an HTML page: a download error page? fetch the file again)")
    assert "2 failed" in result.output


def test_a_zip_inside_a_zip_gives_its_members(tmp_path: Path) -> None:
    inner = _zip({"附件/seed.txt": SEED.read_bytes(), "empty.zip": _zip({})})
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip({"inner.zip": inner, "seed.docx": SEED_DOCX.read_bytes()}))
    members = ["inner.zip!/附件/seed.txt", "inner.zip!/empty.zip", "seed.docx"]
    assert list_members(bundle.read_bytes(), "outer.zip") == members
    result = runner.invoke(app, [str(bundle), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"])
    assert result.exit_code == 1  # the empty archive inside says what it is
    seed_sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    written = json.loads((tmp_path / "out" / f"outer_inner_附件_seed-{seed_sha[:16]}.json").read_text("utf-8"))
    assert written["source"]["path"] == f"{bundle}!/inner.zip!/附件/seed.txt"
    assert written["performance"]["projects"][0]["project_code"] == "130624210SN9T0TGCCC6F"
    failures = {row["file"]: row["reason"] for row in _rows(tmp_path / "out" / "failures.csv")}
    assert failures == {"empty.zip": "an empty ZIP archive (it holds no file to read)"}


def test_archives_nested_too_deep_are_refused_with_their_depth(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    for name in ("seed.txt", "d.zip", "c.zip", "b.zip"):
        data = _zip({name: data})
    bundle = tmp_path / "a.zip"
    bundle.write_bytes(data)
    (member,) = find_input_paths([bundle])
    assert member.path == f"{bundle}!/b.zip!/c.zip!/d.zip"
    with pytest.raises(Exception, match=r"d\.zip: a ZIP archive nested more than 3 archives deep \(unpack"):
        read_path(member.file)


def test_discovery_keeps_the_runs_limits(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(_zip({"seed.txt": SEED.read_bytes()}))
    (whole,) = find_input_paths([bundle], Limits(max_unzipped_mb=0.01))
    assert whole.file == bundle  # listed whole: reading it says the archive is past the run's limit
    result = runner.invoke(app, [str(bundle), "-o", str(tmp_path / "out"), "--max-unzipped", "0.01", "-q"])
    assert result.exit_code == 1
    assert "ZIP archive unpacks to 0 MB, the limit is 0.01 MB" in result.output


def _zip_of(members: list[tuple[str, bytes]]) -> bytes:
    """A ZIP written entry by entry: names repeated, or leading out of it."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, and writes it
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def test_two_members_of_one_name_are_both_read(tmp_path: Path) -> None:
    # the first one was lost without a word: both were listed as a.txt, the second read twice
    bundle = tmp_path / "twice.zip"
    bundle.write_bytes(_zip_of([("预算/a.txt", SEED.read_bytes()), ("预算/a.txt", b"second"), ("b.txt", b"b")]))
    assert list_members(bundle.read_bytes(), "twice.zip") == ["预算/a.txt", "预算/a~2.txt", "b.txt"]
    assert read_input_bytes(member_path(str(bundle), "预算/a.txt")) == SEED.read_bytes()
    assert read_input_bytes(member_path(str(bundle), "预算/a~2.txt")) == b"second"
    result = runner.invoke(app, [str(bundle), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"])
    documents = {row["path"]: row["status"] for row in _rows(tmp_path / "out" / "documents.csv")}
    assert documents == {
        f"{bundle}!/预算/a.txt": "ok",
        f"{bundle}!/预算/a~2.txt": "failed",
        f"{bundle}!/b.txt": "failed",
    }
    assert result.exit_code == 1


def test_members_named_out_of_the_archive_are_refused_by_name(tmp_path: Path) -> None:
    # x/../a.txt was silently dropped, ./c.txt failed with "no such member"
    bundle = tmp_path / "escape.zip"
    bundle.write_bytes(
        _zip_of([("../a.txt", b"a"), ("/etc/b.txt", b"b"), ("x/../../d.txt", b"d"), ("./c.txt", SEED.read_bytes())])
    )
    result = runner.invoke(app, [str(bundle), "-o", str(tmp_path / "out"), "-q", "--jobs", "1"])
    assert result.exit_code == 1
    documents = {row["path"]: row["status"] for row in _rows(tmp_path / "out" / "documents.csv")}
    assert documents == {
        f"{bundle}!/../a.txt": "failed",
        f"{bundle}!/etc/b.txt": "failed",
        f"{bundle}!/x/../../d.txt": "failed",
        f"{bundle}!/c.txt": "ok",
    }
    failures = sorted(row["reason"] for row in _rows(tmp_path / "out" / "failures.csv"))
    assert failures == [
        "refused: its name ../a.txt climbs out of a folder with '..' (a path-traversal archive?)",
        "refused: its name /etc/b.txt is absolute (a path-traversal archive?)",
        "refused: its name x/../../d.txt climbs out of a folder with '..' (a path-traversal archive?)",
    ]


def test_4000_tiny_members_are_read_in_linear_time(tmp_path: Path) -> None:
    # the archive was opened and its directory read again for every member: 4,000 members took 194 s
    bundle = tmp_path / "many.zip"
    bundle.write_bytes(_zip({f"m{i:04d}.txt": f"{i}".encode() for i in range(4000)}))
    started = time.perf_counter()
    found = find_input_paths([bundle])
    contents = [read_input_bytes(item.file) for item in found]
    assert time.perf_counter() - started < 10
    assert len(found) == 4000 and contents[1234] == b"1234"


def test_an_archive_of_more_members_than_the_limit_is_refused() -> None:
    data = _zip({f"m{i}.txt": b"x" for i in range(11)})
    with pytest.raises(UnreadableInput, match=r"^b\.zip: ZIP archive holds 11 members, the limit is 10 \(unpack it"):
        list_members(data, "b.zip", Limits(max_members=10))
    assert DEFAULT_MAX_MEMBERS == 10_000


def test_the_timeout_applies_to_an_archive_of_many_members(tmp_path: Path) -> None:
    bundle = tmp_path / "many.zip"
    bundle.write_bytes(_zip({f"m{i:04d}.txt": b"x" for i in range(4000)}))
    result = runner.invoke(app, [str(bundle), "-o", str(tmp_path / "out"), "-q", "--timeout", "0.001"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"extract: error: {bundle}: took longer than 0.001 s (raise --timeout if the file is genuine)"
    )
    assert "1 document in" in result.output  # listed whole: its listing took longer than the timeout
