"""The 指标值 parser: ``≥90百分比`` → op ``>=``, number 90, unit ``%``.

The rules are the contract's (OUTPUT.md, "value parses the 指标值 cell"):
operators in ASCII, full-width and words (full-width forms are folded
to ASCII before matching); ``百分比 % ％`` all mean ``%``;
ranges ``90-95%``; redacted ``涉密``; qualitative text keeps no number.
Whatever cannot be read as a plain unit is kept as written and reported:
`parse_value` returns the reasons, the caller turns them into issues.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import regex

from .numbers import MAX_DIGITS

__all__ = ["KNOWN_UNITS", "ParsedValue", "is_operator", "parse_value"]

REDACTED_MARKERS: tuple[str, ...] = ("涉密",)

# Longest spellings first so that ">=" wins over ">".  Text is NFKC-normalized
# before matching, which folds ＞＝ to >=, ＞ to >, ＝ to =.
_OPERATORS: tuple[tuple[str, str], ...] = (
    (">=", ">="),
    ("≥", ">="),
    ("≧", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("大于等于", ">="),
    ("大于或等于", ">="),
    ("<=", "<="),
    ("≤", "<="),
    ("≦", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("小于等于", "<="),
    ("小于或等于", "<="),
    (">", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("<", "<"),
    ("小于", "<"),
    ("低于", "<"),
    ("=", "="),
)
_OPERATOR = regex.compile("|".join(regex.escape(s) for s, _ in sorted(_OPERATORS, key=lambda p: -len(p[0]))))
_OPERATOR_OF = dict(_OPERATORS)
# ASCII digits only: \d would also take other scripts' digits, which Decimal refuses
_NUMBER = r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?"
# A range's low end starts a run of digits: without the look-behind a search
# would retry from every digit of a long run, each retry scanning to its end.
_RANGE = regex.compile(rf"(?<![0-9])(?P<lo>{_NUMBER})\s*(?P<lo_unit>%|百分比)?\s*[-~～—–至到]+\s*(?P<hi>{_NUMBER})")
_FIRST_NUMBER = regex.compile(_NUMBER)
# More digits than any figure has (thousands separators allowed between them).
_TOO_LONG = regex.compile(rf"(?:[0-9],?){{{MAX_DIGITS + 1}}}")
# The common case in one match: an optional operator, a number, a unit.
_SIMPLE = regex.compile(rf"(?P<op>{_OPERATOR.pattern})?\s*(?P<num>{_NUMBER})\s*(?P<unit>[^\d~～—–至到-]*)")
_HEDGES_BEFORE = ("大约", "大概", "约")
_HEDGES_AFTER = ("左右", "上下")
# A bound written after the number: "95%以上" is read as ">= 95" and reported.
_BOUNDS_AFTER = (("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("内", "<="))
_PERCENT = ("百分比", "%")
# Targets listed in one cell (``≥9547平方米；≥100人次``): the separators between them.
# A comma is not one of them (``1,000``); dates and ranges have no separator.
_LIST_SEPARATOR = regex.compile(r"[；;、\n]")
_DIGIT = regex.compile(r"[0-9]")

#: Units of measure accepted without comment after a number.
KNOWN_UNITS: frozenset[str] = frozenset(
    [
        "%",
        "个",
        "次",
        "人",
        "人次",
        "名",
        "户",
        "家",
        "所",
        "场",
        "期",
        "份",
        "件",
        "项",
        "篇",
        "本",
        "册",
        "套",
        "台",
        "辆",
        "部",
        "座",
        "处",
        "间",
        "张",
        "条",
        "批",
        "册次",
        "周次",
        "件次",
        "台次",
        "车次",
        "班次",
        "篇次",
        "核",
        "万核",
        "元",
        "万元",
        "亿元",
        "千元",
        "元/人",
        "元/年",
        "万元/年",
        "元/月",
        "元/人/月",
        "分",
        "天",
        "日",
        "月",
        "年",
        "周",
        "小时",
        "工作日",
        "个月",
        "季度",
        "学时",
        "课时",
        "天次",
        "米",
        "公里",
        "千米",
        "平方米",
        "平米",
        "亩",
        "公顷",
        "吨",
        "千克",
        "公斤",
        "立方米",
        "人/次",
        "次/年",
        "次/月",
        "户次",
        "村",
        "乡镇",
        "个乡镇",
        "个村",
        "所学校",
        "人数",
        "倍",
        "种",
        "类",
        "个百分点",
        "百分点",
        "星",
        "级",
        "万人",
        "万人次",
        "万户",
        "万份",
        "万册",
        "万条",
        "万次",
        "起",
        "块",
        "箱",
        "分钟",
        "秒",
        "毫秒",
        "元/人月",
        "元/人·次",
        "元/人次",
        "人/户",
        "分钟/月",
        "个/套",
        "台（套）",
        "台套",
        "MB",
        "GB",
        "TB",
        "个工作日",
        "场次",
        "批次",
        "个批次",
        "家次",
        "人次/年",
        "栋",
        "株",
        "棵",
        "头",
        "只",
        "门",
        "艘",
        "架",
        "幅",
        "首",
        "㎡",
        "㎥",
        "㎞",
        "㎏",
        "m²",
        "m³",
        "km",
        "kg",
    ]
)


class ParsedValue(NamedTuple):
    raw: str | None
    op: str | None
    number: Decimal | None
    upper: Decimal | None
    unit: str | None
    redacted: bool
    problems: tuple[str, ...] = ()


_EMPTY = ParsedValue(None, None, None, None, None, False)
#: Values up to this length are parsed once and remembered: a few dozen
#: spellings (100百分比, ≥90%, 1次) fill most indicator tables.
_CACHED_LENGTH = 40

# Full-width digits, operators and marks folded to ASCII for matching; other
# characters (brackets in units, say) stay as written.
_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９＞＜＝％．，＋－～\u3000"
    # the Symbol font's operators at their private-use aliases (U+F0xx), as Word writes them in a run set
    # in Symbol and PDFs set in it read without a Unicode map: ≥ ≤ > < = %
    "\uf0b3\uf0a3\uf03e\uf03c\uf03d\uf025",
    "0123456789><=%.,+-~ ≥≤><=%",
)


def _to_decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _unit_of(text: str) -> str | None:
    text = text.strip()
    for spelling in _PERCENT:
        if text.startswith(spelling):
            rest = text[len(spelling) :].strip()
            return "%" + rest if rest else "%"
    return text or None


def is_operator(text: str) -> bool:
    """Whether the text is an operator and nothing else (``≥``, ``＝``, ``不低于``):
    a column of its own in some layouts."""
    return _OPERATOR.fullmatch(text.translate(_FULL_WIDTH).strip()) is not None


def parse_value(raw: str | None) -> ParsedValue:
    """Parse one 指标值 cell.  ``problems`` lists what the caller should report."""
    if raw is None or not raw.strip():
        return _EMPTY
    raw = raw.strip()
    return _parse_remembered(raw) if len(raw) <= _CACHED_LENGTH else _parse(raw)


@lru_cache(maxsize=2048)
def _parse_remembered(raw: str) -> ParsedValue:
    return _parse(raw)


def _parse(raw: str) -> ParsedValue:
    """`parse_value` of a stripped, non-empty cell (a `ParsedValue` is immutable, so it may be shared)."""
    if any(marker in raw for marker in REDACTED_MARKERS):
        return ParsedValue(raw, None, None, None, None, True)
    text = raw.translate(_FULL_WIDTH).strip().rstrip("；;。、,")  # a list's closing mark is no unit
    if _TOO_LONG.search(text):
        too_long = (f"a number of more than {MAX_DIGITS} digits: not read",)
        return ParsedValue(raw, None, None, None, None, False, too_long)
    if _several_values(text):
        several = ("several values in one cell: not read as one (op, number and unit left empty)",)
        return ParsedValue(raw, None, None, None, None, False, several)
    simple = _SIMPLE.fullmatch(text)
    if simple is not None:
        unit = _unit_of(simple.group("unit"))
        if unit is None or unit in KNOWN_UNITS:
            op = _OPERATOR_OF[simple.group("op")] if simple.group("op") else "="
            return ParsedValue(raw, op, _to_decimal(simple.group("num")), None, unit, False)
    problems: list[str] = []

    range_match = _RANGE.search(text)
    if range_match and not _OPERATOR.match(text):
        prefix, suffix = text[: range_match.start()].strip(), text[range_match.end() :]
        unit = _unit_of(suffix) or _unit_of(range_match.group("lo_unit") or "")
        if prefix:
            problems.append(f"text before the range: {prefix!r}")
        return _finish(
            raw, "range", _to_decimal(range_match.group("lo")), _to_decimal(range_match.group("hi")), unit, problems
        )

    number_match = _FIRST_NUMBER.search(text)
    if number_match is None:
        return ParsedValue(raw, None, None, None, None, False)
    prefix, suffix = text[: number_match.start()].strip(), text[number_match.end() :].strip()
    op = "="
    op_match = _OPERATOR.search(prefix)
    if op_match:
        op = _OPERATOR_OF[op_match.group()]
        prefix = (prefix[: op_match.start()] + prefix[op_match.end() :]).strip()
    for hedge in _HEDGES_BEFORE:
        if prefix.endswith(hedge):
            prefix = prefix[: -len(hedge)].strip()
            problems.append(f"hedged value ({hedge}); kept as '='")
    for hedge in _HEDGES_AFTER:
        if suffix.endswith(hedge):
            suffix = suffix[: -len(hedge)].strip()
            problems.append(f"hedged value ({hedge}); kept as {op!r}")
    for word, bound in _BOUNDS_AFTER:
        if suffix.endswith(word) and op in ("=", bound):
            if op == "=":
                problems.append(f"bound written as {word!r}; read as {bound!r}")
            suffix, op = suffix[: -len(word)].strip(), bound  # ≥90%以上 says it twice
            break
    if prefix:
        problems.append(f"text before the number: {prefix!r}")
    return _finish(raw, op, _to_decimal(number_match.group()), None, _unit_of(suffix), problems)


def _several_values(text: str) -> bool:
    """Whether the cell lists two or more figures (each part between separators with a number)."""
    if _LIST_SEPARATOR.search(text) is None:
        return False
    return sum(_DIGIT.search(part) is not None for part in _LIST_SEPARATOR.split(text)) > 1


def _finish(
    raw: str, op: str, number: Decimal, upper: Decimal | None, unit: str | None, problems: list[str]
) -> ParsedValue:
    if unit is not None and unit not in KNOWN_UNITS:
        problems.append(f"text after the number is not a unit: {unit!r}")
    return ParsedValue(raw, op, number, upper, unit, False, tuple(problems))
