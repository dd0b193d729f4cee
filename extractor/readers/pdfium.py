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
import math
import re
from collections.abc import Iterator
from typing import Any

from ..errors import UnreadableInput
from .pdflayout import Char, PageContent, TableBoxes

__all__ = ["UNMAPPED", "read_pages", "rounded_char"]

Edge = dict[str, Any]
Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
#: A glyph in user space: text, left, bottom, right, top.
Glyph = tuple[str, float, float, float, float]
#: A text object's font: size, descent per point, PDFium's font, advances by character.
Font = tuple[float, float, Any, dict[int, float]]

#: A character whose font maps it to no Unicode (a CID font without a
#: ToUnicode map), as pdfminer spells it; both backends count and drop these.
UNMAPPED = re.compile(r"\(cid:\d+\)")

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SNAP = 3.0  # pdfplumber's default snap, join and intersection tolerances (points)
_MIN_LENGTH = 3.0  # pdfplumber's edge_min_length: shorter edges rule nothing
_PREFILTER = 1.0  # pdfplumber's edge_min_length_prefilter
_WHITE = (255, 255, 255)
_WHOLE = 0.1  # how near a whole number of spaces' advances a folded run of spaces comes
_PLACES = 3  # decimals of a point kept in character boxes
_NO_WIDTH = 0.01  # PDFium's kSizeEpsilon: a text object narrower than this is not in the text page


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
        self.advances: dict[tuple[int, float], dict[int, float]] = {}

    def font(self, text_object: Any, fonts: dict[int, Font]) -> Font:
        """A text object's font size (as set by Tf), its font's descent per
        point of size (negative), the font and its glyphs' advances at that
        size (filled as met); one look-up per object, one table per font
        and size."""
        key = ctypes.cast(text_object, ctypes.c_void_p).value or 0
        if key not in fonts:
            raw = self.raw
            size = float(self.value.value) if raw.FPDFTextObj_GetFontSize(text_object, self.value) else 0.0
            handle = raw.FPDFTextObj_GetFont(text_object)
            ok = handle and raw.FPDFFont_GetDescent(handle, ctypes.c_float(1000.0), self.value)
            descent = float(self.value.value) / 1000 if ok else 0.0
            table = self.advances.setdefault((ctypes.cast(handle, ctypes.c_void_p).value or 0, size), {})
            fonts[key] = (size, descent, handle, table)
        return fonts[key]

    def _box(self, textpage: Any, i: int, code: int, font: Font) -> tuple[float, float, float, float, float]:
        """pdfminer's box of character ``i`` in user space (left, bottom,
        right, top: the advance across, from the descent one font size up,
        through the character's matrix) and its baseline (NaN for turned
        text, which keeps PDFium's box)."""
        raw = self.raw
        raw.FPDFText_GetLooseCharBox(textpage, i, self.rect)
        raw.FPDFText_GetMatrix(textpage, i, self.matrix)
        m = self.matrix
        if m.b or m.c:
            return self.rect.left, self.rect.bottom, self.rect.right, self.rect.top, math.nan
        size, descent, _, _ = font
        raw.FPDFText_GetCharOrigin(textpage, i, self.x, self.y)
        bottom = self.y.value + m.d * descent * size
        top = bottom + m.d * size
        advance = self._advance(font, code)
        right = self.rect.left + m.a * advance if advance > 0 else self.rect.right
        return self.rect.left, min(bottom, top), right, max(bottom, top), self.y.value

    def _blank_width(self, text_object: Any) -> float | None:
        """How far the origins of a text object's glyphs run when none of
        them draws anything (a run of spaces: its box spans their origins
        on the baseline); None for an object that draws."""
        bounds = (ctypes.c_float() for _ in range(4))
        left, bottom, right, top = bounds
        self.raw.FPDFPageObj_GetBounds(text_object, left, bottom, right, top)
        if top.value - bottom.value >= _NO_WIDTH:
            return None
        run = right.value - left.value
        return run if run >= _NO_WIDTH else 0.0

    def _advance(self, font: Font, code: int) -> float:
        """A character's advance at the font's size, as the PDF's widths
        give it (PDFium's loose box takes the glyph's own, sometimes wider);
        0 when the font cannot say."""
        size, _, handle, advances = font
        if code not in advances:
            ok = handle and self.raw.FPDFFont_GetGlyphWidth(handle, code, ctypes.c_float(size), self.value)
            advances[code] = float(self.value.value) if ok else 0.0
        return advances[code]

    def blank(self, text_object: Any, matrix: Matrix, fonts: dict[int, Font]) -> Glyph | None:
        """The space of a text object PDFium's text page passes over: one
        whose only glyph draws nothing has no width, and the text page skips
        objects without width (pdfminer keeps the glyph).  Its box is a
        space's advance from the object's origin, from the descent one font
        size up."""
        a, b, c, d, e, f = matrix
        if self._blank_width(text_object) != 0.0 or b or c:
            return None
        font = self.font(text_object, fonts)
        size, descent, _, _ = font
        advance = self._advance(font, ord(" "))
        if advance <= 0:
            return None
        low = f + d * descent * size
        high = low + d * size
        return (" ", e, min(low, high), e + a * advance, max(low, high))

    def glyphs(self, textpage: Any, fonts: dict[int, Font]) -> tuple[list[Glyph], int]:
        """The text page's glyphs in user space, the spaces it folded into
        one put back, and how many characters had no Unicode value (a font
        without ToUnicode)."""
        raw = self.raw
        glyphs: list[Glyph] = []
        unmapped = 0
        previous: tuple[float, float] = (math.nan, 0.0)  # the last glyph's baseline and right
        space: tuple[Glyph, float, float] | None = None  # the last space, its baseline, the spacing before it
        runs: set[int] = set()  # the runs of spaces put back whole
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
            text_object = raw.FPDFText_GetTextObject(textpage, i)
            left, bottom, right, top, baseline = self._box(textpage, i, code, self.font(text_object, fonts))
            glyph = (text, left, bottom, right, top)
            if space is not None and baseline == space[1]:
                glyphs.extend(_folded(space[0], space[2], left))
            spacing = left - previous[1] if baseline == previous[0] else 0.0
            space = None
            if text == " ":
                run = self._blank_width(text_object)
                key = ctypes.cast(text_object, ctypes.c_void_p).value or 0
                if run is None:
                    space = (glyph, baseline, spacing)
                elif key in runs:
                    continue
                else:
                    runs.add(key)
                    glyphs.extend(_spread(glyph, run))
            glyphs.append(glyph)
            previous = (baseline, right)
        return glyphs, unmapped


