"""Finding labelled amounts and lists of amounts in running text.

A figure is taken from prose only when one clause of one sentence says what
it is: the label, then the figure, nothing between them but words of the
same subject.  A year, a change on the year before (增加/减少 …), a
percentage or the figure of another subject met first is rejected, and the
reason kept, so a field left empty can say why.  Wrapped lines of a PDF
whose reader did not join them are joined here first: a figure is often
printed on the line after its label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import regex

from ..blocks import Block, Location, Paragraph
from ..findings import FIELD_MISSING, FIGURE_CONFLICT, FIGURE_REJECTED
from ..textutil import compact, starts_numbered, strip_list_number
from ._report import Report

__all__ = [
    "AMOUNT",
    "CHANGE_WORD",
    "Figure",
    "Figures",
    "ItemMatch",
    "Rejection",
    "Sentence",
    "find_figure",
    "line_items",
    "paragraphs",
    "report_conflict",
    "sentences",
    "unit_in",
]

_ZERO = regex.compile(r"^0+(?:\.0+)?$")  # a figure of nothing, in whatever unit

#: A number as printed (typos such as ``0,。2`` included) and its money unit.
# From the start of a number, at most 32 characters of digits and separators: unbounded, a long
# "1.1.1…" with no unit after it was rescanned from each of its digits (quadratic); started inside
# a longer number, it would take the number's tail.
AMOUNT = r"(?P<num>(?<!\d[,，。.．]?)[+-]?\d(?:[\d,，。.．]{0,30}\d)?)\s*(?P<unit>亿元|万元|千元|元)"
#: Words saying that an amount is a change on the year before, not a level.
CHANGE_WORD = regex.compile(r"增加|减少|增长|下降|上升|降低|增减|压减|节约|持平|增幅|降幅")
_UNIT_NOTE = regex.compile(r"单位\s*[:：]\s*(?P<unit>亿元|万元|千元|元)")
# An item's name is at most 60 characters: unbounded, a long run with no amount was rescanned from
# each of its characters (quadratic: 15 s for 20,000).
_ITEM = regex.compile(r"(?P<name>[^\d，,；;。:：\s][^\d，,；;。:：]{0,59}?)\s*(?:为|共|计)?\s*" + AMOUNT)
_ITEM_PREFIX = regex.compile(r"^(?:其中|包括|主要包括|主要用于|包含|分别为|具体为)[:：]?")
_FILLER = regex.compile(r"[\s，,；;。:：、.．]+|其中|包括|主要包括|分别为|具体为|等")

# Sentences end at 。 (not the 。 of a typo inside a number, "0,。2") ； ！ ？
_SENTENCE_END = regex.compile(r"(?<=[；;！？!?])|(?<=[^\d,，.．]。)|(?<=。)(?!\d)")
_ENDS_SENTENCE = regex.compile(r"[。；;！？!?]\s*$")
# A line that can only continue the one before: it starts with a figure, a unit or punctuation.
_CONTINUES = regex.compile(r"^(?:[0-9，,、。．.；;）)%％]|亿元|万元|千元|元)")
_FULL_LINE = 22
_HEADING_LENGTH = 25
# Clauses end at commas (not the thousands separator of "19,230.18") and semicolons.
_CLAUSE_END = regex.compile(r"[，,](?!\d)|(?<!\d)[，,]|[；;]")
_NUMBER = regex.compile(r"\d(?:[\d,，。.．]*\d)?")
_AFTER = regex.compile(r"\s*(?:(?P<unit>亿元|万元|千元|元)|(?P<date>年|月|日)|(?P<percent>%|％|个百分点))")
_YEAR = regex.compile(r"(?:19|20)\d\d")
_DIGIT = regex.compile(r"\d")
_PUNCTUATION = regex.compile(r"[，,。；;]")
# 「…支出预算为76.43万元，2024年度支出决算为46.21万元」: a final account after the budget
# (not 「比2025年决算数减少」, a comparison)
_FINAL_STATED = regex.compile(r"(?<![比较][^，,；;。]{0,12})决算数?\s*(?:为|是)")
# the text between a clause's last number and a label
_LEAD = regex.compile(r"\D*$")
#: The subjects of budget prose: a figure after another subject's name is that subject's.
_SUBJECTS = regex.compile(
    r"三公|因公出国|公务接待|公务用车|运行经费|人员经费|公用经费|基本支出|项目支出|采购|资产|收入|收支"
)


@dataclass(frozen=True, slots=True)
class ItemMatch:
    name: str
    amount_text: str
    unit: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of running text, wrapped lines joined.  A line break is
    kept (as ``\\n``) only after a digit, where it may part a number from its
    unit; `quote` is the sentence as a reader would quote it."""

    text: str
    location: Location

    @property
    def quote(self) -> str:
        return self.text.replace("\n", "")


