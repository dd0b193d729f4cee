"""Every check: the exact findings on the seed, and each check on a small
clean document made to fail it."""

from __future__ import annotations

import pytest

from extractor import Extraction, Issue, extract_document, read_bytes
from tests.conftest import FIXTURES

CLEAN = (FIXTURES / "clean-minimal.txt").read_text(encoding="utf-8")


def _issues(text: str) -> list[Issue]:
    return extract_document(read_bytes(text.encode("utf-8"), "case.txt")).disclosure.issues


def _broken(old: str, new: str) -> list[Issue]:
    assert old in CLEAN, old
    return _issues(CLEAN.replace(old, new, 1))


def test_clean_document_raises_nothing() -> None:
    assert _issues(CLEAN) == []


def test_seed_errors_exactly(seed: Extraction) -> None:
    errors = [(i.code, i.part, i.message) for i in seed.disclosure.issues if i.severity == "error"]
    assert errors == [
        ("change_mismatch", 4, "公务接待费支出: change written 0.1 but current 27.15 - previous 27.25 = -0.10"),
        ("change_mismatch", 4, "合计: change written 0.1 but current 64.93 - previous 65.03 = -0.10"),
        (
            "unit_budget_tables_mismatch",
            5,
            "县委办: 分项绩效目标 states 1122.5675 but its 13 performance table(s) "
            "(中国共产党阜平县委员会本级) add up to 985.7",
        ),
        (
            "sum_mismatch",
            5,
            "团委 分项绩效目标 total: stated 13 but 少工委活动专项 0.77 + "
            "团委“西部志愿者”“健康计划志愿者”管理专项 0.66 + 团委五四活动专项 0.68 + "
            "预防青少年违法犯罪专项 0.85 + 团组织活动“青春守护点对点”专项 0.85 + "
            "贫困学生救助专项经费 10.15 = 13.96 (difference -0.96)",
        ),
        (
            "sum_mismatch",
            5,
            "文联 分项绩效目标 total: stated 7.8 but 劳务派遣人员工资及社会保障缴费 3.8 + "
            "文联出版《枣花》杂志专项经费 5 + 文化交流、文化讲堂、采风创作活动专项经费 3.5 = 12.3 "
            "(difference -4.5)",
        ),
        (
            "unit_budget_tables_mismatch",
            5,
            "文联: 分项绩效目标 states 7.8 but its 3 performance table(s) (阜平县文学艺术界联合会) add up to 11.6",
        ),
        (
            "sum_mismatch",
            5,
            "妇联 分项绩效目标 total: stated 6 but 妇女之家建设专项经费 0.5 + 专项经费 2.5 + "
            "妇联组织建设专项经费 1.8 + “巧手致富”工程专项经费 0.5 + “三八”活动专项经费 1 + "
            "美丽庭院创建和村民讲习所建设专项经费 0.7 = 7.0 (difference -1.0)",
        ),
        (
            "unit_budget_tables_mismatch",
            5,
            "残联: 分项绩效目标 states 139.925 but its 10 performance table(s) "
            "(河北省阜平县残疾人联合会) add up to 131.05",
        ),
    ]


def test_seed_warnings_and_notes(seed: Extraction) -> None:
    found = [(i.code, i.project_seq) for i in seed.disclosure.issues if i.code != "value_unit_suspect"]
    assert [f for f in found if f[0] not in ("change_mismatch", "sum_mismatch", "unit_budget_tables_mismatch")] == [
        ("number_repaired", None),
        ("unparsed_text", None),
        ("table_numbering_gap", 29),
        ("schedule_checkpoint_empty", 16),
        ("schedule_checkpoint_empty", 24),
        ("schedule_not_monotonic", 34),
        ("schedule_checkpoint_empty", 35),
        ("schedule_checkpoint_empty", 36),
        ("schedule_checkpoint_empty", 37),
        ("schedule_checkpoint_empty", 37),
        ("schedule_checkpoint_empty", 38),
        ("values_all_redacted", 10),
    ]
    suspect = [i for i in seed.disclosure.issues if i.code == "value_unit_suspect"]
    assert len(suspect) == 21 and {i.project_seq for i in suspect} == {2, 15, 18, 27, 37}


