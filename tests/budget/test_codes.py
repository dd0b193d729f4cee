from __future__ import annotations

from extractor.budget.codes import CodeParts, level_of, parent_of, split_code_name


def test_a_xiang_printed_alone_takes_the_running_kuan() -> None:
    parts = CodeParts()
    assert parts.rebuild([("类", "201"), ("款", ""), ("项", "")]) == "201"
    assert parts.rebuild([("类", ""), ("款", "05"), ("项", "")]) == "20105"
    assert parts.rebuild([("类", ""), ("款", ""), ("项", "01")]) == "2010501"


def test_columns_repeating_the_parent_digits() -> None:
    assert CodeParts().rebuild([("类", "201"), ("款", "06"), ("项", "01")]) == "2010601"


def test_economic_codes_split_in_two_columns() -> None:
    assert CodeParts().rebuild([("类", "301"), ("款", "08")]) == "30108"


def test_a_xiang_with_no_parent_is_not_guessed() -> None:
    assert CodeParts().rebuild([("项", "01")]) is None


def test_codes_glued_to_names() -> None:
    assert split_code_name("2050299-其他普通教育支出") == ("2050299", "其他普通教育支出")
    assert split_code_name("[201]一般公共服务支出") == ("201", "一般公共服务支出")
    assert split_code_name("30101基本工资") == ("30101", "基本工资")
    assert split_code_name("2026年预算") == (None, "2026年预算")


def test_levels_and_parents() -> None:
    assert [level_of(c, economic=False) for c in ("201", "20105", "2010501", "201050101")] == ["类", "款", "项", "item"]
    assert [level_of(c, economic=True) for c in ("301", "30101", "3010201")] == ["类", "款", "item"]
    assert (parent_of("2010501"), parent_of("3010201"), parent_of("201")) == ("20105", "30102", None)
