"""Small text helpers shared by readers and parsers: Word field codes,
list numbering, whitespace; and file names as text (`path_text`) and as
shown on a terminal or in a log (`printable`)."""

from __future__ import annotations

import logging
import os

import regex

__all__ = [
    "CJK_HEADING",
    "PrintableFormatter",
    "compact",
    "counted",
    "in_order",
    "list_number",
    "path_text",
    "printable",
    "starts_numbered",
    "strip_field_codes",
    "strip_list_number",
]

# A Word field instruction leaked into text, e.g. ` TC 1、标题 \f C \l 1 ` or
# ` TOC \o "1-3" \h `: a field keyword, its argument, then one or more
# backslash switches, up to the end of the line.
_FIELD_CODE = regex.compile(
    r"""\s+(?:TC|TOC|XE|SEQ|PAGEREF|REF|HYPERLINK|PAGE|NUMPAGES)\b  # keyword
        [^\n]*?                                                 # its argument
        (?:\s*\\[a-zA-Z*#@!]\s*(?:"[^"\n]*"|[^\s\\]+)?)+         # switches
        \s*$""",
    regex.VERBOSE,
)
# A leaked instruction is a line's last few hundred characters: matching only
# the tail keeps the lazy argument from rescanning a long line from each of
# its keywords (quadratic in the line's length).
_FIELD_CODE_TAIL = 1000

# List numbering at the start of a line: "1." "1、" "1．" "（1）" "(1)" "1)".
# A digit right after the dot ("1.5万元") is a decimal, not a list number,
# and no list counts from 0 ("0,。2万元" is a figure cut by a line end)…
_LIST_NUMBER = regex.compile(
    r"^\s*(?:[（(]\s*(?P<n>[1-9][0-9]{0,2})\s*[）)]|(?P<n>[1-9][0-9]{0,2})\s*(?:[.、．，,](?![0-9])|[）)]))\s*"
)
# …unless the number is the one the list expects next ("1.100%保障…").
_LIST_NUMBER_LOOSE = regex.compile(
    r"^\s*(?:[（(]\s*(?P<n>[1-9][0-9]{0,2})\s*[）)]|(?P<n>[1-9][0-9]{0,2})\s*[.、．，,）)])\s*"
)


#: A heading numbered in Chinese numerals with its title: "一、部门职责".
CJK_HEADING = regex.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<title>\S.*)$")

# A heading or item numbered in Chinese numerals, or a part/chapter heading.
_CJK_NUMBERED = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|第\s*\S{1,3}\s*[部分章节条])"
)


def starts_numbered(text: str) -> bool:
    """Whether a line opens a numbered heading or item (``二、`` ``（三）`` ``2.`` ``第五部分``)."""
    return _CJK_NUMBERED.match(text) is not None or list_number(text) is not None


def strip_field_codes(text: str) -> str:
    """Remove a Word field instruction that leaked at the end of ``text``."""
    if "\\" not in text:
        return text
    cut = max(0, len(text) - _FIELD_CODE_TAIL)
    return text[:cut] + _FIELD_CODE.sub("", text[cut:])


def _numbering(text: str, expected: int | None) -> regex.Match[str] | None:
    match = _LIST_NUMBER.match(text)
    if match is None and expected is not None:
        loose = _LIST_NUMBER_LOOSE.match(text)
        if loose is not None and int(loose.group("n")) == expected:
            return loose
    return match


def list_number(text: str, expected: int | None = None) -> int | None:
    """The list number a line starts with (``2.`` → 2), or None.  With
    ``expected``, that number counts even when a digit follows its dot."""
    match = _numbering(text, expected)
    return int(match.group("n")) if match else None


def strip_list_number(text: str, expected: int | None = None) -> str:
    """The line without its leading list numbering, trimmed."""
    match = _numbering(text, expected)
    return (text[match.end() :] if match else text).strip()


def compact(text: str) -> str:
    """Text with all white space (ideographic space included) removed, for
    matching labels such as ``合  计`` or ``项　　目``."""
    return "".join(text.split())


def in_order(short: str, text: str) -> bool:
    """Whether the characters of ``short`` stand in ``text`` in the same
    order, others between them allowed (文联 in 阜平县文学艺术界联合会)."""
    position = 0
    for char in short:
        position = text.find(char, position) + 1
        if position == 0:
            return False
    return True


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 project``, ``2 projects``: a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


#: A lone surrogate: how Python spells a byte of a file name that is not UTF-8
#: (GBK left by ``unzip``), which no UTF-8 output can hold.
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
#: What a terminal acts on or a reader takes for a line end: C0 and C1
#: controls (ESC, CR, LF, NEL, DEL), the Unicode line and paragraph
#: separators, and the bidirectional overrides that reorder what is shown.
_UNPRINTABLE = regex.compile(r"[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as text any output can hold: each byte of its name that is not
    UTF-8 (a lone surrogate in the ``str`` os.listdir gives) becomes U+FFFD,
    so ``\\xb8\\xbd\\xbc\\xfe1.txt`` is recorded as ``����1.txt``.  The file
    itself is still opened by its own name."""
    return _SURROGATE.sub("\ufffd", os.fspath(path))


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: regex.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str | os.PathLike[str]) -> str:
    """Text (a message, a file name) safe to write to a terminal or a log:
    `path_text`, with every control character and line separator escaped
    (``\\x1b``, ``\\n``, ``\\u2028``), so that a name can neither move the
    cursor nor forge a line of its own."""
    return _UNPRINTABLE.sub(_escaped, path_text(text))


class PrintableFormatter(logging.Formatter):
    """A log formatter whose messages are `printable` (tracebacks, added
    after the message, keep their lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record))
