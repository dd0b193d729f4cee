"""The CSV set and its Data Package, on the seed."""

from __future__ import annotations

import csv
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from frictionless import Package
from typer.testing import CliRunner

from extractor.cli import app
from extractor.writers.csv import cell_text
from extractor.writers.tables import TABLES, Column
from tests.conftest import SEED
from tests.writers.conftest import assert_valid_package

DOC = "fuping-2021-county-party-office-ff7b246ce9e50da3"  # the seed's stem and the start of its sha256


def _rows(folder: Path, table: str, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_columns_and_bom(csv_out: Path) -> None:
    for name, spec in TABLES.items():
        raw = (csv_out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8").split(",")
        assert header == spec.column_names
        assert header[0] == "doc_id"


def test_contract_columns_come_first(csv_out: Path) -> None:
    assert _rows(csv_out, "indicators")[0].keys() >= {"value_raw", "value_op", "value_number", "value_redacted"}
    assert list(_rows(csv_out, "issues")[0])[:7] == [
        "doc_id",
        "severity",
        "code",
        "message",
        "part",
        "project_seq",
        "location",
    ]


def test_row_counts(csv_out: Path) -> None:
    counts = {name: len(_rows(csv_out, name)) for name in TABLES}
    assert counts == {
        "documents": 1,
        "files": 1,
        "projects": 48,
        "schedule": 192,
        "indicators": 401,
        "department_targets": 0,
        "department_indicators": 0,
        "org_units": 9,
        "operating_costs": 13,
        "three_public": 5,
        "unit_budgets": 59,
        "assets": 6,
        "glossary": 7,
        "budget_tables": 2,
        "budget_lines": 15,
        "failures": 0,
        "issues": 41,
    }


def test_exact_values(csv_out: Path) -> None:
    document = _rows(csv_out, "documents")[0]
    assert (document["doc_id"], document["year"], document["projects"], document["indicators"]) == (
        DOC,
        "2021",
        "48",
        "401",
    )
    first = _rows(csv_out, "projects")[0]
    assert (first["project_code"], first["budget_total"], first["goals"].count("\n")) == (
        "130624210SN9T0TGCCC6F",
        "3",
        2,
    )
    indicator = _rows(csv_out, "indicators")[1]
    assert (
        indicator["value_raw"],
        indicator["value_op"],
        indicator["value_number"],
        indicator["value_unit"],
        indicator["value_redacted"],
    ) == ("≥90百分比", ">=", "90", "%", "false")
    assets = {row["item"]: row for row in _rows(csv_out, "assets")}
    assert assets["合计"]["value"] == "418.6860"
    schedule = [r for r in _rows(csv_out, "schedule") if r["project_code"] == "13062421FLK56W53Z16VO"]
    assert [(r["checkpoint"], r["percent"]) for r in schedule][:2] == [("3月底", ""), ("6月底", "100.00")]
    budgets = [r for r in _rows(csv_out, "unit_budgets") if r["unit"] == "县委办"]
    assert budgets[-1]["item"] == "合计" and budgets[-1]["amount"] == "1122.5675"
    issue = next(r for r in _rows(csv_out, "issues") if r["code"] == "table_numbering_gap")
    assert issue["project_seq"] == "29"


def test_data_package_is_valid(csv_out: Path) -> None:
    assert_valid_package(csv_out)
    descriptor = json.loads((csv_out / "datapackage.json").read_text(encoding="utf-8"))
    schedule = next(r for r in descriptor["resources"] if r["name"] == "schedule")["schema"]
    assert {
        "fields": ["doc_id", "project"],
        "reference": {"resource": "projects", "fields": ["doc_id", "project"]},
    } in schedule["foreignKeys"]
    codes = {f["name"]: f["type"] for r in descriptor["resources"] for f in r["schema"]["fields"]}
    assert (codes["unit_code"], codes["project_code"], codes["value_number"]) == ("string", "string", "number")


def test_data_package_catches_a_broken_foreign_key(csv_out: Path, tmp_path: Path) -> None:
    for file in csv_out.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    schedule = (tmp_path / "schedule.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "schedule.csv").write_text(schedule.replace(f"{DOC},", "no-such-document,", 1), encoding="utf-8-sig")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_formula_guard_on_text_only() -> None:
    text = next(c for c in TABLES["projects"].columns if c.name == "purpose")
    number = Column("amount", "number")
    assert cell_text('=HYPERLINK("x")', text) == '\'=HYPERLINK("x")'
    assert [cell_text(v, text) for v in ("+1", "-1", "@a", "正常")] == ["'+1", "'-1", "'@a", "正常"]
    assert cell_text(Decimal("-0.10"), number) == "-0.10"
    assert cell_text(None, text) == ""
    assert cell_text(True, Column("value_redacted", "boolean")) == "true"


def test_plain_utf8_and_two_documents_with_one_stem(tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / SEED.name).write_bytes(SEED.read_bytes().replace(b"418.6860", b"418.6861"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, [str(SEED), str(twin / SEED.name), "-o", str(out), "-q", "--csv-encoding", "utf-8"]
    )
    assert result.exit_code == 0, result.output
    assert not (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    ids = [row["doc_id"] for row in _rows(out, "documents", "utf-8")]
    stem = DOC.rsplit("-", 1)[0]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(i.startswith(stem + "-") for i in ids)
    assert len(_rows(out, "indicators", "utf-8")) == 802
    assert sorted(p.name for p in out.glob("*.json") if p.name != "datapackage.json") == sorted(
        f"{i}.json" for i in ids
    )


def test_operator_equals_reaches_pandas_as_equals(csv_out: Path) -> None:
    # issue 14: the formula guard turned value_op '=' into "'=" (175 rows in pandas)
    indicators = _rows(csv_out, "indicators")
    assert Counter(row["value_op"] for row in indicators)["="] == 58
    verbatim = ("doc_id", "project_code", "value_op", "value_number", "value_redacted")
    assert not [row for row in indicators if any(row[name].startswith("'") for name in verbatim)]
    assert all(row["code"] == row["code"].strip("'") for row in _rows(csv_out, "issues"))


def test_data_package_describes_every_field_and_lists_enumerations(csv_out: Path) -> None:
    descriptor = json.loads((csv_out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {(r["name"], f["name"]): f for r in descriptor["resources"] for f in r["schema"]["fields"]}
    assert [key for key, field in fields.items() if not field["description"]] == []
    assert fields["projects", "unit_code"]["description"].startswith("单位编码")
    budget_total = fields["projects", "budget_total"]["description"]
    assert budget_total == "The project's money — 资金总额 / 年度资金总额 / 项目总额."
    assert fields["indicators", "value_op"]["constraints"]["enum"] == [">=", "<=", ">", "<", "=", "range"]
    assert fields["issues", "severity"]["constraints"]["enum"] == ["error", "warning", "info"]
    assert fields["projects", "layout"]["constraints"]["enum"][0] == "hebei_table"
    assert "four_parts" in fields["documents", "template"]["constraints"]["enum"]
    assert fields["documents", "status"]["constraints"]["enum"] == ["ok", "failed"]


def test_frictionless_reads_codes_as_text(csv_out: Path) -> None:
    projects = Package(str(csv_out / "datapackage.json")).get_resource("projects").read_rows()
    assert projects[0]["unit_code"] == "201001"  # not the integer 201001
    assert projects[0]["budget_total"] == Decimal("3")
    assert {type(row["project"]) for row in projects} == {int}


def test_declared_encoding_agrees_with_the_bytes(csv_out: Path, tmp_path: Path) -> None:
    # issue 29: files starting with a byte-order mark were declared utf-8
    out = tmp_path / "plain"
    result = CliRunner().invoke(app, [str(SEED), "-o", str(out), "-q", "--csv-encoding", "utf-8"])
    assert result.exit_code == 0, result.output
    for folder, declared in ((csv_out, "utf-8-sig"), (out, "utf-8")):
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert len(descriptor["resources"]) == len(TABLES)
        for resource in descriptor["resources"]:
            marked = (folder / resource["path"]).read_bytes().startswith(b"\xef\xbb\xbf")
            assert (resource["encoding"], marked) == (declared, declared == "utf-8-sig"), resource["name"]
        assert_valid_package(folder)
