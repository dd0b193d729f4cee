"""Benchmark: seconds per document to build the review report.

    python benchmarks/bench_review.py [FOLDER …]

For each folder (default: fixtures/ and ../shared/real/), extracts the
documents in-process, then times the report alone (`build_review` into a
fresh folder: page images rendered, source read, pages written) and the
whole ``extract review FOLDER`` path (extraction included).  Goal: the
report under 2 s per document on this machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from extractor.review import build_review, extract_inputs

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "fixtures", ROOT.parent / "shared" / "real"]


def bench(folder: Path) -> None:
    started = time.perf_counter()
    loaded = extract_inputs([folder])
    extracted = time.perf_counter() - started
    documents = len(loaded.documents)
    with tempfile.TemporaryDirectory() as site:
        started = time.perf_counter()
        summary = build_review(loaded, Path(site))
        built = time.perf_counter() - started
        size = sum(f.stat().st_size for f in Path(site).rglob("*") if f.is_file())
    print(
        f"{folder.name}: {documents} documents, {summary.images} page images, {size / 1e6:.1f} MB; "
        f"report {built / documents:.2f} s per document ({built:.1f} s), "
        f"with extraction {(built + extracted) / documents:.2f} s per document"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=FOLDERS)
    for folder in parser.parse_args().folders:
        bench(folder)


if __name__ == "__main__":
    main()
