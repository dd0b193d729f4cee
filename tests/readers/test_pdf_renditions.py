"""The seed printed to PDF with other fonts, page sizes, margins and
paragraph settings (fixtures/make_pdf_renditions.py) and by another
producer (Chromium, fixtures/make_print_rendition.py) gives the text
fixture's document; and every PDF's characters are accounted for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor import extract_document, extract_file, read_path
from extractor.blocks import Paragraph, block_characters
from tests.cache import extracted
from tests.conftest import FIXTURES, ROOT, SEED
from tests.readers.test_pdf import CANNOT_MATCH, _differences

#: Differences still left per rendition, and why: each is a gap of the
#: reader, listed so that a fix (or a new break) shows up here.
KNOWN_GAPS: dict[str, set[str]] = {
    "a4-serif-justified": set(),
    "b5-kai-indent": set(),
    # a paragraph of the measures ends flush with the margin and the next
    # starts without indent or extra space: nothing on the page tells them apart
    "letter-sans-landscape": {"performance.measures"},
    # Chromium's print (fixtures/make_print_rendition.py): a space at which a
    # line wraps is not printed, so "16号 中共阜平县委" wrapped after 号 reads
    # "16号中共阜平县委": nothing on the page is left of it
    "chromium-a4": {f"performance.projects[18].indicators[{i}].basis" for i in (0, 1, 5, 7)},
}

RENDITIONS = sorted(KNOWN_GAPS)
#: Prints only this test reads (fixtures/renditions/), each the text fixture's document
MORE_RENDITIONS = ("a4-ming-header", "a4-kai-landscape", "legal-serif-ragged")


@pytest.fixture(scope="module")
def from_text() -> dict[str, Any]:
    document = extract_file(SEED).model_dump()
    for part in document["parts"]:
        part.pop("text")
    return document


@pytest.mark.parametrize("name", RENDITIONS)
def test_rendition_gives_the_text_fixtures_document(name: str, from_text: dict[str, Any]) -> None:
    disclosure = extracted(FIXTURES / f"fuping-2021-county-party-office.{name}.pdf")
    pdf = disclosure.model_dump()
    for part in pdf["parts"]:
        part.pop("text")
    assert set(_differences(from_text, pdf)) == set(CANNOT_MATCH) | KNOWN_GAPS[name]
    assert [p.found for p in disclosure.parts] == [True] * 9


@pytest.mark.parametrize("name", MORE_RENDITIONS)
def test_more_renditions_give_the_text_fixtures_document(name: str, from_text: dict[str, Any]) -> None:
    # Ming at 14 pt: a wrap before "设备采购情况" hides the space there, and
    # merged labels (资金支出计划 / （%）) run over page breaks; Kai with the
    # autospace LibreOffice sets between Chinese and figures; ragged legal
    # pages whose lines stop short before "者”管" (no break around a quote)
    lost = {"performance.projects[34].indicators[1].description"} if name == "a4-ming-header" else set()
    disclosure = extracted(FIXTURES / "renditions" / f"fuping-2021-county-party-office.{name}.pdf")
    pdf = disclosure.model_dump()
    for part in pdf["parts"]:
        part.pop("text")
    assert set(_differences(from_text, pdf)) == set(CANNOT_MATCH) | lost


def test_a_wkhtmltopdf_print_keeps_its_title_projects_and_budgets_and_flags_what_it_loses(
    from_text: dict[str, Any],
) -> None:
    # wkhtmltopdf paints tables past the page and lets it clip them: the
    # title at the top of page 1 and project titles at a page's foot were
    # set aside as cell overflow (title empty, 45 of 48 projects). Rows cut
    # in two on two column grids still lose cells in 10 projects: each warned of
    disclosure = extracted(FIXTURES / "renditions" / "fuping-2021-county-party-office.wkhtmltopdf-a4.pdf")
    pdf = disclosure.model_dump()
    for part in pdf["parts"]:
        part.pop("text")
    assert disclosure.title == from_text["title"] == "中国共产党阜平县委员会办公室2021年部门预算信息公开"
    assert {d.split("[")[0] for d in _differences(from_text, pdf)} == {"performance.projects", "issues"}
    assert disclosure.performance is not None
    projects, expected = disclosure.performance.projects, from_text["performance"]["projects"]
    assert [p.seq for p in projects] == [p["seq"] for p in expected]
    assert [p.budget.model_dump() for p in projects] == [p["budget"] for p in expected]
    warned = {i.project_seq for i in disclosure.issues if i.severity == "warning"}
    wrong = {p.seq for p, e in zip(projects, expected, strict=True) if _differences(e, p.model_dump())}
    assert len(wrong) == 10 and wrong <= warned
    assert not any("cell overflow" in i.message for i in disclosure.issues)


def test_wrapped_paragraphs_of_a_justified_indented_rendition_are_whole() -> None:
    # 16 pt, justified, two-character indent, exactly 28 pt lines: every
    # line of the duties used to be a paragraph of its own
    blocks = read_path(FIXTURES / "fuping-2021-county-party-office.a4-serif-justified.pdf").blocks
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    duty = next(t for t in texts if t.startswith("1、县委办职责分类"))
    assert duty.endswith("办公用房和办公车辆、办公用品和其他固定资产管理。")
    assert "第四部分：财政拨款“三公”经费预算情况及增减变化原因" in texts  # a heading wrapped at 16 pt
    assert not any(t.startswith("—") for t in texts)  # "— 4 —" page numbers are furniture


def test_landscape_pages_keep_their_own_text_column() -> None:
    # page numbers at the foot of landscape pages glued to the next page's unit line ("30201001…")
    blocks = read_path(FIXTURES / "fuping-2021-county-party-office.letter-sans-landscape.pdf").blocks
    units = [b.text for b in blocks if isinstance(b, Paragraph) and "单位：万元" in b.text and b.text[0].isdigit()]
    assert len(units) == 48 and all(t.startswith("2010") for t in units)


def test_titles_over_tables_are_kept_not_taken_for_overflow() -> None:
    # a title standing in the margin band above a table is no cell overflow
    path = ROOT.parent / "shared" / "real" / "xian-petition-bureau-2026-budget.pdf"
    document = read_path(path)
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert sum(1 for t in texts if t == "部门专项业务经费绩效目标表") == 9
    assert not any("部门专项业务经费绩效目标表" in note for note in document.notes)


def _pdfs() -> list[Path]:
    real = ROOT.parent / "shared" / "real"
    return sorted(FIXTURES.rglob("*.pdf")) + (sorted(real.glob("*.pdf")) if real.is_dir() else [])


@pytest.mark.parametrize("path", _pdfs(), ids=lambda p: p.stem)
def test_every_character_read_is_placed_removed_or_reported(path: Path) -> None:
    document = read_path(path)
    placed = block_characters(document.blocks)
    assert document.characters > 0
    assert placed + document.furniture_characters + document.dropped_characters == document.characters
    # set-aside text is always reported
    assert (document.dropped_characters > 0) == bool(document.notes)


def test_text_and_docx_characters_are_those_of_their_blocks() -> None:
    for path in (SEED, FIXTURES / "fuping-2021-county-party-office.docx"):
        document = read_path(path)
        assert document.characters is None  # nothing removed or set aside: the blocks hold what was read
        coverage = extract_document(document).disclosure.extraction
        assert coverage.characters == coverage.characters_placed == block_characters(document.blocks) == 40408
        assert coverage.characters_reported == 0


def test_a_browsers_print_keeps_rows_and_labels_cut_by_page_breaks() -> None:
    # Chromium leaves a table cut by a page break open (no border under the
    # part before, none over the part after), paints a merged label's last
    # lines under the table (预算规模及资金用 / 途) and starts rows at the foot
    # of a page with all their text overleaf
    disclosure = extracted(FIXTURES / "fuping-2021-county-party-office.chromium-a4.pdf")
    assert disclosure.performance is not None
    projects = {p.seq: p for p in disclosure.performance.projects}
    assert len(projects) == 48 and sum(len(p.indicators) for p in projects.values()) == 401
    row = projects[1].indicators[6]  # the row opening page 9, under no border
    assert (row.level1, row.level2, row.level3, row.value.raw) == (
        "效益指标",
        "可持续影响指标",
        "可持续发挥的作用",
        "≥93百分比",
    )
    description = projects[15].indicators[5].description  # cut between pages 21 and 22
    assert description is not None and description.endswith("建立激励评估机制、建立典型选树机制")
    assert projects[4].purpose is not None and projects[4].purpose.startswith("主要用于负责国家省市领导")
    assert not [i for i in disclosure.issues if i.code == "unparsed_cell"]
