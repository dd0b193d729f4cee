"""The whole seed disclosure, part by part, against values read off the document."""

from __future__ import annotations

from decimal import Decimal

from extractor import Extraction


def test_document_fields(seed: Extraction) -> None:
    d = seed.disclosure
    assert d.schema_version == "3"
    assert d.title == "中国共产党阜平县委员会办公室2021年部门预算信息公开"
    assert (d.department, d.year) == ("中国共产党阜平县委员会办公室", 2021)
    assert d.source.format == "txt" and d.source.encoding == "utf-8" and d.source.bytes == 123697
    assert [(p.number, p.found) for p in d.parts] == [(n, True) for n in range(1, 10)]
    assert d.parts[4].title == "预算绩效信息"


def test_organization(seed: Extraction) -> None:
    org = seed.disclosure.organization
    assert org is not None
    assert len(org.units) == 9
    first = org.units[0]
    assert (first.seq, first.name, first.nature, first.level, first.funding) == (
        1,
        "中国共产党阜平县委员会办公室",
        "行政",
        "正科级",
        "财政拨款",
    )
    assert org.units[8].name == "中国共产主义青年团阜平县委员会"
    # the six enumerated duties; the introduction "根据…说明如下：" is not one
    assert len(org.duties) == 6 and org.duties[0].startswith("（一）承担县委")
    assert org.duties[3].startswith("(四)负责县委日常文书处理")


def test_budget_overview(seed: Extraction) -> None:
    o = seed.disclosure.budget_overview
    assert o is not None
    assert (o.income.total, o.income.personnel, o.income.public, o.income.project) == (
        Decimal("1975.32"),
        Decimal("545.13"),
        Decimal("231.44"),
        Decimal("1198.75"),
    )
    assert (o.expenditure.total, o.expenditure.basic, o.expenditure.project) == (
        Decimal("1975.32"),
        Decimal("776.57"),
        Decimal("1198.75"),
    )
    assert (o.change.total, o.change.basic, o.change.project) == (Decimal("140.48"), Decimal("91.53"), Decimal("48.95"))


def test_operating_costs_and_repaired_training_fee(seed: Extraction) -> None:
    costs = seed.disclosure.operating_costs
    assert costs is not None
    assert costs.total == Decimal("231.44") and costs.amount_unit == "万元"
    assert len(costs.items) == 13
    assert sum(item.amount or 0 for item in costs.items) == Decimal("231.44")
    training = next(item for item in costs.items if item.name == "培训费")
    assert training.amount == Decimal("0.2")
    repaired = [i for i in seed.disclosure.issues if i.code == "number_repaired"]
    assert len(repaired) == 1 and "'0,。2'" in repaired[0].message and repaired[0].part == 3


def test_three_public(seed: Extraction) -> None:
    tp = seed.disclosure.three_public
    assert tp is not None
    assert (tp.previous_year, tp.current_year) == (2020, 2021)
    assert [(r.item, r.previous, r.current, r.change) for r in tp.rows] == [
        ("因公出国经费", 0, 0, 0),
        ("公务用车购置经费", 0, 0, 0),
        ("公务用车运行经费", Decimal("37.78"), Decimal("37.78"), 0),
        ("公务接待费支出", Decimal("27.25"), Decimal("27.15"), Decimal("0.1")),
    ]
    assert tp.total is not None
    assert (tp.total.previous, tp.total.current, tp.total.change) == (
        Decimal("65.03"),
        Decimal("64.93"),
        Decimal("0.1"),
    )


def test_performance_text_sections(seed: Extraction) -> None:
    perf = seed.disclosure.performance
    assert perf is not None
    assert len(perf.projects) == 48
    assert [g.unit for g in perf.overall] == [
        "县委办",
        "团委",
        "文联",
        "机关工委",
        "统战部",
        "科协",
        "妇联",
        "残联",
        "工商联",
    ]
    assert all(g.duties and g.goal for g in perf.overall)
    budgets = {b.unit: b for b in perf.unit_budgets}
    assert budgets["县委办"].total == Decimal("1122.5675") and len(budgets["县委办"].items) == 14
    assert budgets["残联"].items[8].name == "残疾人意外伤害保险" and budgets["残联"].items[8].amount == Decimal(
        "46.075"
    )
    assert budgets["工商联"].items[0].name == "与海外社会合作与交流专项经费"
    assert perf.measures is not None and "县委办公室将按照" in perf.measures
    leftover = [i for i in seed.disclosure.issues if i.code == "unparsed_text" and i.part == 5]
    assert [i.message for i in leftover] == ["县委办 分项绩效目标: text not placed in any field: '元'"]


def test_numbering_gap_at_28(seed: Extraction) -> None:
    gaps = [i for i in seed.disclosure.issues if i.code == "table_numbering_gap"]
    assert len(gaps) == 1
    assert gaps[0].project_seq == 29 and "27 to 29" in gaps[0].message and "28 missing" in gaps[0].message
    assert [p.seq for p in seed.disclosure.performance.projects] == [*range(1, 28), *range(29, 50)]  # type: ignore[union-attr]


def test_procurement_assets_glossary_other(seed: Extraction) -> None:
    d = seed.disclosure
    assert d.procurement is not None and d.procurement.total == 0 and d.procurement.rows == []
    assert d.assets is not None
    assert str(d.assets.total) == "418.6860" and d.assets.as_of == "2020-12-31"
    cars = next(r for r in d.assets.rows if "车辆" in r.item)
    assert (cars.quantity, cars.value) == (9, Decimal("152.34"))
    assert sum(r.value or 0 for r in d.assets.rows if not r.subitem) == Decimal("418.686")
    assert d.glossary is not None and len(d.glossary) == 7
    assert d.glossary[0].term == "财政拨款收入" and d.glossary[0].definition == "指县级财政当年拨付的资金。"
    assert d.other_matters == "无其他需说明的事项。"


def test_preamble_is_kept(seed: Extraction) -> None:
    assert seed.disclosure.preamble is not None
    assert seed.disclosure.preamble.splitlines() == [
        "中国共产党阜平县委员会办公室",
        "2021年部门预算信息公开",
        "按照《预算法》、《地方预决算公开操作规程》和《河北省省级预算公开办法》规定，现将中国共产党阜平县委员会"
        "办公室2021年部门预算公开如下：",
    ]
