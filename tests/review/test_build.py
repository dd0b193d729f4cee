"""The review report of fixtures/: every page and link in place, each project
beside its source (PDF page with boxes, text lines, DOCX table as read), the
charts' data, and the notes shown when a source is missing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from extractor import Extraction
from extractor.models import ScheduleEntry, SourceLocation
from extractor.review import build_review, load_run
from extractor.review.charts import schedule_chart

from ..conftest import FIXTURES
from .conftest import Site, read_links

PDF = "fuping-2021-county-party-office-e0b9995f701e93e8"
TEXT = "fuping-2021-county-party-office-ff7b246ce9e50da3"
DOCX = "fuping-2021-county-party-office-6d921e72e2be0000"
#: The seed's second project, on pages 9–10 of the PDF, lines 354–455 of the text, table 3 of the DOCX.
PROJECT = "信息工作内网维护设备维修基础设施维修绩效目标表"


def _section(page: Path, anchor: str) -> str:
    """The HTML of the record section with id ``anchor``."""
    html = page.read_text(encoding="utf-8")
    start = html.index(f'<section class="record" id="{anchor}">')
    return html[start : html.index("</section>", start)]


def test_index_lists_every_fixture_with_its_counts(site: Site) -> None:
    html = (site.root / "index.html").read_text(encoding="utf-8")
    assert site.summary.documents == 8 and site.summary.failures == 0
    for doc_id in (PDF, TEXT, DOCX, "clean-minimal-ba9dd9e95a9e8831"):
        assert f'href="documents/{doc_id}.html"' in html
    assert "示例县示例局2022年部门预算信息公开" in html
    assert '<td data-sort="52">52 / 52</td>' in html  # the seed's tables read / seen
    assert "Documents by coverage" in html


def test_every_link_and_image_resolves(site: Site) -> None:
    pages = [site.root / "index.html", *sorted((site.root / "documents").glob("*.html"))]
    assert len(pages) == 9
    ids: dict[Path, set[str]] = {}  # each page's ids read once, not once per link into it
    checked = 0
    for page in pages:
        links = read_links(page)
        for link in links.links:
            parts = urlsplit(link)
            assert parts.scheme in ("", "data"), f"{page.name}: {link} leaves the site"
            if parts.scheme == "data":
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.name}: {link} does not resolve"
            if parts.fragment:
                if target not in ids:
                    ids[target] = read_links(target).ids
                assert parts.fragment in ids[target], f"{page.name}: no #{parts.fragment} in {target.name}"
            checked += 1
    assert checked > 1000


def _rect(location: SourceLocation | None) -> str:
    assert location is not None and location.bbox is not None
    x0, top, x1, bottom = location.bbox
    return f'x="{x0:.2f}" y="{top:.2f}" width="{x1 - x0:.2f}" height="{bottom - top:.2f}"'


def test_pdf_project_beside_its_pages_with_boxes(site: Site) -> None:
    section = _section(site.page(PDF), "project-2")
    assert PROJECT in section
    images = re.findall(r'<img loading="lazy" src="../(pages/e0b9995f701e93e8/p(\d+)\.png)"', section)
    assert [page for _, page in images] == ["9", "10"]
    project = site.disclosure(PDF).performance.projects[1]  # type: ignore[union-attr]
    assert project.location is not None and (project.location.page, project.location.end_page) == (9, 10)
    # the table's box and each row's, where the JSON's locations put them
    assert f'class="box table" data-ref="project-2" {_rect(project.location)}' in section
    for n, indicator in enumerate(project.indicators, start=1):
        assert f'class="box row" data-ref="project-2-row-{n}" {_rect(indicator.location)}' in section
    assert len(project.indicators) == 8
    assert [i.location.page for i in project.indicators if i.location] == [9, 9, 9, 9, 9, 10, 10, 10]
    image = Image.open(site.root / images[0][0])
    assert image.size == (1000, 1295)  # a US-letter page, 612 × 792 pt, 1000 px across


def test_text_project_beside_its_lines(site: Site) -> None:
    section = _section(site.page(TEXT), "project-2")
    numbers = [int(n) for n in re.findall(r'<span class="n">(\d+)</span>', section)]
    assert numbers[0] == 352 and numbers[-1] == 457  # lines 354–455 and two of context each side
    marked = re.findall(r'<span class="line row"><span class="n">(\d+)</span>', section)
    assert len(marked) == 48 and marked[0] == "399"  # eight rows of six lines
    assert "130624213IO1Q99GHN0CW" in section


def test_docx_project_beside_its_table_as_read(site: Site) -> None:
    section = _section(site.page(DOCX), "project-2")
    assert "<caption>table 3 as read</caption>" in section
    assert f"¶79</span>2.{PROJECT}" in section
    assert section.count('<tr class="row">') == 8  # rows 7–14, the indicator rows
    assert 'rowspan="4">产出指标</td>' in section  # the merged level-1 cell spans as in Word


def test_issues_link_to_their_project_and_show_their_cell(site: Site) -> None:
    html = site.page(PDF).read_text(encoding="utf-8")
    row = html[html.index('<tr id="issue-2"') : html.index("</tr>", html.index('<tr id="issue-2"'))]
    issue = site.disclosure(PDF).issues[1]
    assert issue.code == "value_unit_suspect" and issue.project_seq == 2
    assert f'<a href="#project-2">{PROJECT}</a>' in row
    assert f'class="box row" data-ref="issue-2" {_rect(issue.location)}' in row
    assert '<a href="#issue-2">issue-2</a>' in _section(site.page(PDF), "project-2")


def test_headline_figures_with_their_evidence(site: Site) -> None:
    html = site.page(TEXT).read_text(encoding="utf-8")
    assert (
        '<td>收入预算合计</td><td class="num">1975.32</td><td>万元</td>'
        '<td class="evidence">2021年中国共产党阜平县委员会办公室及所属单位年初部门收入预算总额为1975.32万元。</td>'
    ) in html
    assert '<td>国有资产</td><td class="num">418.6860</td>' in html  # every printed digit


def test_charts_of_the_seed(site: Site) -> None:
    html = site.page(TEXT).read_text(encoding="utf-8")
    assert "Spending schedule of the projects" in html
    assert html.count('<a href="#project-') >= 48
    for checkpoint in ("3月底", "6月底", "10月底", "12月底"):
        assert f'text-anchor="middle">{checkpoint}</text>' in html
    assert re.search(r"<title>产出指标: \d+ \(\d+%\)</title>", html)


def test_schedule_checkpoints_in_month_order(seed: Extraction) -> None:
    """Checkpoints merged over projects go by month, whatever order each prints them in."""
    first = seed.disclosure.performance.projects[0]  # type: ignore[union-attr]
    late = first.model_copy(update={"schedule": [ScheduleEntry(checkpoint="9月底", percent=Decimal(80))]})
    chart = schedule_chart([("project-1", late), ("project-2", first)])
    assert chart is not None
    assert [label for _, label in chart.x_ticks] == ["3月底", "6月底", "9月底", "10月底", "12月底"]
    assert chart.series[1].points.split()[-1] == f"{chart.plot[2]},{chart.plot[1]}"  # 100 % at 12月底, top right
    assert schedule_chart([]) is None


def test_missing_source_shows_the_data_with_a_note(tmp_path: Path, site: Site) -> None:
    """A run folder whose sources are elsewhere: the data without the image."""
    run = tmp_path / "out"
    run.mkdir()
    source = site.root / "documents"  # any folder without the sources
    for doc_id in (PDF,):
        (run / f"{doc_id}.json").write_text(_json_of(doc_id), encoding="utf-8")
    report = tmp_path / "review"
    summary = build_review(load_run(run, [source]), report)
    assert (summary.documents, summary.images) == (1, 0)
    html = (report / "documents" / f"{PDF}.html").read_text(encoding="utf-8")
    assert "Source file not found" in html and "<img" not in html
    assert PROJECT in html


def test_run_folder_finds_its_sources_and_reuses_page_images(tmp_path: Path, site: Site) -> None:
    run = tmp_path / "out"
    run.mkdir()
    (run / f"{PDF}.json").write_text(_json_of(PDF), encoding="utf-8")
    image = site.root / "pages/e0b9995f701e93e8/p9.png"
    made = image.stat().st_mtime_ns
    summary = build_review(load_run(run, [FIXTURES]), site.root)
    assert summary.images > 0
    assert image.stat().st_mtime_ns == made  # made once, not again


def _json_of(doc_id: str) -> str:
    from extractor.pipeline import extract_file
    from extractor.writers.json import dumps

    name = {PDF: "fuping-2021-county-party-office.pdf"}[doc_id]
    disclosure = extract_file(FIXTURES / name)
    disclosure.source.path = name
    return dumps(disclosure)


def test_pdf_budget_table_beside_its_page_with_boxes(site: Site) -> None:
    section = _section(site.page(PDF), "budget-1")
    assert "“三公”经费预算情况及增减变化原因" in section and "<code>three_public</code>" in section
    # the row as printed on p. 3: 公务用车运行经费 37.78 | 37.78 | 0
    row = section[section.index('<tr id="budget-1-row-3"') :]
    row = row[: row.index("</tr>")]
    assert "公务用车运行经费" in row
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["37.78", "37.78", "0"]
    images = re.findall(r'<img loading="lazy" src="../pages/e0b9995f701e93e8/p(\d+)\.png"', section)
    assert images == ["3"]
    table = site.disclosure(PDF).budget_tables[0]
    assert table.location is not None
    assert f'class="box table" data-ref="budget-1" {_rect(table.location)}' in section
    assert section.count('class="box row" data-ref="budget-1-row-') == len(table.rows) == 5
    empty = _section(site.page(PDF), "budget-2")
    assert "单位政府采购预算" in empty and "printed empty" in empty and "no rows" in empty


def test_text_budget_table_beside_its_lines(site: Site) -> None:
    section = _section(site.page(TEXT), "budget-1")
    numbers = [int(n) for n in re.findall(r'<span class="n">(\d+)</span>', section)]
    assert numbers[0] == 128 and numbers[-1] == 168  # lines 130–166 and two of context each side
    assert '<td class="num">64.93</td>' in section  # the 合计 row's 2021年度预算
