"""Part 5, 预算绩效信息: overall goals per unit, per-unit project budgets,
safeguard measures, and the project performance-target tables."""

from __future__ import annotations

import regex

from ..blocks import Block, Location, Paragraph, Table
from ..findings import UNPARSED_TEXT, model_location
from ..models import LineItem, OverallGoal, Performance, Project, UnitBudget
from ..textutil import CJK_HEADING, compact
from ._prose import AMOUNT, line_items, paragraphs
from ._report import Report
from .projects import CellLedger, ProjectTable, group_projects, parse_project

__all__ = ["hebei_tables", "parse_performance", "untabled_titles"]

_DUTIES = regex.compile(r"^\s*\d+\s*[、.．]\s*(?P<unit>.+?)职责(?:分类)?\s*[:：]\s*(?P<text>.*)$")
_GOAL = regex.compile(r"^\s*(?P<unit>[^:：，,。]{1,20}?)(?:整体)?绩效目标\s*[:：]\s*(?P<text>.*)$")
_UNIT_BUDGET = regex.compile(
    r"^\s*\d+\s*[、.．]\s*(?P<who>.+?)(?:\d{4}年)?(?:年初)?(?:部门)?预算安排(?:项目)?(?:支出)?(?:资金)?(?:为|共)?\s*"
    + AMOUNT
    + r"(?P<rest>.*)$"
)
_PROJECTS_INTRO = regex.compile(r"^(?:预算)?项目(?:支出)?绩效目标\s*[:：]?$")
# Labels only the Hebei template's tables have: its reader takes those, the
# layout readers of `perf_tables` every other performance table.
_HEBEI_LABEL = regex.compile(r"^(?:项目(?:编码|代码)|(?:资金支出|支出进度)计划.*)$")
# A note that a table is left empty on purpose (故此表无数据, 本单位无此项).
_NO_DATA = regex.compile(r"无数据|此表为空|空表|无此|不涉及|未安排|无相关")


def _is_hebei(table: ProjectTable) -> bool:
    return any(_HEBEI_LABEL.match(compact(cell.text)) for cell in table.cells())


def hebei_tables(blocks: list[Block], projects: list[ProjectTable]) -> frozenset[int]:
    """The ids of the tables among ``blocks`` that the Hebei projects read:
    those with a row (of cells) in a project's tables, which are the
    document's tables or parts of them holding the same row lists."""
    rows = {
        id(row) for project in projects for block in project.blocks if isinstance(block, Table) for row in block.rows
    }
    return frozenset(
        id(block) for block in blocks if isinstance(block, Table) and any(row and id(row) in rows for row in block.rows)
    )


def _sections(blocks: list[Block]) -> dict[str, list[Block]]:
    """Blocks under the part's ``一、`` ``二、`` ``三、`` headings, keyed by kind."""
    kinds = (("overall", "总体"), ("unit_budgets", "分项"), ("measures", "保障"), ("measures", "措施"))
    sections: dict[str, list[Block]] = {}
    current: list[Block] | None = None
    for block in blocks:
        match = CJK_HEADING.match(block.text) if isinstance(block, Paragraph) else None
        kind = next((k for k, word in kinds if match and word in match.group("title")), None)
        if kind is not None:
            current = sections.setdefault(kind, [])
        elif current is not None:
            current.append(block)
    return sections


def _overall(blocks: list[Block], report: Report) -> list[OverallGoal]:
    goals: list[OverallGoal] = []
    for paragraph in paragraphs(blocks):
        duties, goal = _DUTIES.match(paragraph.text), _GOAL.match(paragraph.text)
        if duties:
            goals.append(OverallGoal(unit=duties.group("unit").strip(), duties=duties.group("text").strip(), goal=None))
        elif goal and goals and goals[-1].goal is None and goal.group("unit").strip() == goals[-1].unit:
            goals[-1].goal = goal.group("text").strip()
        elif goal:
            goals.append(OverallGoal(unit=goal.group("unit").strip(), duties=None, goal=goal.group("text").strip()))
        elif goals:
            report.add(UNPARSED_TEXT, paragraph.location, where="总体绩效目标", text=paragraph.text)
    return goals


def _unit_budgets(blocks: list[Block], report: Report) -> list[UnitBudget]:
    budgets: list[UnitBudget] = []
    for paragraph in paragraphs(blocks):
        match = _UNIT_BUDGET.match(paragraph.text)
        if match is None:
            continue
        unit = match.group("who").strip()
        total = report.number(match.group("num"), f"{unit} 项目预算", paragraph.location)
        found, leftovers = line_items(match.group("rest"))
        items = [
            LineItem(name=item.name, amount=report.number(item.amount_text, f"{unit} {item.name}", paragraph.location))
            for item in found
        ]
        for fragment in leftovers:
            report.add(UNPARSED_TEXT, paragraph.location, where=f"{unit} 分项绩效目标", text=fragment)
        budgets.append(
            UnitBudget(
                unit=unit,
                total=total,
                items=items,
                amount_unit=match.group("unit"),
                location=model_location(paragraph.location),
            )
        )
    return budgets


def _measures(blocks: list[Block]) -> str | None:
    texts: list[str] = []
    for paragraph in paragraphs(blocks):
        if _PROJECTS_INTRO.match(paragraph.text):
            break
        texts.append(paragraph.text)
    return "\n".join(texts) or None


def untabled_titles(blocks: list[Block]) -> list[Location]:
    """Where a performance table's title (``1.门卫安保经费绩效目标表``) is
    followed by text but no table before the next title, and no note says
    the table is empty: its rows did not come as a table (a text export
    that writes every cell on a line of its own).  A title with nothing
    after it is a heading over tables printed elsewhere."""
    _, projects = group_projects(blocks)
    return [
        project.title.location
        for project in projects
        if project.blocks
        and not any(isinstance(block, Table) for block in project.blocks)
        and not any(isinstance(b, Paragraph) and _NO_DATA.search(b.text) for b in project.blocks[:3])
    ]


def parse_performance(blocks: list[Block], report: Report) -> tuple[Performance, list[CellLedger], frozenset[int]]:
    """Part 5, for each Hebei project how its table cells were accounted
    for, and the ids of the tables those projects read."""
    before, found = group_projects(blocks)
    tables = [table for table in found if _is_hebei(table)]
    sections = _sections(before)
    projects: list[Project] = []
    ledgers: list[CellLedger] = []
    for table in tables:
        project, ledger = parse_project(table, report)
        projects.append(project)
        ledgers.append(ledger)
    performance = Performance(
        overall=_overall(sections.get("overall", []), report),
        unit_budgets=_unit_budgets(sections.get("unit_budgets", []), report),
        measures=_measures(sections.get("measures", [])),
        projects=projects,
    )
    return performance, ledgers, hebei_tables(blocks, tables)
