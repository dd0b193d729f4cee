"""The review report: a static HTML site showing each extracted figure beside
the page it came from.

``build_review`` writes ``index.html`` (the run's documents, sortable by
coverage, errors and warnings, with the run's totals and a chart of the
documents by coverage), one page per document under ``documents/`` (parts,
headline figures with the sentence each was read from, each project and
department target as a table beside its source, each budget table with its
rows, codes and amounts beside its pages, the issues linked to their records
and shown on their source), the page images under ``pages/`` and the
stylesheet and script under ``assets/``.  Pages are Jinja2 templates
(package data); this module only gathers what they show.  Everything is
relative and local: the site opens from disk, offline.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import regex

from ..archive import read_input_bytes
from ..errors import InputError
from ..models import BudgetRow, BudgetTable, DepartmentTarget, Disclosure, Indicator, Issue, Project, SourceLocation
from ..textutil import counted, path_text
from .charts import BarChart, LineChart, bar_chart, level1_chart, schedule_chart
from .load import Failure, Loaded, ReviewInput
from .render import PageImage, render_pages
from .source import Mark, SourcePanel, SourceText, pdf_panel

__all__ = ["ReviewSummary", "build_review", "coverage"]

DOCUMENTS = "documents"
ASSETS = ("review.css", "review.js")

#: Headline figures first, in reading order: (block, path, label, part).
_HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("budget_overview", "income.total", "收入预算合计"),
    ("budget_overview", "expenditure.total", "支出预算合计"),
    ("budget_overview", "expenditure.basic", "基本支出"),
    ("budget_overview", "expenditure.personnel", "人员经费"),
    ("budget_overview", "expenditure.public", "公用经费"),
    ("budget_overview", "expenditure.project", "项目支出"),
    ("budget_overview", "change.total", "较上年增减"),
    ("operating_costs", "total", "机关运行经费"),
    ("three_public", "total.current", "“三公”经费合计"),
    ("procurement", "total", "政府采购预算"),
    ("assets", "total", "国有资产"),
)
#: Indicator fields shown only when a row of the table has them.
_OPTIONAL = ("period_value", "weight", "nature", "scoring", "core", "actual", "score", "deviation")
_BLOCK_PART = {"budget_overview": 2, "operating_costs": 3, "three_public": 4, "procurement": 6, "assets": 7}
_STEP = regex.compile(r"(\w+)(?:\[(\d+)\])?")


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: Decimal | None
    unit: str
    evidence: str | None
    part: int


@dataclass(slots=True)
class RecordView:
    """A project or department target with its anchors, issues and source."""

    anchor: str
    title: str
    record: Project | DepartmentTarget
    rows: list[tuple[str, Indicator]]
    issues: list[str] = field(default_factory=list)
    panel: SourcePanel = field(default_factory=SourcePanel)

    @property
    def optional(self) -> list[str]:
        """The indicator columns beyond the levels and value that some row fills."""
        return [name for name in _OPTIONAL if any(getattr(i, name) is not None for _, i in self.rows)]


@dataclass(slots=True)
class BudgetTableView:
    """A budget table with its anchors and its pages (or lines, or DOCX table)."""

    anchor: str
    table: BudgetTable
    rows: list[tuple[str, BudgetRow]]
    panel: SourcePanel = field(default_factory=SourcePanel)

    @property
    def title(self) -> str:
        return f"{self.table.label or ''} {self.table.title}".strip()

    @property
    def sides(self) -> bool:
        """Whether any row has a side (a two-sided summary): the column is shown."""
        return any(row.side for _, row in self.rows)

    @property
    def econ(self) -> bool:
        """Whether any row prints an economic code beside its code."""
        return any(row.econ_code for _, row in self.rows)


@dataclass(slots=True)
class IssueView:
    anchor: str
    issue: Issue
    record: tuple[str, str] | None  # (anchor, label) of the record it is about
    panel: SourcePanel | None


@dataclass(slots=True)
class DocumentView:
    disclosure: Disclosure
    page: str  # file name under documents/
    source: Path | None
    source_note: str | None  # why the source is not shown
    figures: list[Figure]
    projects: list[RecordView]
    targets: list[RecordView]
    budget_tables: list[BudgetTableView]
    issues: list[IssueView]
    severities: Counter[str]
    coverage: float | None
    schedule: LineChart | None
    level1: BarChart | None
    images: dict[int, PageImage] = field(default_factory=dict)
    page_notes: dict[int, str] = field(default_factory=dict)  # pages that could not be rendered: why

    @property
    def indicators(self) -> int:
        return sum(len(view.rows) for view in self.projects)


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    documents: int
    failures: int
    images: int
    index: Path
    without_source: int = 0  # documents whose source file was not found

    def line(self) -> str:
        """What was written, in one line for the terminal."""
        missing = (
            f"; source file not found for {counted(self.without_source, 'document')}" if self.without_source else ""
        )
        return (
            f"wrote {self.index}: {counted(self.documents, 'document')}, {counted(self.images, 'page image')}, "
            f"{counted(self.failures, 'failed input')}{missing}"
        )


def coverage(disclosure: Disclosure) -> float | None:
    """The share of the document's tables that became data (None: no tables)."""
    ledger = disclosure.extraction
    return ledger.tables_read / ledger.tables_seen if ledger.tables_seen else None


