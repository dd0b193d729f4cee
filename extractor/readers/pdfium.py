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
import sys
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from ..errors import UnreadableInput
from .pdflayout import Char, PageContent, plausible_descent
from .ruling import Edge, edge, ruled_tables

__all__ = ["SPACES", "UNMAPPED", "CharPool", "read_pages"]

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
#: A glyph in user space: text, left, bottom, right, top.
Glyph = tuple[str, float, float, float, float]
#: A text object's font: size, descent per point, PDFium's font, advances
#: by character, and the object's matrix (a, b, c, d).
Font = tuple[float, float, int | None, dict[int, float], tuple[float, float, float, float]]

#: A character whose font maps it to no Unicode (a CID font without a
#: ToUnicode map), as pdfminer spells it; both backends count and drop these.
UNMAPPED = re.compile(r"\(cid:\d+\)")
#: Unicode's space separators (Zs): both backends read a no-break, em or
#: ideographic space as a space, and drop other characters that print nothing
SPACES = frozenset(" \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")

_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_WHITE = (255, 255, 255)
_WHOLE = 0.1  # how near a whole number of spaces' advances a folded run of spaces comes
_PLACES = 3  # decimals of a point kept in character boxes
_SCALE = 10.0**_PLACES
_FAST = 1e9  # thousandths below which a double's product is exact to well within _TIE
_TIE = 0.5 - 1e-6  # how far from a whole number of thousandths rounds as `round` would, without it
_NO_WIDTH = 0.01  # PDFium's kSizeEpsilon: a text object narrower than this is not in the text page
#: A text object drawing less than this (pt) each way is a speck, no glyph a
#: reader could miss (Beijing's tables: 0.2 pt objects on 9 of 28 pages, which
#: pdfminer gives no characters for either, sent those pages to pdfminer).
_SPECK = 1.0


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


