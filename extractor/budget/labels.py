"""The words of the standard budget tables, in one synonyms table: which
table a title names, what a column header means, which cells are codes,
names, totals, units and notes.

Every province prints the tables of 财预〔2016〕143号 under its own titles
(`预算01表 收支总表`, `公开表5 一般公共预算支出情况表`, `表五 …支出明细表（按支出
功能分类科目）`, `一、收支预算总表`, `收入支出决算总表`, `2026年预算单位财务收支预算
总表`): a title is matched by what it says, never by its number.  Texts are
matched compacted (white space removed).
"""

from __future__ import annotations

import regex

from ..models import BudgetTableKind

__all__ = [
    "CODE_PART",
    "COUNT_HEADER",
    "EMPTY_NOTE",
    "KINDS",
    "LABEL",
    "MEASURES",
    "NAME_HEADER",
    "NOTE",
    "PERFORMANCE_WORDS",
    "ROWNO_HEADER",
    "SIDES",
    "TOTAL_ROW",
    "UNIT",
    "budget_header_words",
    "code_header",
    "kind_of_title",
    "measure_of",
]

#: Title → kind, the first match wins: the specific before the general
#: (财政拨款收支总表 before 收支总表, 一般公共预算基本支出 before 一般公共预算支出).
_KIND_PATTERNS: tuple[tuple[BudgetTableKind, str], ...] = (
    ("three_public", r"三公"),
    ("gov_fund", r"政府性基金"),
    ("state_capital", r"国有资本经营"),
    ("procurement", r"政府采购"),
    ("fiscal_summary", r"财政拨款(?:收支|收入支出)"),
    ("general_public_basic", r"(?:一般公共预算|财政拨款).{0,8}基本支出|基本支出.{0,12}(?:一般公共预算)"),
    ("general_public_expenditure", r"一般公共预算.{0,6}支出"),
    ("project_expenditure", r"项目支出(?!绩效)"),
    ("income_expenditure_summary", r"收支(?:预算|决算)?总|收支总体|收入支出(?:预算|决算)?总|收支预算表|财务收支"),
    ("other", r"^(?:\S{0,16}(?:基本支出|经费支出|资金支出|结转|财政拨款支出))"),
    ("income", r"收入(?:预算|决算)?(?:总|表|情况)|收入总体"),
    ("expenditure", r"支出(?:预算|决算)?(?:总|表|情况)|支出总体"),
)
KINDS: tuple[tuple[BudgetTableKind, regex.Pattern[str]], ...] = tuple(
    (kind, regex.compile(pattern)) for kind, pattern in _KIND_PATTERNS
)

#: What makes a title a budget table's title at all: a 表 and a budget word,
#: or a short heading naming one without sentence punctuation, just above it.
_TABLE_TITLE = regex.compile(r"(?:预算|决算|收支|收入|支出|经费|采购).{0,30}表|表$|^[^，,。；;：:]{2,40}$")

#: The title of another table of amounts (政府购买服务明细表, 项目支出及其他支出预算表).
_OTHER_TABLE = regex.compile(r"(?:预算|决算|经费|资金|支出|收入|采购|购买服务).{0,20}(?:表|明细)$")

#: A table's number as printed, at the start of its title or on a line of its own.
LABEL = regex.compile(
    r"^(?:(?:预算|决算|公开|部门|附)?[0-9]{1,2}表|公开表\s*[0-9]{1,2}|附表\s*[0-9]{1,2}|表\s*[0-9]{1,2}(?:[-－][0-9]{1,2})?"
    r"|表[一二三四五六七八九十]{1,3}|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[、.．](?![0-9]))"
)

#: The table's unit, printed above it (单位：万元, 金额单位：元) or in a header cell.
UNIT = regex.compile(r"(?:金额)?单位\s*[:：]?\s*(?P<unit>万元|千元|元)(?!\p{Han})")

#: A note printed with the table.
NOTE = regex.compile(r"^[（(]?(?:注|说明|备注)\s*[0-9]?\s*[:：]")

#: Words saying a table is printed without figures.
EMPTY_NOTE = regex.compile(
    r"此表为空|本表(?:为空|无数据)|无数据|空表|(?:本|该)(?:部门|单位)(?:\S{0,20})?(?:无|没有|未安排)"
    r"|无(?:相关)?(?:收支|收入|支出|预算|决算)|(?:公开|列示)空表|不涉及|无数字|无该项|没有(?:使用|安排)"
)

