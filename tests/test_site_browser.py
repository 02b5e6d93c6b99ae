"""The built site in headless Chromium: navigation, links both ways, search, graph, safety.

Uses Debian's chromium (the project's test set-up installs it); playwright only drives it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebrowser import BROWSER_TESTS
from tests.sitebrowser import served as served_at
from tests.sitebuild import adrgen_record, build_in_process, write_config

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
XSS_TITLE = "<script>alert(1)</script>"
XSS_CONTEXT = "Quixotic payload <img src=x onerror=alert(1)> in the context."

pytestmark = BROWSER_TESTS


def _records(folder: Path) -> dict[str, str]:
    """A small record set; title -> file stem."""
    folder.mkdir()
    made = [
        adrgen_record(
            folder,
            1,
            "Shell pipeline feeds the indexer",
            mechanism="pipes",
            date="2024-01-10",
            context="The exporter writes rows that the indexer reads line by line.",
            tags=("indexing",),
        ),
        adrgen_record(
            folder,
            2,
            "Build daemon answers the CLI over a Unix socket",
            mechanism="unix-sockets",
            date="2024-02-11",
            context="Short-lived clients ask the resident daemon for zeppelinium artefacts.",
            tags=("build", "daemon"),
            body_extra="\n```mermaid\ngraph LR\n  cli --> daemon\n```\n\n![the flow](img/flow.svg)\n",
        ),
        adrgen_record(
            folder,
            3,
            "Plugins speak local gRPC",
            mechanism="local-grpc",
            status="proposed",
            date="2024-03-12",
            supersedes="0001",
        ),
        adrgen_record(
            folder,
            4,
            XSS_TITLE,
            mechanism="signals",
            date="2024-04-13",
            deciders=("<b onmouseover=alert(1)>mallory</b>",),
            tags=("<svg onload=alert(1)>",),
            context=XSS_CONTEXT,
            body_extra="\n[click me](javascript:alert(1)) and <script>alert(2)</script>\n",
        ),
    ]
    (folder / "img").mkdir()
    (folder / "img" / "flow.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<rect width="120" height="40" fill="#1565c0"/></svg>'
    )
    return {p.read_text().split("\n# ", 1)[1].split("\n")[0]: p.stem for p in made}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-site")
    records = _records(tmp / "decisions")
    site_dir = build_in_process(write_config(tmp, [tmp / "decisions"], site_dir=tmp / "public"))
    with served_at(site_dir) as base:
        yield base, records


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.problems = []  # console errors, uncaught exceptions and dialogs, for the assertions
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    # the site must work offline: no fonts, scripts or diagrams fetched from elsewhere
    page.on(
        "request",
        lambda r: (
            r.url.startswith("http://127.0.0.1:")
            or r.url.startswith("data:")
            or page.problems.append(f"external request: {r.url}")
        ),
    )
    # the theme draws mermaid diagrams in a closed shadow root; open it so the test can look
    page.add_init_script(
        "const attach = Element.prototype.attachShadow;"
        "Element.prototype.attachShadow = function (init) {"
        "  return attach.call(this, {...init, mode: 'open'}); };"
    )
    yield page
    page.close()


def test_catalog_home_lists_every_mechanism_by_stance(served, page):
    from adrgen.catalog.loading import load_catalog

    base, _ = served
    page.goto(base + "catalog/")
    catalog = load_catalog()
    overview = page.locator("table").first
    stances = overview.locator("tbody tr td:first-child").all_inner_texts()
    assert [s.strip().lower() for s in stances] == ["adopt", "trial", "assess", "hold"]
    rows = overview.locator("tbody tr").all()
    for mechanism in catalog.mechanisms:
        row = rows[["adopt", "trial", "assess", "hold"].index(mechanism.stance.value)]
        assert row.get_by_role("link", name=mechanism.name, exact=True).count() == 1
    assert len(catalog.mechanisms) == 8
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-home.png"), full_page=True)
    assert page.problems == []


def test_mechanism_page_and_record_link_both_ways(served, page):
    base, records = served
    title = "Build daemon answers the CLI over a Unix socket"
    page.goto(base + "catalog/mechanisms/unix-sockets/")
    page.get_by_role("link", name=title).click()
    page.wait_for_url(f"**/{records[title]}/")
    assert page.locator("h1").first.inner_text().rstrip("¶ ") == title
    assert page.get_by_text("daemon", exact=True).count() >= 1  # a tag from its front matter
    page.locator("article").get_by_role("link", name="Unix domain sockets").first.click()
    page.wait_for_url("**/catalog/mechanisms/unix-sockets/")
    assert page.problems == []


def test_decision_log_has_every_record(served, page):
    base, records = served
    page.goto(base + "decisions/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(records)
    links = rows.locator("td:nth-child(2) a").all_inner_texts()
    assert sorted(links) == sorted(records)
    assert page.problems == []


def _search(page, word: str):
    """Type into the theme's search box until its worker, which loads the index, answers."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result__item")
    for _ in range(6):
        box.fill("")
        box.press_sequentially(word, delay=20)
        try:
            results.first.wait_for(timeout=2500)
            return results
        except Exception:  # the index was not loaded yet when the word was typed
            continue
    raise AssertionError(f"search found nothing for {word!r}")


def test_search_finds_a_record_by_a_word_of_its_context(served, page):
    base, _ = served
    page.goto(base)
    results = _search(page, "zeppelinium")
    assert "Build daemon answers" in results.first.inner_text()
    assert page.problems == []


def test_graph_renders_as_svg(served, page):
    base, _ = served
    page.goto(base + "decisions/graph/")
    page.locator(".mermaid svg").first.wait_for(timeout=20000)
    assert page.locator(".mermaid svg").count() >= 1
    assert page.problems == []


def test_mermaid_in_a_record_renders(served, page):
    base, records = served
    page.goto(
        base + f"decisions/decisions/{records['Build daemon answers the CLI over a Unix socket']}/"
    )
    page.locator(".mermaid svg").first.wait_for(timeout=20000)
    assert page.problems == []


def test_xss_record_shows_its_payload_as_text(served, page):
    base, records = served
    page.goto(base + "decisions/")
    page.get_by_role("link", name=XSS_TITLE).click()
    page.wait_for_url(f"**/{records[XSS_TITLE]}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().rstrip("¶ ") == XSS_TITLE
    assert XSS_TITLE in page.title().replace("\u2060", "")  # a `<` opens no tag there
    article = page.locator("article")
    assert "<img src=x onerror=alert(1)>" in article.inner_text()
    assert "<script>alert(2)</script>" in article.inner_text()
    assert "<b onmouseover=alert(1)>mallory</b>" in article.inner_text()
    assert article.locator("img[onerror], script, [onmouseover], svg[onload]").count() == 0
    article.get_by_role("link", name="click me").click()  # neutralised: goes nowhere
    assert (
        page.evaluate("document.querySelectorAll('[onerror],[onload],[onmouseover]').length") == 0
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-record.png"), full_page=True)
    # the search box shows titles and text from the index: the payload stays text there too
    results = _search(page, "quixotic")
    results.filter(has_text="<img src=x onerror=alert(1)>").first.wait_for(timeout=5000)
    page.wait_for_timeout(300)
    assert page.problems == []