def _retyped(function: Any, restype: Any, *argtypes: Any) -> Any:
    """One of PDFium's functions called with plain addresses: pypdfium2's
    own prototypes build a pointer object for every handle passed or
    returned, which is most of the cost of a call made per character."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value or 0)


class _Chars:
    """Reads a page's characters through PDFium's text page, and its objects
    and their paths, with PDFium's functions called by plain addresses."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        handle, number, double, single = ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_float
        by_char = (handle, number)
        self.count = _retyped(raw.FPDFText_CountChars, number, handle)
        self.unicode = _retyped(raw.FPDFText_GetUnicode, ctypes.c_uint, *by_char)
        self.generated = _retyped(raw.FPDFText_IsGenerated, number, *by_char)
        self.map_error = _retyped(raw.FPDFText_HasUnicodeMapError, number, *by_char)
        self.text_object = _retyped(raw.FPDFText_GetTextObject, handle, *by_char)
        self.origin = _retyped(
            raw.FPDFText_GetCharOrigin, number, *by_char, ctypes.POINTER(double), ctypes.POINTER(double)
        )
        self.loose = _retyped(raw.FPDFText_GetLooseCharBox, number, *by_char, ctypes.POINTER(raw.FS_RECTF))
        self.char_matrix = _retyped(raw.FPDFText_GetMatrix, number, *by_char, ctypes.POINTER(raw.FS_MATRIX))
        self.font_size = _retyped(raw.FPDFTextObj_GetFontSize, number, handle, ctypes.POINTER(single))
        self.font_of = _retyped(raw.FPDFTextObj_GetFont, handle, handle)
        self.embedded = _retyped(raw.FPDFFont_GetIsEmbedded, number, handle)
        self.descent = _retyped(raw.FPDFFont_GetDescent, number, handle, single, ctypes.POINTER(single))
        self.width = _retyped(raw.FPDFFont_GetGlyphWidth, number, handle, ctypes.c_uint, single, ctypes.POINTER(single))
        self.page_objects = _retyped(raw.FPDFPage_CountObjects, number, handle)
        self.page_object = _retyped(raw.FPDFPage_GetObject, handle, handle, number)
        self.form_objects = _retyped(raw.FPDFFormObj_CountObjects, number, handle)
        self.form_object = _retyped(raw.FPDFFormObj_GetObject, handle, handle, ctypes.c_ulong)
        self.object_type = _retyped(raw.FPDFPageObj_GetType, number, handle)
        self.bounds = _retyped(raw.FPDFPageObj_GetBounds, number, handle, *[ctypes.POINTER(single)] * 4)
        self.object_matrix = _retyped(raw.FPDFPageObj_GetMatrix, number, handle, ctypes.POINTER(raw.FS_MATRIX))
        self.segments = _retyped(raw.FPDFPath_CountSegments, number, handle)
        self.segment = _retyped(raw.FPDFPath_GetPathSegment, handle, handle, number)
        self.segment_type = _retyped(raw.FPDFPathSegment_GetType, number, handle)
        self.segment_point = _retyped(
            raw.FPDFPathSegment_GetPoint, number, handle, ctypes.POINTER(single), ctypes.POINTER(single)
        )
        self.segment_close = _retyped(raw.FPDFPathSegment_GetClose, number, handle)
        self.draw_mode = _retyped(raw.FPDFPath_GetDrawMode, number, handle, *[ctypes.POINTER(number)] * 2)
        self.fill_color = _retyped(raw.FPDFPageObj_GetFillColor, number, handle, *[ctypes.POINTER(ctypes.c_uint)] * 4)
        self.rect = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.value, self.other = ctypes.c_float(), ctypes.c_float()
        self.mode = (ctypes.c_int(), ctypes.c_int())
        self.color = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())
        self.box = [ctypes.c_float() for _ in range(4)]
        # by font, for the page being read: PDFium frees a font no open page
        # uses, and a later page's font may take its address
        self.advances: dict[tuple[int, float], dict[int, float]] = {}  # by font and size
        self.descents: dict[int, float] = {}  # per point of size

    def font(self, text_object: int, fonts: dict[int, Font], textpage: int = 0, index: int = 0) -> Font:
        """A text object's font size (as set by Tf), its font's descent per
        point of size (negative), the font, its glyphs' advances at that
        size (filled as met) and the object's matrix (its first character's,
        when it is read from the text page); one look-up per object, one
        table of advances per font and size."""
        if text_object not in fonts:
            value = self.value
            size = float(value.value) if self.font_size(text_object, value) else 0.0
            handle = self.font_of(text_object)
            descent = self.descents.get(handle or 0)
            if descent is None:
                ok = handle and self.descent(handle, 1000.0, value)
                declared = float(value.value) / 1000 if ok else 0.0
                descent = self.descents[handle or 0] = plausible_descent(declared)
            m = self.matrix
            if textpage:
                self.char_matrix(textpage, index, m)
            matrix = (m.a, m.b, m.c, m.d) if textpage else (1.0, 0.0, 0.0, 1.0)
            fonts[text_object] = (size, descent, handle, self.advances.setdefault((handle or 0, size), {}), matrix)
        return fonts[text_object]

    def _advance(self, font: Font, code: int) -> float:
        """A character's advance at the font's size, as the PDF's widths
        give it (PDFium's loose box takes the glyph's own, sometimes wider);
        0 when the font cannot say."""
        size, _, handle, advances, _ = font
        if code not in advances:
            ok = handle and self.width(handle, code, size, self.value)
            advances[code] = float(self.value.value) if ok else 0.0
        return advances[code]

    def blank_width(self, text_object: int) -> float | None:
        """How far the origins of a text object's glyphs run when none of
        them draws anything (a run of spaces: its box spans their origins
        on the baseline; 0 for one space); None for an object that draws."""
        left, bottom, right, top = self.box
        self.bounds(text_object, left, bottom, right, top)
        if top.value - bottom.value >= _NO_WIDTH:
            return None
        run = right.value - left.value
        return run if run >= _NO_WIDTH else 0.0

    def speck(self) -> bool:
        """Whether the object `blank_width` last measured draws less than `_SPECK` each way."""
        left, bottom, right, top = self.box
        return top.value - bottom.value < _SPECK and right.value - left.value < _SPECK

    def blank(self, text_object: int, matrix: Matrix, fonts: dict[int, Font]) -> Glyph | None:
        """The space of a text object PDFium's text page passes over (its
        `blank_width` is 0): one whose only glyph draws nothing has no
        width, and the text page skips objects without width (pdfminer
        keeps the glyph).  Its box is a
        space's advance from the object's origin, from the descent one font
        size up."""
        a, b, c, d, e, f = matrix
        if b or c:
            return None
        font = self.font(text_object, fonts)
        size, descent, _, _, _ = font
        advance = self._advance(font, ord(" "))
        if advance <= 0:
            return None
        low = f + d * descent * size
        high = low + d * size
        return (" ", e, min(low, high), e + a * advance, max(low, high))

    def _box(self, textpage: int, i: int, code: int, font: Font) -> tuple[float, float, float, float, float]:
        """pdfminer's box of character ``i`` in user space (left, bottom,
        right, top: the advance across, from the descent one font size up,
        through the character's matrix) and its baseline (NaN for turned
        text, which keeps PDFium's box)."""
        size, descent, _, advances, (a, b, c, d) = font
        if b or c:
            self.loose(textpage, i, self.rect)
            return self.rect.left, self.rect.bottom, self.rect.right, self.rect.top, math.nan
        x, y = self.x, self.y
        self.origin(textpage, i, x, y)
        left, baseline = x.value, y.value
        bottom = baseline + d * descent * size
        top = bottom + d * size
        advance = advances.get(code)
        if advance is None:
            advance = self._advance(font, code)
        if advance > 0:
            right = left + a * advance
        else:
            self.loose(textpage, i, self.rect)
            right = self.rect.right
        return left, min(bottom, top), right, max(bottom, top), baseline

    def glyphs(self, textpage: int, fonts: dict[int, Font]) -> tuple[list[Glyph], int]:
        """The text page's glyphs in user space, the spaces it folded into
        one put back, and how many characters had no Unicode value (a font
        without ToUnicode)."""
        glyphs: list[Glyph] = []
        unmapped = 0
        previous: tuple[float, float] = (math.nan, 0.0)  # the last glyph's baseline and right
        space: tuple[Glyph, float, float] | None = None  # the last space, its baseline, the spacing before it
        runs: set[int] = set()  # the runs of spaces put back whole
        # PDFium's functions as locals: a character costs several calls
        unicode, generated, map_error, text_of = self.unicode, self.generated, self.map_error, self.text_object
        for i in range(self.count(textpage)):
            code = unicode(textpage, i)
            text = chr(code)
            blank = text.isspace()
            if blank:
                if text not in SPACES or generated(textpage, i) == 1:
                    continue
                text = " "
            if code == 0 or map_error(textpage, i) == 1:
                unmapped += 1
                continue
            text_object = text_of(textpage, i)
            font = fonts.get(text_object) or self.font(text_object, fonts, textpage, i)
            left, bottom, right, top, baseline = self._box(textpage, i, code, font)
            glyph = (text, left, bottom, right, top)
            if space is not None and baseline == space[1]:
                glyphs.extend(_folded(space[0], space[2], left))
            spacing = left - previous[1] if baseline == previous[0] else 0.0
            space = None
            if blank:
                run = self.blank_width(text_object)
                if run is None:
                    space = (glyph, baseline, spacing)
                elif text_object in runs:
                    continue
                else:
                    runs.add(text_object)
                    glyphs.extend(_spread(glyph, run))
            glyphs.append(glyph)
            previous = (baseline, right)
        return glyphs, unmapped


