from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.numbers import parse_number, parse_percent


@pytest.mark.parametrize(
    "text, value",
    [
        ("1122.5675", "1122.5675"),
        ("418.6860", "418.6860"),
        ("0", "0"),
        ("-0.1", "-0.1"),
        ("1,234.5", "1234.5"),
        (" 37.78 ", "37.78"),
        ("１２.５", "12.5"),
        ("\u221212.5", "-12.5"),  # the minus sign a spreadsheet prints, which NFKC keeps
        ("－3", "-3"),
    ],
)
def test_plain_numbers_are_exact(text: str, value: str) -> None:
    parsed = parse_number(text)
    assert parsed.value == Decimal(value)
    assert str(parsed.value) == value.replace(",", "").replace("１２", "12")
    assert not parsed.repaired


@pytest.mark.parametrize("text, value", [("0,。2", "0.2"), ("3。5", "3.5"), ("12,5", "12.5"), ("1..5", "1.5")])
def test_typos_are_repaired_and_flagged(text: str, value: str) -> None:
    parsed = parse_number(text)
    assert parsed.value == Decimal(value)
    assert parsed.repaired
    assert parsed.original == text


@pytest.mark.parametrize("text", ["", "—", "-", None])
def test_empty_is_none_not_zero(text: str | None) -> None:
    parsed = parse_number(text)
    assert parsed.value is None and not parsed.unreadable


def test_unreadable() -> None:
    parsed = parse_number("三十")
    assert parsed.value is None and parsed.unreadable


def test_percent() -> None:
    assert parse_percent("20.00%").value == Decimal("20.00")
    assert parse_percent("100%").value == Decimal(100)
    assert parse_percent("").value is None
