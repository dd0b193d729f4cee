"""PDF page content through PDFium: the only module that knows pypdfium2.

pdfplumber parses every page in pure Python (pdfminer); PDFium reads the
same characters and drawn paths several times faster.  This module gives
what `pdf.py` takes from pdfplumber, in pdfplumber's own conventions, so the
layout code (`pdflayout`) sees the same page either way:

* characters with pdfminer's boxes: left and right from the glyph advance,
  bottom at the baseline plus the font's descent, one font size high, in
  top-left coordinates (``top = page height - y1``) after the page's
  rotation; characters PDFium generates (spaces and line ends it infers)
  are not in the page and are skipped;
* the painted paths cut into sub-paths and classed as pdfminer does (a
  single segment is a line, a closed axis-aligned four-sided path a
  rectangle, anything else a curve, Bézier control points dropped), then
  turned into edges exactly as pdfplumber's ``page.edges``;
* cells found from those edges with pdfplumber's own table functions
  (merge, intersections, cells, tables), so the table logic stays its own.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Iterator
from typing import Any

from ..errors import UnreadableInput
from .pdflayout import Char, PageContent, TableBoxes

__all__ = ["UNMAPPED", "read_pages"]

Edge = dict[str, Any]
Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]

#: A character whose font maps it to no Unicode (a CID font without a
#: ToUnicode map), as pdfminer spells it; both backends count and drop these.
UNMAPPED = re.compile(r"\(cid:\d+\)")

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SNAP = 3.0  # pdfplumber's default snap, join and intersection tolerances (points)
_MIN_LENGTH = 3.0  # pdfplumber's edge_min_length: shorter edges rule nothing
_PREFILTER = 1.0  # pdfplumber's edge_min_length_prefilter
_WHITE = (255, 255, 255)


def _open(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium  # imported here so that `extract --help` stays instant
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == raw.FPDF_ERR_PASSWORD:
            raise UnreadableInput(
                name, "the PDF needs a password to open", "ask the publisher for an open copy"
            ) from None
        reason = str(exc).removeprefix("Failed to load document ").strip("().").removeprefix("PDFium: ")
        raise UnreadableInput(name, f"damaged PDF: {reason}", "is the file complete?") from None


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n``, PDF row-vector convention."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def _display(box: tuple[float, float, float, float], rotation: int) -> Matrix:
    """User space to pdfplumber's top-left page space: pdfminer's matrix for
    the page's /Rotate, then pdfplumber's flip (``x = x + left``, ``top =
    height - y - bottom`` of the MediaBox as turned)."""
    x0, y0, x1, y1 = box
    ctm: Matrix = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    turned = rotation in (90, 270)
    left, bottom = (y0, x0) if turned else (x0, y0)
    height = x1 - x0 if turned else y1 - y0
    return _multiply(ctm, (1.0, 0.0, 0.0, -1.0, left, height - bottom))


def _box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    corners = [_apply(m, x, y) for x, y in ((x0, y0), (x1, y1))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _page_frame(page: Any) -> tuple[float, float, Matrix]:
    """A page's width and height as pdfplumber gives them (after /Rotate)
    and the map from user space to its top-left coordinates."""
    rotation = int(page.get_rotation()) % 360
    a, b, c, d = (float(v) for v in page.get_mediabox())
    box = (min(a, c), min(b, d), max(a, c), max(b, d))
    turned = rotation in (90, 270)
    width, height = (box[3] - box[1], box[2] - box[0]) if turned else (box[2] - box[0], box[3] - box[1])
    return width, height, _display(box, rotation)


class _Chars:
    """Reads a page's characters through PDFium's text page."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.raw = raw
        self.rect = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.value = ctypes.c_float()

    def _font(self, text_object: Any, cache: dict[int, tuple[float, float]]) -> tuple[float, float]:
        """A text object's font size (as set by Tf) and its font's descent
        per point of size (negative); one look-up per object."""
        key = ctypes.cast(text_object, ctypes.c_void_p).value or 0
        if key not in cache:
            raw = self.raw
            size = float(self.value.value) if raw.FPDFTextObj_GetFontSize(text_object, self.value) else 0.0
            font = raw.FPDFTextObj_GetFont(text_object)
            ok = font and raw.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), self.value)
            cache[key] = (size, float(self.value.value) / 1000 if ok else 0.0)
        return cache[key]

    def _box(
        self, textpage: Any, i: int, fonts: dict[int, tuple[float, float]]
    ) -> tuple[float, float, float, float]:
        """pdfminer's box of character ``i`` in user space (left, bottom,
        right, top): the advance across, from the descent one font size up,
        through the character's matrix."""
        raw = self.raw
        raw.FPDFText_GetLooseCharBox(textpage, i, self.rect)
        raw.FPDFText_GetMatrix(textpage, i, self.matrix)
        m = self.matrix
        if m.b or m.c:  # turned text: PDFium's box
            return self.rect.left, self.rect.bottom, self.rect.right, self.rect.top
        size, descent = self._font(raw.FPDFText_GetTextObject(textpage, i), fonts)
        raw.FPDFText_GetCharOrigin(textpage, i, self.x, self.y)
        bottom = self.y.value + m.d * descent * size
        top = bottom + m.d * size
        return self.rect.left, min(bottom, top), self.rect.right, max(bottom, top)

    def read(self, textpage: Any, frame: Matrix, width: float, height: float) -> tuple[list[Char], str, int]:
        """The characters on the page, the text printed outside it, and how
        many characters had no Unicode value (a font without ToUnicode)."""
        raw = self.raw
        chars: list[Char] = []
        off_page: list[str] = []
        unmapped = 0
        fonts: dict[int, tuple[float, float]] = {}
        space: tuple[float, float, float] | None = None  # the last space's left, right and bottom
        for i in range(raw.FPDFText_CountChars(textpage)):
            if raw.FPDFText_IsGenerated(textpage, i) == 1:
                continue
            code = raw.FPDFText_GetUnicode(textpage, i)
            if code == 0 or raw.FPDFText_HasUnicodeMapError(textpage, i) == 1:
                unmapped += 1
                continue
            text = chr(code)
            if not (text.strip() or text == " "):
                continue
            left, bottom, right, top = self._box(textpage, i, fonts)
            glyphs = [(text, left, right)]
            if space is not None and bottom == space[2]:
                glyphs = [*_collapsed(space[0], space[1], left), *glyphs]
            space = (left, right, bottom) if text == " " else None
            for glyph, x0, x1 in glyphs:
                a, b, c, d = _box(frame, x0, bottom, x1, top)
                if 0 <= (a + c) / 2 <= width and 0 <= (b + d) / 2 <= height:
                    chars.append(Char(glyph, a, b, c, d, (d - b) or 10.0))  # pdfminer: the box's height
                else:
                    off_page.append(glyph)
        return chars, "".join(off_page), unmapped