def _spread(space: Glyph, run: float) -> list[Glyph]:
    """The spaces after the first of a text object that holds only spaces,
    which PDFium's text page folded into it: as many as fit whole, at least
    one space's width apart, on the ``run`` the object's box spans (spaces
    drawn with a character spacing stand wider apart than their width, never
    closer: 11.3 pt of run for 6.5 pt spaces is one more space, not two)."""
    _, left, bottom, right, top = space
    width = right - left
    count = math.floor(run / width + _WHOLE) if width > 0 else 0
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


def _segments(raw: Any, reader: _Chars, path: int, matrix: Matrix) -> list[tuple[str, Point]]:
    """A path object's segments in page space: moves, lines, Béziers (end
    point only, as pdfminer keeps them) and closes."""
    x, y = reader.value, reader.other
    out: list[tuple[str, Point]] = []
    start: Point = (0.0, 0.0)
    bezier = 0
    for i in range(reader.segments(path)):
        segment = reader.segment(path, i)
        kind = reader.segment_type(segment)
        reader.segment_point(segment, x, y)
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
        if reader.segment_close(segment):
            out.append(("h", start))
    return out


def _path_edges(shape: str, points: list[Point]) -> tuple[str, list[Edge]]:
    """The kind pdfminer gives a sub-path (``line``, ``rect``, ``curve``) and
    the edges pdfplumber's ``page.edges`` makes of it."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if shape in ("ml", "mlh"):
        (ax, ay), (bx, by) = points[:2]
        top, bottom = min(ay, by), max(ay, by)
        return "line", [edge("line", min(ax, bx), top, max(ax, bx), bottom, "h" if top == bottom else "v")]
    if shape in ("mlllh", "mllll") and points[0] == points[4]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            left, top, right, bottom = min(xs[0], xs[2]), min(ys[0], ys[2]), max(xs[0], xs[2]), max(ys[0], ys[2])
            return "rect", [
                edge("rect_edge", left, top, right, top, "h"),
                {**edge("rect_edge", left, bottom, right, bottom, "h"), "bottom": bottom},
                edge("rect_edge", left, top, left, bottom, "v"),
                edge("rect_edge", right, top, right, bottom, "v"),
            ]
    return "curve", [
        edge(
            "curve_edge",
            min(p[0], q[0]),
            min(p[1], q[1]),
            max(p[0], q[0]),
            max(p[1], q[1]),
            "v" if p[0] == q[0] else ("h" if p[1] == q[1] else None),
        )
        for p, q in itertools.pairwise(points)
    ]


def _own(reader: _Chars, obj: int, parent: Matrix) -> Matrix:
    """A page object's map to user space."""
    fs = reader.matrix
    reader.object_matrix(obj, fs)
    return _multiply((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), parent)


