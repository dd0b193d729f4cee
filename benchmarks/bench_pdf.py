"""PDF reading speed: pages per second and peak memory of the PDFium backend,
the pdfplumber backend and bare pdfplumber (``extract_text`` and
``extract_tables`` on every page), each in a fresh process on the same files.

    .venv/bin/python benchmarks/bench_pdf.py [PDF …]

Without arguments: the seed PDF and, when ../shared/real is here, the
Beijing tables PDF (the issue's two yardsticks).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    ROOT / "fixtures" / "fuping-2021-county-party-office.pdf",
    ROOT.parent / "shared" / "real" / "beijing-medical-security-bureau-2026-budget-tables.pdf",
]
WAYS = ("pdfium", "pdfplumber", "bare")


def _measure(way: str, path: Path) -> None:
    """In the child: read ``path`` one way; print pages, seconds, peak MB.
    The libraries are imported first: the time is the reading's alone."""
    import io

    import pdfplumber
    import pdfplumber.table  # the PDFium backend's table functions
    import pypdfium2

    from extractor.readers.pdf import backend_named, parse_pdf

    data = path.read_bytes()
    pages = len(pypdfium2.PdfDocument(data))
    started = time.perf_counter()
    if way == "bare":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
    else:
        parse_pdf(data, path.name, backend=backend_named(way))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(pages, seconds, peak)


def _run(way: str, path: Path) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", way, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main(files: list[Path]) -> None:
    for path in files:
        results = {way: _run(way, path) for way in WAYS}
        bare_rate = results["bare"][0] / results["bare"][1]
        print(f"{path.name} ({results['bare'][0]} pages)")
        for way, (pages, seconds, peak) in results.items():
            rate = pages / seconds
            speedup = rate / bare_rate
            print(f"  {way:<11} {rate:6.1f} pages/s  {seconds:6.2f} s  ×{speedup:4.1f} bare  peak {peak:5.0f} MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _measure(sys.argv[2], Path(sys.argv[3]))
    else:
        main([Path(a) for a in sys.argv[1:]] or [p for p in DEFAULT_FILES if p.exists()])
