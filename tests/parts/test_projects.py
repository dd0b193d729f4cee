"""The performance-table reader on the seed's tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor import Extraction, Project, extract_document, read_bytes, read_path
from extractor.blocks import Cell as BlockCell
from extractor.blocks import Location, Paragraph, Table
from extractor.findings import IssueLog
from extractor.parts._report import Report
from extractor.parts.projects import ProjectTable, parse_project, split_goals
from tests.conftest import ROOT, SEED


def _project(seed: Extraction, seq: int) -> Project:
    assert seed.disclosure.performance is not None
    return next(p for p in seed.disclosure.performance.projects if p.seq == seq)


def test_table_1_fully(seed: Extraction) -> None:
    project = _project(seed, 1)
    assert project.title == "门卫安保经费绩效目标表"
    assert (project.unit_code, project.unit_name) == ("201001", "中国共产党阜平县委员会本级")
    assert project.amount_unit == "万元"
    assert project.project_code == "130624210SN9T0TGCCC6F"
    assert project.project_name == "门卫安保经费"
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (3, 3, 0)
    assert project.purpose is not None and project.purpose.startswith("该项目主要用于门卫室房屋安全维修")
    assert [(s.checkpoint, s.percent) for s in project.schedule] == [
        ("3月底", Decimal(20)),
        ("6月底", Decimal(50)),
        ("10月底", Decimal(70)),
        ("12月底", Decimal(100)),
    ]
    assert project.goals == [
        "门卫室房屋安全维修及电路整修到位。",
        "保安服装购置及时，其他费用合理。",
        "政府院内监控及伸缩门等设施检修全部完成。",
    ]
    rows = [
        (i.level1, i.level2, i.level3, i.value.op, i.value.number, i.value.unit, i.basis) for i in project.indicators
    ]
    assert rows == [
        ("产出指标", "数量指标", "政府院内等设施正常使用率", "=", 100, "%", "设备使用情况"),
        ("产出指标", "质量指标", "维修合格率", ">=", 90, "%", "对设备维修及时情况"),
        ("产出指标", "时效指标", "门卫室、基础设施维修及时率", "=", 100, "%", "对设备维修及时情况"),
        ("产出指标", "成本指标", "控制成本", ">=", 90, "%", "对设备维修及时情况"),
        ("效益指标", "经济效益指标", "经济效益", ">=", 90, "%", "对设备维修及时情况"),
        ("效益指标", "社会效益指标", "单位工作人员对门卫工作的满意率", ">=", 95, "%", "对设备维修及时情况"),
        ("效益指标", "可持续影响指标", "可持续发挥的作用", ">=", 93, "%", "对设备维修及时情况"),
        ("满意度指标", "服务对象满意度指标", "本单位人员对门卫工作的满意率", ">=", 90, "%", "工作方案"),
    ]
    assert project.indicators[0].description == "政府院内等设施正常使用率"
    assert project.indicators[0].value.raw == "100百分比"
    assert project.location is not None
    assert (project.location.line, project.location.end_line) == (252, 353)
    assert (project.indicators[0].location.line, project.indicators[0].location.end_line) == (297, 302)


def test_table_24_levels_carried_down_over_ten_rows(seed: Extraction) -> None:
    project = _project(seed, 24)
    assert [(i.level1, i.level2) for i in project.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "生态效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    assert project.indicators[0].value.op == ">" and project.indicators[0].value.unit == "个"
    assert project.indicators[7].value.unit == "分"
    # 3月底 is empty in the source: null, not 0
    assert [s.percent for s in project.schedule] == [None, 100, 100, 100]
    # goals separated by empty paragraphs inside the cell
    assert project.goals == ["按时完成模范机关和创新机关的评选。", "按时开展“七一”等一系列活动。", "印刷书籍"]


def test_table_10_redacted(seed: Extraction) -> None:
    project = _project(seed, 10)
    assert project.goals == ["涉密", "涉密", "涉密"]
    assert len(project.indicators) == 9
    assert all(i.value.redacted and i.value.op is None and i.value.number is None for i in project.indicators)
    assert all(i.basis is None for i in project.indicators)
    assert project.indicators[6].level2 == "生态效益指标"


def test_table_27_text_after_number_kept_and_reported(seed: Extraction) -> None:
    value = _project(seed, 27).indicators[0].value
    assert (value.raw, value.op, value.number, value.unit) == ("≥90是否按时发放工资", ">=", 90, "是否按时发放工资")
    issues = [i for i in seed.disclosure.issues if i.code == "value_unit_suspect" and i.project_seq == 27]
    assert any("是否按时发放工资" in i.message for i in issues)
    assert len(_project(seed, 27).goals) == 4


def test_multi_line_purpose_joined(seed: Extraction) -> None:
    purpose = _project(seed, 34).purpose
    assert purpose == (
        "该项目属于一次性实施的项目，用于县政府妇女儿童工作委员会作为常设机构设在县妇联，负责两个规划的制定、\n"
        "实施、检查、监督长期实行，由省政府组织年终考核、年度检测和中期、终期评估验收。"
    )


def test_every_cell_is_accounted_for(seed: Extraction) -> None:
    # cells in: every cell of every table after the first 绩效目标表 title, counted on the reader's blocks
    blocks = read_path(SEED).blocks
    first_title = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.startswith("1.门卫"))
    last = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.startswith("第六部分"))
    cells_in = sum(len(b.cells()) for b in blocks[first_title:last] if isinstance(b, Table))
    assert cells_in == 3990
    # cells accounted: used in a field, empty (merged), or reported as unparsed_cell
    unplaced_issues = sum(1 for i in seed.disclosure.issues if i.code == "unparsed_cell")
    assert len(seed.ledgers) == 48
    assert sum(ledger.used + ledger.empty for ledger in seed.ledgers) + unplaced_issues == cells_in


def _cell(row: int, col: int, text: str) -> BlockCell:
    return BlockCell(row=row, col=col, text=text, location=Location(table=0, row=row))


def _table(rows: list[list[str]]) -> Table:
    return Table(
        rows=[[_cell(r, c, t) for c, t in enumerate(row)] for r, row in enumerate(rows)], location=Location(table=0)
    )


def test_unknown_cells_become_issues_and_unit_line_may_be_a_paragraph() -> None:
    title = Paragraph("3.示例绩效目标表", Location(line=1))
    unit = Paragraph("201001示例单位 单位：万元", Location(line=2))
    table = _table(
        [
            ["项目编码", "X1", "项目名称", "示例"],
            ["预算数", "5", "其中：财政资金", "4", "其他资金", "1"],
            ["", "用途"],
            ["神秘标签", "神秘值"],
        ]
    )
    log = IssueLog()
    project, ledger = parse_project(ProjectTable(title, 3, "示例绩效目标表", [unit, table]), Report(log, 5))
    assert (project.unit_code, project.unit_name, project.amount_unit) == ("201001", "示例单位", "万元")
    assert (project.budget.total, project.budget.fiscal, project.budget.other) == (5, 4, 1)
    assert project.purpose == "用途"
    assert (ledger.total, ledger.unplaced) == (14, 2)
    assert [i.code for i in log.issues] == ["unparsed_cell", "unparsed_cell"]


def test_split_goals() -> None:
    assert split_goals("1.甲。2.乙。\n（3）丙\n\n") == ["甲。", "乙。", "丙"]
    assert split_goals(None) == []


# Variants of the template seen from other counties and other software,
# made from the clean fixture: each must give the same project.
CLEAN = (ROOT / "fixtures" / "clean-minimal.txt").read_text(encoding="utf-8")
UNIT_ROW = "\t101001示例县示例局本级\n\t单位：万元\n"
VARIANTS = {
    "title numbered in brackets": ("1.示例项目绩效目标表", "（1）示例项目绩效目标表"),
    "title numbered as 表1": ("1.示例项目绩效目标表", "表1 示例项目绩效目标表"),
    "title printed as the table's first row": (
        "1.示例项目绩效目标表\n" + UNIT_ROW,
        "\t1.示例项目绩效目标表\n\n" + UNIT_ROW,
    ),
    "unit line as a paragraph with labels": (UNIT_ROW, "预算单位：101001示例县示例局本级    金额单位：万元\n"),
    "unit name as label and value cells": (UNIT_ROW, "\t单位名称\n\t101001示例县示例局本级\n\t单位：万元\n"),
    "goals one a row under a merged label": (
        "\t绩效目标\n\t1.完成示例工作。\n2.提高效率。\n",
        "\t绩效目标\n\t1.完成示例工作。\n\n\t\n\t2.提高效率。\n",
    ),
    # another county's indicator header: the names every layout's synonyms know
    # (the levels were lost, or the basis, 338 cells unplaced on the seed)
    "schedule under another name": ("资金支出计划（%）", "支出进度计划（%）"),
    "purpose under another name": ("预算规模及资金用途", "项目概况"),
    "indicator header under other names": (
        "\t三级指标\n\t绩效指标描述\n\t指标值\n\t指标值确定依据\n",
        "\t三级指标名称\n\t绩效指标内容\n\t年度指标值\n\t指标值设定依据\n",
    ),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_template_variants_read_the_same(name: str) -> None:
    old, new = VARIANTS[name]
    assert old in CLEAN
    document = extract_document(read_bytes(CLEAN.replace(old, new, 1).encode("utf-8"), "v.txt")).disclosure
    assert document.performance is not None
    first = document.performance.projects[0]
    assert (first.seq, first.project_code, first.unit_code, first.unit_name, first.amount_unit) == (
        1,
        "13990122ABCDEFGHJKLMN",
        "101001",
        "示例县示例局本级",
        "万元",
    )
    assert (first.budget.total, len(first.indicators), len(document.performance.projects)) == (12, 4, 2)
    assert first.goals == ["完成示例工作。", "提高效率。"]
    assert [i.code for i in document.issues] == []