def _objects(
    raw: Any, reader: _Chars, parent: int, count: Any, get: Any, matrix: Matrix
) -> Iterator[tuple[int, int, Matrix]]:
    """Path and text objects (as addresses) with their kinds and their
    parents' maps to user space, form XObjects opened in place, in
    content-stream order."""
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = reader.object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            own = _own(reader, obj, matrix)
            yield from _objects(raw, reader, obj, reader.form_objects, reader.form_object, own)
        elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT):
            yield obj, kind, matrix


def _drawn(raw: Any, reader: _Chars, path: int, kind: str) -> bool:
    """Whether a path object is painted and can rule a table: an unstroked
    white rectangle (a text run's background, as some producers paint
    behind every word) draws nothing, so its sides are no ruling lines."""
    fill, stroke = reader.mode
    reader.draw_mode(path, fill, stroke)
    if stroke.value:
        return True
    if fill.value == raw.FPDF_FILLMODE_NONE:
        return False
    if kind != "rect":
        return True
    r, g, b, a = reader.color
    reader.fill_color(path, r, g, b, a)
    return (r.value, g.value, b.value) != _WHITE


class _Objects(NamedTuple):
    """What a page's objects give beside the text page's characters."""

    edges: list[Edge]
    blanks: list[Glyph]
    undecoded: bool  # a text object draws glyphs the text page has no characters for


def _page_objects(raw: Any, page: Any, frame: Matrix, reader: _Chars, fonts: dict[int, Font]) -> _Objects:
    """The page's edges in pdfplumber's order (lines, rectangles' sides,
    curves' segments), the spaces the text page skipped, in user space, and
    whether it skipped glyphs that draw (a font PDFium cannot decode, such as
    a CJK font left out of the file: pdfminer reads them by their CMap)."""
    by_kind: dict[str, list[Edge]] = {"line": [], "rect": [], "curve": []}
    blanks: list[Glyph] = []
    undecoded = False
    address = ctypes.cast(page, ctypes.c_void_p).value or 0
    for obj, kind, matrix in _objects(raw, reader, address, reader.page_objects, reader.page_object, _IDENTITY):
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            # an object with characters in the text page has width (see `blank`)
            if obj not in fonts:
                run = reader.blank_width(obj)
                # a glyph of a font left out of the file that PDFium could not load has no box either
                undecoded = undecoded or (run is None and not reader.speck())
                undecoded = undecoded or (run == 0.0 and not reader.embedded(reader.font_of(obj)))
                blank = reader.blank(obj, _own(reader, obj, matrix), fonts) if run == 0.0 else None
                if blank is not None:
                    blanks.append(blank)
            continue
        for shape, points in _subpaths(_segments(raw, reader, obj, _multiply(_own(reader, obj, matrix), frame))):
            path_kind, edges = _path_edges(shape, points)
            if _drawn(raw, reader, obj, path_kind):
                by_kind[path_kind].extend(edges)
    return _Objects([*by_kind["line"], *by_kind["rect"], *by_kind["curve"]], blanks, undecoded)