def _resolve(obj: Any, path: str) -> Any:
    for name, index in _STEP.findall(path):
        obj = getattr(obj, name, None)
        if obj is not None and index:
            obj = obj[int(index)] if int(index) < len(obj) else None
        if obj is None:
            return None
    return obj


def _label(block: Any, path: str) -> str:
    """A figure's label for an evidence key outside the headline list: the
    row's own name (``rows[2].current`` → its item) when it has one."""
    row = _resolve(block, path.rsplit(".", 1)[0]) if "." in path else None
    name = getattr(row, "item", None) or getattr(row, "name", None)
    return f"{name} ({path.rsplit('.', 1)[-1]})" if name else path


def _figures(disclosure: Disclosure) -> list[Figure]:
    """The headline figures, then every other figure the parsers kept evidence for."""
    wanted: dict[tuple[str, str], str] = {(block, path): label for block, path, label in _HEADLINES}
    for block_name in _BLOCK_PART:
        block = getattr(disclosure, block_name)
        for path in block.evidence if block is not None else ():
            wanted.setdefault((block_name, path), _label(block, path))
    figures = []
    for (block_name, path), label in wanted.items():
        block = getattr(disclosure, block_name)
        if block is None:
            continue
        value = _resolve(block, path)
        evidence = block.evidence.get(path)
        if value is not None or evidence:
            figures.append(Figure(label, value, block.amount_unit, evidence, _BLOCK_PART[block_name]))
    return figures


def _marks(
    anchor: str, title: str, location: SourceLocation | None, rows: list[tuple[str, Indicator]]
) -> Iterator[Mark]:
    if location is not None:
        yield Mark(location, "table", anchor, title)
    for row_anchor, indicator in rows:
        if indicator.location is not None:
            yield Mark(indicator.location, "row", row_anchor, indicator.level3 or indicator.description or "")


class _Sources:
    """Panels for one document's records, from its source as its format allows."""

    def __init__(self, item: ReviewInput) -> None:
        self.format = item.disclosure.source.format
        self.text: SourceText | None = None
        self.note: str | None = None
        if item.source is None:
            looked = f" (looked for {', '.join(item.looked)})" if item.looked else ""
            self.note = f"Source file not found{looked}: the data is shown without it."
        try:
            if item.source is not None and self.format == "txt":
                self.text = SourceText.of_text(item.source)
            elif item.source is not None and self.format == "docx":
                self.text = SourceText.of_docx(item.source)
        except (InputError, OSError, ValueError) as exc:
            failed = f"Source file {item.source} could not be read again ({exc})"
            self.note = f"{path_text(failed)}: the data is shown without it."
        self.found = self.note is None

    def panel(self, marks: list[Mark]) -> SourcePanel:
        if not self.found:
            return SourcePanel()
        if self.text is None:
            return pdf_panel(marks)
        return self.text.panel(marks)


