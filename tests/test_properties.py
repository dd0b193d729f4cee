"""Property-based tests: for any input, the text reader and the number and
指标值 parsers return a result or raise the project's own documented error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import InputError, read_bytes
from extractor.numbers import parse_number, parse_percent
from extractor.readers.textfile import parse_flat_text
from extractor.values import parse_value

TEXTISH = st.text(
    alphabet=st.sampled_from(
        list("\t\n\r 0123456789.,，。%％≥≤<>＞＜=＝-~约左右百分比个次第一部分绩效目标表涉密\\TCf")
    ),
    max_size=300,
)


@given(st.text(max_size=400))
def test_text_reader_takes_any_text(text: str) -> None:
    for block in parse_flat_text(text):
        assert block.location.line is not None


@given(TEXTISH)
def test_text_reader_takes_table_like_text(text: str) -> None:
    parse_flat_text(text)


@settings(max_examples=200, deadline=None)  # an RTF or .doc start runs LibreOffice: seconds, not a hang
@given(st.binary(max_size=600))
def test_any_bytes_read_or_raise_input_error(data: bytes) -> None:
    try:
        read_bytes(data, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ")


@given(st.one_of(st.none(), st.text(max_size=40), TEXTISH))
def test_number_parser_total(text: str | None) -> None:
    parsed = parse_number(text)
    assert parsed.value is None or parsed.value.is_finite()
    parse_percent(text)


@given(st.one_of(st.none(), st.text(max_size=40), TEXTISH))
def test_value_parser_total(raw: str | None) -> None:
    value = parse_value(raw)
    assert value.op in (None, ">=", "<=", ">", "<", "=", "range")
    assert (value.upper is None) or value.op == "range"
    assert not (value.redacted and value.number is not None)
