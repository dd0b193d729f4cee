from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from extractor import Extraction, extract_document, read_path
from tests.cache import CACHE_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "fuping-2021-county-party-office.txt"
CLEAN = FIXTURES / "clean-minimal.txt"


def csv_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file of a run, as dicts."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def pytest_configure(config: pytest.Config) -> None:
    """The session's shared extractions (tests/cache.py): a folder the
    controller makes before its workers start (they inherit it) and removes
    at the end."""
    if not hasattr(config, "workerinput") and CACHE_VARIABLE not in os.environ:
        os.environ[CACHE_VARIABLE] = tempfile.mkdtemp(prefix="extractor-tests-")
        config.stash[_MADE] = os.environ[CACHE_VARIABLE]


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_MADE, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
        del os.environ[CACHE_VARIABLE]


_MADE = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def seed() -> Extraction:
    return extract_document(read_path(SEED))


_READ_IN_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from extractor.blocks import Table
from extractor.readers import read_path
started = time.perf_counter()
document = read_path(sys.argv[1])
print(json.dumps({
    "seconds": time.perf_counter() - started,
    # VmHWM, not ru_maxrss: that one outlives exec and holds the forking test worker's size
    "peak_mb": next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024,
    "texts": [block.text for block in document.blocks if not isinstance(block, Table)],
    "tables": [
        [[(c.col, c.text, c.row_span, c.col_span, c.covered) for c in row] for row in block.rows]
        for block in document.blocks if isinstance(block, Table)
    ],
    "notes": document.notes,
}))
"""


def read_in_child(path: Path) -> dict[str, Any]:
    """`read_path` of a hostile file in a fresh interpreter whose address
    space is capped at 2 GB (a regression fails there, not the machine): its
    paragraphs' texts, its tables' cells as (col, text, row span, col span,
    covered), the reader's notes, the seconds it took and the peak RSS in MB."""
    done = subprocess.run(
        [sys.executable, "-c", _READ_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result
