from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.values import parse_value

# The contract's table (OUTPUT.md), row by row.
CONTRACT = [
    ("≥90百分比", ">=", "90", None, "%", False),
    ("100百分比", "=", "100", None, "%", False),
    (">100个", ">", "100", None, "个", False),
    ("≥90分", ">=", "90", None, "分", False),
    ("≤5%", "<=", "5", None, "%", False),
    ("0", "=", "0", None, None, False),
    ("≥90是否按时发放工资", ">=", "90", None, "是否按时发放工资", False),
    ("90-95%", "range", "90", "95", "%", False),
    ("＞＝98％", ">=", "98", None, "%", False),
    ("涉密", None, None, None, None, True),
    ("按时完成", None, None, None, None, False),
]


@pytest.mark.parametrize("raw, op, number, upper, unit, redacted", CONTRACT)
def test_contract_table(
    raw: str, op: str | None, number: str | None, upper: str | None, unit: str | None, redacted: bool
) -> None:
    value = parse_value(raw)
    assert value.raw == raw
    assert value.op == op
    assert value.number == (Decimal(number) if number else None)
    assert value.upper == (Decimal(upper) if upper else None)
    assert value.unit == unit
    assert value.redacted is redacted


@pytest.mark.parametrize(
    "raw, op",
    [
        ("≧1次", ">="),
        ("不低于95%", ">="),
        ("不少于3次", ">="),
        ("≦2天", "<="),
        ("不高于5%", "<="),
        ("不超过10万元", "<="),
        ("＞3个", ">"),
        ("大于3个", ">"),
        ("高于3个", ">"),
        ("＜2%", "<"),
        ("小于2%", "<"),
        ("低于2%", "<"),
        ("＝100%", "="),
        ("=100%", "="),
    ],
)
def test_operator_spellings(raw: str, op: str) -> None:
    assert parse_value(raw).op == op


def test_units_that_are_not_units_are_kept_and_reported() -> None:
    value = parse_value("≥90是否按时发放工资")
    assert value.problems == ("text after the number is not a unit: '是否按时发放工资'",)
    assert parse_value("≥90百分比").problems == ()


@pytest.mark.parametrize("raw", ["约95%", "95%左右"])
def test_hedged_values_keep_equals_and_are_reported(raw: str) -> None:
    value = parse_value(raw)
    assert (value.op, value.number, value.unit) == ("=", Decimal(95), "%")
    assert value.problems and "hedged" in value.problems[0]


def test_empty_cell() -> None:
    value = parse_value(None)
    assert (value.raw, value.op, value.number, value.redacted) == (None, None, None, False)


def test_regression_digit_of_another_script_is_not_a_number() -> None:
    # hypothesis found '\U000116d0' (a digit \d matches but Decimal refuses)
    from extractor.numbers import parse_number
    from extractor.textutil import list_number

    assert parse_value("\U000116d0").number is None
    assert parse_number("\U000116d0").value is None
    assert list_number("\U000116d0.x") is None


def test_regression_a_figure_cut_at_a_line_start_is_no_list_item() -> None:
    # a browser wrapped the seed's "培训费0,。2万元" before "0,": no list counts from 0
    from extractor.textutil import list_number

    assert list_number("0,。2万元，党组织活动经费") is None
    assert list_number("0,。2万元", expected=1) is None
    assert list_number("1,保障工资") == 1


@pytest.mark.parametrize(
    "raw, op, number, unit",
    [
        ("≤5个工作日", "<=", 5, "个工作日"),  # Xi'an's 信访事项 deadlines
        ("300㎡", "=", 300, "㎡"),
        ("≥3场次", ">=", 3, "场次"),
        ("≥20栋", ">=", 20, "栋"),
        ("≥90%以上", ">=", 90, "%"),  # the bound said twice: nothing to report
    ],
)
def test_county_units_and_bounds_read_without_comment(raw: str, op: str, number: int, unit: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.op, parsed.number, parsed.unit, parsed.problems) == (op, Decimal(number), unit, ())


def test_within_a_time_is_at_most_and_reported() -> None:
    parsed = parse_value("5个工作日内")
    assert (parsed.op, parsed.number, parsed.unit) == ("<=", Decimal(5), "个工作日")
    assert parsed.problems == ("bound written as '内'; read as '<='",)
    contrary = parse_value("≤90%以上")  # two bounds that disagree: the unit is suspect
    assert contrary.op == "<=" and contrary.problems


@pytest.mark.parametrize("raw, op", [("\uf0b390%", ">="), ("\uf0a35%", "<="), ("\uf03e100个", ">")])
def test_symbol_font_operators_at_their_private_use_aliases(raw: str, op: str) -> None:
    # a run set in the Symbol font (Word), or a PDF's Symbol glyph without a
    # Unicode map: ≥ arrives as U+F0B3, and was text before the number (op "=")
    parsed = parse_value(raw)
    assert parsed.op == op and parsed.problems == () and parsed.raw == raw


@pytest.mark.parametrize(
    "raw",
    [
        "平方米；≥9547平方米；≥12000平方米",  # a 指标值 cell listing a project's targets, the unit first
        "≥3次;≥100人次",
        "3月底、6月底",
        "≥95%\n≥90%",
    ],
)
def test_a_cell_of_several_values_is_not_read_as_one(raw: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.raw, parsed.op, parsed.number, parsed.unit) == (raw, None, None, None)
    assert parsed.problems == ("several values in one cell: not read as one (op, number and unit left empty)",)


@pytest.mark.parametrize(
    "raw, op, number, unit",
    [
        ("≥10周次", ">=", 10, "周次"),
        ("≥200件次", ">=", 200, "件次"),
        ("1,000人次", "=", 1000, "人次"),  # a thousands comma is not a list
        ("≥500万核", ">=", 500, "万核"),
        ("≥95%；", ">=", 95, "%"),  # a list's closing mark after one value
    ],
)
def test_counted_units_are_units(raw: str, op: str, number: int, unit: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.op, parsed.number, parsed.unit, parsed.problems) == (op, Decimal(number), unit, ())
