"""Numbering of the performance tables: gaps and repeats."""

from __future__ import annotations

from ..findings import TABLE_NUMBERING_GAP, TABLE_NUMBERING_REPEAT, IssueLog
from ..models import Disclosure
from . import check

PERFORMANCE_PART = 5


@check("table_numbering")
def table_numbering(disclosure: Disclosure, log: IssueLog) -> None:
    if disclosure.performance is None:
        return
    seen: set[int] = set()
    previous: int | None = None
    for project in disclosure.performance.projects:
        seq = project.seq
        if seq is None:
            continue
        if seq in seen:
            log.add(TABLE_NUMBERING_REPEAT, part=PERFORMANCE_PART, project_seq=seq, seq=seq)
        elif previous is not None and seq > previous + 1:
            missing = ", ".join(str(n) for n in range(previous + 1, seq))
            log.add(
                TABLE_NUMBERING_GAP, part=PERFORMANCE_PART, project_seq=seq, before=previous, after=seq, missing=missing
            )
        seen.add(seq)
        previous = seq
