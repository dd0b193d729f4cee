"""Ruled tables from plain edges: pdfplumber's table functions, with the
rules producers leave out."""

from __future__ import annotations

from extractor.readers.radicals import unify_radicals
from extractor.readers.ruling import Edge, edge, ruled_tables


def _line(x0: float, top: float, x1: float, bottom: float) -> Edge:
    return edge("line", x0, top, x1, bottom, "v" if x0 == x1 else "h")


def _bar(x0: float, top: float, x1: float, bottom: float) -> list[Edge]:
    """A filled rectangle's four sides, as pdfplumber gives them."""
    return [
        edge("rect_edge", x0, top, x1, top, "h"),
        edge("rect_edge", x0, bottom, x1, bottom, "h"),
        edge("rect_edge", x0, top, x0, bottom, "v"),
        edge("rect_edge", x1, top, x1, bottom, "v"),
    ]


def test_a_table_left_open_at_a_page_break_is_closed() -> None:
    # the part of a table after a page break, as Chromium prints it: its
    # three verticals start at y 50 with no border over the first row
    edges = [_line(x, 50, x, 150) for x in (10, 110, 210)] + [_line(10, 100, 210, 100), _line(10, 150, 210, 150)]
    (table,) = ruled_tables(edges, 0, 300, 400)
    assert sorted({cell[1] for cell in table.cells}) == [50, 100]  # the first row is read
    assert table.bbox == (10, 50, 210, 150)


def test_verticals_ending_on_a_rule_get_none() -> None:
    edges = [_line(x, 50, x, 150) for x in (10, 110, 210)] + [_line(10, y, 210, y) for y in (50, 100, 150)]
    (table,) = ruled_tables(edges, 0, 300, 400)
    assert len(table.cells) == 4


def test_a_table_painted_past_the_page_is_cut_at_its_foot_and_top() -> None:
    # wkhtmltopdf paints a table whole and lets the page clip it: rows past
    # the foot (y 400) are printed overleaf, and are no rows of this page
    edges = [_line(x, 300, x, 520) for x in (10, 110, 210)] + [_line(10, y, 210, y) for y in (300, 350, 440, 520)]
    (table,) = ruled_tables(edges, 0, 300, 400)
    assert sorted({(cell[1], cell[3]) for cell in table.cells}) == [(300, 350), (350, 400)]
    overleaf = [_line(x, -80, x, 120) for x in (10, 110, 210)] + [_line(10, y, 210, y) for y in (-80, 40, 120)]
    (table,) = ruled_tables(overleaf, 0, 300, 400)
    assert sorted({(cell[1], cell[3]) for cell in table.cells}) == [(0, 40), (40, 120)]


def test_a_thin_bar_is_one_rule_along_its_middle() -> None:
    # borders drawn as 0.75 pt bars: each bar's two sides would chain this
    # table's column line at 100 with another table's at 103.5 into one
    edges = [e for x in (10, 100, 200) for e in _bar(x, 20, x + 0.75, 80)]
    edges += [e for y in (20, 50, 80) for e in _bar(10, y, 200.75, y + 0.75)]
    edges += [e for x in (103.5, 250, 300) for e in _bar(x, 200, x + 0.75, 260)]
    edges += [e for y in (200, 260) for e in _bar(103.5, y, 300.75, y + 0.75)]
    tables = ruled_tables(edges, 0, 400, 400)
    columns = sorted({round(cell[0], 3) for table in tables for cell in table.cells})
    assert columns == [10.375, 100.375, 103.875, 250.375]


def test_radicals_are_read_as_the_ideographs_they_print() -> None:
    # Chromium maps the glyphs of 工 门 户 … to Kangxi radicals and the radicals supplement
    assert unify_radicals("⼯作⼈员⻔卫⼾籍") == "工作人员门卫户籍"
    assert unify_radicals("工作") == "工作"
