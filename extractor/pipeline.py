"""The pipeline, one direction: reader → segmenter → part parsers →
validation → `Disclosure`."""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from .blocks import Block, Paragraph, SourceDocument
from .checks import run_checks
from .errors import NotADisclosure, TimedOut
from .findings import READER_NOTE, IssueLog, model_location
from .limits import DEFAULT_LIMITS, Limits
from .models import Disclosure, Part, Source
from .parts._report import Report
from .parts.assets import parse_assets
from .parts.glossary import parse_glossary
from .parts.operating import parse_operating_costs
from .parts.organization import parse_organization
from .parts.other import parse_other_matters
from .parts.overview import parse_overview
from .parts.performance import parse_performance
from .parts.procurement import parse_procurement
from .parts.projects import CellLedger
from .parts.three_public import parse_three_public
from .readers import read_path
from .segment import PART_TITLES, Segments, block_text, segment

__all__ = ["Extraction", "extract_document", "extract_file", "gc_paused", "time_limit"]

_YEAR = regex.compile(r"(?P<year>(?:19|20)[0-9]{2})\s*年")

#: Part number → (Disclosure field, parser).  Part 5 is handled apart
#: because it also returns the cell ledgers of its tables.
_PARSERS: dict[int, tuple[str, Callable[[list[Block], Report], Any]]] = {
    1: ("organization", parse_organization),
    2: ("budget_overview", parse_overview),
    3: ("operating_costs", parse_operating_costs),
    4: ("three_public", parse_three_public),
    6: ("procurement", parse_procurement),
    7: ("assets", parse_assets),
    8: ("glossary", parse_glossary),
    9: ("other_matters", lambda blocks, report: parse_other_matters(blocks)),
}


@dataclass(slots=True)
class Extraction:
    """A disclosure and how the cells of its performance tables were used."""

    disclosure: Disclosure
    ledgers: list[CellLedger]


def _title(preamble: list[Block]) -> tuple[str | None, str | None, int | None]:
    """Title, department and year from the paragraphs before part 1: the
    short lines up to the one naming the year's budget disclosure."""
    lines: list[str] = []
    for block in preamble:
        if not isinstance(block, Paragraph) or len(block.text) > 60:
            break
        lines.append(block.text.strip())
        if _YEAR.search(block.text) and "预算" in block.text:
            break
    title = "".join(lines) or None
    if title is None:
        return None, None, None
    year = _YEAR.search(title)
    department = title[: year.start()].strip() if year and year.start() > 0 else (lines[0] if len(lines) > 1 else None)
    return title, department or None, int(year.group("year")) if year else None


def _parts(segments: Segments) -> list[Part]:
    parts: list[Part] = []
    for number, default_title in PART_TITLES.items():
        found = segments.parts.get(number)
        if found is None:
            parts.append(Part(number=number, title=default_title, found=False, text=None))
            continue
        text = "\n".join(t for t in (block_text(b) for b in found.blocks) if t)
        parts.append(
            Part(number=number, title=found.title, found=True, text=text, location=model_location(found.location))
        )
    return parts


@contextmanager
def time_limit(seconds: float, name: str) -> Iterator[None]:
    """Raise `TimedOut` when the block runs longer than ``seconds`` (a timer
    signal; in the main thread of a Unix process only, else no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimedOut(name, f"took longer than {seconds:g} s", "raise --timeout if the file is genuine")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one document is built.

    Reading and parsing allocate tens of thousands of small objects that
    stay alive until the document is returned and form no cycles; the
    collector would only traverse the growing graph again and again (about
    an eighth of the extraction time on the seed).  Reference counting still
    frees everything; the collector's state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def extract_document(document: SourceDocument) -> Extraction:
    """Extract a disclosure from a reader's blocks."""
    with gc_paused():
        return _extract(document)


def _extract(document: SourceDocument) -> Extraction:
    log = IssueLog()
    for note in document.notes:
        log.add(READER_NOTE, note=note)
    segments = segment(document.blocks, log)
    if not segments.parts:
        raise NotADisclosure(
            document.source.file,
            "none of the nine parts (第一部分 … 第九部分) was found",
            "is this a 部门预算信息公开 document?",
        )
    fields: dict[str, Any] = {}
    for number, (name, parser) in _PARSERS.items():
        part = segments.parts.get(number)
        fields[name] = parser(part.blocks, Report(log, number)) if part else None
    ledgers: list[CellLedger] = []
    performance_part = segments.parts.get(5)
    if performance_part is not None:
        fields["performance"], ledgers = parse_performance(performance_part.blocks, Report(log, 5))
    else:
        fields["performance"] = None
    title, department, year = _title(segments.preamble)
    info = document.source
    disclosure = Disclosure(
        source=Source(
            file=info.file,
            format=info.format,
            sha256=info.sha256,
            bytes=info.bytes,
            encoding=info.encoding,
        ),
        title=title,
        department=department,
        year=year,
        preamble="\n".join(t for t in (block_text(b) for b in segments.preamble) if t) or None,
        parts=_parts(segments),
        issues=[],
        **fields,
    )
    run_checks(disclosure, log)
    disclosure.issues = log.issues
    return Extraction(disclosure, ledgers)


def extract_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Disclosure:
    """Read and extract one disclosure file (docx, pdf or txt), within ``limits``."""
    with time_limit(limits.timeout_seconds, str(path)), gc_paused():
        return _extract(read_path(path, limits)).disclosure
