"""Issue 15: every reader bounded by its input, no pattern that backtracks
over a long run, a part that fails keeps the rest.

Each reproduction of the issue is built here from the seed fixtures (no
large file is committed) and run through ``extract`` in a subprocess under
an address-space cap (`CAP`) and a hang guard: a regression fails instead
of swapping or hanging the suite.  No test times how fast anything is.
"""

from __future__ import annotations

import io
import json
import os
import resource
import socket
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor import pipeline
from extractor.identity import doc_id
from extractor.pipeline import extract_file
from extractor.readers import read_path
from extractor.readers.oxml import MAX_LABEL, format_number
from tests.conftest import FIXTURES, SEED

SEED_DOCX = FIXTURES / "fuping-2021-county-party-office.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXTRACT = Path(sys.executable).parent / "extract"
CAP = 1024 * 1024 * 1024  # address space of one run: the seed needs a few hundred MB
HANG_GUARD = 60  # seconds; every run here takes a few


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _extract(tmp_path: Path, name: str, data: bytes | None = None) -> tuple[int, list[str], dict[str, object] | None]:
    """Run ``extract`` on one file under the cap: exit status, its
    ``extract: error:`` lines (file name shortened) and the JSON written."""
    target = tmp_path / name
    if data is not None:
        target.write_bytes(data)
    out = tmp_path / f"out-{name}"
    done = subprocess.run(
        [str(EXTRACT), str(target), "-o", str(out), "-q", "--no-csv"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        preexec_fn=_capped,
        check=False,
    )
    assert "Traceback" not in done.stderr + done.stdout
    errors = [
        line.replace(str(target), name) for line in done.stderr.splitlines() if line.startswith("extract: error:")
    ]
    written = sorted(out.glob("*.json"))
    return done.returncode, errors, json.loads(written[0].read_text(encoding="utf-8")) if written else None


def _docx(**parts: Callable[[str], str]) -> bytes:
    """The seed DOCX with some parts rewritten (``document``, ``numbering``: word/<name>.xml)."""
    out = io.BytesIO()
    with zipfile.ZipFile(SEED_DOCX) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            rewrite = parts.get(item.filename.removeprefix("word/").removesuffix(".xml"))
            target.writestr(item.filename, rewrite(data.decode("utf-8")).encode("utf-8") if rewrite else data)
    return out.getvalue()


def _issues(document: dict[str, object], code: str) -> list[str]:
    issues = document["issues"]
    assert isinstance(issues, list)
    return [issue["message"] for issue in issues if issue["code"] == code]


def _indicator_count(document: dict[str, object]) -> int:
    performance = document["performance"]
    assert isinstance(performance, dict)
    return sum(len(project["indicators"]) for project in performance["projects"])


_VALUE_HEADER = '<w:tcW w:type="dxa" w:w="1234"/></w:tcPr><w:p><w:r><w:t>指标值</w:t>'
# The seed's numbered-list definition 9 (abstract 0, one decimal level) and its first paragraphs numbered by it.
_FIRST_LEVEL = '<w:start w:val="1"/><w:numFmt w:val="decimal"/>'


def _numbered(level: int) -> Callable[[str], str]:
    def rewrite(document: str) -> str:
        numbering = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="9"/></w:numPr></w:pPr>'
        return document.replace("<w:p><w:r><w:t>", f"<w:p>{numbering}<w:r><w:t>", 3)

    return rewrite


def test_docx_header_spanning_a_billion_columns_is_clamped_and_noted(tmp_path: Path) -> None:
    code, errors, seed = _extract(tmp_path, "seed.docx", SEED_DOCX.read_bytes())
    wide = _docx(
        document=lambda d: d.replace(
            _VALUE_HEADER, _VALUE_HEADER.replace("</w:tcPr>", '<w:gridSpan w:val="1000000000"/></w:tcPr>')
        )
    )
    code, errors, document = _extract(tmp_path, "wide.docx", wide)
    assert (code, errors) == (0, [])
    assert seed is not None and document is not None
    notes = [note for note in _issues(document, "reader_note") if "were clamped" in note]
    assert len(notes) == 48  # one per indicator table: its two 指标值 headers (value and basis) widened
    assert {note.split(": ", 1)[1] for note in notes} == {
        "2 cell span(s) or row offset(s) reached past the table's 7 grid columns and were clamped to them"
    }
    assert _indicator_count(document) == _indicator_count(seed) > 400


def test_docx_row_offset_of_a_billion_columns(tmp_path: Path) -> None:
    shifted = _docx(
        document=lambda d: d.replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="1000000000"/></w:trPr>', 1)
    )
    code, errors, document = _extract(tmp_path, "shifted.docx", shifted)
    assert (code, errors) == (0, [])
    assert document is not None and document["title"] == "中国共产党阜平县委员会办公室2021年部门预算信息公开"
    assert any(note.startswith("table 0: 1 cell span") for note in _issues(document, "reader_note"))


def test_docx_roman_numbering_from_two_billion_printed_in_decimal(tmp_path: Path) -> None:
    roman = _docx(
        numbering=lambda n: n.replace(_FIRST_LEVEL, '<w:start w:val="2000000000"/><w:numFmt w:val="upperRoman"/>', 1),
        document=_numbered(0),
    )
    code, errors, document = _extract(tmp_path, "roman.docx", roman)
    assert (code, errors) == (0, [])
    assert document is not None
    preamble = document["preamble"]
    assert isinstance(preamble, str)
    assert preamble.startswith(
        "2000000000.中国共产党阜平县委员会办公室\n2000000001.2021年部门预算信息公开\n2000000002.按照"
    )
    assert format_number(3999, "upperRoman") == "MMMCMXCIX" and format_number(4000, "lowerRoman") == "4000"


@pytest.mark.parametrize("level", [9, -1, 99999999999999])
def test_docx_list_level_outside_word_range_is_unnumbered(tmp_path: Path, level: int) -> None:
    ninth = _docx(
        numbering=lambda n: n.replace(
            '<w:abstractNum w:abstractNumId="0">',
            f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{level}"><w:lvlText w:val="%{level}."/></w:lvl>',
            1,
        ),
        document=_numbered(level),
    )
    code, errors, document = _extract(tmp_path, "level.docx", ninth)
    assert (code, errors) == (0, [])
    assert document is not None and document["title"] == "中国共产党阜平县委员会办公室2021年部门预算信息公开"


def test_docx_list_label_text_is_capped(tmp_path: Path) -> None:
    long_label = _docx(
        numbering=lambda n: n.replace('<w:lvlText w:val="%1."/>', f'<w:lvlText w:val="{"%1" * 5000}"/>', 1),
        document=_numbered(0),
    )
    code, errors, document = _extract(tmp_path, "label.docx", long_label)
    assert (code, errors) == (0, [])
    assert document is not None
    title = document["title"]
    assert isinstance(title, str) and title.startswith(
        "1" * (MAX_LABEL // 2) + "中国共产党"
    )  # "%1" cut to 64 characters


def test_docx_row_without_cells(tmp_path: Path) -> None:
    hollow = _docx(document=lambda d: d.replace("<w:tr>", "<w:tr></w:tr><w:tr>", 1))
    code, errors, document = _extract(tmp_path, "hollow.docx", hollow)
    assert (code, errors) == (0, [])
    assert document is not None
    organization = document["organization"]
    assert isinstance(organization, dict) and len(organization["units"]) == 9


def test_docx_without_body_is_one_line(tmp_path: Path) -> None:
    bodiless = _docx(document=lambda d: d[: d.index("<w:body>")] + d[d.index("</w:body>") + len("</w:body>") :])
    assert _extract(tmp_path, "bodiless.docx", bodiless)[:2] == (
        1,
        ["extract: error: bodiless.docx: damaged DOCX: word/document.xml has no w:body (re-save it from Word)"],
    )


def test_docx_member_failing_its_crc_is_one_line(tmp_path: Path) -> None:
    data = bytearray(SEED_DOCX.read_bytes())
    with zipfile.ZipFile(SEED_DOCX) as archive:
        member = archive.getinfo("word/document.xml")
    data[member.header_offset + 30 + len(member.filename) + len(member.extra) + 100] ^= 0xFF
    code, errors, _ = _extract(tmp_path, "crc.docx", bytes(data))
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith("extract: error: crc.docx: damaged DOCX: ")


def test_docx_5000_digit_seq_is_unreadable_not_internal(tmp_path: Path) -> None:
    seq = (
        '<w:t>3</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:type="dxa" w:w="1728"/></w:tcPr>'
        "<w:p><w:r><w:t>阜平县妇女"
    )
    digits = _docx(document=lambda d: d.replace(seq, seq.replace("<w:t>3</w:t>", f"<w:t>{'9' * 5000}</w:t>"), 1))
    code, errors, document = _extract(tmp_path, "digits.docx", digits)
    assert (code, errors) == (0, [])
    assert document is not None
    organization = document["organization"]
    assert isinstance(organization, dict)
    assert [unit["seq"] for unit in organization["units"]][:4] == [1, 2, None, 4]
    assert any("9999999999" in message for message in _issues(document, "number_unreadable"))


def test_text_10000_digit_value(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    long_value = seed.replace("≥90百分比", "9" * 10_000 + "x", 1)
    code, errors, document = _extract(tmp_path, "long-value.txt", long_value.encode("utf-8"))
    assert (code, errors) == (0, [])
    assert document is not None
    assert any("a number of more than 30 digits: not read" in m for m in _issues(document, "value_unit_suspect"))


_ADVERSARIAL = """
import sys
from extractor.numbers import parse_number, parse_percent
from extractor.values import is_operator, parse_value
from extractor.textutil import compact, list_number, starts_numbered, strip_field_codes, strip_list_number
from extractor.outline import heading_of
from extractor.blocks import Location, Paragraph
from extractor.readers.textfile import parse_flat_text
from extractor.cover import read_cover
from extractor.outline import is_contents_line
from extractor.segment import has_budget_content
from extractor.parts.perf_labels import label_key
from extractor.parts.perf_tables import _code_and_name
from extractor.parts._prose import line_items
n = 100_000
strings = ["9" * n, "9" * n + "x", "1." * (n // 2) + "x", "1," * (n // 2) + "x", "1,。" * (n // 3) + "x",
           "1-" * (n // 2) + "x", " TC" * (n // 3) + "\\\\", "\\\\a " * (n // 3), "（" * n + "x", "一、" * (n // 2),
           "第" * n, "合 " * (n // 2) + "计", "1\\t" * (n // 2), "2021年" * (n // 5), "≥" * n + "9", "9%" * (n // 2),
           "-" * n + "x", "." * n + "x", "．" * n, "：" * n + "x", "A" * n, "A1" * (n // 2) + "-", " " * n + "x",
           "职" * n + "1"]
for text in strings:
    for parse in (parse_number, parse_percent, parse_value, is_operator, compact, list_number, starts_numbered,
                  strip_field_codes, strip_list_number):
        parse(text)
    heading_of(Paragraph(text, Location(line=1)))
    is_contents_line(text), label_key(text), _code_and_name(None, text), line_items(text)
    has_budget_content([Paragraph("预算" + text, Location(line=1))])
    read_cover(parse_flat_text(text))
print("done")
"""


def test_public_parsers_do_not_hang_on_100kb_adversarial_strings() -> None:
    """A hang guard, not a speed test: each string once through each public
    parser; the quadratic 指标值 range took 17 s on 10,000 digits alone."""
    done = subprocess.run(
        [sys.executable, "-c", _ADVERSARIAL], capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "done"), done.stderr[-2000:]


def test_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "crawl.txt"
    os.mkfifo(fifo)
    assert _extract(tmp_path, "crawl.txt")[:2] == (
        1,
        ["extract: error: crawl.txt: not a regular file (a FIFO, device or socket) (give the file itself)"],
    )


def test_device_and_socket_are_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "sock.txt"))
        for name in ("zero.txt", "sock.txt"):
            assert _extract(tmp_path, name)[:2] == (
                1,
                [f"extract: error: {name}: not a regular file (a FIFO, device or socket) (give the file itself)"],
            )


def test_2gb_sparse_file_is_refused_without_reading(tmp_path: Path) -> None:
    with (tmp_path / "sparse.txt").open("wb") as handle:
        handle.truncate(2 * 1024 * 1024 * 1024)
    assert _extract(tmp_path, "sparse.txt")[:2] == (
        1,
        [
            "extract: error: sparse.txt: too large: 2048.0 MB, the limit is 32 MB "
            "(raise it with --max-size if the file is genuine)"
        ],
    )


def test_library_warnings_become_notes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import logging
    import warnings

    from extractor.readers import textfile

    real = textfile.parse_flat_text

    def noisy(text: str) -> list[object]:
        for _ in range(300):
            logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font descriptor")
        warnings.warn("style lookup by name is deprecated", DeprecationWarning, stacklevel=1)
        return real(text)  # type: ignore[return-value]

    monkeypatch.setattr("extractor.readers.parse_flat_text", noisy)
    document = extract_file(SEED)
    captured = capsys.readouterr()
    assert captured.err == captured.out == ""
    notes = [issue.message for issue in document.issues if issue.code == "reader_note"]
    assert notes == [
        "while reading: pdfminer.pdffont: Could not get FontBBox from font descriptor (×300)",
        "while reading: DeprecationWarning: style lookup by name is deprecated",
    ]


def test_a_failing_part_parser_keeps_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(blocks: object, report: object) -> None:
        raise KeyError("资产")

    monkeypatch.setitem(pipeline._PARSERS, 7, ("assets", broken))
    document = extract_file(SEED)
    failed = [issue for issue in document.issues if issue.code == "part_failed"]
    assert [(issue.severity, issue.part, issue.message) for issue in failed] == [
        ("error", 7, "part 7 could not be read (KeyError: '资产'); the rest of the document was extracted")
    ]
    assert document.assets is None
    assert document.operating_costs is not None and document.operating_costs.total is not None
    assert document.performance is not None and len(document.performance.projects) == 48


def test_a_failing_performance_part_keeps_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "read_performance_tables", broken)
    document = extract_file(SEED)
    assert [issue.part for issue in document.issues if issue.code == "part_failed"] == [5]
    assert document.performance is None and document.extraction.tables_seen > 50
    assert document.assets is not None


