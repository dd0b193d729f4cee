"""Small text helpers."""

from __future__ import annotations

from extractor.textutil import counted


def test_counted_says_one_project_not_one_projects() -> None:
    # issue 29: the progress line said "1 projects", "1 errors"
    assert [counted(n, "project") for n in (0, 1, 2)] == ["0 projects", "1 project", "2 projects"]
    assert counted(1, "more file", "more files") == "1 more file"
    assert counted(3, "page image") == "3 page images"
