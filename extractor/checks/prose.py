"""The 情况说明's figures against the tables, and the tables a disclosure prints.

* **Prose:** each figure part 2 states for a table — 基本支出, 项目支出,
  人员经费, 公用经费 — is compared with the tables printing that measure
  (`across.facts`): a figure no table prints, where tables print the
  measure, is `prose_table_mismatch`, quoting the sentence and the table of
  the sentence's fund scope (一般公共预算 / 财政拨款 / the 部门's).  The
  totals (收入总计, 支出总计), the 三公 total and 机关运行经费 are compared
  where the tables are read (`budget.headline`: `figure_conflict`).
* **Presence:** an empty 政府性基金 / 国有资本经营 / 三公 table carries its note
  (本部门无…); a 部门预算 printing the standard tables prints each of them.
"""

from __future__ import annotations

from decimal import Decimal

from ..budget.headline import YUAN
from ..budget.labels import EMPTY_NOTE
from ..findings import BUDGET_TABLE_ABSENT, BUDGET_TABLE_NOTE_MISSING, PROSE_TABLE_MISMATCH, IssueLog
from ..models import Disclosure
from . import check
from ._budget import page_of, row_name, table_name, tolerance
from .across import Fact, facts

#: Overview fields compared, and the measure they are of.
_FIELDS = (
    ("expenditure", "basic", "basic", "基本支出"),
    ("expenditure", "project", "project", "项目支出"),
    ("expenditure", "personnel", "personnel", "人员经费"),
    ("expenditure", "public", "public", "公用经费"),
)
#: The standard tables of a 部门预算 (财预〔2016〕143号), by kind.
STANDARD = {
    "income_expenditure_summary": "收支总表",
    "income": "收入总表",
    "expenditure": "支出总表",
    "fiscal_summary": "财政拨款收支总表",
    "general_public_expenditure": "一般公共预算支出表",
    "general_public_basic": "一般公共预算基本支出表",
    "three_public": "“三公”经费支出表",
    "gov_fund": "政府性基金预算支出表",
}
#: Kinds whose table is printed empty when the 部门 has none, with a note.
_MAY_BE_EMPTY = ("gov_fund", "state_capital", "three_public")
#: Fewer budget tables than this: the document does not print the standard set (an excerpt, a 单位 attachment).
_STANDARD_SET = 5


def _scope(sentence: str) -> str:
    if "一般公共预算" in sentence:
        return "general_public"
    if "财政拨款" in sentence:
        return "fiscal"
    return "all"


def _from_table(evidence: str | None) -> bool:
    return evidence is not None and ", row " in evidence


@check("budget_prose_tables")
def budget_prose_tables(disclosure: Disclosure, log: IssueLog) -> None:
    overview = disclosure.budget_overview
    if overview is None or not disclosure.budget_tables or overview.amount_unit not in YUAN:
        return
    final = "决算" in (disclosure.kind or "")
    known = [fact for table in disclosure.budget_tables for fact in facts(table, final)]
    factor = YUAN[overview.amount_unit]
    for section, name, measure, words in _FIELDS:
        stated = getattr(getattr(overview, section), name)
        sentence = overview.evidence.get(f"{section}.{name}")
        if stated is None or sentence is None or _from_table(sentence):
            continue
        printed = [f for f in known if f.key[1] == measure and f.key[2] == "total" and f.table.amount_unit in YUAN]
        rounding = tolerance(overview.amount_unit, [stated]) * factor  # the text rounds to its unit too
        if not printed or any(_same(stated * factor, f, rounding) for f in printed):
            continue
        scope = _scope(sentence)
        shown: Fact = next((f for f in printed if f.key[0] == scope), printed[0])
        log.add(
            PROSE_TABLE_MISMATCH,
            part=2,
            location=shown.row.location,
            what=words,
            stated=f"{stated}{overview.amount_unit}",
            sentence=sentence,
            table=table_name(shown.table),
            printed=f"{shown.value}{shown.table.amount_unit}",
            where=f"row {row_name(shown.row)}, column {shown.column}",
            page=page_of(shown.row.location, shown.table),
        )


def _same(yuan: Decimal, fact: Fact, rounding: Decimal) -> bool:
    factor = YUAN[fact.table.amount_unit]
    allowed = tolerance(fact.table.amount_unit, [fact.value]) * factor + rounding
    return abs(fact.value * factor - yuan) <= allowed


@check("budget_tables_presence")
def budget_tables_presence(disclosure: Disclosure, log: IssueLog) -> None:
    tables = disclosure.budget_tables
    for table in tables:
        if not table.empty or table.kind not in _MAY_BE_EMPTY:
            continue
        said = [table.note or "", table.title, *(row.name for row in table.rows)]
        said += [text for row in table.rows for text in row.attributes.values()]
        if not any(EMPTY_NOTE.search(text) for text in said):
            log.add(
                BUDGET_TABLE_NOTE_MISSING,
                part=2,
                location=table.location,
                table=table_name(table),
                page=page_of(table.location),
            )
    kind = disclosure.kind or ""
    if len(tables) < _STANDARD_SET or "预算" not in kind or not kind.startswith("部门"):
        return
    printed = {table.kind for table in tables}
    for missing, what in STANDARD.items():
        if missing not in printed:
            log.add(BUDGET_TABLE_ABSENT, part=2, table_kind=missing, what=what, document=kind)
