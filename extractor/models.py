"""The output contract (``shared/spec/OUTPUT.md``, schema version 2) as
pydantic models.  Field names here are the interface downstream databases
build on: add fields, never rename or drop them.

Amounts are `Decimal` (exact); the JSON writer emits them as JSON numbers
with every digit kept.  ``schemas/disclosure.schema.json`` is generated from
these models by ``extract schema``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_serializer

__all__ = [
    "Amount",
    "AssetRow",
    "Assets",
    "BudgetChange",
    "BudgetExpenditure",
    "BudgetIncome",
    "BudgetOverview",
    "Coverage",
    "DepartmentTarget",
    "Disclosure",
    "GlossaryTerm",
    "Indicator",
    "IndicatorValue",
    "Issue",
    "Layout",
    "LineItem",
    "OperatingCosts",
    "OrgUnit",
    "Organization",
    "OverallGoal",
    "Part",
    "Performance",
    "Procurement",
    "ProcurementRow",
    "Project",
    "ProjectBudget",
    "ScheduleEntry",
    "Section",
    "Severity",
    "Source",
    "SourceLocation",
    "Template",
    "ThreePublic",
    "ThreePublicRow",
    "ThreePublicTotal",
    "UnitBudget",
]

SCHEMA_VERSION: Literal["2"] = "2"

#: An exact decimal amount, written to JSON as a number.
Amount = Annotated[Decimal, WithJsonSchema({"type": "number"})]
Severity = Literal["error", "warning", "info"]
#: The layout family of a performance table (OUTPUT.md, "Project, other layouts").
Layout = Literal["hebei_table", "form", "wide", "flat", "self_evaluation"]
#: The document family recognised (OUTPUT.md, "Document", version 2).
Template = Literal["hebei_nine_parts", "nine_parts_other", "four_parts", "tables_only", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False)


class SourceLocation(_Model):
    """Points back into the source: lines (text), table/row (DOCX), page/bbox (PDF)."""

    line: int | None = None
    end_line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    end_table: int | None = None
    row: int | None = None
    page: int | None = None
    end_page: int | None = None
    bbox: list[float] | None = None

    @model_serializer(mode="plain")
    def _only_set(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Issue(_Model):
    severity: Severity
    code: str
    message: str
    part: int | None = None
    project_seq: int | None = None
    location: SourceLocation | None = None


class Source(_Model):
    file: str
    format: Literal["txt", "docx", "pdf", "doc", "wps", "rtf", "xlsx", "xls", "html"]  # as read; doc, wps, rtf via DOCX
    sha256: str
    bytes: int
    encoding: str | None = None
    path: str | None = None  # as given, or found under the input folder


class Section(_Model):
    """One heading of the document's own outline, as printed."""

    level: int
    number: str | None
    title: str
    location: SourceLocation | None = None


class Coverage(_Model):
    """The coverage ledger: what the reader saw and what became data."""

    tables_seen: int = 0
    tables_read: int = 0
    performance_tables_seen: int = 0
    performance_tables_read: int = 0
    characters: int = 0
    characters_placed: int = 0
    characters_reported: int = 0


class Part(_Model):
    number: int = Field(ge=1, le=9)
    title: str | None
    found: bool
    text: str | None
    location: SourceLocation | None = None
    heading: str | None = None  # the heading as printed for this topic


class OrgUnit(_Model):
    seq: int | None
    name: str
    nature: str | None
    level: str | None
    funding: str | None
    location: SourceLocation | None = None


class Organization(_Model):
    duties: list[str]
    units: list[OrgUnit]


class BudgetIncome(_Model):
    total: Amount | None
    personnel: Amount | None
    public: Amount | None
    project: Amount | None


class BudgetExpenditure(_Model):
    total: Amount | None
    basic: Amount | None
    personnel: Amount | None
    public: Amount | None
    project: Amount | None


class BudgetChange(_Model):
    total: Amount | None
    basic: Amount | None
    project: Amount | None
    explanation: str | None


class BudgetOverview(_Model):
    amount_unit: str
    income: BudgetIncome
    expenditure: BudgetExpenditure
    change: BudgetChange
    evidence: dict[str, str] = Field(default_factory=dict)  # field → the sentence it was read from


class LineItem(_Model):
    name: str
    amount: Amount | None
    raw: str | None = None


class OperatingCosts(_Model):
    amount_unit: str
    total: Amount | None
    items: list[LineItem]
    evidence: dict[str, str] = Field(default_factory=dict)  # field → the sentence it was read from


class ThreePublicRow(_Model):
    item: str
    previous: Amount | None
    current: Amount | None
    change: Amount | None
    reason: str | None
    subitem: bool = False  # a part (其中) of the row above; not added into the total
    location: SourceLocation | None = None


class ThreePublicTotal(_Model):
    previous: Amount | None
    current: Amount | None
    change: Amount | None
    reason: str | None
    location: SourceLocation | None = None


