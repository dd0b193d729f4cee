"""Reader for PDF disclosures: the only module that knows pdfplumber.

Each PDF is opened once; each page gets one layout pass whose characters
and ruling edges serve both the text and the tables (the table finder runs
only on pages that have ruling lines), and the page is closed before the
next so memory stays flat on long documents.  `pdflayout` turns what is
taken from the pages into blocks.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple, get_args

from ..blocks import Block
from ..errors import ExtractorError, UnreadableInput
from .pdfium import SPACES, UNMAPPED, CharPool, read_pages
from .pdflayout import (
    DEFAULT_SETTINGS,
    Char,
    LayoutSettings,
    PageBlocks,
    PageContent,
    join_pages,
    keep_on_page,
    page_blocks,
    page_size,
    plausible_descent,
    text_columns,
)
from .radicals import RADICAL, unify_radicals
from .ruling import ruled_tables

__all__ = ["DEFAULT_PDF_BACKEND", "PDF_BACKENDS", "PdfBackend", "PdfText", "backend_named", "parse_pdf"]

#: What reads a PDF's pages: PDFium (pypdfium2) or pdfplumber (pdfminer).
PdfBackend = Literal["pdfium", "pdfplumber"]
PDF_BACKENDS: tuple[PdfBackend, ...] = get_args(PdfBackend)
DEFAULT_PDF_BACKEND: PdfBackend = "pdfium"


def backend_named(name: str | None) -> PdfBackend:
    """The backend called ``name`` (the default for None); ValueError for another name."""
    for backend in PDF_BACKENDS:
        if backend == (name or DEFAULT_PDF_BACKEND):
            return backend
    raise ValueError(f"--pdf-backend must be one of {', '.join(PDF_BACKENDS)}, not {name!r}")


#: pdfplumber's table finder: ruled tables, cells from the drawn lines.
SCAN_HINT = "it looks like a scan: run OCR first (for example 'ocrmypdf in.pdf out.pdf')"


def _reraise_ours(exc: BaseException) -> None:
    """Our own errors (a time limit hit inside pdfminer) pass through
    pdfplumber's wrapper unchanged."""
    for inner in (exc, *exc.args, exc.__cause__, exc.__context__):
        if isinstance(inner, ExtractorError):
            raise inner from None


def _open(data: bytes, name: str) -> Any:
    import pdfplumber  # imported here so that `extract --help` stays instant
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise UnreadableInput(name, "the PDF needs a password to open", "ask the publisher for an open copy") from None
    except PDFSyntaxError as exc:
        raise UnreadableInput(name, f"damaged PDF: {exc}", "is the file complete?") from None
    except Exception as exc:  # pdfplumber wraps pdfminer's many kinds of error
        _reraise_ours(exc)
        if any(isinstance(e, PDFPasswordIncorrect) for e in (*exc.args, exc.__cause__, exc.__context__)):
            raise UnreadableInput(
                name, "the PDF needs a password to open", "ask the publisher for an open copy"
            ) from None
        raise UnreadableInput(name, f"damaged PDF: {type(exc).__name__}: {exc}", "is the file complete?") from None


_WHITE = frozenset({(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)})


def _drawn(obj: dict[str, Any]) -> bool:
    """Whether a page object can rule a table: an unstroked white rectangle
    (a text run's background, as some producers paint behind every word)
    draws nothing, so its sides are no ruling lines."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    colour = obj.get("non_stroking_color")
    fill = tuple(float(v) for v in colour) if isinstance(colour, (list, tuple)) else (float(colour or 0),)
    return fill not in _WHITE


def _upright_box(c: dict[str, Any]) -> tuple[float, float]:
    """A character's top and bottom, moved up to a plausible descent when its
    font's is broken (pdfminer puts the box's foot at the baseline plus the
    declared descent; PDFium's backend does the same with `plausible_descent`)."""
    _, b, c_, d, _, baseline = c["matrix"]
    size = c.get("size") or 0.0
    if b or c_ or d <= 0 or size <= 0:
        return c["top"], c["bottom"]
    declared = (c["y0"] - baseline) / size
    shift = (plausible_descent(declared) - declared) * size
    return c["top"] - shift, c["bottom"] - shift


