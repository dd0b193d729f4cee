"""The labels of performance tables in every province's layout, each mapped
to one contract field: one table of synonyms, read by all layout readers.

Labels are matched on their compact text (white space removed, so the
vertical ``年/度/目/标`` and ``一级指 / 标`` read as ``年度目标`` and
``一级指标``) with a trailing unit or weight note removed (``（万元）``,
``（90）``, ``(%)``, a colon).  A label that maps to no field is still a
label when it reads like one; its cell is kept in ``attributes``.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from ..textutil import compact

__all__ = [
    "AMOUNT_FIELDS",
    "BLOCK_FIELDS",
    "COLUMN_FIELDS",
    "FRAMEWORK",
    "GROUP_LABEL",
    "PERF_TITLE",
    "amount_unit_of",
    "block_field",
    "column_field",
    "fits_framework",
    "is_department_title",
    "is_generic_title",
    "label_key",
]

#: The Ministry of Finance framework of indicator levels (财预〔2020〕10号 and
#: its predecessors): the second levels each first level may hold.
FRAMEWORK: dict[str, frozenset[str]] = {
    "产出指标": frozenset({"数量指标", "质量指标", "时效指标", "成本指标"}),
    "效益指标": frozenset({"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"}),
    "满意度指标": frozenset({"服务对象满意度指标"}),
    "成本指标": frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标"}),
}
_LEVEL2_HOME = {level2: level1 for level1, seconds in FRAMEWORK.items() for level2 in seconds}

# A note after a label: "（万元）" "(90)" "（%）" "（10分）", or a colon.
# At most eight trailing notes, from the first colon of a run: an unbounded repeat is retried from
# each colon of a long run (quadratic).
_NOTE = regex.compile(r"(?<![:：])(?:[（(][^（）()]{0,8}[)）]|[:：%％]){1,8}$")
# Figures of the text above printed tight against a column label (``22.65%指标名称``, ``8000计量单位``)
_LEADING_FIGURES = regex.compile(r"^[0-9][0-9.,%％]{0,20}(?=[^\x00-\x7f])")
_SUBITEM = regex.compile(r"^其中[:：]")
_AMOUNT_UNIT = regex.compile(r"(?P<unit>亿元|万元|千元|元)")


def _alternatives(*words: str) -> regex.Pattern[str]:
    return regex.compile("^(?:" + "|".join(words) + ")$")


#: The project budget's amounts, as `ProjectBudget` names them.
AMOUNT_FIELDS = ("total", "fiscal", "other", "carryover", "period_total", "special_account")

#: Header-block labels (form layout, department targets): label → field.
BLOCK_FIELDS: dict[str, regex.Pattern[str]] = {
    "project_name": _alternatives(
        "项目名称",
        "项目名",
        "二级项目名称",
        "一级项目名称",
        "转移支付[（(]项目[)）]名称",
        "转移支付名称",
        "专项[（(]项目[)）]名称",
        "专项名称",
    ),
    "project_code": _alternatives("项目编码", "项目代码", "项目编号"),
    "department": _alternatives("主管部门(?:及代码)?", "主管单位", "资金主管部门", "主管部门名称", "地方主管部门"),
    "unit_name": _alternatives(
        "实施单位", "预算单位", "单位名称", "部门[（(]单位[)）]名称", "部门名称", "项目单位", "资金使用单位"
    ),
    "total": _alternatives(
        "资金总额",
        "年度资金总额",
        "项目总额",
        "预算总额",
        "预算金额",
        "预算数",
        "总额",
        "金额合计",
        "合计",
        "当年预算",
        "年度预算数",
        "年度金额",
        "项目资金总额",
        "资金金额合计",
        "预算支出总额",
        "年度预算申请",
        "(?:年度)?预算资金总额",
    ),
    "period_total": _alternatives("实施期资金总额", "实施期总额", "项目实施期资金总额"),
    "fiscal": _alternatives(
        "(?:其中)?财政拨款", "(?:其中)?财政资金", "(?:其中)?财政性资金", "(?:其中)?当年财政拨款(?:预算金额)?"
    ),
    "carryover": _alternatives("(?:其中)?上年结转(?:资金)?", "(?:其中)?结转资金"),
    "other": _alternatives("(?:其中)?其他资金", "(?:其中)?其它资金"),
    "special_account": _alternatives("(?:其中)?财政专户(?:拨款|管理资金|资金)"),
    "goals": _alternatives(
        "年度目标",
        "年度总体目标",
        "总体目标",
        "年度绩效目标",
        "当年绩效目标",
        "当年整体绩效目标",
        "整体绩效目标",
        "绩效目标",
        "年度总目标",
        "预期目标",
        "项目年度目标",
        "年度目标[（(]当年[)）]",
    ),
    "period_goals": _alternatives("项目实施期目标", "实施期目标", "实施期总目标", "总体目标[（(]实施期[)）]"),
}

#: Indicator-table column labels: label → field.  ``level3`` also takes
#: 指标名称 (flat layout); ``unit`` and ``op`` columns are joined into the value.
COLUMN_FIELDS: dict[str, regex.Pattern[str]] = {
    "level1": _alternatives("一级(?:指标)?"),
    "level2": _alternatives("二级(?:指标)?"),
    "level3": _alternatives("三级(?:指标)?", "指标名称", "绩效指标名称", "三级指标名称"),
    "value": _alternatives(
        "指标值",
        "目标值",
        "本年绩效指标值",
        "年度指标值",
        "绩效指标值",
        "当年指标值",
        "年度目标值",
        "本年指标值",
        "预期指标值",
        "指标值[（(]年度[)）]",
    ),
    "period_value": _alternatives("实施期指标值", "实施期目标值"),
    "actual": _alternatives("实际完成值", "全年实际值", "实际完成情况", "实际值", "全年实际完成值", "全年完成值"),
    "description": _alternatives("指标值内容", "(?:绩效)?指标(?:内容|解释|说明|描述)"),
    "basis": _alternatives("(?:指标值?|目标值)?(?:确定|设定|设置)?依据"),
    "scoring": _alternatives("评[（(]扣[)）]分标准", "评分标准", "扣分标准", "评分规则"),
    "unit": _alternatives("计量单位", "度量单位", "绩效度量单位", "单位"),
    "nature": _alternatives("指标性质", "绩效指标性质", "指标值类型", "指标方向", "指标类型"),
    "weight": _alternatives("分值", "权重", "指标权重", "分值权重", "权重分值", "指标分值"),
    "score": _alternatives("得分", "自评得分"),
    "deviation": _alternatives(
        "偏差原因分析及改进措施", "偏差原因", "未完成原因分析", "偏差原因分析", "未完成原因[和及]改进措施"
    ),
    "core": _alternatives("是否核心(?:指标)?", "核心指标"),
    # project columns of the wide and flat layouts
    "project_code": _alternatives("项目编码", "项目代码", "单位编码", "项目编号"),
    "project_name": _alternatives("项目名称", "单位[（(]项目[)）]名称", "二级项目名称"),
    "total": _alternatives(
        "项目总额",
        "资金总额",
        "年度资金总额",
        "预算金额",
        "预算数",
        "项目金额",
        "总计",
    ),
    "fiscal": BLOCK_FIELDS["fiscal"],
    "other": BLOCK_FIELDS["other"],
    "special_account": BLOCK_FIELDS["special_account"],
    "goals": _alternatives("绩效目标", "当年绩效目标", "年度目标", "年度绩效目标", "项目绩效目标"),
}

#: A label over a group of rows, carrying no field: 项目资金（万元）, 绩效指标 …
GROUP_LABEL = regex.compile(
    r"^(?:(?:总体|专项|项目)?资金(?:金额|情况)?|项目资金|资金来源|绩效(?:目标)?指标|年度(?:绩效)?指标|年度主要任务|"
    r"总体目标|年度总体目标|主要任务|绩效目标指标|产出指标|其中)$"
)

#: The title of a performance table: ends with 绩效目标表, 绩效自评表, 绩效目标自评表 …
PERF_TITLE = regex.compile(r"绩效(?:目标|自评|评价)(?:自评|申报)?表")
# What a table's title names when it names no project: 项目支出绩效目标表, 政策和项目预算绩效目标表 …
_GENERIC_TITLE = regex.compile(
    r"^(?:[0-9]{4}年度?)?(?:(?:部门|单位|本级|市级|区级|县级)?(?:预算)?(?:项目支出|政策和项目预算|部门预算项目|政策和项目|"
    r"项目|重点项目|一般性项目|专项资金总体|专项资金|专项业务经费|部门专项业务经费|转移支付|部门整体支出|部门整体|整体支出))?"
    r"(?:[（(][^）)]{0,12}[）)])?$"
)
_DEPARTMENT = regex.compile(r"部门整体|整体支出|整体绩效|部门[（(]单位[)）]整体")


@lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """A label's text as matched: white space, a leading 其中： and a trailing note removed."""
    return _NOTE.sub("", _SUBITEM.sub("", compact(text)))