@pytest.mark.parametrize(
    "old, new, code, fragment",
    [
        # part 2 arithmetic
        ("专项项目预算为20万元", "专项项目预算为21万元", "sum_mismatch", "income total: stated 100.5"),
        ("基本支出80.5万元", "基本支出80万元", "sum_mismatch", "expenditure basic: stated 80"),
        (
            "2022年部门支出安排预算总额100.5万元",
            "2022年部门支出安排预算总额101万元",
            "figure_conflict",
            "income 100.5 ('2022年示例局年初部门收入预算总额为100.5万元。') and expenditure 101",
        ),
        ("项目支出减少2万元", "项目支出减少1万元", "sum_mismatch", "change total: stated -5"),
        # part 3, 4, 7
        ("邮电费10.5万元", "邮电费11万元", "sum_mismatch", "机关运行经费 total: stated 20.5"),
        (
            "\t公务接待费支出\n\t3\n\t2\n\t-1",
            "\t公务接待费支出\n\t3\n\t2\n\t1",
            "change_mismatch",
            "change written 1 but current 2 - previous 3 = -1",
        ),
        ("\t合计\n\t3\n\t2", "\t合计\n\t4\n\t2", "sum_mismatch", "“三公” 合计 previous: stated 4"),
        ("\t1、车辆（台、辆）\n\t1\n\t20", "\t1、车辆（台、辆）\n\t1\n\t21", "sum_mismatch", "固定资产总额: stated 30"),
        # per-unit budgets
        ("维护项目8万元", "维护项目9万元", "sum_mismatch", "示例局 分项绩效目标 total: stated 20"),
        ("安排项目20万元", "安排项目25万元", "unit_budget_tables_mismatch", "states 25 but its 2 performance table(s)"),
        # performance tables
        ("\t其中：财政资金\n\t10", "\t其中：财政资金\n\t9", "budget_parts_mismatch", "12 is not fiscal 9 + other 2"),
        ("\t50.00%\n\t75.00%", "\t50.00%\n\t45.00%", "schedule_not_monotonic", "falls from 50.00% (6月底)"),
        ("\t75.00%\n\t100.00%", "\t75.00%\n\t90.00%", "schedule_incomplete", "ends at 90.00% (12月底)"),
        ("\t25.00%\n\t50.00%", "\t125.00%\n\t150.00%", "schedule_out_of_range", "3月底: 125.00% is outside"),
        ("\t25.00%\n\t50.00%", "\t\n\t50.00%", "schedule_checkpoint_empty", "no figure for 3月底"),
        ("2.维护项目绩效目标表", "3.维护项目绩效目标表", "table_numbering_gap", "jump from 1 to 3: 2 missing"),
        ("2.维护项目绩效目标表", "1.维护项目绩效目标表", "table_numbering_repeat", "table number 1 is used again"),
        ("ABCDEFGHJKLMP", "ABCDEFGHJKLMN", "project_code_duplicate", "also used by table 1"),
        ("13990122ABCDEFGHJKLMP", "13990122ABCDEFGHJKL", "project_code_shape", "has 19 characters where"),
        ("13990122ABCDEFGHJKLMP", "13990122abcdefghjklmp", "project_code_shape", "other than digits"),
        (
            "\t效益指标\n\t社会效益指标",
            "\t效益指标\n\t质量指标",
            "indicator_level_mismatch",
            "'质量指标' does not belong under first-level '效益指标'",
        ),
        ("\t合格率\n\t合格率\n\t≥95%", "\t\n\t合格率\n\t≥95%", "indicator_cell_empty", "row 2: level3 is empty"),
        (
            "\t及时率\n\t维护及时率\n\t100%",
            "\t及时率\n\t维护及时率\n\t涉密",
            "values_all_redacted",
            "all 1 indicator values are redacted",
        ),
        ("\t≥90%\n\t回访", "\t≥90满意\n\t回访", "value_unit_suspect", "not a unit: '满意'"),
        ("办公费10万元", "办公费1,。0万元", "number_repaired", "'1,。0' read as 1.0"),
    ],
)
def test_each_check_fires_on_a_document_made_to_fail_it(old: str, new: str, code: str, fragment: str) -> None:
    issues = [i for i in _broken(old, new) if i.code == code]
    assert issues, f"{code} not raised"
    assert any(fragment in i.message for i in issues), [i.message for i in issues]