def _collapsed(left: float, right: float, following: float) -> list[tuple[str, float, float]]:
    """The spaces PDFium's text page dropped after a space (it keeps one of
    a run): as many more as fit, one space wide each, before the next
    character on the same baseline."""
    step = right - left
    if step <= 0:
        return []
    count = int((following - right) / step + 0.05)
    return [(" ", right + k * step, right + (k + 1) * step) for k in range(count)]


def _subpaths(segments: list[tuple[str, Point]]) -> Iterator[tuple[str, list[Point]]]:
    """pdfminer's sub-paths: each from a move to the next, as a shape
    (``m``, ``l``, ``c``, ``h``) and its points (a close goes back to the
    start), with a closing line followed by a close counted once."""
    shape: list[str] = []
    points: list[Point] = []
    for op, point in [*segments, ("m", (0.0, 0.0))]:
        if op == "m" and shape:
            text = "".join(shape)
            if len(text) > 3 and text.endswith("lh") and points[-2] == points[0]:
                text, points = text[:-2] + "h", points[:-1]
            if len(text) > 1:
                yield text, points
            shape, points = [], []
        shape.append(op)
        points.append(point)


def _segments(raw: Any, path: Any, matrix: Matrix) -> list[tuple[str, Point]]:
    """A path object's segments in page space: moves, lines, Béziers (end
    point only, as pdfminer keeps them) and closes."""
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[str, Point]] = []
    start: Point = (0.0, 0.0)
    bezier = 0
    for i in range(raw.FPDFPath_CountSegments(path)):
        segment = raw.FPDFPath_GetPathSegment(path, i)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(matrix, x.value, y.value)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue
            out.append(("c", point))
        elif kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
            out.append(("m", point))
        else:
            out.append(("l", point))
        if raw.FPDFPathSegment_GetClose(segment):
            out.append(("h", start))
    return out


