"""The PDF layout chain on synthetic pages: no PDF, just characters and boxes."""

from __future__ import annotations

from extractor.blocks import Paragraph, Table
from extractor.readers.pdflayout import (
    Char,
    LayoutSettings,
    PageContent,
    TableBoxes,
    join_pages,
    keep_on_page,
    page_blocks,
)

SIZE = 10.0
WIDTH, HEIGHT = 400.0, 400.0


def _text(text: str, x: float, top: float) -> list[Char]:
    return [Char(ch, x + i * SIZE, top, x + (i + 1) * SIZE, top + SIZE, SIZE) for i, ch in enumerate(text)]


def _cell_text(lines: list[str], box: tuple[float, float, float, float]) -> list[Char]:
    chars: list[Char] = []
    for n, line in enumerate(lines):
        chars += _text(line, box[0] + 2, box[1] + 2 + n * (SIZE + 2))
    return chars


def _table(rows: list[list[list[str]]], top: float, col_width: float = 100.0) -> tuple[TableBoxes, list[Char]]:
    """A ruled table of equal columns; each row is a list of cells, each a list of lines."""
    boxes, chars, y = [], [], top
    for row in rows:
        height = max(len(cell) for cell in row) * (SIZE + 2) + 4
        for c, lines in enumerate(row):
            box = (10 + c * col_width, y, 10 + (c + 1) * col_width, y + height)
            boxes.append(box)
            chars += _cell_text(lines, box)
        y += height
    bbox = (10.0, top, 10 + len(rows[0]) * col_width, y)
    return TableBoxes(bbox, tuple(boxes)), chars


def _page(number: int, chars: list[Char], tables: list[TableBoxes]) -> PageContent:
    return PageContent(number, WIDTH, HEIGHT, chars, tables)


def test_paragraphs_join_wrapped_lines_without_spaces_and_split_at_gaps() -> None:
    chars = (
        _text("第一段第一行文字很长很长很长很长很长很长很长很", 10, 50)
        + _text("接着写完。", 10, 62)
        + _text("第二段。", 10, 90)
    )
    blocks = page_blocks(_page(1, chars, [])).blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "第一段第一行文字很长很长很长很长很长很长很长很接着写完。",
        "第二段。",
    ]


def test_table_cells_rows_and_list_numbered_lines() -> None:
    boxes, chars = _table([[["绩效目标"], ["1.甲", "2.100%乙"]], [["指标"], ["不高于", "1.5万元"]]], top=20)
    table = page_blocks(_page(1, chars, [boxes])).blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [["绩效目标", "1.甲\n2.100%乙"], ["指标", "不高于1.5万元"]]
    assert table.rows[0][0].location.page == 1 and table.rows[0][0].location.bbox is not None


def test_table_over_two_pages_drops_repeated_header_and_page_numbers() -> None:
    header = [["一级指标"], ["二级指标"], ["指标值"]]
    first, chars1 = _table([header, [["产出指标"], ["数量指标"], ["≥3次"]]], top=20)
    second, chars2 = _table([header, [["效益指标"], ["社会效益指标"], ["100%"]]], top=20)
    pages = [
        (p := _page(1, chars1 + _text("1", 150, 385), [first]), page_blocks(p)),
        (q := _page(2, chars2 + _text("2", 150, 385), [second]), page_blocks(q)),
    ]
    blocks, ledger = join_pages(pages)
    assert len(blocks) == 1 and ledger.notes == []
    assert ledger.furniture == 2 + len("一级指标二级指标指标值")  # two page numbers, the repeated header
    table = blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [
        ["一级指标", "二级指标", "指标值"],
        ["产出指标", "数量指标", "≥3次"],
        ["效益指标", "社会效益指标", "100%"],
    ]
    assert (table.location.page, table.location.end_page) == (1, 2)
    assert [c.row for c in table.rows[2]] == [2, 2, 2]


