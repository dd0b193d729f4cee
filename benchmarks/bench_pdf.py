"""PDF reading speed: pages per second and peak memory of the PDFium backend,
the pdfplumber backend and bare pdfplumber (``extract_text`` and
``extract_tables`` on every page), each in a fresh process on the same files.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 3] [PDF …]

Pages per second are counted on CPU time (the process's own, so another
job's turns on a shared machine do not count); wall time is printed beside
it.  Each way runs ``--runs`` times, interleaved, and the median and range
are printed.

``extract`` is the whole extraction of a document (PDFium pages, then the
pipeline), the figure the budget-tables issue holds at 0.25 × bare
pdfplumber's time or under.  Without arguments: the seed PDF and, when ../shared/real is here, the
Beijing tables PDF (the issue's two yardsticks).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    ROOT / "fixtures" / "fuping-2021-county-party-office.pdf",
    ROOT.parent / "shared" / "real" / "beijing-medical-security-bureau-2026-budget-tables.pdf",
]
#: pdfium and pdfplumber read the pages; extract reads them with PDFium and
#: runs the whole pipeline (segments, parts, performance and budget tables, checks).
WAYS = ("pdfium", "pdfplumber", "extract", "bare")


def _measure(way: str, path: Path) -> None:
    """In the child: read ``path`` one way; print pages, CPU and wall
    seconds, peak MB.  The libraries are imported first: the time is the
    reading's alone."""
    import io

    import pdfplumber
    import pdfplumber.table  # the PDFium backend's table functions
    import pypdfium2

    from extractor.pipeline import extract_document
    from extractor.readers import read_bytes
    from extractor.readers.pdf import backend_named, parse_pdf

    data = path.read_bytes()
    pages = len(pypdfium2.PdfDocument(data))
    started, cpu_started = time.perf_counter(), time.process_time()
    if way == "bare":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
    elif way == "extract":
        extract_document(read_bytes(data, path.name, pdf_backend="pdfium"))
    else:
        parse_pdf(data, path.name, backend=backend_named(way))
    cpu, seconds = time.process_time() - cpu_started, time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(pages, cpu, seconds, peak)


def _run(way: str, path: Path) -> tuple[int, float, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", way, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2]), float(out[3])


def main(files: list[Path], runs: int) -> None:
    for path in files:
        results: dict[str, list[tuple[int, float, float, float]]] = {way: [] for way in WAYS}
        for _ in range(runs):
            for way in WAYS:
                results[way].append(_run(way, path))
        pages = results["bare"][0][0]
        bare_cpu = statistics.median(r[1] for r in results["bare"])
        print(f"{path.name} ({pages} pages, {runs} runs; CPU median [min–max])")
        for way, found in results.items():
            cpus = [r[1] for r in found]
            cpu = statistics.median(cpus)
            wall = statistics.median(r[2] for r in found)
            peak = max(r[3] for r in found)
            print(
                f"  {way:<11} {pages / cpu:6.1f} pages/s [{pages / max(cpus):.1f}–{pages / min(cpus):.1f}]"
                f"  CPU {cpu:6.2f} s  wall {wall:6.2f} s  ×{bare_cpu / cpu:4.1f} bare  peak {peak:5.0f} MB"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _measure(sys.argv[2], Path(sys.argv[3]))
    else:
        parser = argparse.ArgumentParser()
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("files", nargs="*", type=Path)
        args = parser.parse_args()
        main(args.files or [p for p in DEFAULT_FILES if p.exists()], args.runs)
