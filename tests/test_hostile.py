"""Hostile and broken input: one clear line naming the file, a non-zero exit,
no traceback, no hang, and the rest of a batch goes on."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from extractor import cli, limits
from extractor.cli import app
from extractor.pipeline import NOT_A_DISCLOSURE
from tests.conftest import FIXTURES, SEED

runner = CliRunner()
SEED_DOCX = FIXTURES / "fuping-2021-county-party-office.docx"
SEED_PDF = FIXTURES / "fuping-2021-county-party-office.pdf"


def _run(tmp_path: Path, name: str, data: bytes, *options: str) -> tuple[int, list[str]]:
    target = tmp_path / name
    target.write_bytes(data)
    shutil.rmtree(tmp_path / "out", ignore_errors=True)  # a run into a folder holding a run's outputs is refused
    result = runner.invoke(app, [str(target), "-o", str(tmp_path / "out"), "-q", "--no-csv", *options])
    errors = [line for line in result.output.splitlines() if line.startswith("extract: error:")]
    assert "Traceback" not in result.output
    return result.exit_code, [e.replace(str(target), name) for e in errors]


def _docx_with(document_xml: bytes, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(SEED_DOCX.read_bytes())) as source, zipfile.ZipFile(out, "w", compress) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


CASES = [
    ("empty.txt", b"", "empty.txt: the file is empty"),
    (
        "junk.txt",
        bytes(range(256)) * 8,
        "junk.txt: binary data, not text (give a .docx, a .pdf, or a .txt flattened from Word)",
    ),
    (
        "page.docx",
        b"<!DOCTYPE html><html><body>404</body></html>",
        f"page.docx: {NOT_A_DISCLOSURE} (an HTML page: a download error page? fetch the file again)",
    ),
    (
        "fake.pdf",
        "第一部分 not really a pdf".encode(),
        "fake.pdf: named .pdf but its content is not PDF (the download may be broken or mislabelled)",
    ),
    (
        "notes.txt",
        "会议记录：今天天气很好。\n".encode(),
        f"notes.txt: {NOT_A_DISCLOSURE} (is this a 部门预算 or 决算 disclosure?)",
    ),
]


@pytest.mark.parametrize("name, data, message", CASES)
def test_bad_inputs_get_one_line_and_exit_1(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    code, errors = _run(tmp_path, name, data)
    assert (code, errors) == (1, [f"extract: error: {message}"])


def test_truncated_docx(tmp_path: Path) -> None:
    code, errors = _run(tmp_path, "cut.docx", SEED_DOCX.read_bytes()[:30000])
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("extract: error: cut.docx: not a readable DOCX (BadZipFile")


def test_docx_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    bomb = _docx_with(b"<w:document>" + b"\0" * (64 * 1024 * 1024) + b"</w:document>")
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    code, errors = _run(tmp_path, "bomb.docx", bomb)
    assert time.perf_counter() - started < 5
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("extract: error: bomb.docx: part word/document.xml is compressed ")
    assert errors[0].endswith(":1 (a ZIP bomb? Word files compress about 10:1)")


def test_docx_unpacking_past_the_limit(tmp_path: Path) -> None:
    code, errors = _run(tmp_path, "big.docx", SEED_DOCX.read_bytes(), "--max-unzipped", "0.1")
    assert code == 1 and errors[0].startswith("extract: error: big.docx: unpacks to ")
    assert "the limit is 0.1 MB (a ZIP bomb? raise --max-unzipped if the file is genuine)" in errors[0]


def test_docx_entity_expansion_bomb(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    code, errors = _run(tmp_path, "lol.docx", _docx_with(laughs))
    assert (code, errors) == (
        1,
        [
            "extract: error: lol.docx: part word/document.xml declares a DTD "
            "(Word never writes one; refused to avoid XML entity expansion)"
        ],
    )


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    code, errors = _run(tmp_path, "really-a-pdf.docx", SEED_PDF.read_bytes())
    assert (code, errors) == (0, [])
    (written,) = (tmp_path / "out").glob("really-a-pdf-*.json")  # doc_id: the stem and the start of the sha256
    assert '"format": "pdf"' in written.read_text(encoding="utf-8")


def test_encrypted_and_scanned_pdfs(tmp_path: Path) -> None:
    locked = PdfWriter()
    locked.add_page(PdfReader(SEED_PDF).pages[0])
    locked.encrypt(user_password="secret", owner_password="owner")
    scan = PdfWriter()
    scan.add_blank_page(width=595, height=842)
    for name, writer, message in (
        ("locked.pdf", locked, "locked.pdf: the PDF needs a password to open (ask the publisher for an open copy)"),
        (
            "scan.pdf",
            scan,
            "scan.pdf: the PDF has no text layer (it looks like a scan: run OCR first "
            "(for example 'ocrmypdf in.pdf out.pdf'))",
        ),
    ):
        out = io.BytesIO()
        writer.write(out)
        assert _run(tmp_path, name, out.getvalue()) == (1, [f"extract: error: {message}"])


def test_very_large_text_is_refused_in_bounded_time(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    started = time.perf_counter()
    result = runner.invoke(app, [str(big), "-o", str(tmp_path / "out"), "-q", "--no-csv"])
    assert time.perf_counter() - started < 2
    assert result.exit_code == 1
    assert f"extract: error: {big}: too large: 50.0 MB, the limit is 32 MB (raise it with --max-size" in result.output


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le"])
def test_other_encodings_read(tmp_path: Path, encoding: str) -> None:
    data = SEED.read_text(encoding="utf-8").encode(encoding)
    code, errors = _run(tmp_path, f"seed-{encoding}.txt", data)
    assert (code, errors) == (0, [])
    (written,) = (tmp_path / "out").glob(f"seed-{encoding}-*.json")
    text = written.read_text(encoding="utf-8")
    assert "130624210SN9T0TGCCC6F" in text


def test_per_file_time_limit(tmp_path: Path) -> None:
    code, errors = _run(tmp_path, "slow.pdf", SEED_PDF.read_bytes(), "--timeout", "0.05")
    assert (code, errors) == (
        1,
        ["extract: error: slow.pdf: took longer than 0.05 s (raise --timeout if the file is genuine)"],
    )


def test_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-empty.txt").write_bytes(b"")
    (tmp_path / "in" / "b-junk.docx").write_bytes(os.urandom(3000))
    (tmp_path / "in" / "c-seed.txt").write_bytes(SEED.read_bytes())
    result = runner.invoke(app, [str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert result.output.count("extract: error:") == 2
    assert len(list((tmp_path / "out").glob("c-seed-*.json"))) == 1


def test_unexpected_errors_are_one_line_unless_debug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.pipeline

    def broken(*args: object, **options: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(extractor.pipeline, "extract_file", broken)
    result = runner.invoke(app, [str(SEED), "-o", str(tmp_path), "-q", "--no-csv"])
    assert result.exit_code == 1
    assert (
        f"extract: error: {SEED}: internal error: RuntimeError: boom (rerun with --debug for the traceback)"
        in result.output
    )
    debug = runner.invoke(app, [str(SEED), "-o", str(tmp_path / "again"), "-q", "--no-csv", "--debug"])
    assert isinstance(debug.exception, RuntimeError)


def test_cli_defaults_are_the_limits_defaults() -> None:
    assert (cli.DEFAULT_MAX_INPUT_MB, cli.DEFAULT_MAX_UNZIPPED_MB, cli.DEFAULT_TIMEOUT_SECONDS) == (
        limits.DEFAULT_MAX_INPUT_MB,
        limits.DEFAULT_MAX_UNZIPPED_MB,
        limits.DEFAULT_TIMEOUT_SECONDS,
    )
