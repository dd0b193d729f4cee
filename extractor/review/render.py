"""PDF pages as images for the review report: the only module that knows
pypdfium2's rendering.

Each page is rendered once, in grey (the boxes drawn over it carry the
colour), as a PNG sized for the screen: about 1000 px across a portrait page,
wider for landscape and oversized sheets so that their text stays legible,
and never more than ``DEFAULT_MAX_PAGE_PIXELS`` (a page declared 20,000 pt
square would be 564 Mpx: it is shown smaller, with a note).
Images are named by the file's content (sha256) and page, so a document found
under two names, or a report built again into the same folder, reuses them.
The boxes are not burnt into the image: the report draws them over it in SVG,
in the page's own points, so one image serves every project and issue on it.
A page that cannot be rendered, or a file that cannot be opened, is a note,
never the end of the report.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from ..limits import DEFAULT_MAX_PAGE_PIXELS

__all__ = ["PageImage", "Rendered", "fit", "png_size", "render_pages"]

#: Pixels across a page as wide as A4 in landscape (842 pt) or narrower.
TARGET_WIDTH_PX = 1000
_NARROW_PT = 842.0
#: zlib level 1: a third of the time of the default level, for 10 % more bytes.
_PNG_LEVEL = 1
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: What rendering one page may raise: the library, the disk, a page of no size, no memory for the bitmap.
_PAGE_ERRORS = (pdfium.PdfiumError, OSError, ValueError, MemoryError)


@dataclass(frozen=True, slots=True)
class PageImage:
    """A rendered page: the image's path under the report folder and the
    page's size in PDF points (the coordinate space of `bbox`)."""

    page: int
    src: str
    width: float
    height: float
    pixels: tuple[int, int]  # the image's size, for the page's layout before it loads
    note: str | None = None  # why it is smaller than usual


@dataclass(slots=True)
class Rendered:
    """The images of a document's pages, the pages left without one (and
    why), and why none was rendered when the file could not be opened."""

    images: dict[int, PageImage] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    note: str | None = None


def _screen_scale(width: float) -> float:
    return TARGET_WIDTH_PX / min(width, _NARROW_PT)


def fit(width: float, height: float, max_pixels: int = DEFAULT_MAX_PAGE_PIXELS) -> tuple[float, tuple[int, int]]:
    """The scale a page of ``width`` × ``height`` points is rendered at, and
    the image's size in pixels (as pdfium rounds it): the screen's size,
    scaled down until the image has at most ``max_pixels``."""
    if not (width > 0 and height > 0 and math.isfinite(width * height)):
        raise ValueError(f"the page's size is {width} × {height} pt")
    scale = min(_screen_scale(width), math.sqrt(max_pixels / (width * height)))
    while math.ceil(width * scale) * math.ceil(height * scale) > max_pixels:  # rounded up: once or twice
        scale *= 0.999
    return scale, (math.ceil(width * scale), math.ceil(height * scale))


def _downscaled(width: float, height: float, scale: float, max_pixels: int) -> str | None:
    """The note of a page shown smaller than the screen's size, None for the others."""
    if scale >= _screen_scale(width):
        return None
    return (
        f"{width:.0f} × {height:.0f} pt: shown at {math.ceil(width * scale)} × {math.ceil(height * scale)} px, "
        f"within the {max_pixels / 1e6:g} Mpx limit of a page image"
    )


def png_size(path: Path) -> tuple[int, int] | None:
    """The size a PNG file declares (its header), None when it is not one."""
    try:
        with path.open("rb") as handle:
            header = handle.read(24)
    except OSError:
        return None
    if len(header) < 24 or not header.startswith(_PNG_SIGNATURE) or header[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _render(page: pdfium.PdfPage, scale: float, target: Path) -> None:
    bitmap = page.render(scale=scale, grayscale=True)
    partial = target.with_suffix(".tmp")
    try:
        bitmap.to_pil().save(partial, "PNG", compress_level=_PNG_LEVEL)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def render_pages(
    pdf: bytes, sha256: str, pages: Iterable[int], site: Path, max_pixels: int = DEFAULT_MAX_PAGE_PIXELS
) -> Rendered:
    """The images of ``pages`` (1-based) of the PDF file ``pdf``, rendering
    those not yet in ``site`` (an image of another size is rendered again).
    Pages the file does not have are left out."""
    folder = f"pages/{sha256[:16]}"
    rendered = Rendered()
    try:
        (site / folder).mkdir(parents=True, exist_ok=True)
        document = pdfium.PdfDocument(pdf)
    except (pdfium.PdfiumError, OSError) as exc:
        rendered.note = f"cannot be rendered ({exc})"
        return rendered
    try:
        for number in sorted(set(pages)):
            if not 1 <= number <= len(document):
                continue
            try:
                page = document[number - 1]
                width, height = page.get_size()
                scale, pixels = fit(width, height, max_pixels)
                src = f"{folder}/p{number}.png"
                if png_size(site / src) != pixels:
                    _render(page, scale, site / src)
            except _PAGE_ERRORS as exc:
                rendered.failed[number] = f"Page {number} could not be rendered ({type(exc).__name__}: {exc})."
                continue
            note = _downscaled(width, height, scale, max_pixels)
            rendered.images[number] = PageImage(number, src, width, height, pixels, note)
    finally:
        document.close()
    return rendered
