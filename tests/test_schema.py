from __future__ import annotations

import json

from pydantic import BaseModel

import extractor.models as models
from extractor.schema import render_contract, render_schema
from tests.conftest import ROOT


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schemas" / "disclosure.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema(), "schema is stale: run 'extract schema'"


def test_every_model_field_is_described_and_enums_are_listed() -> None:
    undescribed = [
        f"{name}.{field}"
        for name in models.__all__
        if isinstance(model := getattr(models, name), type) and issubclass(model, BaseModel)
        for field, info in model.model_fields.items()
        if not info.description
    ]
    assert undescribed == []
    definitions = json.loads(render_schema())["$defs"]
    assert definitions["Project"]["properties"]["unit_code"]["description"].startswith("单位编码")
    assert definitions["IndicatorValue"]["properties"]["op"]["anyOf"][0]["enum"] == [">=", "<=", ">", "<", "=", "range"]
    assert definitions["Issue"]["properties"]["severity"]["enum"] == ["error", "warning", "info"]
    assert definitions["Project"]["properties"]["layout"]["enum"] == [
        "hebei_table",
        "form",
        "wide",
        "flat",
        "self_evaluation",
    ]
    assert "four_parts" in json.loads(render_schema())["properties"]["template"]["enum"]


def test_committed_contract_document_is_current() -> None:
    committed = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    assert committed == render_contract(), "docs/contract.md is stale: run 'extract schema --markdown docs/contract.md'"


def test_contract_document_lists_fields_and_columns() -> None:
    contract = render_contract()
    assert "| `unit_code` | str or null | 单位编码, as printed (a code: text, never a number). |" in contract
    assert "| `indicators` | list of [Indicator](#indicator) | Indicator rows, in source order. |" in contract
    assert "### indicators.csv\n\nPrimary key: `doc_id`, `project`, `row`. (doc_id) → documents." in contract
    assert "| `value_op` | string: `>=`, `<=`, `>`, `<`, `=`, `range` |" in contract