def _edge(kind: str, x0: float, top: float, x1: float, bottom: float, orientation: str | None) -> Edge:
    return {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _path_edges(shape: str, points: list[Point]) -> tuple[str, list[Edge]]:
    """The kind pdfminer gives a sub-path (``line``, ``rect``, ``curve``) and
    the edges pdfplumber's ``page.edges`` makes of it."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if shape in ("ml", "mlh"):
        (ax, ay), (bx, by) = points[:2]
        top, bottom = min(ay, by), max(ay, by)
        return "line", [_edge("line", min(ax, bx), top, max(ax, bx), bottom, "h" if top == bottom else "v")]
    if shape in ("mlllh", "mllll") and points[0] == points[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            left, top, right, bottom = min(xs[0], xs[2]), min(ys[0], ys[2]), max(xs[0], xs[2]), max(ys[0], ys[2])
            return "rect", [
                _edge("rect_edge", left, top, right, top, "h"),
                {**_edge("rect_edge", left, bottom, right, bottom, "h"), "bottom": bottom},
                _edge("rect_edge", left, top, left, bottom, "v"),
                _edge("rect_edge", right, top, right, bottom, "v"),
            ]
    return "curve", [
        _edge(
            "curve_edge",
            min(p[0], q[0]),
            min(p[1], q[1]),
            max(p[0], q[0]),
            max(p[1], q[1]),
            "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None),
        )
        for p, q in itertools.pairwise(points)
    ]


def _objects(raw: Any, parent: Any, count: Any, get: Any, matrix: Matrix) -> Iterator[tuple[Any, Matrix]]:
    """Path objects with their maps to page space, form XObjects opened in
    place, in content-stream order."""
    fs = raw.FS_MATRIX()
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, fs)
        own = _multiply((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), matrix)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, own
        else:
            yield from _objects(raw, obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, own)


def _drawn(raw: Any, path: Any, kind: str) -> bool:
    """Whether a path object is painted and can rule a table: an unstroked
    white rectangle (a text run's background, as some producers paint
    behind every word) draws nothing, so its sides are no ruling lines."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(path, fill, stroke)
    if stroke.value:
        return True
    if fill.value == raw.FPDF_FILLMODE_NONE:
        return False
    if kind != "rect":
        return True
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    raw.FPDFPageObj_GetFillColor(path, r, g, b, a)
    return (r.value, g.value, b.value) != _WHITE


def _edges(raw: Any, page: Any, frame: Matrix) -> list[Edge]:
    """The page's edges in pdfplumber's order: lines, rectangles' sides,
    curves' segments."""
    by_kind: dict[str, list[Edge]] = {"line": [], "rect": [], "curve": []}
    for path, matrix in _objects(
        raw, page, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, _multiply(_IDENTITY, frame)
    ):
        for shape, points in _subpaths(_segments(raw, path, matrix)):
            kind, edges = _path_edges(shape, points)
            if _drawn(raw, path, kind):
                by_kind[kind].extend(edges)
    return [*by_kind["line"], *by_kind["rect"], *by_kind["curve"]]


def _tables(edges: list[Edge], left: float, right: float) -> list[TableBoxes]:
    """Ruled tables as pdfplumber's ``find_tables`` (lines strategy) finds
    them, with one more horizontal rule at the lowest line: cells whose
    bottom border was drawn past the page (WPS does so for a merged cell
    that goes on overleaf) are closed there."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    def usable(edge: Edge, orientation: str) -> bool:
        return bool(
            edge["orientation"] == orientation and edge["height" if orientation == "v" else "width"] >= _PREFILTER
        )

    horizontal = [e for e in edges if usable(e, "h")]
    lowest = max((e["bottom"] for e in edges if e["orientation"] == "h"), default=None)
    explicit = [] if lowest is None else [_edge("explicit", left, lowest, right, lowest, "h")]
    merged = merge_edges([e for e in edges if usable(e, "v")] + horizontal + explicit, _SNAP, _SNAP, _SNAP, _SNAP)
    kept = [e for e in merged if e["height" if e["orientation"] == "v" else "width"] >= _MIN_LENGTH]
    cells = intersections_to_cells(edges_to_intersections(kept, _SNAP, _SNAP))
    return [
        TableBoxes(
            (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group), max(c[3] for c in group)),
            tuple((float(c[0]), float(c[1]), float(c[2]), float(c[3])) for c in group),
        )
        for group in cells_to_tables(cells)
    ]


def read_pages(data: bytes, name: str) -> Iterator[tuple[PageContent, int]]:
    """Each page's content as pdfplumber would give it, and how many of its
    characters map to no Unicode; the page is closed before the next."""
    import pypdfium2.raw as raw

    document = _open(data, name)
    reader = _Chars()
    try:
        for index in range(len(document)):
            page = document[index]
            width, height, frame = _page_frame(page)
            textpage = page.get_textpage()
            chars, off_page, unmapped = reader.read(textpage.raw, frame, width, height)
            textpage.close()
            edges = _edges(raw, page.raw, frame)
            tables = _tables(edges, 0.0, width) if edges else []
            page.close()
            yield PageContent(index + 1, width, height, chars, tables, off_page), unmapped
    finally:
        document.close()