def _rounded(value: float) -> float:
    """``round(value, 3)``, in a third of its time: the nearest whole number
    of thousandths, divided by a thousand (IEEE division gives the float
    nearest the exact quotient, as ``round`` does).  ``value * 1000`` may be
    off by an ulp, so a value within a millionth of a tie, zero (``round``
    keeps its sign) and a huge or non-finite value go to ``round``."""
    scaled = value * _SCALE
    if -_FAST < scaled < _FAST:
        whole = math.floor(scaled + 0.5)
        if whole and abs(scaled - whole) < _TIE:
            return whole / _SCALE
    return round(value, _PLACES)


class CharPool:
    """Makes one document's characters, each to a thousandth of a point, as
    both backends give them: pdfminer computes in doubles, PDFium in floats,
    and a gap the layout compares with its threshold often falls right on
    it (a space of exactly a quarter em); rounded, both land on the same
    side.  Equal texts and coordinates are shared: a document repeats a few
    hundred glyphs and a few thousand positions over tens of thousands of
    characters, which all stay in memory until its tables are joined across
    pages (half the reader's memory otherwise)."""

    __slots__ = ("_numbers",)

    def __init__(self) -> None:
        self._numbers: dict[float, float] = {}

    def char(self, text: str, x0: float, top: float, x1: float, bottom: float, size: float) -> Char:
        share = self._numbers.setdefault
        x0, top, x1, bottom, size = _rounded(x0), _rounded(top), _rounded(x1), _rounded(bottom), _rounded(size)
        return Char(
            sys.intern(text), share(x0, x0), share(top, top), share(x1, x1), share(bottom, bottom), share(size, size)
        )


def _placed(glyphs: list[Glyph], frame: Matrix, pool: CharPool) -> list[Char]:
    """Glyphs in the page's top-left coordinates (on the page or not:
    `pdflayout.keep_on_page` tells what is content)."""
    a, b, c, d, e, f = frame
    chars: list[Char] = []
    for text, x0, y0, x1, y1 in glyphs:
        # the box's corners through the frame (a rotation by quarter turns and a flip)
        u0, v0, u1, v1 = a * x0 + c * y0 + e, b * x0 + d * y0 + f, a * x1 + c * y1 + e, b * x1 + d * y1 + f
        left, right = (u0, u1) if u0 <= u1 else (u1, u0)
        top, bottom = (v0, v1) if v0 <= v1 else (v1, v0)
        chars.append(pool.char(text, left, top, right, bottom, (bottom - top) or 10.0))  # pdfminer: the box's height
    return chars


PageReader = Callable[[int], tuple[PageContent, int]]  # a page (0-based) read by another backend


def read_pages(data: bytes, name: str, fallback: PageReader | None = None) -> Iterator[tuple[PageContent, int]]:
    """Each page's content as pdfplumber would give it, and how many of its
    characters map to no Unicode; the page is closed before the next.  A page
    with glyphs PDFium cannot decode is read by ``fallback`` where given."""
    import pypdfium2.raw as raw

    document = _open(data, name)
    reader = _Chars()
    pool = CharPool()
    try:
        for index in range(len(document)):
            page = document[index]
            width, height, frame = _page_frame(page)
            fonts: dict[int, Font] = {}
            reader.advances.clear()
            reader.descents.clear()
            textpage = page.get_textpage()
            glyphs, unmapped = reader.glyphs(ctypes.cast(textpage.raw, ctypes.c_void_p).value or 0, fonts)
            textpage.close()
            edges, blanks, undecoded = _page_objects(raw, page.raw, frame, reader, fonts)
            page.close()
            if undecoded and fallback is not None:
                yield fallback(index)
                continue
            chars = _placed(glyphs + blanks, frame, pool)
            tables = ruled_tables(edges, 0.0, width, height) if edges else []
            yield PageContent(index + 1, width, height, chars, tables), unmapped
    finally:
        document.close()