def _records(records: Sequence[Project | DepartmentTarget], prefix: str, sources: _Sources) -> list[RecordView]:
    views = []
    for n, record in enumerate(records, start=1):
        anchor = f"{prefix}-{n}"
        title = record.title if isinstance(record, Project) else (record.unit or f"部门整体绩效目标 {n}")
        rows = [(f"{anchor}-row-{m}", indicator) for m, indicator in enumerate(record.indicators, start=1)]
        panel = sources.panel(list(_marks(anchor, title, record.location, rows)))
        views.append(RecordView(anchor, title, record, rows, panel=panel))
    return views


def _budget_tables(tables: Sequence[BudgetTable], sources: _Sources) -> list[BudgetTableView]:
    views = []
    for n, table in enumerate(tables, start=1):
        anchor = f"budget-{n}"
        rows = [(f"{anchor}-row-{m}", row) for m, row in enumerate(table.rows, start=1)]
        view = BudgetTableView(anchor, table, rows)
        marks = [Mark(table.location, "table", anchor, view.title)] if table.location is not None else []
        marks += [Mark(row.location, "row", a, row.name) for a, row in rows if row.location is not None]
        view.panel = sources.panel(marks)
        views.append(view)
    return views


def _issue_record(issue: Issue, projects: list[RecordView]) -> tuple[str, str] | None:
    if issue.project_seq is not None:
        for view in projects:
            if isinstance(view.record, Project) and view.record.seq == issue.project_seq:
                return view.anchor, view.title
    if issue.part is not None:
        return f"part-{issue.part}", f"第{issue.part}部分"
    return None


def _issues(disclosure: Disclosure, projects: list[RecordView], sources: _Sources) -> list[IssueView]:
    views = []
    for n, issue in enumerate(disclosure.issues, start=1):
        anchor = f"issue-{n}"
        record = _issue_record(issue, projects)
        if record is not None:
            for view in projects:
                if view.anchor == record[0]:
                    view.issues.append(anchor)
        panel = sources.panel([Mark(issue.location, "row", anchor, issue.code)]) if issue.location else None
        views.append(IssueView(anchor, issue, record, panel))
    return views


def _page_name(disclosure: Disclosure, n: int) -> str:
    return f"{disclosure.doc_id or f'document-{n}'}.html"


def document_view(item: ReviewInput, n: int) -> DocumentView:
    """What the document's page shows, its page images not yet rendered."""
    disclosure = item.disclosure
    sources = _Sources(item)
    performance = disclosure.performance
    projects = _records(performance.projects if performance else [], "project", sources)
    targets = _records(performance.department_targets if performance else [], "target", sources)
    return DocumentView(
        disclosure=disclosure,
        page=_page_name(disclosure, n),
        source=item.source if sources.found else None,
        source_note=sources.note,
        figures=_figures(disclosure),
        projects=projects,
        targets=targets,
        budget_tables=_budget_tables(disclosure.budget_tables, sources),
        issues=_issues(disclosure, projects, sources),
        severities=Counter(issue.severity for issue in disclosure.issues),
        coverage=coverage(disclosure),
        schedule=schedule_chart([(v.anchor, v.record) for v in projects if isinstance(v.record, Project)]),
        level1=level1_chart(v.record for v in projects if isinstance(v.record, Project)),
    )


def _panels(view: DocumentView) -> Iterator[SourcePanel]:
    for record in (*view.projects, *view.targets):
        yield record.panel
    for table in view.budget_tables:
        yield table.panel
    for issue in view.issues:
        if issue.panel is not None:
            yield issue.panel