def _content(page: Any, pool: CharPool) -> tuple[PageContent, int]:
    # every character, on the page or not: `keep_on_page` tells what is content
    width, height = float(page.width), float(page.height)
    chars: list[Char] = []
    unmapped = 0
    for c in page.chars:
        text = " " if c["text"] in SPACES else c["text"]
        if UNMAPPED.fullmatch(text):
            unmapped += 1
        elif text.strip() or text == " ":
            top, bottom = _upright_box(c)
            chars.append(pool.char(text, c["x0"], top, c["x1"], bottom, c.get("size") or 10.0))
    edges = page.filter(_drawn).edges
    tables = ruled_tables(edges, 0.0, width, height) if edges else []
    return PageContent(page.page_number, width, height, chars, tables), unmapped


def _plumbed_pages(data: bytes, name: str) -> Iterator[tuple[PageContent, int]]:
    with _open(data, name) as pdf:
        pool = CharPool()
        for page in pdf.pages:
            yield _content(page, pool)
            page.close()


def _pdfium_pages(data: bytes, name: str) -> Iterator[tuple[PageContent, int]]:
    """PDFium's pages; a page it cannot decode all of is read by pdfminer,
    the document opened for it only when such a page comes."""
    plumbed: list[Any] = []
    pool = CharPool()

    def by_pdfminer(index: int) -> tuple[PageContent, int]:
        if not plumbed:
            plumbed.append(_open(data, name))
        page = plumbed[0].pages[index]
        found = _content(page, pool)
        page.close()
        return found

    try:
        yield from read_pages(data, name, by_pdfminer)
    finally:
        for pdf in plumbed:
            pdf.close()


class PdfText(NamedTuple):
    """A PDF's blocks, and the reader's side of the coverage ledger."""

    blocks: list[Block]
    notes: list[str]
    characters: int
    furniture_characters: int
    dropped_characters: int


def _unify_radicals(content: PageContent) -> None:
    """Radicals some producers map their ideographs' glyphs to, read as the
    ideographs (`radicals`); pages without any are left as they are."""
    if RADICAL.search("".join(char.text for char in content.chars)):
        content.chars = [char._replace(text=unify_radicals(char.text)) for char in content.chars]


def parse_pdf(
    data: bytes, name: str, settings: LayoutSettings = DEFAULT_SETTINGS, backend: PdfBackend = DEFAULT_PDF_BACKEND
) -> PdfText:
    """Blocks of a PDF, in reading order, tables joined across pages; notes
    on text set aside, and how many characters were read, removed as page
    furniture and set aside.  ``backend`` reads the pages: PDFium (fast) or
    pdfplumber (pdfminer in pure Python); both give the same blocks."""
    contents: list[PageContent] = []
    unmapped: dict[int, int] = {}
    read = _pdfium_pages if backend == "pdfium" else _plumbed_pages
    try:
        for content, missing in read(data, name):
            keep_on_page(content, settings)
            _unify_radicals(content)
            contents.append(content)
            if missing:
                unmapped[content.number] = missing
    except UnreadableInput:
        raise
    except Exception as exc:
        _reraise_ours(exc)
        raise UnreadableInput(name, f"damaged PDF page: {type(exc).__name__}: {exc}", "is the file complete?") from None
    columns = text_columns(contents, settings)
    pages: list[tuple[PageContent, PageBlocks]] = []
    for content in contents:
        pages.append((content, page_blocks(content, settings, columns.get(page_size(content)))))
        content.chars = []
    if pages and not any(found.blocks for _, found in pages):
        raise UnreadableInput(name, "the PDF has no text layer", SCAN_HINT)
    blocks, ledger = join_pages(pages, settings)
    ledger.notes.extend(
        f"page {page}: {count} characters in a font without a Unicode map (no ToUnicode) could not be read"
        for page, count in unmapped.items()
    )
    characters = sum(found.characters for _, found in pages)
    return PdfText(blocks, ledger.notes, characters, ledger.furniture, ledger.dropped)
