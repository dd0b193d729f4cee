"""Documents extracted once per test session, whatever the number of workers.

Several modules assert on the same real disclosures (structure, budget
tables, performance tables, both PDF backends).  Each extraction is made
once per session: the first worker to ask writes the document's JSON to a
folder every worker of the run shares (made by tests/conftest.py before the
workers start, named in ``EXTRACTOR_TEST_CACHE``), under an exclusive lock;
the others read it back.  The JSON is the output
contract, so what a test sees is what a run writes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from extractor.limits import Limits
from extractor.models import Disclosure
from extractor.pipeline import extract_file
from extractor.readers.pdf import DEFAULT_PDF_BACKEND, PdfBackend

__all__ = ["CACHE_VARIABLE", "extracted"]

#: The run's limits but time: pdfplumber reads Guangzhou's wide attachment in
#: 70-80 s on a loaded 2-core machine, near the default 120 s per file.
LIMITS = Limits(timeout_seconds=3600.0)

CACHE_VARIABLE = "EXTRACTOR_TEST_CACHE"


def _shared_folder() -> Path:
    folder = os.environ.get(CACHE_VARIABLE)
    if folder is None:  # a module run without the test suite's conftest
        folder = os.environ[CACHE_VARIABLE] = tempfile.mkdtemp(prefix="extractor-tests-")
    return Path(folder)


@cache
def extracted(path: Path, pdf_backend: PdfBackend = DEFAULT_PDF_BACKEND) -> Disclosure:
    """``path`` extracted as ``extract`` would (its Disclosure), once per session."""
    key = hashlib.sha256(f"{path.resolve()}|{path.stat().st_size}|{pdf_backend}".encode()).hexdigest()[:16]
    stored = _shared_folder() / f"{path.stem}-{key}.json"
    with open(stored.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stored.exists():
            return Disclosure.model_validate_json(stored.read_bytes())
        disclosure = extract_file(path, LIMITS, pdf_backend)
        partial = stored.with_suffix(".partial")
        partial.write_text(disclosure.model_dump_json(), encoding="utf-8")
        partial.replace(stored)
        return disclosure