def test_title_after_an_empty_cell(tmp_path: Path) -> None:
    empty_table = '<w:tbl><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>'
    (tmp_path / "boxed.docx").write_bytes(_docx(document=lambda d: d.replace("<w:body>", f"<w:body>{empty_table}", 1)))
    document = extract_file(tmp_path / "boxed.docx")
    assert (document.title, document.department, document.year) == (
        "中国共产党阜平县委员会办公室2021年部门预算信息公开",
        "中国共产党阜平县委员会办公室",
        2021,
    )


def test_no_title_or_no_year_is_reported(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    (tmp_path / "untitled.txt").write_text(seed[seed.index("第一部分") :], encoding="utf-8")
    (tmp_path / "undated.txt").write_text(
        seed.replace("2021年部门预算信息公开", "部门预算信息公开", 1), encoding="utf-8"
    )
    untitled, undated = extract_file(tmp_path / "untitled.txt"), extract_file(tmp_path / "undated.txt")
    assert (untitled.title, untitled.department, untitled.year) == (None, None, None)
    assert [issue.message for issue in untitled.issues if issue.code == "title_missing"] == [
        "no title before the first heading or table of the first page: title, department and year are left empty"
    ]
    assert (undated.title, undated.year) == ("中国共产党阜平县委员会办公室部门预算信息公开", None)
    assert [issue.message for issue in undated.issues if issue.code == "year_missing"] == [
        "the title '中国共产党阜平县委员会办公室部门预算信息公开' names no year: year is left empty"
    ]


def test_empty_files_of_two_formats_get_two_ids(tmp_path: Path) -> None:
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert doc_id(tmp_path / "empty.txt", empty) != doc_id(tmp_path / "empty.docx", empty)
    assert doc_id("a.txt", "1a2b3c4d" + "0" * 56) == "a-1a2b3c4d00000000"


def test_read_path_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="is a directory, not a file"):
        read_path(tmp_path)


