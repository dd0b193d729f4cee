"""The terminal report of ``extract check``."""

from __future__ import annotations

from rich.console import Console

from extractor.models import Issue
from extractor.pipeline import Extraction
from extractor.report import render_report


def test_counts_in_the_right_number_and_messages_keep_their_brackets(seed: Extraction) -> None:
    issue = Issue(severity="error", code="sum_mismatch", message="表[3] 合计 [bold]12.5[/bold] ≠ 12.4", part=2)
    disclosure = seed.disclosure.model_copy(update={"issues": [issue]})
    console = Console(record=True, width=200, color_system=None)
    render_report(console, "seed.txt", disclosure)
    text = console.export_text()
    assert "1 error, 0 warnings, 0 notes" in text
    assert "表[3] 合计 [bold]12.5[/bold] ≠ 12.4" in text  # as written, not taken as markup