def test_missing_part_is_reported_with_found_false() -> None:
    text = CLEAN[: CLEAN.index("第九部分")]
    disclosure = extract_document(read_bytes(text.encode("utf-8"), "case.txt")).disclosure
    assert disclosure.parts[8].found is False and disclosure.other_matters is None
    assert [(i.code, i.part, i.severity) for i in disclosure.issues] == [("part_missing", 9, "error")]


@pytest.mark.parametrize(
    "sentence",
    [
        "示例局机关运行经费预算20.5万元，比上年增加1万元。其中：办公费10万元，邮电费10.5万元。",
        "2022年机关运行经费合计20.5万元，主要包括办公费10万元、邮电费10.5万元。",
    ],
)
def test_operating_cost_wordings(sentence: str) -> None:
    text = CLEAN.replace("示例局机关运行经费安排20.5万元，其中办公费10万元，邮电费10.5万元。", sentence)
    disclosure = extract_document(read_bytes(text.encode("utf-8"), "case.txt")).disclosure
    assert disclosure.operating_costs is not None
    assert disclosure.operating_costs.total == 20.5
    assert [(i.name, i.amount) for i in disclosure.operating_costs.items] == [("办公费", 10), ("邮电费", 10.5)]
    assert disclosure.issues == []


@pytest.mark.parametrize(
    "income, spending",
    [
        ("2022年示例局年初部门收入预算为100.5万元。", "2022年部门支出预算为100.5万元。"),
        ("2022年示例局收入总预算100.5万元。", "2022年部门支出总预算100.5万元。"),
    ],
)
def test_budget_overview_wordings(income: str, spending: str) -> None:
    text = CLEAN.replace("2022年示例局年初部门收入预算总额为100.5万元。", income).replace(
        "2022年部门支出安排预算总额100.5万元。", spending
    )
    disclosure = extract_document(read_bytes(text.encode("utf-8"), "case.txt")).disclosure
    assert disclosure.budget_overview is not None
    assert (disclosure.budget_overview.income.total, disclosure.budget_overview.expenditure.total) == (100.5, 100.5)
    assert disclosure.issues == []


def test_three_public_sub_rows_are_not_counted_twice() -> None:
    def row(*cells: str) -> str:
        return "".join(f"\t{cell}\n" for cell in cells) + "\n"

    header = row("项目名称", "2021年度预算", "2022年度预算", "增减金额", "变化原因")
    old = header + row("公务接待费支出", "3", "2", "-1", "压减") + row("合计", "3", "2", "-1", "压减")
    new = (
        header
        + row("因公出国（境）费", "0", "0", "0", "")
        + row("公务用车购置及运行费", "5", "4", "-1", "压减")
        + row("其中：公务用车购置费", "2", "0", "-2", "")
        + row("公务用车运行费", "3", "4", "1", "")
        + row("公务接待费", "3", "2", "-1", "压减")
        + row("合计", "8", "6", "-2", "")
    )
    assert old in CLEAN
    disclosure = extract_document(read_bytes(CLEAN.replace(old, new).encode("utf-8"), "case.txt")).disclosure
    assert disclosure.three_public is not None
    assert [(r.item, r.subitem) for r in disclosure.three_public.rows] == [
        ("因公出国（境）费", False),
        ("公务用车购置及运行费", False),
        ("其中：公务用车购置费", True),
        ("公务用车运行费", True),
        ("公务接待费", False),
    ]
    assert disclosure.issues == []
