"""Benchmark: time to extract the seed disclosure, in-process and via the CLI.

    python benchmarks/bench_extract.py [--runs 50]

Prints the median and best in-process time (read + segment + parse +
validate, no JSON writing), the JSON serialization time, and the wall time
of the ``extract`` command (interpreter start included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "fuping-2021-county-party-office.txt"
SEED_DOCX = SEED.with_suffix(".docx")


def _timed(function: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    from extractor import extract_file
    from extractor.writers.json import dumps

    extract_file(SEED)  # warm up: regex compilation, imports
    extract = _timed(lambda: extract_file(SEED), args.runs)
    disclosure = extract_file(SEED)
    serialize = _timed(lambda: dumps(disclosure), args.runs)
    print(f"seed: {SEED.name} ({SEED.stat().st_size} bytes)")
    print(
        f"in-process extract: median {statistics.median(extract):.1f} ms, best {min(extract):.1f} ms "
        f"over {args.runs} runs"
    )
    print(f"JSON serialization: median {statistics.median(serialize):.1f} ms")
    extract_file(SEED_DOCX)
    docx_times = _timed(lambda: extract_file(SEED_DOCX), max(5, args.runs // 5))
    print(f"in-process extract of {SEED_DOCX.name}: median {statistics.median(docx_times):.1f} ms")

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
