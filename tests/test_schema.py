from __future__ import annotations

from extractor.schema import render_schema
from tests.conftest import ROOT


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schemas" / "disclosure.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema(), "schema is stale: run 'extract schema'"