def _spread(space: Glyph, run: float) -> list[Glyph]:
    """The spaces after the first of a text object that holds only spaces,
    which PDFium's text page folded into it: as many as fit, one space's
    width apart, on the ``run`` the object's box spans."""
    _, left, bottom, right, top = space
    width = right - left
    count = round(run / width) if width > 0 else 0
    step = run / count if count else 0.0
    return [(" ", left + k * step, bottom, left + k * step + width, top) for k in range(1, count + 1)]


def _folded(space: Glyph, spacing: float, following: float) -> list[Glyph]:
    """The spaces PDFium's text page folded into ``space`` (it keeps the
    first of a run): as many more as fill the way to the next character on
    the same baseline exactly, one space's advance (its width and the
    character spacing before it) each; a gap that is no whole number of
    advances is a positioning move, not spaces."""
    _, left, bottom, right, top = space
    step = right - left + max(spacing, 0.0)
    if step <= 0:
        return []
    count = (following - left) / step
    whole = round(count)
    if whole < 2 or abs(count - whole) > _WHOLE:
        return []
    return [(" ", left + k * step, bottom, left + k * step + right - left, top) for k in range(1, whole)]


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


def _objects(raw: Any, parent: Any, count: Any, get: Any, matrix: Matrix) -> Iterator[tuple[Any, int, Matrix]]:
    """Path and text objects with their kinds and their maps to user space,
    form XObjects opened in place, in content-stream order."""
    fs = raw.FS_MATRIX()
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, fs)
        own = _multiply((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), matrix)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            yield from _objects(raw, obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, own)
        else:
            yield obj, kind, own


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


def _page_objects(
    raw: Any, page: Any, frame: Matrix, reader: _Chars, fonts: dict[int, Font]
) -> tuple[list[Edge], list[Glyph]]:
    """The page's edges in pdfplumber's order (lines, rectangles' sides,
    curves' segments) and the spaces the text page skipped, in user space."""
    by_kind: dict[str, list[Edge]] = {"line": [], "rect": [], "curve": []}
    blanks: list[Glyph] = []
    for obj, kind, matrix in _objects(raw, page, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, _IDENTITY):
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            blank = reader.blank(obj, matrix, fonts)
            if blank is not None:
                blanks.append(blank)
            continue
        for shape, points in _subpaths(_segments(raw, obj, _multiply(matrix, frame))):
            path_kind, edges = _path_edges(shape, points)
            if _drawn(raw, obj, path_kind):
                by_kind[path_kind].extend(edges)
    return [*by_kind["line"], *by_kind["rect"], *by_kind["curve"]], blanks


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


def rounded_char(text: str, x0: float, top: float, x1: float, bottom: float, size: float) -> Char:
    """A character with its box and size to a thousandth of a point, as
    both backends give it: pdfminer computes in doubles, PDFium in floats,
    and a gap the layout compares with its threshold often falls right on
    it (a space of exactly a quarter em); rounded, both land on the same
    side."""
    return Char(
        text, round(x0, _PLACES), round(top, _PLACES), round(x1, _PLACES), round(bottom, _PLACES), round(size, _PLACES)
    )


def _placed(glyphs: list[Glyph], frame: Matrix, width: float, height: float) -> tuple[list[Char], str]:
    """Glyphs in the page's top-left coordinates, and the text of those
    whose centre lies outside the page."""
    chars: list[Char] = []
    off_page: list[str] = []
    for text, x0, bottom, x1, top in glyphs:
        a, b, c, d = _box(frame, x0, bottom, x1, top)
        if 0 <= (a + c) / 2 <= width and 0 <= (b + d) / 2 <= height:
            chars.append(rounded_char(text, a, b, c, d, (d - b) or 10.0))  # pdfminer: the box's height
        else:
            off_page.append(text)
    return chars, "".join(off_page)


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
            fonts: dict[int, Font] = {}
            textpage = page.get_textpage()
            glyphs, unmapped = reader.glyphs(textpage.raw, fonts)
            textpage.close()
            edges, blanks = _page_objects(raw, page.raw, frame, reader, fonts)
            page.close()
            chars, off_page = _placed(glyphs + blanks, frame, width, height)
            tables = _tables(edges, 0.0, width) if edges else []
            yield PageContent(index + 1, width, height, chars, tables, off_page), unmapped
    finally:
        document.close()
