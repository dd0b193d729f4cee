"""Ruled tables from a page's edges, whichever backend read the page.

Edges are pdfplumber's plain dictionaries (``x0 x1 top bottom width height
orientation``); cells and tables come from pdfplumber's own functions
(merge, intersections, cells, tables: the ``lines`` strategy of
``find_tables``), so the table logic stays the one the users chose.  Two
rules are added where producers leave a table open:

* a rule at the page's lowest horizontal line: WPS draws the bottom border
  of a merged cell that goes on overleaf past the page;
* a rule across the open ends of a table cut by a page break: browsers
  (Chromium's print) leave the bottom of the part before the break and the
  top of the part after it without a border, so its verticals end in the
  air.  Two or more verticals ending on one line with no horizontal there
  are closed by a rule from the first to the last.

And a rule drawn as a thin filled bar (browsers draw every border so) is
one line along its middle, not two: pdfplumber snaps a page's nearby lines
to their mean whatever table they belong to, and the bar's two sides
chain the lines of two tables into one, moving both.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from typing import Any

from .pdflayout import TableBoxes

__all__ = ["Edge", "edge", "ruled_tables"]

Edge = dict[str, Any]

SNAP = 3.0  # pdfplumber's default snap, join and intersection tolerances (points)
MIN_LENGTH = 3.0  # pdfplumber's edge_min_length: shorter edges rule nothing
PREFILTER = 1.0  # pdfplumber's edge_min_length_prefilter
OPEN_ENDS = 2  # verticals ending in the air on one line before a rule closes them
THIN = 2.0  # points: the long sides of a bar this thin are one rule


def edge(kind: str, x0: float, top: float, x1: float, bottom: float, orientation: str | None) -> Edge:
    """An edge as pdfplumber's ``page.edges`` gives it."""
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


def _usable(item: Edge, orientation: str) -> bool:
    return bool(item["orientation"] == orientation and item["height" if orientation == "v" else "width"] >= PREFILTER)


def _ruled(item: Edge) -> bool:
    return bool(item["height" if item["orientation"] == "v" else "width"] >= MIN_LENGTH)


def _on_page(edges: list[Edge], height: float) -> list[Edge]:
    """The edges as far as they are seen on the page: a vertical running
    past its top or foot is cut there, a horizontal beyond them is not seen.
    wkhtmltopdf paints a table whole on every page it runs over, clipped by
    the page: the part beyond would make the rows past the edge, printed
    overleaf, rows of this page."""
    if all(e["top"] >= -SNAP and e["bottom"] <= height + SNAP for e in edges):
        return edges
    seen: list[Edge] = []
    for item in edges:
        top, bottom = max(item["top"], 0.0), min(item["bottom"], height)
        if bottom < top or (item["orientation"] == "h" and not 0 <= item["top"] <= height):
            continue
        seen.append(item if (top, bottom) == (item["top"], item["bottom"]) else _cut(item, top, bottom))
    return seen


def _cut(item: Edge, top: float, bottom: float) -> Edge:
    return {**item, "top": top, "bottom": bottom, "doctop": top, "height": bottom - top}


def _thin_bars(edges: list[Edge]) -> list[Edge]:
    """Edges with each thin bar's two long sides made one along its middle."""
    sides: dict[tuple[str, float, float], list[Edge]] = {}
    kept: list[Edge] = []
    for item in edges:
        if item["object_type"] != "rect_edge":
            kept.append(item)
            continue
        along = ("top", "bottom") if item["orientation"] == "v" else ("x0", "x1")
        sides.setdefault((item["orientation"], round(item[along[0]], 1), round(item[along[1]], 1)), []).append(item)
    for (orientation, _, _), group in sides.items():
        across = "x0" if orientation == "v" else "top"
        group.sort(key=lambda e: float(e[across]))
        index = 0
        while index < len(group):
            item = group[index]
            following = group[index + 1] if index + 1 < len(group) else None
            if following is not None and following[across] - item[across] < THIN:
                kept.append(_moved(item, across, (item[across] + following[across]) / 2))
                index += 2
            else:
                kept.append(item)
                index += 1
    return kept


def _moved(item: Edge, across: str, value: float) -> Edge:
    if across == "x0":
        return {**item, "x0": value, "x1": value}
    return {**item, "top": value, "bottom": value, "doctop": value}


def _open_ends(verticals: list[Edge], horizontals: list[Edge], height: float) -> Iterator[tuple[float, float]]:
    """Where verticals end with no horizontal line: (y, x) on the page."""
    rules = sorted((h["top"], h["x0"], h["x1"]) for h in horizontals)
    tops = [rule[0] for rule in rules]
    for vertical in verticals:
        x = vertical["x0"]
        for y in (vertical["top"], vertical["bottom"]):
            near = rules[bisect.bisect_left(tops, y - SNAP) : bisect.bisect_right(tops, y + SNAP)]
            if 0 <= y <= height and not any(x0 - SNAP <= x <= x1 + SNAP for _, x0, x1 in near):
                yield y, x


def _closing_rules(verticals: list[Edge], horizontals: list[Edge], height: float) -> list[Edge]:
    """A rule across each line on which several verticals end in the air."""
    rules: list[Edge] = []
    group: list[tuple[float, float]] = []
    for end in [*sorted(_open_ends(verticals, horizontals, height)), (float("inf"), 0.0)]:
        if group and end[0] - group[0][0] > SNAP:
            if len(group) >= OPEN_ENDS:
                y = group[0][0]
                rules.append(edge("closing", min(x for _, x in group), y, max(x for _, x in group), y, "h"))
            group = []
        group.append(end)
    return rules


def ruled_tables(edges: list[Edge], left: float, right: float, height: float) -> list[TableBoxes]:
    """Ruled tables as pdfplumber's ``find_tables`` (lines strategy) finds
    them, with the rules producers leave out (see the module's notes)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = _thin_bars(_on_page(edges, height))
    horizontal = [e for e in edges if _usable(e, "h")]
    lowest = max((e["bottom"] for e in edges if e["orientation"] == "h"), default=None)
    explicit = [] if lowest is None else [edge("explicit", left, lowest, right, lowest, "h")]
    merged = merge_edges([e for e in edges if _usable(e, "v")] + horizontal + explicit, SNAP, SNAP, SNAP, SNAP)
    kept = [e for e in merged if _ruled(e)]
    kept_h = [e for e in kept if e["orientation"] == "h"]
    kept += _closing_rules([e for e in kept if e["orientation"] == "v"], kept_h, height)
    groups = [
        group
        for band in _bands(kept)
        for group in cells_to_tables(intersections_to_cells(edges_to_intersections(band, SNAP, SNAP)))
    ]
    return [
        TableBoxes(
            (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group), max(c[3] for c in group)),
            tuple((float(c[0]), float(c[1]), float(c[2]), float(c[3])) for c in group),
        )
        for group in groups
    ]


def _bands(edges: list[Edge]) -> list[list[Edge]]:
    """The edges in bands down the page that no edge bridges (each table
    lies in one), top to bottom.  pdfplumber's cell search compares every
    intersection with every later one: fed a band at a time, a page of
    three tables costs a third as much, and its tables come out the same
    and in the same order (by their top)."""
    bands: list[list[Edge]] = []
    bottom = -math.inf
    for item in sorted(edges, key=lambda e: float(e["top"])):
        if not bands or item["top"] > bottom + SNAP:
            bands.append([])
            bottom = item["bottom"]
        bands[-1].append(item)
        bottom = max(bottom, item["bottom"])
    return bands