@dataclass(frozen=True, slots=True)
class Figure:
    """An amount taken from a sentence: the number as printed, its unit,
    and where it ends in the sentence's text."""

    text: str
    unit: str
    sentence: Sentence
    end: int


@dataclass(frozen=True, slots=True)
class Rejection:
    """A number met after a label and not taken, and why."""

    figure: str
    reason: str
    sentence: Sentence


def paragraphs(blocks: Iterable[Block]) -> list[Paragraph]:
    return [block for block in blocks if isinstance(block, Paragraph)]


def _is_heading(line: str) -> bool:
    return starts_numbered(line) and len(compact(line)) <= _HEADING_LENGTH and _PUNCTUATION.search(line) is None


def _wrapped(last: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence ``last`` was cut from."""
    if _ENDS_SENTENCE.search(last) or _is_heading(last) or starts_numbered(line):
        return False
    return len(compact(last)) >= _FULL_LINE or _CONTINUES.match(line) is not None


def _chunks(blocks: Iterable[Block]) -> list[tuple[str, Location]]:
    """Runs of consecutive lines that read as one text, each with its place;
    a table ends a run."""
    chunks: list[tuple[str, Location]] = []
    text, last, where = "", "", Location()
    for block in blocks:
        if not isinstance(block, Paragraph):
            last = ""
            continue
        for line in (raw.strip() for raw in block.text.split("\n")):
            if not line:
                continue
            if last and _wrapped(last, line):
                text += ("\n" if text[-1].isdigit() and not line[0].isdigit() else "") + line
                where = where.through(block.location)
            else:
                if text:
                    chunks.append((text, where))
                text, where = line, block.location
            last = line
    if text:
        chunks.append((text, where))
    return chunks


def _label_only(sentence: Sentence) -> bool:
    """A numbered run-in heading without figures: ``（一）收入预算。``."""
    text = sentence.text
    return starts_numbered(text) and len(compact(text)) <= 20 and _DIGIT.search(strip_list_number(text)) is None


def sentences(blocks: Iterable[Block]) -> list[Sentence]:
    """The sentences of the paragraphs in ``blocks``.  A numbered run-in
    heading (``（一）收入预算。``, ``（一）机关运行经费``) is joined to the
    sentence it heads: it names that sentence's subject."""
    found: list[Sentence] = []
    heading: Sentence | None = None
    for text, where in _chunks(blocks):
        for piece in _SENTENCE_END.split(text):
            sentence = Sentence(piece.strip(), where)
            if not sentence.text:
                continue
            if _label_only(sentence):
                if heading is not None:
                    found.append(heading)
                heading = sentence
                continue
            if heading is not None:
                sentence = Sentence(heading.text + sentence.text, heading.location.through(sentence.location))
                heading = None
            found.append(sentence)
    if heading is not None:
        found.append(heading)
    return found


def _clauses(text: str) -> Iterable[tuple[int, str]]:
    """The clauses of a sentence, each with its offset."""
    start = 0
    for end in _CLAUSE_END.finditer(text):
        yield start, text[start : end.start()]
        start = end.end()
    yield start, text[start:]


def _read_clause(sentence: Sentence, offset: int, clause: str, label: regex.Match[str]) -> Figure | Rejection | None:
    """The figure ``clause`` states after ``label``, or the number rejected
    in its place; dates are passed over, so are numbers without a unit.
    Another subject named between the clause's previous number and the
    label (“三公”经费预算支出) or between the label and the number makes the
    number that subject's."""
    own = {m.group() for m in _SUBJECTS.finditer(label.group())}
    lead_match = _LEAD.search(clause, 0, label.start())
    lead = lead_match.group() if lead_match else ""
    # 收入 before a label is where the figure sits (收入中人员经费…), not whose it is
    others = [m.group() for m in _SUBJECTS.finditer(lead) if m.group() not in ("收入", "收支")]
    for number in _NUMBER.finditer(clause, label.end()):
        after = _AFTER.match(clause, number.end())
        if after is not None and after.group("date") is not None:
            continue
        gap = clause[label.end() : number.start()]
        printed = clause[number.start() : after.end() if after else number.end()].replace("\n", "")
        other = next((o for o in [*others, *(m.group() for m in _SUBJECTS.finditer(gap))] if o not in own), None)
        if other is not None:
            return Rejection(printed, f"the figure of another subject ({other})", sentence)
        if CHANGE_WORD.search(gap):
            return Rejection(printed, "a change on the year before, not the amount", sentence)
        if after is not None and after.group("percent") is not None:
            return Rejection(printed, "a percentage", sentence)
        if _YEAR.fullmatch(number.group()) and (after is None or "\n" in after.group()):
            return Rejection(printed, "a year", sentence)
        if after is not None and "预算" in gap and _FINAL_STATED.search(sentence.text, offset + after.end()):
            return Rejection(printed, "the budget, and the sentence goes on to the final account (决算)", sentence)
        if after is not None:
            return Figure(number.group(), after.group("unit"), sentence, offset + after.end())
    return None


@cache
def _compiled(label: str) -> regex.Pattern[str]:
    return regex.compile(label)


def find_figure(found: Sequence[Sentence], label: str) -> tuple[Figure | None, list[Rejection]]:
    """The first figure a clause states after ``label`` (a regex), and the
    numbers rejected on the way."""
    pattern = _compiled(label)
    rejected: list[Rejection] = []
    for sentence in found:
        for offset, clause in _clauses(sentence.text):
            for match in pattern.finditer(clause):
                outcome = _read_clause(sentence, offset, clause, match)
                if isinstance(outcome, Figure):
                    return outcome, rejected
                if outcome is not None and outcome not in rejected:  # a label named twice meets one number
                    rejected.append(outcome)
    return None, rejected


@dataclass(slots=True)
class Figures:
    """Figures read from one part's prose, in one money unit: the sentence
    of each figure taken goes into ``evidence`` under its field's name; a
    field left empty is reported with the numbers rejected for it, or as
    missing.  ``subject`` names the part in issue messages (机关运行经费)."""

    report: Report
    subject: str = ""
    evidence: dict[str, str] = field(default_factory=dict)
    unit: str | None = None

    def read(self, found: Sequence[Sentence], label: str, name: str, *, required: bool = True) -> Figure | None:
        figure, rejected = find_figure(found, label)
        nothing = figure is not None and _ZERO.match(figure.text) is not None  # 0元 is 0万元: no unit to mix
        if figure is not None and self.unit is not None and figure.unit != self.unit and not nothing:
            rejected = [
                *rejected,
                Rejection(figure.text + figure.unit, f"in {figure.unit}, not {self.unit}", figure.sentence),
            ]
            figure = None
        if figure is None:
            for rejection in rejected:
                self.report.add(
                    FIGURE_REJECTED,
                    rejection.sentence.location,
                    field=self.field(name),
                    figure=rejection.figure,
                    reason=rejection.reason,
                    sentence=rejection.sentence.quote,
                )
            if required and not rejected:
                self.report.add(FIELD_MISSING, None, field=self.field(name))
            return None
        if not nothing:
            self.unit = self.unit or figure.unit
        self.evidence[name] = figure.sentence.quote
        return figure

    def value(self, found: Sequence[Sentence], label: str, name: str, *, required: bool = True) -> Decimal | None:
        """The amount of `read`, as a number."""
        figure = self.read(found, label, name, required=required)
        return self.number(figure, name) if figure is not None else None

    def number(self, figure: Figure, name: str) -> Decimal | None:
        """The amount of a figure taken; an unreadable one loses its evidence."""
        value = self.report.number(figure.text, self.field(name), figure.sentence.location)
        if value is None:
            self.evidence.pop(name, None)
        return value

    def field(self, name: str) -> str:
        """The field as issue messages name it."""
        return f"{self.subject} {name}".strip()


def report_conflict(
    report: Report, name: str, figure: Figure, value: Decimal, other: Decimal, unit: str, where: str
) -> bool:
    """Report a `figure_conflict` when the prose ``figure`` (read as
    ``value``) differs from ``other``, stated in ``unit`` by ``where``.
    Figures in different units are not compared."""
    if figure.unit != unit or value == other:
        return False
    report.add(
        FIGURE_CONFLICT,
        figure.sentence.location,
        field=name,
        first=f"{figure.text}{figure.unit}",
        where_first=repr(figure.sentence.quote),
        second=f"{other}{unit}",
        where_second=where,
    )
    return True


def line_items(text: str) -> tuple[list[ItemMatch], list[str]]:
    """``name amount unit`` items in a list such as ``办公费48.64万元，邮电费32.1万元``,
    and the fragments between them that are not just punctuation."""
    items: list[ItemMatch] = []
    leftovers: list[str] = []
    position = 0
    for match in _ITEM.finditer(text):
        _keep_leftover(text[position : match.start()], leftovers)
        name = _ITEM_PREFIX.sub("", match.group("name").strip(" .．、")).strip()
        items.append(ItemMatch(name, match.group("num"), match.group("unit")))
        position = match.end()
    _keep_leftover(text[position:], leftovers)
    return items, leftovers


def _keep_leftover(fragment: str, leftovers: list[str]) -> None:
    if _FILLER.sub("", fragment):
        leftovers.append(fragment.strip(" ，,；;。"))


def unit_in(blocks: Iterable[Block], default: str = "万元") -> str:
    """The money unit a part declares (``单位：万元``), else ``default``."""
    for block in blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c.text for c in block.cells()]
        for text in texts:
            match = _UNIT_NOTE.search(text)
            if match:
                return str(match.group("unit"))
    return default