def test_row_cut_by_the_page_break_is_joined_but_a_new_row_is_not() -> None:
    # page 1 ends with a row whose cells run to their right edge ("full"), page 2 goes on
    cut, chars1 = _table([[["产出指标"], ["门卫室、基础设施维"]]], top=20)
    rest, chars2 = _table([[[""], ["修及时率"]], [["效益指标"], ["社会效益"]]], top=20)
    pages = [(p := _page(1, chars1, [cut]), page_blocks(p)), (q := _page(2, chars2, [rest]), page_blocks(q))]
    table = join_pages(pages)[0][0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [
        ["产出指标", "门卫室、基础设施维修及时率"],
        ["效益指标", "社会效益"],
    ]


def test_finished_row_is_not_joined_with_the_next_pages_first_row() -> None:
    done, chars1 = _table([[["产出"], ["经济效益", "指标"]]], top=20)
    new, chars2 = _table([[[""], ["社会效益"]]], top=20)
    pages = [(p := _page(1, chars1, [done]), page_blocks(p)), (q := _page(2, chars2, [new]), page_blocks(q))]
    table = join_pages(pages)[0][0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [["产出", "经济效益指标"], ["", "社会效益"]]


def test_paragraph_cut_by_the_page_break_is_joined_unless_a_heading_follows() -> None:
    line = "很" * 28
    page1 = _page(1, _text(line, 10, 300) + _text(line, 10, 312), [])
    page2 = _page(2, _text("续完。", 10, 30) + _text("二、下一节", 10, 60), [])
    blocks, _ = join_pages([(page1, page_blocks(page1)), (page2, page_blocks(page2))])
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [line * 2 + "续完。", "二、下一节"]
    assert blocks[0].location.end_page == 2


def test_settings_are_validated() -> None:
    try:
        LayoutSettings(grid_tolerance=-1)
    except ValueError as exc:
        assert "grid_tolerance" in str(exc)
    else:
        raise AssertionError("negative setting accepted")


def _captioned(title: str, top: float) -> tuple[TableBoxes, list[Char]]:
    """A table whose first row is one cell spanning it, holding its title."""
    boxes, chars = _table([[["科目"], ["合计"]], [["201"], ["5"]]], top=top + 20)
    caption = (10.0, top, 210.0, top + 20)
    return (TableBoxes((10.0, top, 210.0, boxes.bbox[3]), (caption, *boxes.cells)), chars + _text(title, 12, top + 4))


def test_tables_with_different_titles_are_not_joined() -> None:
    first, chars1 = _captioned("预算07表基金支出", 20)
    second, chars2 = _captioned("预算08表国资支出", 20)
    pages = [(p := _page(1, chars1, [first]), page_blocks(p)), (q := _page(2, chars2, [second]), page_blocks(q))]
    blocks, _ = join_pages(pages)
    assert [b.rows[0][0].text for b in blocks if isinstance(b, Table)] == ["预算07表基金支出", "预算08表国资支出"]


def test_a_repeated_title_is_a_continuation() -> None:
    first, chars1 = _captioned("预算12表绩效目标", 20)
    second, chars2 = _captioned("预算12表绩效目标", 20)
    pages = [(p := _page(1, chars1, [first]), page_blocks(p)), (q := _page(2, chars2, [second]), page_blocks(q))]
    blocks, _ = join_pages(pages)
    assert len(blocks) == 1
    table = blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row if c.text] for row in table.rows] == [
        ["预算12表绩效目标"],
        ["科目", "合计"],
        ["201", "5"],
        ["201", "5"],
    ]


def test_table_continued_under_its_title_printed_again_is_joined() -> None:
    # 预算12表 (Beijing): every page prints the title above the continued
    # table; it is removed and the table is one
    pages = []
    for number, row in ((1, "项目甲"), (2, "项目乙")):
        boxes, chars = _table([[["项目名称"], ["金额"]], [[row], ["1.00"]]], top=80)
        chars += _text("预算12表 绩效目标表", 10, 50)
        page = _page(number, chars, [boxes])
        pages.append((page, page_blocks(page)))
    blocks, ledger = join_pages(pages)
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table"]
    table = blocks[1]
    assert isinstance(table, Table)
    rows = [[c.text for c in row] for row in table.rows]
    assert rows == [["项目名称", "金额"], ["项目甲", "1.00"], ["项目乙", "1.00"]]
    assert ledger.furniture == len("预算12表绩效目标表项目名称金额")


def _two_pages(first: list[list[list[str]]], second: list[list[list[str]]]) -> list[list[str]]:
    pages = []
    for number, rows in ((1, first), (2, second)):
        boxes, chars = _table(rows, top=80)
        page = _page(number, chars, [boxes])
        pages.append((page, page_blocks(page)))
    table = join_pages(pages)[0][0]
    assert isinstance(table, Table)
    return [[c.text for c in row] for row in table.rows]


