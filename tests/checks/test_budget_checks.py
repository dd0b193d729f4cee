"""The budget-table checks on a planted disclosure and its clean twin (text,
DOCX and PDF of fixtures/make_budget_check_fixtures.py), and on the real
documents of ../shared/real, where only the documents' own faults are errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractor.models import Disclosure, Issue
from extractor.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "budget-checks"
REAL = ROOT.parent / "shared" / "real"
FORMATS = ("txt", "docx", "pdf")


@cache
def _doc(path: Path) -> Disclosure:
    return extract_file(path)


def _issues(stem: str, ext: str, code: str) -> list[Issue]:
    return [i for i in _doc(FIXTURES / f"{stem}.{ext}").issues if i.code == code]


def _one(stem: str, ext: str, code: str, *fragments: str) -> Issue:
    found = [i for i in _issues(stem, ext, code) if all(f in i.message for f in fragments)]
    assert found, f"{code} with {fragments} not in {[i.message for i in _issues(stem, ext, code)]}"
    return found[0]


def _place(issue: Issue, ext: str) -> object:
    assert issue.location is not None
    return {"txt": issue.location.line, "docx": (issue.location.table, issue.location.row), "pdf": issue.location.page}[
        ext
    ]


PLANTED = "budget-checks-planted"
CLEAN = "budget-checks-clean"


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_total_is_found_with_both_figures(ext: str) -> None:
    issue = _one(PLANTED, ext, "table_total_mismatch", "表2 支出总表: 合计 (项目支出")
    assert issue.severity == "error"
    assert "printed 31.00 but 201 一般公共服务支出 30.00 = 30.00 (difference 1.00)" in issue.message
    assert _place(issue, ext) == {"txt": 46, "docx": (1, 1), "pdf": 1}[ext]


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_subtotal_names_the_kuan_and_its_xiang(ext: str) -> None:
    issue = _one(PLANTED, ext, "table_subtotal_mismatch", "20805 行政事业单位养老支出 (合计")
    assert "printed 20.00 but 2080505 机关事业单位基本养老保险缴费支出 19.00 = 19.00 (difference 1.00)" in issue.message
    assert _place(issue, ext) == {"txt": 52, "docx": (1, 7), "pdf": 2}[ext]


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_split(ext: str) -> None:
    issue = _one(PLANTED, ext, "table_split_mismatch", "表3 一般公共预算支出表: 2011399 其他商贸事务支出")
    assert "prints 合计 30.00 but 项目支出 29.00 = 29.00 (difference 1.00)" in issue.message


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_unbalanced_summary(ext: str) -> None:
    issue = _one(PLANTED, ext, "table_unbalanced", "表1 收支总表: 收入总计")
    assert "printed 120.00 but 支出总计" in issue.message and "121.00 = 121.00 (difference -1.00)" in issue.message


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_tables_disagree_quotes_both_tables(ext: str) -> None:
    issue = _one(PLANTED, ext, "tables_disagree", "一般公共服务支出")
    assert "表1 收支总表 prints 101.00万元 (row 一、一般公共服务支出" in issue.message
    assert "表2 支出总表 prints 100.00万元 (row 201 一般公共服务支出, column 合计" in issue.message
    assert "(difference -1.00万元)" in issue.message


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_economic_classes(ext: str) -> None:
    issue = _one(PLANTED, ext, "economic_classes_mismatch", "人员经费")
    assert issue.severity == "warning"
    expected = "printed 75.00 but 301 工资福利支出 75.00 + 303 对个人和家庭的补助 5.00 = 80.00 (difference -5.00)"
    assert expected in issue.message


@pytest.mark.parametrize("ext", ("txt", "docx"))
def test_planted_prose_figure_against_the_table(ext: str) -> None:
    issue = _one(PLANTED, ext, "prose_table_mismatch", "基本支出")
    assert "the text states 91.00万元" in issue.message
    assert "表2 支出总表 prints 90.00万元 (row 合计, column 基本支出" in issue.message


@pytest.mark.parametrize("ext", FORMATS)
def test_planted_empty_table_without_its_note(ext: str) -> None:
    _one(PLANTED, ext, "budget_table_note_missing", "表6 政府性基金预算支出表")
    assert not _issues(CLEAN, ext, "budget_table_note_missing")


@pytest.mark.parametrize("ext", FORMATS)
def test_clean_twin_has_no_error_and_its_one_rounding_gap_as_info(ext: str) -> None:
    issues = _doc(FIXTURES / f"{CLEAN}.{ext}").issues
    assert [i.message for i in issues if i.severity == "error"] == []
    gaps = [i for i in issues if i.code == "rounding_difference"]
    assert [i.severity for i in gaps] == ["info", "info"]
    assert "20113 商贸事务 (合计" in gaps[0].message
    assert "printed 100.00 and 2011301 行政运行 69.99 + 2011399 其他商贸事务支出 30.00 = 99.99" in gaps[0].message
    assert "0.01 is within the rounding of its 3 figures (±0.015)" in gaps[0].message


# -- the real documents ---------------------------------------------------------------------------------

#: Error-level findings the real documents' own figures raise (checked on the page), by file.
DOCUMENT_ERRORS = {
    # p. 30 表13 prints 2022's 三公 as 0 元 (2021: 2,720 元); the text says 2022's is 0.27 万元
    "xian-meteorological-bureau-2026-budget": [("figure_conflict", "total.current")],
}
CHECKS = {
    "table_total_mismatch",
    "table_subtotal_mismatch",
    "table_split_mismatch",
    "table_unbalanced",
    "tables_disagree",
    "prose_table_mismatch",
    "sum_mismatch",
    "figure_conflict",
}


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real not present")
@pytest.mark.parametrize("path", sorted(p for p in REAL.glob("*.pdf") if not p.name.startswith("not-a")), ids=str)
def test_real_documents_raise_no_check_error_where_they_are_right(path: Path) -> None:
    errors = [i for i in _doc(path).issues if i.severity == "error" and i.code in CHECKS]
    expected = DOCUMENT_ERRORS.get(path.stem, [])
    assert [(i.code, i.message.split(" ")[0]) for i in errors] == expected, [i.message for i in errors]
