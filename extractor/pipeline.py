"""The pipeline, one direction: reader → segmenter → part parsers →
validation → `Disclosure`.

A part parser that raises loses its part only: the part is left empty, a
``part_failed`` issue names the exception, and the rest is extracted.  The
project's own errors (a time limit) and running out of memory still end
the document.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from .blocks import Block, Location, SourceDocument, Table, block_characters
from .budget import apply_headline_figures, read_budget_tables
from .checks import run_checks
from .cover import read_cover, report_cover
from .errors import ExtractorError, NotADisclosure
from .findings import PART_FAILED, PERFORMANCE_TABLES_UNREAD, READER_NOTE, IssueLog, model_location
from .identity import doc_id
from .limits import DEFAULT_LIMITS, Limits
from .models import BudgetTable, Coverage, Disclosure, Part, Performance, Section, Source
from .parts._report import Report
from .parts.assets import parse_assets
from .parts.glossary import parse_glossary
from .parts.operating import parse_operating_costs
from .parts.organization import parse_organization
from .parts.other import parse_other_matters
from .parts.overview import parse_overview
from .parts.perf_tables import PerformanceTables, read_performance_tables
from .parts.performance import parse_performance, untabled_titles
from .parts.procurement import parse_procurement
from .parts.projects import CellLedger
from .parts.three_public import parse_three_public
from .processes import time_limit
from .readers import read_path
from .readers.pdf import DEFAULT_PDF_BACKEND, PdfBackend
from .segment import NOT_A_DISCLOSURE, PART_TITLES, Segments, block_text, refusal, segment

__all__ = ["NOT_A_DISCLOSURE", "Extraction", "extract_document", "extract_file", "gc_paused", "time_limit"]


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


_T = TypeVar("_T")
_MAX_ERROR_TEXT = 200


def _guarded(number: int, log: IssueLog, parse: Callable[[], _T], fallback: _T) -> _T:
    """``parse()``, or ``fallback`` with a ``part_failed`` issue when it raises."""
    try:
        return parse()
    except (ExtractorError, MemoryError):
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        log.add(PART_FAILED, part=number, number=number, error=error[:_MAX_ERROR_TEXT])
        return fallback


@dataclass(slots=True)
class Extraction:
    """A disclosure and how the cells of its performance tables were used."""

    disclosure: Disclosure
    ledgers: list[CellLedger]


def _sections(segments: Segments) -> list[Section]:
    return [
        Section(level=h.level, number=h.number, title=h.title, location=model_location(h.location))
        for h in segments.outline
    ]


def _parts(segments: Segments) -> list[Part]:
    parts: list[Part] = []
    for number, default_title in PART_TITLES.items():
        found = segments.parts.get(number)
        if found is None:
            parts.append(Part(number=number, title=default_title, found=False, text=None))
            continue
        text = "\n".join(t for t in (block_text(b) for b in found.blocks) if t)
        parts.append(
            Part(
                number=number,
                title=found.title,
                found=True,
                text=text,
                location=model_location(found.location),
                heading=found.heading.text,
            )
        )
    return parts


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


def _performance(
    blocks: list[Block], segments: Segments, log: IssueLog
) -> tuple[Performance | None, list[CellLedger], Coverage, frozenset[int]]:
    """Part 5 as the Hebei template writes it, and every other performance
    table of the document, wherever it stands, read by its layout."""
    report = Report(log, 5)
    part = segments.parts.get(5)
    performance, ledgers, skip = parse_performance(part.blocks, report) if part else (None, [], frozenset[int]())
    found = read_performance_tables(blocks, report, skip)
    as_text = _report_unread(found, part.blocks if part else None, bool(skip), log)
    if performance is None and (found.projects or found.department_targets):
        performance = Performance(overall=[], unit_budgets=[], measures=None, projects=[])
    if performance is not None:
        performance.projects.extend(found.projects)
        performance.department_targets.extend(found.department_targets)
    coverage = Coverage(
        tables_seen=sum(1 for block in blocks if isinstance(block, Table)),
        performance_tables_seen=len(skip) + found.seen + as_text,
        performance_tables_read=len(skip) + found.read,
    )
    return performance, ledgers, coverage, frozenset(skip | found.tables)


def _report_unread(found: PerformanceTables, part: list[Block] | None, hebei: bool, log: IssueLog) -> int:
    """Report the performance tables seen and not read: tables without an
    indicator header, and tables that came as text (header rows printed as
    lines: no ruling lines; or, when no performance table was read at all,
    titles followed by text and no table).  Returns how many came as text."""
    if found.unread:
        log.add(
            PERFORMANCE_TABLES_UNREAD,
            part=5,
            location=found.unread[0],
            count=len(found.unread),
            where=", ".join(_where(location) for location in found.unread),
        )
    untabled, why = found.unruled, "header rows printed as text: no ruling lines to read the tables by"
    if not untabled and part is not None and not (hebei or found.read):
        untabled, why = untabled_titles(part), "a table's title with no table after it: its rows came as text"
    if untabled:
        log.add(
            PERFORMANCE_TABLES_UNREAD,
            part=5,
            location=untabled[0],
            count=len(untabled),
            where=", ".join(_where(location) for location in untabled) + f" ({why})",
        )
    return len(untabled)


def _characters(document: SourceDocument, coverage: Coverage) -> Coverage:
    """The characters of the coverage ledger: read by the reader, placed in
    the blocks (every block's text is in the output, in its part or the
    preamble), and reported (page furniture removed, text set aside in notes)."""
    placed = block_characters(document.blocks)
    reported = document.furniture_characters + document.dropped_characters
    return coverage.model_copy(
        update={
            "characters": placed + reported if document.characters is None else document.characters,
            "characters_placed": placed,
            "characters_reported": reported,
        }
    )


def _where(location: Location) -> str:
    if location.page is not None:
        return f"page {location.page}"
    if location.table is not None:
        return f"table {location.table}"
    return f"line {location.line}"


def _extract(document: SourceDocument) -> Extraction:
    log = IssueLog()
    for note in document.notes:
        log.add(READER_NOTE, note=note)
    segments = segment(document.blocks, log)
    reason = refusal(document.blocks, segments, read_cover(document.blocks).title)
    if reason is not None:
        raise NotADisclosure(
            document.source.file,
            reason,
            "an HTML page: a download error page? fetch the file again"
            if document.source.format == "html"
            else "is this a 部门预算 or 决算 disclosure?",
        )
    fields: dict[str, Any] = {}
    for number, (name, parser) in _PARSERS.items():
        part = segments.parts.get(number)
        fields[name] = _guarded(number, log, partial(parser, part.blocks, Report(log, number)), None) if part else None
    unread: tuple[Performance | None, list[CellLedger], Coverage, frozenset[int]] = (
        None,
        [],
        Coverage(tables_seen=sum(1 for block in document.blocks if isinstance(block, Table))),
        frozenset(),
    )
    fields["performance"], ledgers, coverage, performance_tables = _guarded(
        5, log, partial(_performance, document.blocks, segments, log), unread
    )
    no_tables: tuple[list[BudgetTable], set[int]] = ([], set())
    fields["budget_tables"], budget_read = _guarded(
        2, log, partial(read_budget_tables, document.blocks, performance_tables, Report(log, 2)), no_tables
    )
    _guarded(2, log, partial(apply_headline_figures, fields, fields["budget_tables"], Report(log, 2)), None)
    in_parts = {id(b) for part in segments.parts.values() for b in part.blocks if isinstance(b, Table)}
    coverage.tables_read = len(in_parts | performance_tables | budget_read)
    cover = read_cover(document.blocks)
    report_cover(cover, log)
    info = document.source
    disclosure = Disclosure(
        doc_id=doc_id(info.file, info.sha256),
        source=Source(
            file=info.file,
            format=info.format,
            sha256=info.sha256,
            bytes=info.bytes,
            encoding=info.encoding,
        ),
        title=cover.title,
        department=cover.department,
        year=cover.year,
        template=segments.template,
        kind=cover.kind,
        sections=_sections(segments),
        preamble="\n".join(t for t in (block_text(b) for b in segments.preamble) if t) or None,
        parts=_parts(segments),
        issues=[],
        extraction=_characters(document, coverage),
        **fields,
    )
    run_checks(disclosure, log)
    disclosure.issues = log.issues
    return Extraction(disclosure, ledgers)


def extract_file(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND
) -> Disclosure:
    """Read and extract one disclosure file (docx, pdf or txt), within ``limits``;
    PDF pages are read with ``pdf_backend``."""
    with time_limit(limits.timeout_seconds, str(path)), gc_paused():
        return _extract(read_path(path, limits, pdf_backend)).disclosure