def test_row_cut_before_a_bracket_is_rejoined() -> None:
    # a4-serif-justified rendition, project 13: "…五四红旗团委" stops short of
    # the cell's edge because "（" may not end a line; "（团支部）…" overleaf
    # is the rest of that cell, not a row of its own
    first = [[["三级指标"], ["描述"]], [["影响率"], ["全县青少年向红旗"]]]
    assert _two_pages(first, [[[""], ["（团支部）学习。"]], [["满意度"], ["整体满意"]]]) == [
        ["三级指标", "描述"],
        ["影响率", "全县青少年向红旗（团支部）学习。"],
        ["满意度", "整体满意"],
    ]
    # the same short line before other text overleaf ends its row
    assert _two_pages(first, [[[""], ["团支部学习。"]]]) == [
        ["三级指标", "描述"],
        ["影响率", "全县青少年向红旗"],
        ["", "团支部学习。"],
    ]


def test_page_number_on_one_line_with_a_title_is_furniture() -> None:
    # "2 5市级…": the page number printed in the top margin on the title's line
    small = [Char(ch, 10 + i * 6, 12, 15 + i * 6, 18, 6.0) for i, ch in enumerate("2 5")]
    title = _text("市级部门预算表", 60, 10)
    tail = _text("单位：万元", 10, 300) + _text("- 7 -", 180, 385)  # a spaced number in the foot band
    body = _text("正文第一段。", 10, 100)
    page = _page(25, small + title + body + tail, [])
    blocks, ledger = join_pages([(page, page_blocks(page))])
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["市级部门预算表", "正文第一段。", "单位：万元"]
    assert ledger.furniture == 5  # 2, 5, then -, 7, -: no text of the document
    # a year opening a title is no page number
    year = page_blocks(_page(1, _text("2021年部门预算", 10, 10), [])).blocks
    assert [b.text for b in year if isinstance(b, Paragraph)] == ["2021年部门预算"]


def test_a_ragged_line_ends_its_paragraph_when_the_next_lines_start_would_have_fit() -> None:
    # Chromium's print sets titles ragged: "…绩效目标表" stops 4 characters
    # short, and the unit line under it starts with a character that would
    # have fit there; a wrap leaves less room than the next line's first
    # unbreakable piece ("力“京": no break before or after an opening quote)
    full = _text("很" * 38, 10, 20) + _text("很" * 38, 10, 32) + _text("很" * 38, 10, 44)
    title = _text("中央残疾人事业发展补助资金冀财社绩效目标表" + "很" * 13, 10, 66)
    unit = _text("河北省阜平县残疾人联合会", 10, 78)
    wrapped = _text("很" * 36, 10, 100) + _text("力“京津冀”三地。", 10, 112)
    blocks = page_blocks(_page(1, full + title + unit + wrapped, [])).blocks
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts[-3:] == [
        "中央残疾人事业发展补助资金冀财社绩效目标表" + "很" * 13,
        "河北省阜平县残疾人联合会",
        "很" * 36 + "力“京津冀”三地。",
    ]


def test_a_merged_label_painted_under_its_table_goes_back_into_its_cell() -> None:
    # Chromium paints the last line of a merged label cut by a page break
    # under the part of its table on the page ("预算规模及资金用" / "途")
    boxes, chars = _table([[["项目编码"], ["130624"]], [["预算规模及资金用"], ["预算数"]]], top=300)
    spill = _text("途", 12, boxes.bbox[3] + 1)
    rest, chars2 = _table([[[""], ["该项目主要用于维修"]], [["绩效目标"], ["1.完成"]]], top=80)
    pages = [(p := _page(1, chars + spill, [boxes]), page_blocks(p)), (q := _page(2, chars2, [rest]), page_blocks(q))]
    blocks, _ = join_pages(pages)
    assert len(blocks) == 1 and isinstance(blocks[0], Table)
    assert [[c.text for c in row] for row in blocks[0].rows][1] == ["预算规模及资金用途", "预算数"]


def test_a_blank_row_at_the_foot_of_a_page_takes_the_text_printed_overleaf() -> None:
    # Chromium starts a row at the foot of a page and prints all its text overleaf
    first = [[["项目名称"], ["门卫安保经费"]], [[""], [""]]]
    assert _two_pages(first, [[[""], ["该项目主要用于维修"]], [["绩效目标"], ["1.完成"]]]) == [
        ["项目名称", "门卫安保经费"],
        ["", "该项目主要用于维修"],
        ["绩效目标", "1.完成"],
    ]


