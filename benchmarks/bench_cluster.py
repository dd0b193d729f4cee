"""Benchmark: the batch on two local worker processes and on a two-worker Dask cluster.

    python benchmarks/bench_cluster.py [--copies 2] [--rounds 1]

Inputs: the fixtures and the real PDFs of ``../shared/real``, each text
and PDF file ``--copies`` times (a copy differs by a trailing newline, so
it is a document of its own, not a duplicate).  Each run is a child
process of its own: ``--jobs 2``, then a Dask ``LocalCluster`` of two
worker processes (one thread each) started first and timed apart, with
the batch pointed at its scheduler.  Prints documents/s of each and the
cluster's overhead, without and with its start-up; the outputs of the two
runs are compared file by file.  Rounds alternate the two, and the best
round of each counts (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "fixtures", ROOT.parent / "shared" / "real")
COPIED = {".txt", ".pdf"}


def build_inputs(folder: Path, copies: int) -> int:
    """Copy the inputs into ``folder``; how many files."""
    count = 0
    for source in SOURCES:
        for file in sorted(source.iterdir()):
            if file.suffix not in COPIED and file.suffix != ".docx":
                continue
            for n in range(copies if file.suffix in COPIED else 1):
                target = folder / source.name / f"{file.stem}.{n}{file.suffix}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.read_bytes() + b"\n" * n)
                count += 1
    return count


def _child(inputs: str, out: str, mode: str) -> None:
    """Run one batch in this process; print its figures as JSON."""
    from extractor.batch import BatchOptions, find_input_paths, run_batch
    from extractor.sinks import Sinks

    files = find_input_paths([Path(inputs)])
    startup = 0.0
    cluster = None
    options = BatchOptions(jobs=2)
    workers = None
    if mode == "dask":
        import dask
        from distributed import LocalCluster

        from extractor.cluster import _LOCAL_CONFIG

        dask.config.set(_LOCAL_CONFIG)  # for the process's life, as `extract --dask local:N` holds it
        started = time.perf_counter()
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
        startup = time.perf_counter() - started
        from extractor.cluster import DaskWorkers

        workers = DaskWorkers(cluster.scheduler_address, options.limits)
    started = time.perf_counter()
    with Sinks(Path(out), "utf-8-sig", []) as sinks:
        summary = run_batch(files, Path(out), options, sinks.write, workers=workers)
    elapsed = time.perf_counter() - started
    if cluster is not None:
        cluster.close()
    print(json.dumps({"documents": summary.total, "failed": summary.failed, "seconds": elapsed, "startup": startup}))


def _run(inputs: Path, out: Path, mode: str) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(inputs), str(out), mode], check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _differences(left: Path, right: Path) -> list[str]:
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    a, b = files(left), files(right)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("INPUTS", "OUT", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as work:
        inputs = Path(work) / "inputs"
        print(f"inputs: {build_inputs(inputs, args.copies)} files (fixtures and ../shared/real, {args.copies} copies)")
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            for mode in ("jobs", "dask"):
                figures = _run(inputs, Path(work) / mode, mode)
                if mode not in best or figures["seconds"] < best[mode]["seconds"]:
                    best[mode] = figures
        local, dask = best["jobs"], best["dask"]
        for name, figures in (("--jobs 2", local), ("dask, 2 workers", dask)):
            rate = figures["documents"] / figures["seconds"]
            print(
                f"{name}: {figures['documents']:.0f} documents ({figures['failed']:.0f} failed) in "
                f"{figures['seconds']:.1f} s = {rate:.2f} documents/s"
                + (f"; cluster start-up {figures['startup']:.1f} s" if figures["startup"] else "")
            )
        overhead = dask["seconds"] / local["seconds"] - 1
        with_startup = (dask["seconds"] + dask["startup"]) / local["seconds"] - 1
        print(f"cluster overhead: {overhead:+.1%} ({with_startup:+.1%} counting the cluster's start-up)")
        differences = _differences(Path(work) / "jobs", Path(work) / "dask")
        print("outputs identical" if not differences else f"outputs differ: {', '.join(differences)}")


if __name__ == "__main__":
    main()
