"""The PDFium page backend against pdfplumber's: the same JSON (boxes aside)
on every PDF fixture and real document, and what pdfplumber gave for free
(locked, damaged and rotated PDFs, fonts without a Unicode map)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.constants import UserAccessPermissions
from pypdf.generic import NameObject

from extractor import UnreadableInput, read_bytes
from extractor.readers.pdf import PdfBackend, _content, parse_pdf
from extractor.readers.pdfium import CharPool, read_pages
from tests.cache import extracted
from tests.conftest import FIXTURES, ROOT

SEED_PDF = FIXTURES / "fuping-2021-county-party-office.pdf"
REAL = ROOT.parent / "shared" / "real"
# the files that are no disclosure are refused by both alike (tests/test_structure_real.py)
REAL_PDFS = sorted(p for p in REAL.glob("*.pdf") if not p.name.startswith("not-a-disclosure")) if REAL.is_dir() else []


def _without_boxes(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_boxes(v) for k, v in value.items() if k != "bbox"}
    if isinstance(value, list):
        return [_without_boxes(v) for v in value]
    return value


def _json(path: Path, backend: PdfBackend) -> Any:
    """The document's JSON without boxes, and without what a library logged
    while reading (pdfminer warns of fonts PDFium reads without a word)."""
    found = _without_boxes(json.loads(extracted(path, backend).model_dump_json()))
    found["issues"] = [i for i in found["issues"] if not i["message"].startswith("while reading: ")]
    return found


def _case(path: Path) -> Any:
    return pytest.param(path, id=path.name)


@pytest.mark.parametrize("path", [_case(p) for p in sorted(FIXTURES.glob("*.pdf"))])
def test_both_backends_give_the_same_json_on_fixtures(path: Path) -> None:
    assert _json(path, "pdfium") == _json(path, "pdfplumber")


@pytest.mark.skipif(not REAL_PDFS, reason="../shared/real is not here")
@pytest.mark.parametrize("path", [_case(p) for p in REAL_PDFS])
def test_both_backends_give_the_same_json_on_real_documents(path: Path) -> None:
    assert _json(path, "pdfium") == _json(path, "pdfplumber")


def test_pdfium_gives_pdfminers_character_boxes() -> None:
    page, unmapped = next(read_pages(SEED_PDF.read_bytes(), "seed.pdf"))
    first = page.chars[0]
    # 中 of 中国共产党阜平县委员会办公室: pdfplumber's box (71.2 to 82.2, 11 pt)
    assert (first.text, round(first.x0, 1), round(first.top, 1), round(first.bottom, 1), first.size) == (
        "中",
        90.1,
        71.2,
        82.2,
        11.0,
    )
    assert (page.width, page.height, unmapped) == (612.0, 792.0, 0)


def _writer(rotate: int = 0) -> PdfWriter:
    writer = PdfWriter()
    writer.add_page(PdfReader(SEED_PDF).pages[0])
    if rotate:
        writer.pages[0].rotate(rotate)
    return writer


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page(data: bytes, backend: str) -> tuple[list[str], list[tuple[float, float, float, float]]]:
    if backend == "pdfium":
        page, _ = next(read_pages(data, "turned.pdf"))
    else:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page, _ = _content(pdf.pages[0], CharPool())
    cells = sorted(cell for table in page.tables for cell in table.cells)
    return sorted(c.text for c in page.chars), cells


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_page_gives_pdfplumbers_boxes(rotate: int) -> None:
    data = _pdf(_writer(rotate))
    ours, theirs = _page(data, "pdfium"), _page(data, "pdfplumber")
    # the same characters and cells, turned alike (a font whose descriptor
    # gives no descent is placed by its own metrics in PDFium: up to 2 pt)
    assert ours[0] == theirs[0] and len(ours[0]) > 500
    assert len(ours[1]) == len(theirs[1]) == 26
    assert all(
        abs(a - b) < 0.01 for mine, its in zip(ours[1], theirs[1], strict=True) for a, b in zip(mine, its, strict=True)
    )


def test_pdf_needing_a_password_is_refused() -> None:
    writer = _writer()
    writer.encrypt(user_password="secret", owner_password="owner")
    with pytest.raises(UnreadableInput, match=r"^locked\.pdf: the PDF needs a password to open"):
        read_bytes(_pdf(writer), "locked.pdf", pdf_backend="pdfium")


def test_pdf_with_only_an_owner_password_is_read() -> None:
    writer = _writer()
    writer.encrypt(user_password="", owner_password="owner", permissions_flag=UserAccessPermissions.PRINT)
    blocks = read_bytes(_pdf(writer), "restricted.pdf", pdf_backend="pdfium").blocks
    assert blocks[0].text == "中国共产党阜平县委员会办公室"  # type: ignore[union-attr]


def test_truncated_pdf_is_refused() -> None:
    with pytest.raises(UnreadableInput, match=r"^cut\.pdf: damaged PDF: Data format error \(is the file complete"):
        read_bytes(SEED_PDF.read_bytes()[:20000], "cut.pdf", pdf_backend="pdfium")


def test_scan_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with pytest.raises(UnreadableInput, match=r"^scan\.pdf: the PDF has no text layer"):
        read_bytes(_pdf(writer), "scan.pdf", pdf_backend="pdfium")


def test_font_without_unicode_map_is_reported_by_both_backends() -> None:
    writer = _writer()
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font.get_object().pop(NameObject("/ToUnicode"), None)
    data = _pdf(writer)
    notes = [parse_pdf(data, "cid.pdf", backend=b).notes for b in ("pdfium", "pdfplumber")]
    assert all(any("without a Unicode map" in note for note in found) for found in notes), notes


def _line_of(page: Any, text: str) -> str:
    """The characters on the line where ``text`` starts, left to right."""
    chars = page.chars
    joined = "".join(c.text for c in chars)
    top = chars[joined.index(text)].top
    return "".join(c.text for c in sorted((c for c in chars if abs(c.top - top) < 3), key=lambda c: c.x0))


def test_space_in_a_text_object_of_its_own_is_kept_seed_page_27() -> None:
    # the space after 教育厅 is drawn alone (in DejaVu Serif, no width):
    # PDFium's text page skips the object; pdfminer keeps the glyph
    pages = list(read_pages(SEED_PDF.read_bytes(), "seed.pdf"))
    assert "河北省教育厅 河北省" in _line_of(pages[26][0], "省教育厅")


@pytest.mark.skipif(
    not (REAL / "changsha-petition-bureau-2026-budget.pdf").exists(), reason="../shared/real is not here"
)
def test_run_of_spaces_folded_into_one_is_put_back_changsha_contents() -> None:
    # 目   录: three spaces in one text object, of which the text page keeps one
    page, _ = list(read_pages((REAL / "changsha-petition-bureau-2026-budget.pdf").read_bytes(), "cs.pdf"))[1]
    assert _line_of(page, "目") == "目   录"


@pytest.mark.skipif(not REAL_PDFS, reason="../shared/real is not here")
def test_spaces_drawn_wider_than_their_width_are_not_doubled_quanzhou_contents() -> None:
    # two spaces 11.3 pt apart, each 6.5 pt wide (a character spacing): one
    # space more than PDFium's text page keeps, not two
    page, _ = list(read_pages((REAL / "quanzhou-public-security-bureau-2026-budget.pdf").read_bytes(), "qz.pdf"))[1]
    assert _line_of(page, "目") == "目  录 "


@pytest.mark.skipif(not REAL_PDFS, reason="../shared/real is not here")
def test_glyph_of_a_font_left_out_of_the_file_is_read_by_pdfminer_xian_page_5() -> None:
    # 胜 is drawn in FangSong_GB2312, not embedded: PDFium's text page has a
    # space in its place, so the page is read by pdfminer, which decodes it
    data = (REAL / "xian-meteorological-bureau-2026-budget.pdf").read_bytes()
    text = parse_pdf(data, "xa.pdf", backend="pdfium").blocks
    assert any("二十大胜利召开" in getattr(block, "text", "") for block in text)
