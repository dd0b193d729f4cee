"""Benchmark: batch throughput, latency and memory on a generated corpus.

    python benchmarks/bench_batch.py [--documents 300] [--docx 10]

Builds a corpus of varied copies of the seed (title year and figures
changed, so every file has its own content), runs the batch with 1 and 2
jobs in a child process each (so memory figures are the run's own) and
prints documents per second, per-document extraction latency percentiles,
and the peak resident memory of the parent process and of the largest
worker.  Targets on a 2-core machine: at least 20 text documents per second
per core, near-linear scaling from 1 to 2 jobs, under 200 MB per worker.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "fuping-2021-county-party-office.txt"


def build_corpus(folder: Path, documents: int, docx: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    for n in range(documents):
        variant = text.replace("2021年部门预算信息公开", f"{2000 + n % 25}年部门预算信息公开", 1)
        variant = variant.replace("418.6860", f"{400 + n}.6860", 1).replace("1975.32", f"{1900 + n}.32")
        county = folder / f"county-{n % 12:02d}"
        county.mkdir(exist_ok=True)
        (county / f"disclosure-{n:04d}.txt").write_text(variant, encoding="utf-8")
    for n in range(docx):
        (folder / f"word-{n:02d}.docx").write_bytes(SEED.with_suffix(".docx").read_bytes())


def _child(corpus: str, out: str, jobs: int) -> None:
    """Run one batch in this process; print its figures as JSON."""
    from extractor.batch import BatchOptions, find_inputs, run_batch
    from extractor.sinks import Sinks

    files = find_inputs([Path(corpus)])
    started = time.perf_counter()
    with Sinks(Path(out), "utf-8-sig", []) as sinks:
        summary = run_batch(files, Path(out), BatchOptions(jobs=jobs), sinks.write)
    elapsed = time.perf_counter() - started
    latencies = sorted(summary.latencies)
    print(
        json.dumps(
            {
                "documents": summary.total,
                "failed": summary.failed,
                "seconds": elapsed,
                "p50": statistics.median(latencies),
                "p90": latencies[int(len(latencies) * 0.9)],
                "p99": latencies[int(len(latencies) * 0.99)],
                "max": latencies[-1],
                "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "workers_mb": summary.peak_worker_mb,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--docx", type=int, default=10)
    parser.add_argument("--child", nargs=3, metavar=("CORPUS", "OUT", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus"
        corpus.mkdir()
        build_corpus(corpus, args.documents, args.docx)
        print(f"corpus: {args.documents} text + {args.docx} DOCX documents in {corpus}")
        rates = {}
        for jobs in (1, 2):
            out = Path(work) / f"out-{jobs}"
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(corpus), str(out), str(jobs)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            rates[jobs] = figures["documents"] / figures["seconds"]
            ms = {key: figures[key] * 1000 for key in ("p50", "p90", "p99", "max")}
            print(
                f"jobs={jobs}: {figures['documents']} documents in {figures['seconds']:.1f} s = "
                f"{rates[jobs]:.1f} documents/s ({rates[jobs] / jobs:.1f} per core); latency p50 "
                f"{ms['p50']:.0f} ms, p90 {ms['p90']:.0f} ms, p99 {ms['p99']:.0f} ms, max {ms['max']:.0f} ms; "
                f"peak memory parent {figures['parent_mb']:.0f} MB, largest worker {figures['workers_mb']:.0f} MB; "
                f"failed {figures['failed']}"
            )
        print(f"scaling 1 -> 2 jobs: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
