from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from tests.conftest import SEED


@pytest.fixture(scope="module")
def csv_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    result = CliRunner().invoke(app, [str(SEED), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def assert_valid_package(folder: Path) -> None:
    """``frictionless validate`` on a run's folder: types, keys, foreign keys."""
    from frictionless import Package

    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
