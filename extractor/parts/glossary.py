"""Part 8, 名词解释: numbered ``term：definition`` paragraphs."""

from __future__ import annotations

import regex

from ..blocks import Block
from ..findings import UNPARSED_TEXT
from ..models import GlossaryTerm
from ._prose import paragraphs
from ._report import Report

__all__ = ["parse_glossary"]

_TERM = regex.compile(
    r"^\s*(?:\d+\s*[、.．]|[（(]\d+[)）])?\s*(?P<term>[^：:。，]{1,40}?)\s*[：:]\s*(?P<definition>\S.*)$"
)


def parse_glossary(blocks: list[Block], report: Report) -> list[GlossaryTerm]:
    terms: list[GlossaryTerm] = []
    for paragraph in paragraphs(blocks):
        match = _TERM.match(paragraph.text)
        if match:
            terms.append(GlossaryTerm(term=match.group("term"), definition=match.group("definition").strip()))
        elif terms:
            terms[-1].definition += "\n" + paragraph.text
        else:
            report.add(UNPARSED_TEXT, paragraph.location, where="名词解释", text=paragraph.text)
    return terms