def _render_images(view: DocumentView, site: Path) -> None:
    """The images of the pages the document's panels show; a file or page
    that cannot be rendered is a note on its page, never the report's end."""
    if view.source is None or view.disclosure.source.format != "pdf":
        return
    pages = {shot.page for panel in _panels(view) for shot in panel.pages}
    if not pages:
        return
    try:
        rendered = render_pages(read_input_bytes(view.source), view.disclosure.source.sha256, pages, site)
    except (InputError, OSError) as exc:
        view.source_note = f"Source file {view.source} could not be read again ({exc}): its pages are not shown."
        return
    except Exception as exc:  # one document the renderer fails on must not lose the report
        view.source_note = f"Source file {view.source} could not be rendered ({type(exc).__name__}: {exc})."
        return
    if rendered.note is not None:
        view.source_note = f"Source file {view.source} {rendered.note}: its pages are not shown."
    view.images = rendered.images
    view.page_notes = rendered.failed


def _amount(value: Decimal | None) -> str:
    return "—" if value is None else str(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _span(start: int | None, end: int | None) -> str:
    return f"{start}–{end}" if end is not None and end != start else str(start)


def _where(location: SourceLocation | None) -> str:
    """A location as a reader says it: pages, lines, or table and row."""
    if location is None:
        return "—"
    if location.page is not None:
        return f"p. {_span(location.page, location.end_page)}"
    if location.line is not None:
        return f"lines {_span(location.line, location.end_line)}"
    where = []
    if location.paragraph is not None:
        where.append(f"paragraph {location.paragraph}")
    if location.table is not None:
        where.append(f"table {_span(location.table, location.end_table)}")
    if location.row is not None:
        where.append(f"row {location.row}")
    return ", ".join(where) or "—"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("extractor.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["amount"] = _amount
    env.filters["percent"] = _percent
    env.filters["where"] = _where
    return env


def _copy_assets(site: Path) -> None:
    folder = site / "assets"
    folder.mkdir(parents=True, exist_ok=True)
    static = resources.files("extractor.review") / "static"
    for name in ASSETS:
        with resources.as_file(static / name) as path:
            shutil.copyfile(path, folder / name)


def _run_totals(views: list[DocumentView], failures: list[Failure]) -> dict[str, int]:
    severities: Counter[str] = Counter()
    for view in views:
        severities.update(view.severities)
    return {
        "documents": len(views),
        "failed": len(failures),
        "projects": sum(len(view.projects) for view in views),
        "indicators": sum(view.indicators for view in views),
        "targets": sum(len(view.targets) for view in views),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
        "tables_seen": sum(view.disclosure.extraction.tables_seen for view in views),
        "tables_read": sum(view.disclosure.extraction.tables_read for view in views),
        "without_source": sum(1 for view in views if view.source is None),
    }


def _coverage_chart(views: list[DocumentView]) -> BarChart:
    ranked = sorted(views, key=lambda view: -1.0 if view.coverage is None else view.coverage, reverse=True)
    bars = [
        (view.disclosure.doc_id or view.page, view.coverage or 0.0, _percent(view.coverage), f"{DOCUMENTS}/{view.page}")
        for view in ranked
    ]
    return bar_chart(bars, full=1.0)


def _write(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def build_review(loaded: Loaded, site: Path) -> ReviewSummary:
    """Write the review site of ``loaded`` into ``site``."""
    (site / DOCUMENTS).mkdir(parents=True, exist_ok=True)
    _copy_assets(site)
    env = _environment()
    document_page = env.get_template("document.html")
    views = []
    images = 0
    for n, item in enumerate(loaded.documents, start=1):
        view = document_view(item, n)
        _render_images(view, site)
        images += len(view.images)
        _write(site / DOCUMENTS / view.page, document_page.render(view=view, root="../"))
        views.append(view)
    index = site / "index.html"
    totals = _run_totals(views, loaded.failures)
    _write(
        index,
        env.get_template("index.html").render(
            views=views,
            failures=loaded.failures,
            totals=totals,
            coverage_chart=_coverage_chart(views),
            documents=DOCUMENTS,
            root="",
        ),
    )
    return ReviewSummary(len(views), len(loaded.failures), images, index, totals["without_source"])
