"""The output contract (``shared/spec/OUTPUT.md``, schema version 3) as
pydantic models.  Field names here are the interface downstream databases
build on: add fields, never rename or drop them.

Amounts are `Decimal` (exact); the JSON writer emits them as JSON numbers
with every digit kept.  ``schemas/disclosure.schema.json`` is generated from
these models by ``extract schema``, and ``docs/contract.md`` by ``extract
schema --markdown``.

Every field is described by the docstring under it (pydantic's
``use_attribute_docstrings``), taken from the contract; the descriptions
travel into the JSON Schema, the Data Package's field descriptions and the
contract document, so they are written once, here.
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
    "BudgetColumn",
    "BudgetExpenditure",
    "BudgetIncome",
    "BudgetOverview",
    "BudgetRow",
    "BudgetTable",
    "BudgetTableKind",
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
    "Operator",
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

SCHEMA_VERSION: Literal["3"] = "3"

#: An exact decimal amount, written to JSON as a number.
Amount = Annotated[Decimal, WithJsonSchema({"type": "number"})]
Severity = Literal["error", "warning", "info"]
#: The comparison an indicator's target states (OUTPUT.md, "Indicator").
Operator = Literal[">=", "<=", ">", "<", "=", "range"]
#: The layout family of a performance table (OUTPUT.md, "Project, other layouts").
Layout = Literal["hebei_table", "form", "wide", "flat", "self_evaluation"]
#: The document family recognised (OUTPUT.md, "Document", version 2).
Template = Literal["hebei_nine_parts", "nine_parts_other", "four_parts", "tables_only", "unknown"]
#: The kind of a standard budget table (OUTPUT.md, "Budget tables", version 3).
BudgetTableKind = Literal[
    "income_expenditure_summary",
    "income",
    "expenditure",
    "fiscal_summary",
    "general_public_expenditure",
    "general_public_basic",
    "three_public",
    "gov_fund",
    "state_capital",
    "project_expenditure",
    "procurement",
    "other",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False, use_attribute_docstrings=True)


class SourceLocation(_Model):
    """Points back into the source: lines (text), table/row (DOCX), page/bbox (PDF)."""

    line: int | None = None
    """First line in the text file (1-based)."""
    end_line: int | None = None
    """Last line in the text file, when the record spans lines."""
    paragraph: int | None = None
    """Body paragraph index in the DOCX (0-based)."""
    table: int | None = None
    """Body table index in the DOCX (0-based); for PDF, the table's index in the document."""
    end_table: int | None = None
    """Last table, when a record spans tables."""
    row: int | None = None
    """Row index within the table (0-based)."""
    page: int | None = None
    """PDF page (1-based)."""
    end_page: int | None = None
    """Last PDF page, when a table or paragraph runs over a page break."""
    bbox: list[float] | None = None
    """PDF box in points: [x0, top, x1, bottom]."""

    @model_serializer(mode="plain")
    def _only_set(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Issue(_Model):
    """A finding: a repair, a leftover or a failed check; nothing is dropped silently."""

    severity: Severity
    """error (a figure is wrong or missing), warning (repaired or doubtful), info (a note)."""
    code: str
    """Stable snake_case code, registered in extractor/findings.py (e.g. sum_mismatch, number_repaired)."""
    message: str
    """What was found, quoting the text or figures involved."""
    part: int | None = None
    """The topic (1..9) the finding belongs to, if any."""
    project_seq: int | None = None
    """The performance table's number (Project.seq), if the finding is about one."""
    location: SourceLocation | None = None
    """Where in the source."""


class Source(_Model):
    """The input file."""

    file: str
    """File name, as given."""
    format: Literal["txt", "docx", "pdf", "doc", "wps", "rtf", "xlsx", "xls", "html"]
    """Format as read (by content); doc, wps and rtf are converted to DOCX first."""
    sha256: str
    """SHA-256 of the file's bytes."""
    bytes: int
    """Size of the file in bytes."""
    encoding: str | None = None
    """Text encoding detected (text and HTML inputs)."""
    path: str | None = None
    """The path as given, or found under the input folder (a ZIP member as archive.zip!/member)."""


class Section(_Model):
    """One heading of the document's own outline, as printed."""

    level: int
    """Depth from the numbering style: 第一部分 > 一、 > （一） > 1. > （1）; table titles one below their heading."""
    number: str | None
    """The number as printed (第一部分, 一、, 表10), or null."""
    title: str
    """The heading's text after its number."""
    location: SourceLocation | None = None
    """Where in the source."""


class Coverage(_Model):
    """The coverage ledger: what the reader saw and what became data."""

    tables_seen: int = 0
    """Tables the reader found."""
    tables_read: int = 0
    """Tables turned into data."""
    performance_tables_seen: int = 0
    """Tables that look like performance-target tables."""
    performance_tables_read: int = 0
    """Performance-target tables turned into projects or department targets."""
    characters: int = 0
    """Characters of text read."""
    characters_placed: int = 0
    """Characters placed in blocks of the output."""
    characters_reported: int = 0
    """Characters not placed but quoted in issues."""


class Part(_Model):
    """One of the nine topics of the Hebei template, wherever the document puts it."""

    number: int = Field(ge=1, le=9)
    """Topic: 1 职责及机构, 2 收支总体, 3 机关运行经费, 4 三公, 5 绩效, 6 政府采购, 7 国有资产, 8 名词解释, 9 其他."""
    title: str | None
    """The heading's title after its number."""
    found: bool
    """Whether the document has this topic (set by topic, whatever the heading's number)."""
    text: str | None
    """The topic's text, as written (null when not found)."""
    location: SourceLocation | None = None
    """Where in the source."""
    heading: str | None = None
    """The heading as printed for this topic."""


class OrgUnit(_Model):
    """One unit of the department (机构设置)."""

    seq: int | None
    """序号 as printed."""
    name: str
    """单位名称."""
    nature: str | None
    """单位性质 (行政, 事业 …)."""
    level: str | None
    """单位规格 (正科级 …)."""
    funding: str | None
    """经费形式 (财政拨款 …)."""
    location: SourceLocation | None = None
    """Where in the source."""


class Organization(_Model):
    """Part 1: duties and units (部门职责及机构设置)."""

    duties: list[str]
    """主要职责, one entry per duty, as written."""
    units: list[OrgUnit]
    """The units, in source order."""


class BudgetIncome(_Model):
    """收入 of the budget overview."""

    total: Amount | None
    """收入总计: the grand total (收入合计 where no 总计 is printed)."""
    personnel: Amount | None
    """人员经费 income."""
    public: Amount | None
    """公用经费 income."""
    project: Amount | None
    """项目 income."""
    current_year: Amount | None = None
    """本年收入合计, when printed apart from the grand total (a 决算 adds carry-overs to it)."""


class BudgetExpenditure(_Model):
    """支出 of the budget overview."""

    total: Amount | None
    """支出总计: the grand total (支出合计 where no 总计 is printed)."""
    basic: Amount | None
    """基本支出 (personnel + public)."""
    personnel: Amount | None
    """人员经费."""
    public: Amount | None
    """公用经费."""
    project: Amount | None
    """项目支出."""
    current_year: Amount | None = None
    """本年支出合计, when printed apart from the grand total."""


class BudgetChange(_Model):
    """Change against the previous year (比上年增减)."""

    total: Amount | None
    """Total change (negative for a decrease)."""
    basic: Amount | None
    """Change of 基本支出."""
    project: Amount | None
    """Change of 项目支出."""
    explanation: str | None
    """The reason given (主要原因), as written."""


class BudgetOverview(_Model):
    """Part 2: income and expenditure overview (收支预算总体情况)."""

    amount_unit: str
    """Unit of the amounts (almost always 万元)."""
    income: BudgetIncome
    """Income figures."""
    expenditure: BudgetExpenditure
    """Expenditure figures."""
    change: BudgetChange
    """Change against the previous year."""
    evidence: dict[str, str] = Field(default_factory=dict)
    """For each figure read from prose (dotted field name), the sentence it came from."""


class LineItem(_Model):
    """A named amount."""

    name: str
    """Item name, as printed."""
    amount: Amount | None
    """Amount, in the block's amount_unit."""
    raw: str | None = None
    """The amount as printed, when it differs (a repaired number)."""


class OperatingCosts(_Model):
    """Part 3: 机关运行经费."""

    amount_unit: str
    """Unit of the amounts."""
    total: Amount | None
    """Total 机关运行经费."""
    items: list[LineItem]
    """Items (办公费, 培训费 …), in source order."""
    evidence: dict[str, str] = Field(default_factory=dict)
    """For each figure read from prose, the sentence it came from."""


class ThreePublicRow(_Model):
    """One row of the 三公 table."""

    item: str
    """Row name (公务接待费支出 …)."""
    previous: Amount | None
    """Previous year's amount."""
    current: Amount | None
    """This year's amount."""
    change: Amount | None
    """Change (current − previous)."""
    reason: str | None
    """Reason for the change, as written."""
    subitem: bool = False
    """A part (其中) of the row above; not added into the total."""
    location: SourceLocation | None = None
    """Where in the source."""


class ThreePublicTotal(_Model):
    """The 合计 row of the 三公 table."""

    previous: Amount | None
    """Previous year's total."""
    current: Amount | None
    """This year's total."""
    change: Amount | None
    """Change of the total."""
    reason: str | None
    """Reason for the change, as written."""
    location: SourceLocation | None = None
    """Where in the source."""


class ThreePublic(_Model):
    """Part 4: 财政拨款"三公"经费."""

    amount_unit: str
    """Unit of the amounts."""
    previous_year: int | None
    """The year compared against."""
    current_year: int | None
    """The budget year."""
    rows: list[ThreePublicRow]
    """Rows, in source order."""
    total: ThreePublicTotal | None
    """The 合计 row."""
    evidence: dict[str, str] = Field(default_factory=dict)
    """For each figure read from prose, the sentence it came from."""


class OverallGoal(_Model):
    """A unit's duties and overall performance goal (部门/单位整体绩效目标)."""

    unit: str
    """Unit name."""
    duties: str | None
    """Its duties, as written."""
    goal: str | None
    """Its overall goal, as written."""


class UnitBudget(_Model):
    """A unit's performance budget (分项绩效目标) with its items."""

    unit: str
    """Unit name."""
    total: Amount | None
    """The unit's total."""
    items: list[LineItem]
    """Items, in source order."""
    amount_unit: str = "万元"
    """Unit of the amounts."""
    location: SourceLocation | None = None
    """Where in the source."""


class ProjectBudget(_Model):
    """A project's money (项目资金)."""

    total: Amount | None
    """资金总额 / 年度资金总额 / 项目总额."""
    fiscal: Amount | None
    """财政拨款."""
    other: Amount | None
    """其他资金."""
    carryover: Amount | None = None
    """上年结转."""
    period_total: Amount | None = None
    """实施期资金总额, when printed beside the annual amount."""
    special_account: Amount | None = None
    """财政专户拨款 / 财政专户管理资金, when printed as its own amount beside 财政拨款 and 其他资金."""


class ScheduleEntry(_Model):
    """A spending checkpoint (资金支出计划)."""

    checkpoint: str
    """When (3月底 …), as printed."""
    percent: Amount | None
    """Share of the money spent by then, out of 100."""


class IndicatorValue(_Model):
    """A parsed 指标值 cell."""

    raw: str | None
    """The cell as printed (operator, number and unit columns joined as printed)."""
    op: Operator | None
    """Comparison: >=, <=, >, <, = (also when none is printed) or range; null for qualitative or redacted values."""
    number: Amount | None
    """The number (the lower bound of a range)."""
    upper: Amount | None
    """Upper bound of a range; null otherwise."""
    unit: str | None
    """Unit after the number (百分比, % and ％ all become %)."""
    redacted: bool
    """True when the value is withheld (涉密)."""


class Indicator(_Model):
    """One row of a performance-target table."""

    level1: str | None
    """一级指标, carried down from the row above when the merged cell is empty."""
    level2: str | None
    """二级指标, carried down likewise."""
    level3: str | None
    """三级指标 / 指标名称."""
    description: str | None
    """指标内容 / description, as printed."""
    value: IndicatorValue
    """The target value (指标值 / 年度指标值), parsed."""
    basis: str | None
    """评价标准 / basis, as printed."""
    location: SourceLocation | None = None
    """Where in the source."""
    weight: Amount | None = None
    """分值 / 权重 / 指标权重(%)."""
    nature: str | None = None
    """指标性质 / 绩效指标性质 as printed (正向 / 反向 / 定量 / 定性 / ≥ …)."""
    scoring: str | None = None
    """评（扣）分标准."""
    core: bool | None = None
    """是否核心."""
    period_value: IndicatorValue | None = None
    """实施期指标值, when printed beside the annual value."""
    actual: IndicatorValue | None = None
    """实际完成值 (self-evaluation)."""
    score: Amount | None = None
    """得分 (self-evaluation)."""
    deviation: str | None = None
    """偏差原因分析及改进措施 (self-evaluation)."""
    attributes: dict[str, str] = Field(default_factory=dict)
    """Every other column, label → text as printed."""


class Project(_Model):
    """One performance-target table (绩效目标表), or one project of a wide table."""

    seq: int | None
    """The number in the table's title."""
    title: str
    """The table's title (…绩效目标表)."""
    unit_code: str | None
    """单位编码, as printed (a code: text, never a number)."""
    unit_name: str | None
    """单位名称 / 实施单位."""
    amount_unit: str | None
    """Unit of the amounts."""
    project_code: str | None
    """项目编码, as printed (a code: text)."""
    project_name: str | None
    """项目名称."""
    budget: ProjectBudget
    """The project's money."""
    purpose: str | None
    """项目概况 / 立项依据: what the money is for, as written."""
    schedule: list[ScheduleEntry]
    """Spending checkpoints, in source order."""
    goals: list[str]
    """Annual goals, list numbering (1. 1、 （1）) removed, blank lines dropped."""
    indicators: list[Indicator]
    """Indicator rows, in source order."""
    location: SourceLocation | None = None
    """Where in the source."""
    layout: Layout = "hebei_table"
    """hebei_table, form (one project a table), wide (many projects a table), flat (no levels), self_evaluation."""
    department: str | None = None
    """主管部门, with its code when printed ([292]国家信访局)."""
    period_goals: list[str] = Field(default_factory=list)
    """实施期目标, printed apart from the annual goals."""
    attributes: dict[str, str] = Field(default_factory=dict)
    """Every other labelled cell of the header block, label → text as printed."""


class DepartmentTarget(_Model):
    """One 部门整体支出绩效目标表."""

    unit: str | None
    """部门名称."""
    amount_unit: str | None
    """Unit of the amounts."""
    budget: ProjectBudget
    """The department's money (预算支出总额 …)."""
    goals: list[str]
    """整体绩效目标, one entry per goal."""
    indicators: list[Indicator]
    """Indicator rows, in source order."""
    location: SourceLocation | None = None
    """Where in the source."""
    attributes: dict[str, str] = Field(default_factory=dict)
    """Every other labelled cell, label → text as printed."""


class Performance(_Model):
    """Part 5: performance information (预算绩效信息)."""

    overall: list[OverallGoal]
    """Each unit's duties and overall goal."""
    unit_budgets: list[UnitBudget]
    """Each unit's performance budget."""
    measures: str | None
    """Measures (保障措施), as written."""
    projects: list[Project]
    """Every performance-target table found in the document, wherever it is."""
    department_targets: list[DepartmentTarget] = Field(default_factory=list)
    """One entry per 部门整体支出绩效目标表."""


class ProcurementRow(_Model):
    """A row of a procurement table."""

    cells: dict[str, str | None]
    """Header → cell text, as printed."""
    location: SourceLocation | None = None
    """Where in the source."""


class Procurement(_Model):
    """Part 6: government procurement (政府采购)."""

    amount_unit: str
    """Unit of the amounts."""
    total: Amount | None
    """Total procurement budget."""
    text: str | None
    """The part's text, as written."""
    rows: list[ProcurementRow]
    """Table rows, if any."""
    evidence: dict[str, str] = Field(default_factory=dict)
    """For each figure read from prose, the sentence it came from."""


class AssetRow(_Model):
    """A row of the asset table."""

    item: str
    """Asset class (车辆, 单价50万元以上设备 …)."""
    quantity: Amount | None
    """Quantity."""
    value: Amount | None
    """Value, in the block's amount_unit."""
    subitem: bool = False
    """A part (其中) of the row above; not added into the total."""
    location: SourceLocation | None = None
    """Where in the source."""


class Assets(_Model):
    """Part 7: state-owned assets (国有资产占用情况)."""

    amount_unit: str
    """Unit of the amounts."""
    as_of: str | None
    """The date the figures stand at, as printed."""
    total: Amount | None
    """固定资产总额."""
    rows: list[AssetRow]
    """Rows, in source order."""
    evidence: dict[str, str] = Field(default_factory=dict)
    """For each figure read from prose, the sentence it came from."""


class BudgetColumn(_Model):
    """An amount column of a budget table."""

    name: str
    """The printed header, its group headers before it joined by "." (基本支出.人员经费); unique in the table."""
    measure: str | None
    """What the column means where recognised: total, basic, personnel, public, project, income, expenditure,
    fiscal, general_public, gov_fund, state_capital, special_account, business, operation, other, carryover,
    balance, previous, current, change, budget, actual, …; else null."""


class BudgetRow(_Model):
    """One printed row of a budget table (one side of it in a two-sided table)."""

    side: str | None = None
    """In two-sided tables: income / expenditure (expenditure.<block> when several expenditure blocks are printed)."""
    code: str | None = None
    """The full subject code rebuilt from what is printed (201, 20105, 2010501, 30101); null for totals and labels."""
    code_printed: str | None = None
    """The code cells as printed, joined with | when split into 类 / 款 / 项 columns."""
    level: Literal["类", "款", "项", "item", "total"] | None = None
    """类, 款, 项, item (longer codes), total (合计 / 总计 rows), or null."""
    parent_code: str | None = None
    """The code of the row this one sums into."""
    econ_code: str | None = None
    """The 政府预算支出经济分类 code, where the table prints it beside the 部门 code."""
    name: str
    """The row's label as printed (wrapped cells rejoined; enumerators like 一、 kept)."""
    amounts: dict[str, Amount | None]
    """Column name → amount in the table's unit; an empty cell is null."""
    attributes: dict[str, str] = Field(default_factory=dict)
    """Every other text cell of the row (a unit, a project's name, another classification's code), header → text."""
    location: SourceLocation | None = None
    """Where in the source."""


class BudgetTable(_Model):
    """One standard budget (or final-accounts) table, 财预〔2016〕143号 and each province's own."""

    seq: int
    """1, 2, … in document order."""
    label: str | None
    """The table's number as printed: 预算01表, 公开表5, 表一, 表 1, 一、."""
    title: str
    """The title as printed, label removed."""
    kind: BudgetTableKind
    """income_expenditure_summary, income, expenditure, fiscal_summary, general_public_expenditure,
    general_public_basic, three_public, gov_fund, state_capital, project_expenditure, procurement, other."""
    amount_unit: str
    """The table's own 单位 (万元, 元)."""
    columns: list[BudgetColumn]
    """Amount columns, left to right."""
    rows: list[BudgetRow]
    """Every printed row, in order, totals included."""
    empty: bool = False
    """The table is printed without figures (此表为空, 本表无数据)."""
    note: str | None = None
    """The note printed with the table (注：…)."""
    location: SourceLocation | None = None
    """Page and bbox (end_page when it runs over pages); line or table/row for text and DOCX."""


class GlossaryTerm(_Model):
    """Part 8: a term explained (名词解释)."""

    term: str
    """The term."""
    definition: str
    """Its explanation, as written."""


class Disclosure(_Model):
    """One budget disclosure (部门预算信息公开): one JSON document per input."""

    schema_version: Literal["3"] = SCHEMA_VERSION
    """Version of this contract."""
    doc_id: str | None = None
    """The document's key everywhere (JSON name, CSV, databases): file stem + sha256 start, from the file alone."""
    source: Source
    """The input file."""
    title: str | None
    """Title from the cover."""
    department: str | None
    """Department from the cover."""
    year: int | None
    """Budget year."""
    template: Template = "unknown"
    """Document family recognised: hebei_nine_parts, nine_parts_other, four_parts, tables_only, unknown."""
    kind: str | None = None
    """部门预算 / 单位预算 / 部门决算 / 单位决算, as printed on the cover."""
    sections: list[Section] = Field(default_factory=list)
    """The document's own outline as printed (table of contents skipped)."""
    preamble: str | None = None
    """The text before part 1 (title and introduction), as written."""
    parts: list[Part] = Field(min_length=9, max_length=9)
    """Exactly nine topics; an absent one is found: false with its fields null (and an issue)."""
    organization: Organization | None
    """Part 1: duties and units."""
    budget_overview: BudgetOverview | None
    """Part 2: income and expenditure."""
    operating_costs: OperatingCosts | None
    """Part 3: 机关运行经费."""
    three_public: ThreePublic | None
    """Part 4: 三公经费."""
    performance: Performance | None
    """Part 5: performance information and every performance-target table."""
    procurement: Procurement | None
    """Part 6: government procurement."""
    assets: Assets | None
    """Part 7: state-owned assets."""
    glossary: list[GlossaryTerm] | None
    """Part 8: terms explained."""
    other_matters: str | None
    """Part 9: other matters, as written."""
    budget_tables: list[BudgetTable] = Field(default_factory=list)
    """The standard budget tables (收支总表 … 项目支出表), in document order."""
    issues: list[Issue]
    """Every repair, leftover and failed check."""
    extraction: Coverage = Field(default_factory=Coverage)
    """The coverage ledger: what the reader saw and what became data."""
