"""Reading numbers as printed in disclosures, typos included.

``parse_number("0,。2")`` gives 0.2 and says it was repaired: a run of
stray separators between two digit groups that holds a full stop (``。``
``.`` ``．``) is the decimal point; commas are thousands separators only
before groups of exactly three digits.  Anything else is unreadable and
gives ``None`` — nothing is guessed beyond that.  So does a number of more
than `MAX_DIGITS` digits: no disclosure prints one, and it could not be
written as a JSON integer or stored in a database column.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

import regex

__all__ = ["MAX_DIGITS", "ParsedNumber", "parse_number", "parse_percent", "too_long"]

_EMPTY = frozenset({"", "-", "—", "－", "--", "——", "/", "／", "无", "空"})
# ASCII digits only (after NFKC): \d would also take other scripts' digits, which Decimal refuses
_PLAIN = regex.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_GROUPS = regex.compile(r"(?P<sign>[+-]?)(?P<digits>[0-9]+(?:[.,，。．、]+[0-9]+)*)")
_THOUSANDS = regex.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_MARKS = frozenset(".。．")
#: The most digits a number may have (万元 to four places of a national budget needs 17).
MAX_DIGITS = 30
#: Texts up to this length are read once and remembered (a `ParsedNumber` is
#: immutable): tables repeat the same figures and percentages.
_CACHED_LENGTH = 40


class ParsedNumber(NamedTuple):
    """A number read from text: its value (None when unreadable or empty),
    whether a typo had to be repaired, and the text as written."""

    value: Decimal | None
    original: str
    repaired: bool = False

    @property
    def unreadable(self) -> bool:
        return self.value is None and self.original.strip() not in _EMPTY


def too_long(text: str) -> bool:
    """Whether ``text`` holds more than `MAX_DIGITS` digits (counted, not
    matched; a text no longer than that is not counted at all)."""
    return len(text) > MAX_DIGITS and sum(text.count(digit) for digit in "0123456789") > MAX_DIGITS


def _normalize(text: str) -> str:
    # NFKC leaves U+2212 MINUS SIGN as it is: spreadsheets printed to PDF write negatives with it
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "").replace("\u2212", "-")


def parse_number(text: str | None) -> ParsedNumber:
    """Read a number such as ``1122.5675``, ``1,234.5``, ``-0.1`` or the typo
    ``0,。2``.  Empty cells and dashes give a value of None."""
    original = text or ""
    return _read_remembered(original) if len(original) <= _CACHED_LENGTH else _read(original)


@lru_cache(maxsize=2048)
def _read_remembered(original: str) -> ParsedNumber:
    return _read(original)


def _read(original: str) -> ParsedNumber:
    clean = _normalize(original).strip()
    if clean in _EMPTY or too_long(clean):
        return ParsedNumber(None, original)
    if _PLAIN.fullmatch(clean):
        return ParsedNumber(Decimal(clean), original)
    if _THOUSANDS.fullmatch(clean):
        return ParsedNumber(Decimal(clean.replace(",", "")), original)
    match = _GROUPS.fullmatch(clean)
    if match is None:
        return ParsedNumber(None, original)
    repaired = _repair_digits(match.group("digits"))
    if repaired is None:
        return ParsedNumber(None, original)
    try:
        return ParsedNumber(Decimal(match.group("sign") + repaired), original, repaired=True)
    except InvalidOperation:
        return ParsedNumber(None, original)


def _repair_digits(digits: str) -> str | None:
    groups = regex.split(r"[.,，。．、]+", digits)
    separators = regex.findall(r"[.,，。．、]+", digits)
    if len(groups) != 2:
        return None
    (sep,) = separators
    if _DECIMAL_MARKS.intersection(sep) or len(groups[1]) != 3:
        return f"{groups[0]}.{groups[1]}"
    return None


def parse_percent(text: str | None) -> ParsedNumber:
    """Read a percentage such as ``20.00%`` as a number out of 100 (20.00)."""
    original = text or ""
    clean = _normalize(original).strip().removesuffix("%").removesuffix("百分比")
    parsed = parse_number(clean)
    return ParsedNumber(parsed.value, original, parsed.repaired)
