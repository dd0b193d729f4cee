"""Benchmark: time to extract the seed disclosure, in-process and via the CLI.

    python benchmarks/bench_extract.py [--runs 50]

The PDF lines compare our whole extraction with pdfplumber's bare
``extract_text`` + ``extract_tables`` over the same file (target: at most
1.3 times), and give pages per second (target on the real PDF: 10 or more).

Prints the import time and the first (warm-up) run apart, then the median
and best in-process time of the seed text over ``--runs`` (what the CLI
runs per file, `extract_file`: read + segment + parse + checks + the
validated models, no JSON writing) beside the plain script's time on the
same file (`plain_seed.py`, the yardstick of the text path), the time
pydantic takes to validate the seed's finished document from plain data
in one call (the floor the validated models set, whatever builds them),
the JSON serialization time, and the wall time of the ``extract`` command
(interpreter start included).  ``--text-only`` stops after the text lines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "fuping-2021-county-party-office.txt"
SEED_DOCX = SEED.with_suffix(".docx")
SEED_PDF = SEED.with_suffix(".pdf")
REAL_PDF = ROOT.parent / "shared" / "real" / "beijing-medical-security-bureau-2026-budget-tables.pdf"


def _bare_pdfplumber(path: Path) -> int:
    """pdfplumber's own text and table extraction, page by page: the yardstick."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def _pdf_figures(path: Path, runs: int) -> None:
    from extractor import extract_file
    from extractor.readers import read_path

    pages = _bare_pdfplumber(path)
    bare = statistics.median(_timed(lambda: _bare_pdfplumber(path), runs)) / 1000
    reading = statistics.median(_timed(lambda: read_path(path), runs)) / 1000
    ours = statistics.median(_timed(lambda: extract_file(path), runs)) / 1000 if path != REAL_PDF else reading
    print(
        f"{path.name}: {pages} pages; pdfplumber extract_text+extract_tables {bare:.2f} s "
        f"({pages / bare:.1f} pages/s); our reader {reading:.2f} s; our whole extraction {ours:.2f} s "
        f"({pages / ours:.1f} pages/s) = {ours / bare:.2f} x pdfplumber"
    )


def _timed(function: object, runs: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    times = []
    for _ in range(runs):
        start = clock()
        function()  # type: ignore[operator]
        times.append((clock() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--text-only", action="store_true", help="only the seed text's lines")
    args = parser.parse_args()

    from plain_seed import median_ms

    started = time.perf_counter()
    from extractor.models import Disclosure
    from extractor.pipeline import extract_file
    from extractor.writers.json import dumps

    imported = time.perf_counter()
    extract_file(SEED)  # warm up: lazy imports, regex compilation
    first = time.perf_counter()
    extract = _timed(lambda: extract_file(SEED), args.runs)
    extract_cpu = statistics.median(_timed(lambda: extract_file(SEED), args.runs, time.process_time))
    disclosure = extract_file(SEED)
    serialize = _timed(lambda: dumps(disclosure), args.runs)
    data = disclosure.model_dump()
    validate_cpu = statistics.median(_timed(lambda: Disclosure.model_validate(data), args.runs, time.process_time))
    plain, plain_cpu = median_ms(args.runs), median_ms(args.runs, clock=time.process_time)
    ours = statistics.median(extract)
    print(f"seed: {SEED.name} ({SEED.stat().st_size} bytes)")
    print(
        f"import: {(imported - started) * 1000:.0f} ms; "
        f"first run (lazy imports, regexes): {(first - imported) * 1000:.0f} ms"
    )
    # CPU time as well: on a machine shared with other work, wall time counts their turns too
    print(
        f"in-process extract: median {ours:.1f} ms, best {min(extract):.1f} ms over {args.runs} runs; "
        f"CPU median {extract_cpu:.1f} ms"
    )
    print(
        f"plain script (benchmarks/plain_seed.py): median {plain:.1f} ms, CPU {plain_cpu:.1f} ms; "
        f"extract = {extract_cpu / plain_cpu:.1f} x plain (CPU)"
    )
    print(
        f"validation alone (the seed's document checked by pydantic from plain data, in one call): "
        f"CPU median {validate_cpu:.1f} ms = {validate_cpu / plain_cpu:.2f} x plain"
    )
    print(f"JSON serialization: median {statistics.median(serialize):.1f} ms")
    if args.text_only:
        return
    extract_file(SEED_DOCX)
    docx_times = _timed(lambda: extract_file(SEED_DOCX), max(5, args.runs // 5))
    print(f"in-process extract of {SEED_DOCX.name}: median {statistics.median(docx_times):.1f} ms")
    _pdf_figures(SEED_PDF, 3)
    if REAL_PDF.exists():
        _pdf_figures(REAL_PDF, 3)

    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "extractor", str(SEED), "-o", out, "-q"]
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(command, check=True)
            walls.append((time.perf_counter() - start) * 1000)
        help_start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor", "--help"], check=True, capture_output=True)
        help_ms = (time.perf_counter() - help_start) * 1000
    print(f"CLI wall time (extract seed to JSON): median {statistics.median(walls):.0f} ms over 5 runs")
    print(f"CLI --help wall time: {help_ms:.0f} ms")


if __name__ == "__main__":
    main()
