"""PDF pages as images for the review report: the only module that knows
pypdfium2's rendering.

Each page is rendered once, in grey (the boxes drawn over it carry the
colour), as a PNG sized for the screen: about 1000 px across a portrait page,
wider for landscape and oversized sheets so that their text stays legible.
Images are named by the file's content (sha256) and page, so a document found
under two names, or a report built again into the same folder, reuses them.
The boxes are not burnt into the image: the report draws them over it in SVG,
in the page's own points, so one image serves every project and issue on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

__all__ = ["PageImage", "render_pages"]

#: Pixels across a page as wide as A4 in landscape (842 pt) or narrower.
TARGET_WIDTH_PX = 1000
_NARROW_PT = 842.0
#: zlib level 1: a third of the time of the default level, for 10 % more bytes.
_PNG_LEVEL = 1


@dataclass(frozen=True, slots=True)
class PageImage:
    """A rendered page: the image's path under the report folder and the
    page's size in PDF points (the coordinate space of `bbox`)."""

    page: int
    src: str
    width: float
    height: float
    pixels: tuple[int, int]  # the image's size, for the page's layout before it loads


def _scale(width: float) -> float:
    return TARGET_WIDTH_PX / min(width, _NARROW_PT)


def render_pages(pdf: Path, sha256: str, pages: Iterable[int], site: Path) -> dict[int, PageImage]:
    """The images of ``pages`` (1-based) of ``pdf``, rendering those not yet in
    ``site``.  Pages the file does not have are left out."""
    folder = f"pages/{sha256[:16]}"
    (site / folder).mkdir(parents=True, exist_ok=True)
    images: dict[int, PageImage] = {}
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number in sorted(set(pages)):
            if not 1 <= number <= len(document):
                continue
            page = document[number - 1]
            width, height = page.get_size()
            src = f"{folder}/p{number}.png"
            target = site / src
            if not target.exists():
                bitmap = page.render(scale=_scale(width), grayscale=True)
                partial = target.with_suffix(".tmp")
                bitmap.to_pil().save(partial, "PNG", compress_level=_PNG_LEVEL)
                partial.replace(target)
            with Image.open(target) as image:  # reads the header only
                images[number] = PageImage(number, src, width, height, image.size)
    finally:
        document.close()
    return images