def test_docx_body_is_streamed_one_item_at_a_time() -> None:
    """What grew with an 18 MB DOCX of tables (3.9 GB) was the whole-document
    XML tree: the body is streamed, each item dropped once read."""
    from lxml import etree

    from extractor.readers.docx import _body_items

    earlier_still_held: list[bool] = []
    with zipfile.ZipFile(SEED_DOCX) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
        with archive.open("word/document.xml") as stream:
            for item in _body_items(stream, "seed.docx"):
                earlier_still_held.append(item.getprevious() is not None)
    assert len(earlier_still_held) == sum(1 for child in body if child.tag != f"{W}sectPr") == 241
    assert not any(earlier_still_held)


def test_adversarial_paragraphs_in_every_part(tmp_path: Path) -> None:
    """Runs of 20,000 characters after each part heading go through every
    part parser (prose figures, labels, items) under the cap and hang guard."""
    n = 20_000
    runs = ["职" * n + "1", "1." * (n // 2) + "万", "9" * n, "：" * n, "-" * n + "1", "收入" + "1," * (n // 2) + "元"]
    lines: list[str] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        lines.append(line)
        if line.startswith("第") and "部分" in line[:5]:
            lines.extend(runs)
    code, errors, document = _extract(tmp_path, "runs.txt", "\n".join(lines).encode("utf-8"))
    assert (code, errors) == (0, [])
    assert document is not None and document["title"] == "中国共产党阜平县委员会办公室2021年部门预算信息公开"
    parts = document["parts"]
    assert isinstance(parts, list) and all(part["found"] for part in parts)


def test_empty_txt_and_empty_docx_fail_under_their_own_ids(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in ("empty.txt", "empty.docx"):
        (tmp_path / "in" / name).write_bytes(b"")
    done = subprocess.run(
        [str(EXTRACT), str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--no-csv"],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    assert done.returncode == 1 and done.stderr.count(": the file is empty") == 2
    manifest = [json.loads(line) for line in (tmp_path / "out" / ".manifest.jsonl").read_text().splitlines()]
    assert sorted(entry["status"] for entry in manifest) == ["failed", "failed"]
    assert len({entry["doc_id"] for entry in manifest}) == 2