#: A total row's label: 合计, 总计, 本年收入合计, 收入总计, 支出合计 ….
TOTAL_ROW = regex.compile(r"^(?:[一二三四五六七八九十]+、)?\S{0,8}(?:合计|总计)$")

#: Header of the row-label column.
NAME_HEADER = regex.compile(
    r"^(?:\S{0,12}科目名称|项目(?:名称)?|科目|收入项目|支出项目|单位名称|部门名称|名称|预算科目|预算项目|品目名称"
    r"|(?:功能|经济)(?:分类)?科目|\S{0,12}(?:功能|经济)分类科目)$"
)

#: Header of a column of row or column numbers.
ROWNO_HEADER = regex.compile(r"^(?:行次|栏次|序号?|编号)$")

#: Headers of columns that count things, not money: never amounts.
COUNT_HEADER = regex.compile(r"数量|人数|个数|面积|编制数|实有|台|辆|单价|平方米|计量单位|采购组织形式")

#: The split code columns: 类 / 款 / 项.
CODE_PART = regex.compile(r"^(?P<part>类|款|项)$")

_CODE_HEADER = regex.compile(
    r"科目(?:编码|代码|编号)$|^(?:编码|代码)$|^(?:支出功能分类|政府支出经济分类|部门支出经济分类|功能分类|经济分类)科目$"
)


def code_header(text: str) -> bool:
    """Whether a header names a column of subject codes (or of codes with names)."""
    return bool(_CODE_HEADER.search(text))


#: A block's side from its group header.
SIDES: tuple[tuple[str, regex.Pattern[str]], ...] = (
    ("income", regex.compile(r"^(?:本年|财政拨款)?收入")),
    ("expenditure", regex.compile(r"^(?:本年|财政拨款)?支出")),
)

#: Header → measure, the first match wins, tried on the leaf then its groups.
MEASURES: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (measure, regex.compile(pattern))
    for measure, pattern in (
        ("carryover", r"结转|结余"),
        ("change", r"增减|增长|变动|比上年"),
        ("previous", r"上年"),
        ("personnel", r"人员经费|人员支出|工资福利"),
        ("public", r"公用经费|公用支出|商品和服务"),
        ("basic", r"基本支出"),
        ("project", r"项目支出|专项业务经费|专项经费"),
        ("special_account", r"财政专户"),
        ("general_public", r"一般公共预算"),
        ("gov_fund", r"政府性基金"),
        ("state_capital", r"国有资本经营"),
        ("fiscal", r"财政拨款"),
        ("business", r"事业收入|事业单位经营|经营收入|经营支出"),
        ("superior", r"上级补助|上缴上级"),
        ("subsidiary", r"附属单位"),
        ("other", r"其他收入|其他资金|单位资金"),
        ("actual", r"决算数|执行数"),
        ("budget", r"预算数|预算金额|预算$"),
        ("income", r"收入"),
        ("expenditure", r"支出"),
        ("total", r"^(?:合计|总计|小计|金额|本年收入合计|本年支出合计|.*合计)$"),
    )
)


_SUBTOTAL = regex.compile(r"^(?:小计|金额|其中[:：]?)$")


def measure_of(path: tuple[str, ...]) -> str | None:
    """The measure of a column from its header path, leaf first (a 小计 is
    its group's: 基本支出.小计 is basic)."""
    subtotal = len(path) > 1 and bool(_SUBTOTAL.match(path[-1]))
    for text in reversed(path[:-1] if subtotal else path):
        for measure, pattern in MEASURES:
            if pattern.search(text):
                return measure
    return "total" if subtotal else None


def kind_of_title(text: str) -> BudgetTableKind | None:
    """The kind a table title names; None for a text that names no budget table."""
    if not _TABLE_TITLE.search(text) or "绩效" in text:
        return None
    kind = next((kind for kind, pattern in KINDS if pattern.search(text)), None)
    return kind or ("other" if _OTHER_TABLE.search(text) else None)


#: Header words that only budget tables print.
_BUDGET_WORDS = regex.compile(
    r"科目|合计|总计|基本支出|项目支出|人员经费|公用经费|预算数|决算数|财政拨款|一般公共预算|收入|支出|三公|公务接待|因公出国"
)


#: Words of a performance table's header: never a budget table.
PERFORMANCE_WORDS = regex.compile(r"一级指标|二级指标|三级指标|指标值|绩效指标|整体绩效目标|绩效目标表")


def budget_header_words(texts: list[str]) -> bool:
    """Whether a header's cells hold the words of a budget table."""
    return any(_BUDGET_WORDS.search(text) for text in texts)
