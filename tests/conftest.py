from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor import Extraction, extract_document, read_path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "fuping-2021-county-party-office.txt"
CLEAN = FIXTURES / "clean-minimal.txt"


def csv_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file of a run, as dicts."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def seed() -> Extraction:
    return extract_document(read_path(SEED))