def test_a_table_running_off_the_side_of_a_small_page_keeps_its_cells() -> None:
    # LibreOffice prints an A4 table on an A5 page with its rules cut at the
    # page's edge and the last column's text past it; text past the foot of
    # the page stays set aside (WPS prints such a row again overleaf)
    reason = "根据中央八项规定减少接待费支出厉行节约反对浪费"  # 23 characters from x 207: to 437
    boxes, chars = _table([[["项目名称"], ["变化原因"]], [["公务接待费"], [reason]]], top=20, col_width=195)
    page = PageContent(1, 400.0, 400.0, chars + _text("页脚", 10, 405), [boxes])
    keep_on_page(page)
    assert page.off_page == "页脚"
    table = page_blocks(page).blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [["项目名称", "变化原因"], ["公务接待费", reason]]


def _foot_of_page(foot: str, overleaf: list[list[list[str]]]) -> tuple[list[str], list[str]]:
    """Paragraph texts and notes of two pages: a table, then ``foot`` at the
    page's foot (within the margin band, reaching the edge); ``overleaf``
    the next page's table."""
    boxes, chars = _table([[["项目名称"], ["门卫安保经费"]], [["绩效目标"], ["1.完成"]]], top=250)
    rest, chars2 = _table(overleaf, top=20)
    pages = [
        (p := _page(1, chars + _text(foot, 12, 385), [boxes]), page_blocks(p)),
        (q := _page(2, chars2, [rest]), page_blocks(q)),
    ]
    blocks, ledger = join_pages(pages)
    return [b.text for b in blocks if isinstance(b, Paragraph)], ledger.notes


def test_text_running_off_a_table_and_printed_again_overleaf_is_set_aside() -> None:
    # WPS lets a cell's lines run past the table's last rule to the page's
    # edge and prints the whole row again overleaf
    texts, notes = _foot_of_page("手工报销单据", [[["档案管理"], ["对档案和医疗", "保险手工报销", "单据进行存档"]]])
    assert texts == []
    assert notes == ["page 1: text outside the ruled table set aside as cell overflow: '手工报销单据'"]


def test_a_title_at_the_foot_of_a_page_is_kept_when_not_printed_again() -> None:
    # wkhtmltopdf: a project's title and unit line at the foot of a page,
    # its table overleaf (they used to go to the notes as cell overflow)
    texts, notes = _foot_of_page("14.专项经费绩效目标表", [[["项目编码"], ["201003"]]])
    assert texts == ["14.专项经费绩效目标表"] and notes == []


def test_a_title_at_the_top_of_a_page_is_no_overflow_of_a_table_further_down() -> None:
    # a paragraph between them: the title does not run out of the table
    boxes, chars = _table([[["部门机构设置情况"], ["2"]]], top=200)
    title = _text("二〇二一年部门预算", 12, 5) + _text("第一部分部门职责", 12, 100)
    previous, chars0 = _table([[["部门预算"], ["二〇二一年部门预算"]]], top=20)
    pages = [
        (o := _page(1, chars0, [previous]), page_blocks(o)),
        (p := _page(2, chars + title, [boxes]), page_blocks(p)),
    ]
    blocks, ledger = join_pages(pages)
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["二〇二一年部门预算", "第一部分部门职责"]
    assert ledger.notes == []


def test_a_row_cut_by_the_page_foot_goes_on_at_the_next_pages_top() -> None:
    # wkhtmltopdf: the page cuts a row (its table is painted past the page),
    # the row's rest is at the top of the next page, where the column lines
    # stand a few points off (≥90百分 / 比 is one value, wrapped in its cell)
    cells = ((10, 360, 110, 376), (110, 360, 170, 376), (10, 376, 110, 400), (110, 376, 170, 400))
    chars = (
        _text("一级指标", 12, 362) + _text("指标值", 112, 362) + _text("效益指标", 12, 378) + _text("≥90百分", 112, 378)
    )
    rest = ((10, 0, 106, 14), (106, 0, 170, 14), (10, 14, 106, 30), (106, 14, 170, 30))
    chars2 = _text("比", 108, 2) + _text("满意度指标", 12, 16) + _text("≥90%", 108, 16)
    pages = [
        (p := _page(1, chars, [TableBoxes((10.0, 360.0, 170.0, 400.0), cells)]), page_blocks(p)),
        (q := _page(2, chars2, [TableBoxes((10.0, 0.0, 170.0, 30.0), rest)]), page_blocks(q)),
    ]
    (table,) = join_pages(pages)[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [
        ["一级指标", "指标值"],
        ["效益指标", "≥90百分比"],
        ["满意度指标", "≥90%"],
    ]
