from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from tests.conftest import SEED

CLEAN = SEED.parent / "clean-minimal.txt"


def clean_variants(folder: Path) -> dict[str, Path]:
    """The clean fixture, and two variants a strict database refuses: two
    schedule columns both headed 3月底, and a project without its 项目编码."""
    folder.mkdir()
    text = CLEAN.read_text(encoding="utf-8")
    variants = {
        "a-twice-march": text.replace("\t6月底\n", "\t3月底\n", 1),
        "b-no-code": text.replace("\t13990122ABCDEFGHJKLMN\n", "\t\n", 1),
        "c-clean": text,
    }
    for name, content in variants.items():
        (folder / f"{name}.txt").write_text(content, encoding="utf-8")
    return {name: folder / f"{name}.txt" for name in variants}


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


def pg_url(name: str) -> str:
    """EXTRACTOR_TEST_PG with a schema of the test module's and the xdist
    worker's own first on the search path, made empty: tests running at once
    in other workers never see each other's tables.  Skips without a server
    on a developer's machine; fails in CI, which must provide one."""
    url = os.environ.get("EXTRACTOR_TEST_PG")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide EXTRACTOR_TEST_PG (see .ci/run)")
        pytest.skip("no PostgreSQL server: set EXTRACTOR_TEST_PG to run")
    import psycopg

    schema = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"
