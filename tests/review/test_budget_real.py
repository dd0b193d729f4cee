"""The review site of a real disclosure (../shared/real): each budget table
with its codes and amounts beside the page it is printed on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.review import build_review, extract_inputs

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"
YANTAI = REAL / "yantai-commerce-bureau-2026-budget.pdf"

pytestmark = pytest.mark.skipif(not YANTAI.is_file(), reason="shared/real is not present")


def test_yantai_budget_table_beside_its_pages(tmp_path: Path) -> None:
    loaded = extract_inputs([YANTAI])
    summary = build_review(loaded, tmp_path)
    (item,) = loaded.documents
    html = (tmp_path / "documents" / f"{item.disclosure.doc_id}.html").read_text(encoding="utf-8")
    assert html.count('<section class="record" id="budget-') == len(item.disclosure.budget_tables) == 12
    start = html.index('<section class="record" id="budget-5">')
    section = html[start : html.index("</section>", start)]
    assert "公开表5 一般公共预算支出情况表" in section and "p. 20–21" in section
    # p. 20: 01 行政运行 1,469.54 | 1,439.54 | 1,156.75 | 282.79 | 30.00 under 201 13
    row = section[section.index('<tr id="budget-5-row-4"') :]
    row = row[: row.index("</tr>")]
    assert "<code>2011301</code>" in row and "行政运行" in row
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1469.54", "1439.54", "1156.75", "282.79", "30.00"]
    pages = re.findall(r'<img loading="lazy" src="\.\./(pages/\w+/p(\d+)\.png)"', section)
    assert [page for _, page in pages] == ["20", "21"]
    assert all((tmp_path / src).is_file() for src, _ in pages)
    assert 'data-ref="budget-5-row-4"' in section.split("<svg", 1)[1]  # the row's box on the page
    assert summary.images >= 20
