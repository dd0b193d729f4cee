"""The data-quality report of ``extract check``: rich tables for a terminal,
or one plain object per document (``--format json``) for programs."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .models import Disclosure, Issue
from .textutil import counted, path_text, printable

__all__ = ["render_report", "report_object"]

_ORDER = {"error": 0, "warning": 1, "info": 2}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _where(issue: Issue) -> str:
    """``#29 L3040``: the performance table's number and the source place."""
    location = issue.location.model_dump() if issue.location else {}
    places = [f"#{issue.project_seq}"] if issue.project_seq is not None else []
    if "line" in location:
        places.append(f"L{location['line']}")
    elif "table" in location:
        places.append(f"T{location['table']}R{location.get('row', '-')}")
    elif "page" in location:
        places.append(f"p{location['page']}")
    return " ".join(places)


def _sort_key(issue: Issue) -> tuple[int, int, int]:
    return _ORDER[issue.severity], issue.part or 0, issue.project_seq or 0


def render_report(console: Console, name: str, disclosure: Disclosure, *, show_info: bool = True) -> None:
    """Print one document's issues: a table per severity, rows by part."""
    issues = sorted((i for i in disclosure.issues if show_info or i.severity != "info"), key=_sort_key)
    counts = {severity: sum(1 for i in disclosure.issues if i.severity == severity) for severity in _ORDER}
    console.rule()
    console.print(Text(printable(name), style="bold"), soft_wrap=True)  # a rule's title would cut a long path
    console.print(
        Text(
            f"{disclosure.title or '(no title)'} — {counted(counts['error'], 'error')}, "
            f"{counted(counts['warning'], 'warning')}, {counted(counts['info'], 'note')}"
        )
    )
    for severity, group in groupby(issues, key=lambda i: i.severity):
        table = Table(title=severity.upper(), title_style=_STYLE[severity], expand=True)
        table.add_column("part", no_wrap=True, justify="right")
        table.add_column("where", no_wrap=True)
        table.add_column("code / message", ratio=1)
        for issue in group:
            # Text, not markup: a message's own brackets ([3], 表[1]) must print as written
            message = Text.assemble((issue.code, "bold"), "\n", issue.message)
            table.add_row(str(issue.part or "-"), _where(issue), message)
        console.print(table)


def report_object(
    file: Path, path: str, disclosure: Disclosure | None, reason: str | None, *, show_info: bool = True
) -> dict[str, Any]:
    """One document's findings as JSON-ready data: its name, ``status``
    (``ok``, or ``failed`` with the ``reason``), issue ``counts`` by severity
    and the ``issues`` themselves as in the document's JSON (info-level ones
    left out when ``show_info`` is false; ``counts`` always counts them)."""
    issues = disclosure.issues if disclosure is not None else []
    return {
        "file": path_text(file.name),
        "path": path,
        "doc_id": disclosure.doc_id if disclosure is not None else None,
        "status": "ok" if disclosure is not None else "failed",
        "reason": reason,
        "title": disclosure.title if disclosure is not None else None,
        "counts": {severity: sum(1 for i in issues if i.severity == severity) for severity in _ORDER},
        "issues": [i.model_dump(mode="json") for i in issues if show_info or i.severity != "info"],
    }
