"""Findings as data: every issue the extractor can raise has a stable code,
a severity and a message template, registered here once.

Parsers and checks report through an `IssueLog`; it renders the template
with the figures involved and records part, project and source location.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Location
from .models import Issue, Severity, SourceLocation

__all__ = ["CODES", "IssueLog", "IssueType", "model_location"]


@dataclass(frozen=True, slots=True)
class IssueType:
    code: str
    severity: Severity
    template: str
    description: str = ""


CODES: dict[str, IssueType] = {}


def _register(code: str, severity: Severity, template: str, description: str = "") -> IssueType:
    kind = IssueType(code, severity, template, description)
    CODES[code] = kind
    return kind


# Reading and segmenting
PART_MISSING = _register("part_missing", "error", "part {number} ({title}) was not found in the document")
PART_REPEATED = _register(
    "part_repeated", "warning", "part {number} heading appears again: {heading!r}; its text is kept in the first"
)
PART_OUT_OF_ORDER = _register("part_out_of_order", "warning", "part {number} comes after part {previous}")
READER_NOTE = _register("reader_note", "info", "{note}")
TEMPLATE_UNKNOWN = _register(
    "template_unknown", "info", "the document follows no known template; parts were found by topic where possible"
)
PART_FAILED = _register(
    "part_failed", "error", "part {number} could not be read ({error}); the rest of the document was extracted"
)
PERFORMANCE_TABLES_UNREAD = _register(
    "performance_tables_unread",
    "error",
    "{count} table(s) that look like performance tables were not read into projects: {where}",
)
PERFORMANCE_TABLE_UNATTACHED = _register(
    "performance_table_unattached",
    "warning",
    "an indicator table of {count} row(s) names no project and no department; its rows were not taken",
)
FIGURE_REJECTED = _register("figure_rejected", "warning", "{field}: {figure!r} not taken ({reason}): {sentence!r}")
FIGURE_CONFLICT = _register(
    "figure_conflict",
    "error",
    "{field} is stated twice with different figures: {first} ({where_first}) and {second} ({where_second})",
)
# Values
NUMBER_REPAIRED = _register("number_repaired", "warning", "{field}: {original!r} read as {value}")
NUMBER_UNREADABLE = _register("number_unreadable", "warning", "{field}: {original!r} is not a number; left empty")
VALUE_UNIT_SUSPECT = _register("value_unit_suspect", "warning", "indicator value {raw!r}: {reason}")
# Structure
BUDGET_TABLE_UNREAD = _register(
    "budget_table_unread",
    "error",
    "budget table {where!r} could not be read whole: {what}",
    "a table recognised as a budget table whose figures or codes could not all be placed",
)
BUDGET_UNIT_ASSUMED = _register(
    "budget_unit_assumed",
    "warning",
    "budget table {where!r} prints no unit and the document none before it: {unit} assumed",
)
UNPARSED_CELL = _register("unparsed_cell", "warning", "table cell not placed in any field: {text!r}")
UNPARSED_TEXT = _register("unparsed_text", "warning", "{where}: text not placed in any field: {text!r}")
FIELD_MISSING = _register("field_missing", "warning", "{field} not found")
TABLE_MISSING = _register("table_missing", "warning", "{what} table not found")
TABLE_NUMBERING_GAP = _register(
    "table_numbering_gap", "warning", "table numbers jump from {before} to {after}: {missing} missing"
)
TABLE_NUMBERING_REPEAT = _register("table_numbering_repeat", "warning", "table number {seq} is used again")
TABLE_UNNUMBERED = _register("table_unnumbered", "warning", "performance table {title!r} has no number")
# Cross-checks (extractor/checks)
SUM_MISMATCH = _register(
    "sum_mismatch", "error", "{what}: stated {stated} but {parts} = {computed} (difference {difference})"
)
BUDGET_PARTS_MISMATCH = _register(
    "budget_parts_mismatch", "error", "project budget {total} is not fiscal {fiscal} + other {other} = {computed}"
)
CHANGE_MISMATCH = _register(
    "change_mismatch",
    "error",
    "{item}: change written {stated} but current {current} - previous {previous} = {computed}",
)
# Budget tables checked in themselves, against each other and against the prose (extractor/checks/tables.py,
# across.py, prose.py).  Every message quotes both sides as printed, with the table, row, column and page.
TABLE_TOTAL_MISMATCH = _register(
    "table_total_mismatch",
    "error",
    "{table}: {row} ({column}, p. {page}) is printed {stated} but {parts} = {computed} (difference {difference})",
    "a 合计 / 总计 row that is not the sum of the rows it totals",
)
TABLE_SUBTOTAL_MISMATCH = _register(
    "table_subtotal_mismatch",
    "error",
    "{table}: {row} ({column}, p. {page}) is printed {stated} but {parts} = {computed} (difference {difference})",
    "a 类 that is not the sum of its 款, or a 款 not the sum of its 项",
)
TABLE_SPLIT_MISMATCH = _register(
    "table_split_mismatch",
    "error",
    "{table}: {row} (p. {page}) prints {column} {stated} but {parts} = {computed} (difference {difference})",
    "a row whose 合计 is not 基本支出 + 项目支出, or whose 基本支出 is not 人员经费 + 公用经费",
)
TABLE_UNBALANCED = _register(
    "table_unbalanced",
    "error",
    "{table}: {row} (p. {page}) is printed {stated} but {parts} = {computed} (difference {difference})",
    "a 收支总表 whose 收入总计 is not its 支出总计, or a 决算 not closed by its carry-overs",
)
ROUNDING_DIFFERENCE = _register(
    "rounding_difference",
    "info",
    "{table}: {row} ({column}, p. {page}) is printed {stated} and {parts} = {computed}: "
    "{difference} is within the rounding of its {count} figures (±{tolerance})",
    "a sum off by no more than the figures' own rounding (each printed figure rounded on its own)",
)
ECONOMIC_CLASSES_MISMATCH = _register(
    "economic_classes_mismatch",
    "warning",
    "{table}: {what} (p. {page}) is printed {stated} but {parts} = {computed} (difference {difference})",
    "人员经费 that is not 301 + 303, or 公用经费 not 302 + 310 (+ 309 / 399): some provinces count 工会经费, "
    "福利费 or 公务交通补贴 as 人员经费, so a warning",
)
TABLES_DISAGREE = _register(
    "tables_disagree",
    "error",
    "{what}: {first_table} prints {first} ({first_where}, p. {first_page}) but {second_table} prints {second} "
    "({second_where}, p. {second_page}){gap}",
    "one figure printed in two tables with different values",
)
PROSE_TABLE_MISMATCH = _register(
    "prose_table_mismatch",
    "error",
    "{what}: the text states {stated} ({sentence!r}) but {table} prints {printed} ({where}, p. {page})",
    "a figure of the 情况说明 that is not the figure its table prints",
)
BUDGET_TABLE_NOTE_MISSING = _register(
    "budget_table_note_missing",
    "warning",
    "{table} (p. {page}) is printed empty without a note saying why (本部门无…)",
)
BUDGET_TABLE_ABSENT = _register(
    "budget_table_absent",
    "info",
    "the {table_kind} table ({what}) of a {document} is not printed",
)
UNIT_TABLES_MISMATCH = _register(
    "unit_budget_tables_mismatch",
    "error",
    "{unit}: 分项绩效目标 states {stated} but its {count} performance table(s) ({full_name}) add up to {computed}",
)
UNIT_UNMATCHED = _register("unit_unmatched", "info", "{unit}: no performance tables matched this unit by name")
SCHEDULE_OUT_OF_RANGE = _register(
    "schedule_out_of_range", "error", "spending schedule {checkpoint}: {percent}% is outside 0-100"
)
SCHEDULE_NOT_MONOTONIC = _register(
    "schedule_not_monotonic", "warning", "spending schedule falls from {before}% ({first}) to {after}% ({second})"
)
SCHEDULE_INCOMPLETE = _register(
    "schedule_incomplete", "warning", "spending schedule ends at {percent}% ({checkpoint}), not 100%"
)
SCHEDULE_EMPTY_CHECKPOINT = _register(
    "schedule_checkpoint_empty", "info", "spending schedule has no figure for {checkpoint}"
)
PROJECT_CODE_DUPLICATE = _register(
    "project_code_duplicate", "warning", "project code {code} also used by table {other}"
)
PROJECT_CODE_SHAPE = _register("project_code_shape", "warning", "project code {code!r} {reason}")
INDICATOR_LEVEL_MISMATCH = _register(
    "indicator_level_mismatch",
    "warning",
    "second-level {level2!r} does not belong under first-level {level1!r} ({expected})",
)
INDICATOR_CELL_EMPTY = _register("indicator_cell_empty", "warning", "indicator row {row}: {field} is empty")
VALUES_ALL_REDACTED = _register("values_all_redacted", "info", "all {count} indicator values are redacted (涉密)")
TOPIC_ABSENT = _register(
    "topic_absent", "info", "topic {number} ({title}) is not in this document (template {template}); left empty"
)
TITLE_MISSING = _register(
    "title_missing",
    "warning",
    "no title before the first heading or table of the first page: title, department and year are left empty",
)
YEAR_MISSING = _register("year_missing", "warning", "the title {title!r} names no year: year is left empty")


def model_location(location: Location | None) -> SourceLocation | None:
    """The contract's location for a reader's location."""
    if location is None:
        return None
    return SourceLocation(**location.to_dict())


class IssueLog:
    """Collects issues for one document, in the order they are found."""

    __slots__ = ("issues",)

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(
        self,
        kind: IssueType,
        *,
        part: int | None = None,
        project_seq: int | None = None,
        location: Location | SourceLocation | None = None,
        **params: object,
    ) -> None:
        self.issues.append(
            Issue(
                severity=kind.severity,
                code=kind.code,
                message=kind.template.format(**params),
                part=part,
                project_seq=project_seq,
                location=location if isinstance(location, SourceLocation) else model_location(location),
            )
        )
