"""The review report's charts, as geometry for the SVG templates.

Three charts, where a picture reads faster than a table: per document, the
spending schedule of its projects (cumulative percent at each checkpoint,
one line per project) and the share of indicator rows by level-1 category;
per run, the documents by coverage.  This module only computes positions in
the SVG's own coordinate space; ``templates/charts.html`` draws them, so no
markup is built here and nothing is fetched from a network.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import regex

from ..models import Project

__all__ = ["Bar", "BarChart", "LineChart", "Series", "bar_chart", "level1_chart", "schedule_chart"]

#: The SVG canvas of the line chart, and its margins for the axes' labels.
LINE_WIDTH, LINE_HEIGHT = 640.0, 260.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 44.0, 16.0, 12.0, 36.0
NO_LEVEL1 = "（无一级指标）"
_MONTH = regex.compile(r"(\d{1,2})\s*月")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    share: float  # of the full length, 0..1
    text: str  # the value as shown
    href: str | None = None


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    points: str  # "x,y x,y …" in canvas coordinates
    dots: list[tuple[float, float, str]]
    anchor: str  # the project's anchor on its page


@dataclass(frozen=True, slots=True)
class LineChart:
    width: float
    height: float
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    series: list[Series]
    plot: tuple[float, float, float, float]  # left, top, right, bottom


def _checkpoint_order(label: str, first_seen: int) -> tuple[int, int]:
    month = _MONTH.search(label)
    return (int(month.group(1)) if month else 13, first_seen)


def _checkpoints(projects: Iterable[Project]) -> list[str]:
    seen: dict[str, int] = {}
    for project in projects:
        for entry in project.schedule:
            seen.setdefault(entry.checkpoint, len(seen))
    return sorted(seen, key=lambda label: _checkpoint_order(label, seen[label]))


def schedule_chart(projects: list[tuple[str, Project]]) -> LineChart | None:
    """Cumulative percent spent at each checkpoint, one line per project
    (``(anchor, project)`` pairs); None when no project prints a schedule."""
    checkpoints = _checkpoints(project for _, project in projects)
    if not checkpoints:
        return None
    right, bottom = LINE_WIDTH - _RIGHT, LINE_HEIGHT - _BOTTOM
    step = (right - _LEFT) / max(len(checkpoints) - 1, 1)
    xs = {label: _LEFT + step * n for n, label in enumerate(checkpoints)}
    top_percent = max([Decimal(100)] + [e.percent for _, p in projects for e in p.schedule if e.percent is not None])

    def y(percent: Decimal) -> float:
        return round(bottom - float(percent / top_percent) * (bottom - _TOP), 1)

    series = []
    for anchor, project in projects:
        dots = [
            (round(xs[e.checkpoint], 1), y(e.percent), f"{e.checkpoint} {e.percent}%")
            for e in project.schedule
            if e.percent is not None
        ]
        if dots:
            points = " ".join(f"{x},{yy}" for x, yy, _ in dots)
            series.append(Series(project.title, points, dots, anchor))
    y_ticks = [(y(Decimal(p)), f"{p}%") for p in (0, 25, 50, 75, 100)]
    return LineChart(
        LINE_WIDTH,
        LINE_HEIGHT,
        [(round(x, 1), label) for label, x in xs.items()],
        y_ticks,
        series,
        (_LEFT, _TOP, right, bottom),
    )


def bar_chart(items: Iterable[tuple[str, float, str, str | None]], full: float | None = None) -> BarChart:
    """Bars from ``(label, value, text, href)`` in the given order, their
    lengths relative to ``full`` (default: the largest value)."""
    items = list(items)
    full = full or max((value for _, value, _, _ in items), default=0.0) or 1.0
    return BarChart([Bar(label, value, value / full, text, href) for label, value, text, href in items])


def level1_chart(projects: Iterable[Project]) -> BarChart | None:
    """The share of indicator rows by level-1 category, largest first."""
    counts = Counter(indicator.level1 or NO_LEVEL1 for project in projects for indicator in project.indicators)
    total = sum(counts.values())
    if not total:
        return None
    return bar_chart(
        (label, count / total, f"{count} ({count / total:.0%})", None) for label, count in counts.most_common()
    )
