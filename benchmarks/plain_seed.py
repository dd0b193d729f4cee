"""The yardstick of the text path: a plain script doing the seed's parse the
straightforward way, with no checks, no locations and no models.

    python benchmarks/plain_seed.py [--runs 50]

It reads the flattened-Word text, splits the TAB cells into rows and tables,
finds the nine part headings, and reads every performance table: unit,
project code and name, budget (total, fiscal, other), spending schedule,
goals and indicators (three levels, description, value parsed into
operator, number and unit, basis).  Prints what it found and its median
time over ``--runs`` after one warm-up run; `bench_extract.py` prints it
beside the extractor's in-process time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "fuping-2021-county-party-office.txt"

PART = re.compile(r"^\s*第([一二三四五六七八九])部分\s*[:：]?\s*(.*)$")
UNIT = re.compile(r"^(\d{6})(.+)$")
VALUE = re.compile(r"^\s*(≥|≤|>=|<=|>|<|=)?\s*(\d+(?:\.\d+)?)\s*(.*)$")
PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
GOAL = re.compile(r"^\s*\d+[.、．]\s*")
UNITS = {"百分比": "%", "%": "%", "％": "%"}
OPS = {"≥": ">=", "≤": "<=", None: "="}


def tables_and_paragraphs(text: str) -> list[Any]:
    """Paragraphs (str) and tables (list of rows of cell texts), in order."""
    blocks: list[Any] = []
    rows: list[list[str]] | None = None
    row_open = False
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("\t"):
            if rows is None:
                rows = []
            if not row_open:
                rows.append([])
                row_open = True
            rows[-1].extend(cell.strip() for cell in line[1:].split("\t"))
        elif not line.strip():
            row_open = False
        elif rows is not None and (row_open or (GOAL.match(line) and GOAL.match(rows[-1][-1].rsplit("\n", 1)[-1]))):
            rows[-1][-1] += "\n" + line.strip()  # a cell's next line, or its numbered list after blank lines
        else:
            if rows is not None:
                blocks.append(rows)
                rows = None
            blocks.append(line.strip())
    if rows is not None:
        blocks.append(rows)
    return blocks


def value(raw: str) -> dict[str, Any]:
    match = VALUE.match(raw)
    if match is None:
        return {"raw": raw, "op": None, "number": None, "unit": None}
    op, number, unit = match.groups()
    return {"raw": raw, "op": OPS.get(op, op), "number": Decimal(number), "unit": UNITS.get(unit, unit or None)}


def project(rows: list[list[str]]) -> dict[str, Any]:
    """One 项目绩效目标表: a row at a time, by its first labels."""
    found: dict[str, Any] = {"indicators": [], "schedule": [], "goals": []}
    level1 = level2 = ""
    in_indicators = False
    for number, row in enumerate(rows):
        first = row[0]
        if (unit := UNIT.match(first)) is not None and len(row) <= 2:
            found["unit_code"], found["unit_name"] = unit.groups()
        elif first == "项目编码" and len(row) >= 4:
            found["project_code"], found["project_name"] = row[1], row[3]
        elif first.startswith("预算规模") and len(row) >= 7:
            found["budget"] = {"total": Decimal(row[2]), "fiscal": Decimal(row[4]), "other": Decimal(row[6])}
            if number + 1 < len(rows):
                found["purpose"] = rows[number + 1][-1]
        elif first.startswith("资金支出计划") and number + 1 < len(rows):
            for checkpoint, percent in zip(row[1:], rows[number + 1][1:], strict=False):
                match = PERCENT.match(percent)
                found["schedule"].append((checkpoint, Decimal(match.group(1)) if match else None))
        elif first == "绩效目标" and len(row) >= 2:
            found["goals"] = [GOAL.sub("", goal) for goal in row[1].split("\n") if goal.strip()]
        elif first == "一级指标":
            in_indicators = True
        elif in_indicators and len(row) >= 5:
            level1, level2 = row[0] or level1, row[1] or level2
            description, raw, basis = (row[3], row[4], row[5]) if len(row) >= 6 else (row[2], row[3], row[4])
            found["indicators"].append(
                {
                    "level1": level1,
                    "level2": level2,
                    "level3": row[2],
                    "description": description,
                    "value": value(raw),
                    "basis": basis,
                }
            )
    return found


def plain_parse(text: str) -> dict[str, Any]:
    """Parts and performance tables of the seed text."""
    parts: dict[str, str] = {}
    projects: list[dict[str, Any]] = []
    for block in tables_and_paragraphs(text):
        if isinstance(block, str):
            if (match := PART.match(block)) is not None:
                parts[match.group(1)] = match.group(2)
        elif any(row and row[0] == "项目编码" for row in block):
            projects.append(project(block))
    return {"parts": parts, "projects": projects}


def plain_seed(path: Path = SEED) -> dict[str, Any]:
    """Read the file and parse it: what one run times."""
    return plain_parse(path.read_bytes().decode("utf-8"))


def median_ms(runs: int, path: Path = SEED, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of `plain_seed` over ``runs`` by ``clock``, after one warm-up run."""
    plain_seed(path)
    times = []
    for _ in range(runs):
        start = clock()
        plain_seed(path)
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    found = plain_seed()
    indicators = sum(len(p["indicators"]) for p in found["projects"])
    print(f"plain parse: {len(found['parts'])} parts, {len(found['projects'])} projects, {indicators} indicators")
    print(
        f"plain parse of the seed: median {median_ms(args.runs):.1f} ms over {args.runs} runs, "
        f"CPU median {median_ms(args.runs, clock=time.process_time):.1f} ms"
    )


if __name__ == "__main__":
    main()
