"""The review report in a real browser: Chromium from the distribution's
packages (``/usr/bin/chromium``; .ci/run installs it), driven by playwright
with that executable (``playwright install`` is never run).  The pages open
from disk without a console error or a failed request, the index sorts, a
project shows its page image loaded, and screenshots are written under tmp.

Skipped on a machine without Chromium or playwright, unless
``EXTRACTOR_TEST_BROWSER`` names the browser (as CI does): then it must run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Site
from .test_build import PDF, PROJECT

REQUIRED = os.environ.get("EXTRACTOR_TEST_BROWSER")
CHROMIUM = Path(REQUIRED or "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"EXTRACTOR_TEST_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")  # a new, empty profile
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=FLAGS, viewport={"width": 1600, "height": 1000}
        )
        yield context
        context.close()


class Page:
    """A page opened from disk, with every console error and failed request."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))
        self.page.goto(path.as_uri())


def _column(page: Any, index: int) -> list[str]:
    return list(
        page.eval_on_selector_all(
            f"#documents tbody tr td:nth-child({index})", "cells => cells.map(c => c.textContent.trim())"
        )
    )


def test_index_opens_sorts_and_is_screenshotted(browser: Any, site: Site, tmp_path: Path) -> None:
    opened = Page(browser, site.root / "index.html")
    page = opened.page
    assert page.title() == "Review report: 8 documents"
    page.click("#documents th:nth-child(10)")  # warnings, ascending
    warnings = [int(n) for n in _column(page, 10)]
    assert warnings == sorted(warnings) and warnings[0] == 0  # clean-minimal has none
    page.click("#documents th:nth-child(10)")  # descending
    assert [int(n) for n in _column(page, 10)] == sorted(warnings, reverse=True)
    page.screenshot(path=str(tmp_path / "review-index.png"), full_page=True)
    assert (tmp_path / "review-index.png").stat().st_size > 10_000
    assert opened.errors == []
    page.close()


def test_project_with_its_page_image(browser: Any, site: Site, tmp_path: Path) -> None:
    opened = Page(browser, site.page(PDF))
    page = opened.page
    section = page.locator("#project-2")
    section.scroll_into_view_if_needed()
    assert PROJECT in section.locator("h3").inner_text()
    images = section.locator("img")
    assert images.count() == 2
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#project-2 img')).every(i => i.complete && i.naturalWidth > 0)"
    )
    assert images.first.evaluate("i => i.naturalWidth") == 1000
    section.locator("#project-2-row-1").hover()  # the row's box lights up on the page image
    assert "hover" in (section.locator('rect[data-ref="project-2-row-1"]').get_attribute("class") or "")
    section.screenshot(path=str(tmp_path / "review-project.png"))
    assert (tmp_path / "review-project.png").stat().st_size > 50_000
    assert opened.errors == []
    page.close()


def test_every_document_page_opens_without_console_errors(browser: Any, site: Site) -> None:
    for path in sorted((site.root / "documents").glob("*.html")):
        opened = Page(browser, path)
        opened.page.wait_for_load_state("load")
        assert opened.errors == [], path.name
        opened.page.close()