def fits_framework(level1: str | None, level2: str | None) -> bool:
    """Whether a second level may stand under a first level; unknown names fit."""
    home = _LEVEL2_HOME.get(level2 or "")
    return home is None or level1 is None or level1 not in FRAMEWORK or level2 in FRAMEWORK[level1]


def _field(patterns: dict[str, regex.Pattern[str]], text: str) -> str | None:
    key = label_key(text)
    if not key:
        return None
    return next((name for name, pattern in patterns.items() if pattern.match(key)), None)


@lru_cache(maxsize=4096)
def block_field(text: str) -> str | None:
    """The contract field a header-block label stands for, if any (remembered,
    like `label_key`: every row of every table is tried as a label)."""
    return _field(BLOCK_FIELDS, text)


@lru_cache(maxsize=4096)
def column_field(text: str) -> str | None:
    """The contract field an indicator-table column label stands for, if any
    (remembered); figures of the text above glued before it are passed over."""
    return _field(COLUMN_FIELDS, text) or _field(COLUMN_FIELDS, _LEADING_FIGURES.sub("", compact(text)))


def amount_unit_of(text: str) -> str | None:
    """The money unit a label or note names (``项目资金（万元）`` → 万元)."""
    match = _AMOUNT_UNIT.search(text)
    return match.group("unit") if match else None


def is_generic_title(name: str) -> bool:
    """Whether what a title says before 绩效目标表 is the kind of table, not a project's name."""
    return _GENERIC_TITLE.match(compact(name)) is not None


def is_department_title(text: str) -> bool:
    """Whether a title or label names the department-level target table."""
    return _DEPARTMENT.search(compact(text)) is not None
