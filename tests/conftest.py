from __future__ import annotations

from pathlib import Path

import pytest

from extractor import Extraction, extract_document, read_path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "fuping-2021-county-party-office.txt"


@pytest.fixture(scope="session")
def seed() -> Extraction:
    return extract_document(read_path(SEED))