class ThreePublic(_Model):
    amount_unit: str
    previous_year: int | None
    current_year: int | None
    rows: list[ThreePublicRow]
    total: ThreePublicTotal | None
    evidence: dict[str, str] = Field(default_factory=dict)  # field → the sentence it was read from


class OverallGoal(_Model):
    unit: str
    duties: str | None
    goal: str | None


class UnitBudget(_Model):
    unit: str
    total: Amount | None
    items: list[LineItem]
    amount_unit: str = "万元"
    location: SourceLocation | None = None


class ProjectBudget(_Model):
    total: Amount | None
    fiscal: Amount | None
    other: Amount | None
    carryover: Amount | None = None  # 上年结转
    period_total: Amount | None = None  # 实施期资金总额, beside the annual amount


class ScheduleEntry(_Model):
    checkpoint: str
    percent: Amount | None


class IndicatorValue(_Model):
    raw: str | None
    op: Literal[">=", "<=", ">", "<", "=", "range"] | None
    number: Amount | None
    upper: Amount | None
    unit: str | None
    redacted: bool


class Indicator(_Model):
    level1: str | None
    level2: str | None
    level3: str | None
    description: str | None
    value: IndicatorValue
    basis: str | None
    location: SourceLocation | None = None
    weight: Amount | None = None  # 分值 / 权重 / 指标权重(%)
    nature: str | None = None  # 指标性质 as printed (正向 / 反向 / 定量 / 定性 / ≥ …)
    scoring: str | None = None  # 评（扣）分标准
    core: bool | None = None  # 是否核心
    period_value: IndicatorValue | None = None  # 实施期指标值
    actual: IndicatorValue | None = None  # 实际完成值 (self-evaluation)
    score: Amount | None = None  # 得分 (self-evaluation)
    deviation: str | None = None  # 偏差原因分析及改进措施 (self-evaluation)
    attributes: dict[str, str] = Field(default_factory=dict)  # every other column, as printed


class Project(_Model):
    seq: int | None
    title: str
    unit_code: str | None
    unit_name: str | None
    amount_unit: str | None
    project_code: str | None
    project_name: str | None
    budget: ProjectBudget
    purpose: str | None
    schedule: list[ScheduleEntry]
    goals: list[str]
    indicators: list[Indicator]
    location: SourceLocation | None = None
    layout: Layout = "hebei_table"
    department: str | None = None  # 主管部门, with its code when printed
    period_goals: list[str] = Field(default_factory=list)  # 实施期目标, printed apart from the annual goals
    attributes: dict[str, str] = Field(default_factory=dict)  # every other labelled cell of the header block


class DepartmentTarget(_Model):
    """One 部门整体支出绩效目标表."""

    unit: str | None
    amount_unit: str | None
    budget: ProjectBudget
    goals: list[str]
    indicators: list[Indicator]
    location: SourceLocation | None = None
    attributes: dict[str, str] = Field(default_factory=dict)


class Performance(_Model):
    overall: list[OverallGoal]
    unit_budgets: list[UnitBudget]
    measures: str | None
    projects: list[Project]
    department_targets: list[DepartmentTarget] = Field(default_factory=list)


class ProcurementRow(_Model):
    cells: dict[str, str | None]
    location: SourceLocation | None = None


class Procurement(_Model):
    amount_unit: str
    total: Amount | None
    text: str | None
    rows: list[ProcurementRow]
    evidence: dict[str, str] = Field(default_factory=dict)  # field → the sentence it was read from


class AssetRow(_Model):
    item: str
    quantity: Amount | None
    value: Amount | None
    subitem: bool = False
    location: SourceLocation | None = None


class Assets(_Model):
    amount_unit: str
    as_of: str | None
    total: Amount | None
    rows: list[AssetRow]
    evidence: dict[str, str] = Field(default_factory=dict)  # field → the sentence it was read from


class GlossaryTerm(_Model):
    term: str
    definition: str


class Disclosure(_Model):
    schema_version: Literal["2"] = SCHEMA_VERSION
    doc_id: str | None = None  # the document's key everywhere; from the file alone
    source: Source
    title: str | None
    department: str | None
    year: int | None
    template: Template = "unknown"
    kind: str | None = None  # 部门预算 / 单位预算 / 部门决算 …, as printed on the cover
    sections: list[Section] = Field(default_factory=list)
    preamble: str | None = None  # the text before part 1 (title and introduction), as written
    parts: list[Part] = Field(min_length=9, max_length=9)
    organization: Organization | None
    budget_overview: BudgetOverview | None
    operating_costs: OperatingCosts | None
    three_public: ThreePublic | None
    performance: Performance | None
    procurement: Procurement | None
    assets: Assets | None
    glossary: list[GlossaryTerm] | None
    other_matters: str | None
    issues: list[Issue]
    extraction: Coverage = Field(default_factory=Coverage)
