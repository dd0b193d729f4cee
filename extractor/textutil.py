"""Small text helpers shared by readers and parsers: Word field codes,
list numbering, whitespace."""

from __future__ import annotations

import regex

__all__ = [
    "compact",
    "list_number",
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

# List numbering at the start of a line: "1." "1、" "1．" "（1）" "(1)" "1)".
_LIST_NUMBER = regex.compile(r"^\s*(?:[（(]\s*(?P<n>\d{1,3})\s*[）)]|(?P<n>\d{1,3})\s*(?:[.、．，,](?!\d)|[）)]))\s*")


def strip_field_codes(text: str) -> str:
    """Remove a Word field instruction that leaked at the end of ``text``."""
    if "\\" not in text:
        return text
    return _FIELD_CODE.sub("", text)


def list_number(text: str) -> int | None:
    """The list number a line starts with (``2.`` → 2), or None."""
    match = _LIST_NUMBER.match(text)
    return int(match.group("n")) if match else None


def strip_list_number(text: str) -> str:
    """The line without its leading list numbering, trimmed."""
    return _LIST_NUMBER.sub("", text, count=1).strip()


def compact(text: str) -> str:
    """Text with all white space (ideographic space included) removed, for
    matching labels such as ``合  计`` or ``项　　目``."""
    return "".join(text.split())
