"""The review site under faults (issue 28): a page declared 20,000 pt
square, a page or a file that cannot be rendered, PDFs inside ZIP bundles,
and a run reviewed from another folder than the one it ran in."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from typer.testing import CliRunner

from extractor.cli import app
from extractor.limits import DEFAULT_MAX_PAGE_PIXELS
from extractor.models import Disclosure
from extractor.review import Loaded, build_review, load_run
from extractor.review.load import ReviewInput
from extractor.review.render import fit, png_size, render_pages
from extractor.writers.json import dumps

from ..conftest import FIXTURES

runner = CliRunner()
PDF_NAME = "fuping-2021-county-party-office.pdf"
PDF_ID = "fuping-2021-county-party-office-e0b9995f701e93e8"
MINIMAL = "clean-minimal.txt"
MINIMAL_ID = "clean-minimal-ba9dd9e95a9e8831"
HUGE_PT = 20000.0


@pytest.fixture(scope="module")
def seed_pdf() -> Disclosure:
    from extractor.pipeline import extract_file

    return extract_file(FIXTURES / PDF_NAME)


def _enlarged(target: Path, page: int, size: float = HUGE_PT) -> Path:
    """The seed PDF with one page declared ``size`` pt square (its content as it was)."""
    document = pdfium.PdfDocument(str(FIXTURES / PDF_NAME))
    left, _, _, top = document[page - 1].get_mediabox()
    document[page - 1].set_mediabox(left, top - size, left + size, top)
    document[page - 1].set_cropbox(left, top - size, left + size, top)
    document.save(str(target))
    document.close()
    return target


def _page(site: Path, doc_id: str) -> str:
    return (site / "documents" / f"{doc_id}.html").read_text(encoding="utf-8")


def test_fit_caps_a_huge_page_in_pixels_and_leaves_a_page_of_paper_as_it_was() -> None:
    assert fit(612, 792)[1] == (1000, 1295)  # US letter, 1000 px across
    assert fit(1191, 842)[1] == (1415, 1000)  # A3 landscape, 1000 px high
    assert fit(HUGE_PT, HUGE_PT)[1] == (4000, 4000)  # not 23,753 × 23,753 px = 564 Mpx
    width, height = fit(200000.0, 100.0)[1]  # a strip, where rounding up to whole pixels would break the cap
    assert width * height <= DEFAULT_MAX_PAGE_PIXELS < (width + 1) * (height + 1)
    with pytest.raises(ValueError, match="size"):
        fit(0.0, 792.0)


def test_a_20000_pt_page_is_rendered_within_the_cap_with_a_note(tmp_path: Path) -> None:
    document = pdfium.PdfDocument.new()
    document.new_page(612, 792)
    document.new_page(HUGE_PT, HUGE_PT)
    pdf = tmp_path / "huge.pdf"
    document.save(str(pdf))
    document.close()
    rendered = render_pages(pdf.read_bytes(), "ab" * 32, [1, 2, 3], tmp_path / "site")
    assert sorted(rendered.images) == [1, 2] and not rendered.failed and rendered.note is None  # no page 3
    huge = rendered.images[2]
    assert huge.pixels == (4000, 4000) and (huge.width, huge.height) == (HUGE_PT, HUGE_PT)
    assert huge.note == "20000 × 20000 pt: shown at 4000 × 4000 px, within the 16 Mpx limit of a page image"
    assert png_size(tmp_path / "site" / huge.src) == (4000, 4000)
    assert rendered.images[1].pixels == (1000, 1295) and rendered.images[1].note is None


def test_a_run_with_a_20000_pt_page_and_review_writes_the_whole_site(tmp_path: Path) -> None:
    # before: the page rendered to 564 Mpx, PIL refused it (a decompression bomb), a
    # traceback, exit 1 after a finished run, no index.html nor any document page
    big = _enlarged(tmp_path / "big.pdf", page=9)
    site = tmp_path / "site"
    result = runner.invoke(app, [str(big), "-o", str(tmp_path / "out"), "-q", "--review", str(site)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "53 page images" in result.output
    [folder] = (site / "pages").iterdir()
    with Image.open(folder / "p9.png") as image:
        assert image.size == (4000, 4000)
    with Image.open(folder / "p10.png") as image:
        assert image.size == (1000, 1295)
    [document] = (tmp_path / "out").glob("big-*.json")
    html = _page(site, document.stem)
    assert "20000 × 20000 pt: shown at 4000 × 4000 px, within the 16 Mpx limit of a page image" in html
    assert (site / "index.html").is_file()


def test_a_page_that_cannot_be_rendered_is_a_note_and_the_site_is_written(
    tmp_path: Path, seed_pdf: Disclosure, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extractor.review.render as render

    real = render._render

    def failing(page: pdfium.PdfPage, scale: float, target: Path) -> None:
        if target.name == "p9.png":
            raise pdfium.PdfiumError("Failed to render page")
        real(page, scale, target)

    monkeypatch.setattr(render, "_render", failing)
    summary = build_review(Loaded([ReviewInput(seed_pdf, FIXTURES / PDF_NAME)]), tmp_path / "site")
    assert summary.images == 52  # 53 pages shown, page 9 without its image
    html = _page(tmp_path / "site", PDF_ID)
    assert "Page 9 could not be rendered (PdfiumError: Failed to render page)." in html
    assert "pages/e0b9995f701e93e8/p10.png" in html and "p9.png" not in html
    assert not list((tmp_path / "site/pages").rglob("*.tmp"))


def test_a_source_that_cannot_be_opened_as_a_pdf_is_a_note_and_the_site_is_written(
    tmp_path: Path, seed_pdf: Disclosure
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00" * 4096)
    summary = build_review(Loaded([ReviewInput(seed_pdf, broken)]), tmp_path / "site")
    assert (summary.documents, summary.images) == (1, 0)
    html = _page(tmp_path / "site", PDF_ID)
    assert f"Source file {broken} cannot be rendered (Failed to load document" in html
    assert "is not in the source file" not in html
    assert (tmp_path / "site/index.html").is_file()


def test_a_pdf_inside_a_zip_bundle_gets_its_page_images(tmp_path: Path, seed_pdf: Disclosure) -> None:
    # before: its source was never found (0 page images), and `extract review bundle.zip`
    # ended in a traceback (pdfium asked to open 'bundle.zip!/….pdf' as a file)
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(FIXTURES / PDF_NAME, f"预算/{PDF_NAME}")
    run = tmp_path / "out"
    run.mkdir()
    disclosure = seed_pdf.model_copy(deep=True)
    disclosure.doc_id = PDF_ID
    disclosure.source.path = f"bundle.zip!/预算/{PDF_NAME}"  # as a run records a member
    (run / f"{PDF_ID}.json").write_text(dumps(disclosure), encoding="utf-8")
    loaded = load_run(run)  # found under the run folder's parent
    assert [str(item.source) for item in loaded.documents] == [f"{tmp_path}/bundle.zip!/预算/{PDF_NAME}"]
    summary = build_review(loaded, tmp_path / "site")
    assert summary.images == 53 and summary.without_source == 0
    assert "pages/e0b9995f701e93e8/p9.png" in _page(tmp_path / "site", PDF_ID)
    # the bundle given to review itself: extracted here, its members' pages rendered
    result = runner.invoke(app, ["review", str(bundle), "-o", str(tmp_path / "site2")])
    assert result.exit_code == 0, result.output
    assert "1 document, 53 page images, 0 failed inputs" in result.output


def test_review_of_a_run_finds_its_sources_from_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before: the run recorded 'in/clean-minimal.txt', relative to where it ran; reviewed
    # from elsewhere the source was not found without --sources, and the summary said nothing
    ran, elsewhere = tmp_path / "ran", tmp_path / "elsewhere"
    (ran / "in").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(FIXTURES / MINIMAL, ran / "in" / MINIMAL)
    monkeypatch.chdir(ran)
    assert runner.invoke(app, ["in", "-o", str(tmp_path / "runs/out"), "-q"]).exit_code == 0
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["review", str(tmp_path / "runs/out"), "-o", "site"])
    assert result.exit_code == 0, result.output
    assert result.output == "wrote site/index.html: 1 document, 0 page images, 0 failed inputs\n"
    assert '<span class="line row"><span class="n">212</span>' in _page(elsewhere / "site", MINIMAL_ID)
    # the inputs gone: the page says where it looked, the summary how many had no source
    shutil.rmtree(ran / "in")
    result = runner.invoke(app, ["review", str(tmp_path / "runs/out"), "-o", "site2"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote site2/index.html: 1 document, 0 page images, 0 failed inputs; source file not found for 1 document\n"
    )
    assert f"Source file not found (looked for {ran}/in/{MINIMAL}, " in _page(elsewhere / "site2", MINIMAL_ID)
