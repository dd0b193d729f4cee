"""Checks on each performance table: budget parts, schedule, indicators, codes."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import partial

import regex

from ..findings import (
    BUDGET_PARTS_MISMATCH,
    INDICATOR_CELL_EMPTY,
    INDICATOR_LEVEL_MISMATCH,
    PROJECT_CODE_DUPLICATE,
    PROJECT_CODE_SHAPE,
    SCHEDULE_EMPTY_CHECKPOINT,
    SCHEDULE_INCOMPLETE,
    SCHEDULE_NOT_MONOTONIC,
    SCHEDULE_OUT_OF_RANGE,
    VALUES_ALL_REDACTED,
    IssueLog,
)
from ..models import Disclosure, Project
from ..parts.perf_labels import FRAMEWORK
from . import check

PART = 5
HUNDRED = Decimal(100)

_CODE_CHARS = regex.compile(r"^[0-9A-Z]+$")
#: The template's project code: 6-digit division, 2-digit year, 13 characters.
TEMPLATE_CODE_LENGTH = 21


def _projects(disclosure: Disclosure) -> list[Project]:
    return disclosure.performance.projects if disclosure.performance else []


@check("budget_parts")
def budget_parts(disclosure: Disclosure, log: IssueLog) -> None:
    for project in _projects(disclosure):
        budget = project.budget
        if budget.total is None or budget.fiscal is None:
            continue
        computed = budget.fiscal + (budget.other or 0) + (budget.carryover or 0)
        if computed != budget.total:
            log.add(
                BUDGET_PARTS_MISMATCH,
                part=PART,
                project_seq=project.seq,
                location=project.location,
                total=budget.total,
                fiscal=budget.fiscal,
                other=budget.other,
                computed=computed,
            )


@check("schedule")
def schedule(disclosure: Disclosure, log: IssueLog) -> None:
    for project in _projects(disclosure):
        report = partial(log.add, part=PART, project_seq=project.seq, location=project.location)
        seen: list[tuple[str, Decimal]] = []
        for entry in project.schedule:
            if entry.percent is None:
                report(SCHEDULE_EMPTY_CHECKPOINT, checkpoint=entry.checkpoint)
                continue
            if not 0 <= entry.percent <= HUNDRED:
                report(SCHEDULE_OUT_OF_RANGE, checkpoint=entry.checkpoint, percent=entry.percent)
            if seen and entry.percent < seen[-1][1]:
                report(
                    SCHEDULE_NOT_MONOTONIC,
                    before=seen[-1][1],
                    first=seen[-1][0],
                    after=entry.percent,
                    second=entry.checkpoint,
                )
            seen.append((entry.checkpoint, entry.percent))
        if seen and seen[-1][1] != HUNDRED:
            report(SCHEDULE_INCOMPLETE, percent=seen[-1][1], checkpoint=seen[-1][0])


@check("project_codes")
def project_codes(disclosure: Disclosure, log: IssueLog) -> None:
    projects = [p for p in _projects(disclosure) if p.project_code]
    lengths = Counter(len(p.project_code or "") for p in projects)
    prefixes = Counter((p.project_code or "")[:6] for p in projects)
    first_use: dict[str, Project] = {}
    for project in projects:
        code = project.project_code or ""
        if code in first_use:
            log.add(
                PROJECT_CODE_DUPLICATE,
                part=PART,
                project_seq=project.seq,
                location=project.location,
                code=code,
                other=first_use[code].seq,
            )
        first_use.setdefault(code, project)
        reason = _code_shape_problem(code, lengths, prefixes)
        if reason:
            log.add(
                PROJECT_CODE_SHAPE,
                part=PART,
                project_seq=project.seq,
                location=project.location,
                code=code,
                reason=reason,
            )


def _code_shape_problem(code: str, lengths: Counter[int], prefixes: Counter[str]) -> str | None:
    """What sets this code apart from the document's usual codes, if anything."""
    if not _CODE_CHARS.match(code):
        return "has characters other than digits and capital letters"
    usual_length, count = lengths.most_common(1)[0]
    if count == 1:
        usual_length = TEMPLATE_CODE_LENGTH
    if len(code) != usual_length:
        return f"has {len(code)} characters where the others have {usual_length}"
    usual_prefix, count = prefixes.most_common(1)[0]
    if count > 1 and not code.startswith(usual_prefix):
        return f"does not start with the division code {usual_prefix} the others share"
    return None


@check("indicators")
def indicators(disclosure: Disclosure, log: IssueLog) -> None:
    for project in _projects(disclosure):
        for row, indicator in enumerate(project.indicators, start=1):
            expected = FRAMEWORK.get(indicator.level1 or "")
            if expected is not None and indicator.level2 and indicator.level2 not in expected:
                log.add(
                    INDICATOR_LEVEL_MISMATCH,
                    part=PART,
                    project_seq=project.seq,
                    location=indicator.location,
                    level1=indicator.level1,
                    level2=indicator.level2,
                    expected="、".join(sorted(expected)),
                )
            levels = ("level3",) if project.layout == "flat" else ("level1", "level2", "level3")  # flat: none printed
            empty = [name for name in levels if not getattr(indicator, name)]
            if indicator.value.raw is None:
                empty.append("value (指标值)")
            for name in empty:
                log.add(
                    INDICATOR_CELL_EMPTY,
                    part=PART,
                    project_seq=project.seq,
                    location=indicator.location,
                    row=row,
                    field=name,
                )
        if project.indicators and all(i.value.redacted for i in project.indicators):
            log.add(
                VALUES_ALL_REDACTED,
                part=PART,
                project_seq=project.seq,
                location=project.location,
                count=len(project.indicators),
            )
