"""The review report of the whole fixtures/ folder (text, DOCX, PDF), built
once per session into a temporary folder, and an HTML link reader."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from extractor.models import Disclosure
from extractor.review import Loaded, ReviewSummary, build_review, extract_inputs

from ..conftest import FIXTURES


@dataclass(frozen=True, slots=True)
class Site:
    root: Path
    summary: ReviewSummary
    loaded: Loaded

    def page(self, doc_id: str) -> Path:
        return self.root / "documents" / f"{doc_id}.html"

    def disclosure(self, doc_id: str) -> Disclosure:
        return next(item.disclosure for item in self.loaded.documents if item.disclosure.doc_id == doc_id)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("review")
    # the fixtures folder's own documents (renditions/ holds more prints of the seed)
    loaded = extract_inputs(sorted(path for path in FIXTURES.iterdir() if path.suffix in (".txt", ".docx", ".pdf")))
    return Site(root, build_review(loaded, root), loaded)


class Links(HTMLParser):
    """The links (href, src) and element ids of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)


def read_links(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links
