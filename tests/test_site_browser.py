"""The built site in headless Chromium: navigation, links both ways, search, graph, safety.

Uses Debian's chromium (the project's test set-up installs it); playwright only drives it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.sitebrowser import BROWSER_TESTS, page_maker
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
    overview = page.locator("article table").first  # the radar's table, for screen readers
    rows = overview.locator("tbody tr").all()
    assert len(rows) == len(catalog.mechanisms) == 8
    stances = [row.locator("td").nth(2).inner_text().strip() for row in rows]
    order = ["adopt", "trial", "assess", "hold"]
    assert stances == sorted(stances, key=order.index)
    for mechanism in catalog.mechanisms:
        row = overview.locator(
            "tbody tr", has=page.get_by_role("link", name=mechanism.name, exact=True)
        )
        assert row.locator("td").nth(2).inner_text().strip() == mechanism.stance.value
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


# --- the site a team opens: dashboard, radar, log, graph, record pages, at two widths and in
# both palettes -----------------------------------------------------------------------------

WIDE, PHONE = 1400, 390
SCHEMES = ("light", "dark")
SUCCESSOR = "Plugins speak local gRPC over the socket"


def _team_records(root: Path) -> tuple[Path, Path]:
    from tests.sitebuild import generated_records

    payments = root / "payments"
    generated_records(payments, 14)
    platform = root / "platform"
    platform.mkdir()
    old = adrgen_record(
        platform,
        1,
        "Shell pipeline feeds the indexer",
        mechanism="pipes",
        status="superseded",
        date="2024-01-10",
        tags=("indexing",),
    )
    old.write_text(
        old.read_text().replace(
            'status: "superseded"', 'status: "superseded"\nsuperseded_by: "0003"'
        )
    )
    adrgen_record(
        platform,
        2,
        "Build daemon answers the CLI over a Unix socket",
        mechanism="unix-sockets",
        date="2024-02-11",
        tags=("build", "daemon"),
        body_extra="\n```mermaid\ngraph LR\n  cli --> daemon\n```\n\n"
        "Cited: situation:single-host-isolation.\n",
    )
    successor = adrgen_record(
        platform,
        3,
        SUCCESSOR,
        mechanism="local-grpc",
        status="proposed",
        date="2024-03-12",
        supersedes="0001",
        tags=("plugins",),
    )
    # a combined design: its control channel is drawn in the graph and listed on its page
    successor.write_text(
        successor.read_text().replace(
            'mechanism: "local-grpc"', 'mechanism: "local-grpc"\ncontrol: "unix-sockets"'
        )
    )
    return payments, platform


@pytest.fixture(scope="module")
def team_site(tmp_path_factory):
    """Two teams' folders, one named in the plugin's options, with a superseded record."""
    from tests.sitebuild import write_config

    tmp = tmp_path_factory.mktemp("team-site")
    payments, platform = _team_records(tmp)
    config = write_config(tmp, [payments, platform], site_dir=tmp / "public")
    text = config.read_text()
    config.write_text(text.replace(f'- "{payments}"', f'- {{Payments: "{payments}"}}'))
    site_dir = build_in_process(config)
    with served_at(site_dir) as base:
        yield base


@pytest.fixture
def open_page(browser):
    """A page at a width and in a palette (the site follows the reader's preference)."""
    with page_maker(browser) as new_page:

        def make(width: int = WIDE, scheme: str = "light"):
            page = new_page(width, scheme)
            page.add_init_script(
                "const attach = Element.prototype.attachShadow;"
                "Element.prototype.attachShadow = function (init) {"
                "  return attach.call(this, {...init, mode: 'open'}); };"
            )
            return page

        yield make


def _record_url(base: str, folder: str, number: int) -> str:
    return f"{base}decisions/{folder}/{number:04d}-"


def _goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.locator(".mermaid").count():
        page.locator(".mermaid").first.evaluate(
            "host => new Promise(done => { const look = () => host.shadowRoot && "
            "host.shadowRoot.querySelector('svg') ? done() : setTimeout(look, 50); look(); })"
        )


def _record_page_url(base: str, page, title: str) -> str:
    _goto(page, base + "decisions/")
    return page.get_by_role("link", name=title, exact=True).first.get_attribute("href")


TEAM_PAGES = {
    "home": "decisions/dashboard/",
    "radar": "catalog/",
    "log": "decisions/",
    "mechanism": "catalog/mechanisms/unix-sockets/",
    "graph": "decisions/graph/",
    "record": "decisions/platform/0001-shell-pipeline-feeds-the-indexer/",
}


def test_dashboard_shows_what_needs_attention(team_site, open_page):
    page = open_page()
    _goto(page, team_site + TEAM_PAGES["home"])
    assert page.locator("h1").first.inner_text().rstrip("¶ ") == "Decisions at a glance"
    attention = page.locator("h2:has-text('Needs attention') + ul li")
    assert attention.count() >= 1
    assert attention.first.get_by_role("link").count() == 1
    assert page.problems == []


def test_log_title_column_takes_its_share_of_the_width(team_site, open_page):
    page = open_page(WIDE)
    _goto(page, team_site + "decisions/")
    content = page.locator("article").bounding_box()["width"]
    title = page.locator('article th[data-adrgen-column="title"]').bounding_box()["width"]
    assert title >= 0.4 * content, (title, content)
    table = page.locator("article table").bounding_box()["width"]
    assert table >= 0.95 * content
    # folders are shown by their team's name
    folders = set(page.locator('article td[data-adrgen-column="folder"]').all_inner_texts())
    assert folders == {"Payments", "platform"}
    assert page.problems == []


def test_log_filter_narrows_the_rows(team_site, open_page):
    page = open_page(WIDE)
    _goto(page, team_site + "decisions/")
    rows = page.locator("article table tbody tr")
    total = rows.count()
    assert total == 17
    page.get_by_label("Status").select_option("proposed")
    visible = page.locator("article table tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert set(visible.locator('td[data-adrgen-column="status"]').all_inner_texts()) == {"proposed"}
    page.get_by_label("Folder").select_option("platform")
    assert visible.count() == 1
    assert SUCCESSOR in visible.first.inner_text()
    assert (
        page.locator(".adrgen-filter output").inner_text()
        == "Showing 1 of the 17 decisions on this page"
    )
    page.get_by_label("Tag").select_option("indexing")
    assert visible.count() == 0
    page.get_by_role("button", name="Show all").click()
    page.wait_for_function("document.querySelectorAll('article tbody tr[hidden]').length === 0")
    # a filter can come with the address, as the dashboard's links could give it
    _goto(page, team_site + "decisions/?mechanism=Local%20gRPC")
    # a combined design is found by either of its mechanisms
    assert set(visible.locator('td[data-adrgen-column="mechanism"]').all_inner_texts()) == {
        "Local gRPC",
        "Local gRPC + Unix domain sockets",
    }
    _goto(page, team_site + "decisions/?mechanism=Unix%20domain%20sockets")
    assert (
        "Local gRPC + Unix domain sockets"
        in visible.locator('td[data-adrgen-column="mechanism"]').all_inner_texts()
    )
    assert page.problems == []


@pytest.mark.parametrize("path", ["decisions/", "decisions/dashboard/"])
def test_every_column_is_visible_on_a_phone(team_site, open_page, path):
    page = open_page(PHONE)
    _goto(page, team_site + path)
    width = page.evaluate("window.innerWidth")
    cells = page.locator("article table tbody td").all()
    assert cells
    for cell in cells:
        if not cell.inner_text().strip():
            continue
        box = cell.bounding_box()
        assert box is not None and box["width"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, cell.inner_text()
    # the column's name goes with its value on a card
    label = page.locator('article td[data-adrgen-column="mechanism"]').first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"Mechanism: "'
    assert page.problems == []


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        parts = [float(x) for x in re.findall(r"[\d.]+", colour)[:3]]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (p / 255 for p in parts)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_graph_nodes_are_links_with_readable_text(team_site, open_page, scheme):
    page = open_page(WIDE, scheme)
    _goto(page, team_site + "decisions/graph/")
    nodes = page.evaluate(
        """() => Array.from(document.querySelector('.mermaid').shadowRoot
              .querySelectorAll('g.node')).map(node => {
            const link = node.closest('a');
            const label = node.querySelector('.nodeLabel p, .nodeLabel');
            const shape = node.querySelector('rect, path, polygon');
            return {
              href: link && (link.getAttribute('href') || link.getAttribute('xlink:href')),
              text: label.textContent,
              colour: getComputedStyle(label).color,
              fill: getComputedStyle(shape).fill,
            };
        })"""
    )
    assert len(nodes) == 17 + 8  # every record, and the mechanisms they chose
    edge_labels = page.evaluate(
        """() => Array.from(document.querySelector('.mermaid').shadowRoot
              .querySelectorAll('.edgeLabel')).map(label => label.textContent.trim())"""
    )
    assert "control" in edge_labels  # the combined design's second path
    for node in nodes:
        assert node["href"], node["text"]
        assert _contrast(node["colour"], node["fill"]) >= 4.5, node
    # a node takes the reader to its record
    page.locator(".mermaid").locator(f"text={SUCCESSOR}").first.click()
    page.wait_for_url("**/platform/0003-*/")
    assert page.locator("h1").first.inner_text().rstrip("¶ ") == SUCCESSOR
    assert page.problems == []


def test_search_index_holds_no_diagram_source(team_site, open_page):
    page = open_page()
    index = page.request.get(team_site + "search/search_index.json").json()
    text = json.dumps(index)
    for source in ("flowchart LR", "classDef", "graph LR", "cli --&gt; daemon", "cli --> daemon"):
        assert source not in text, source
    assert any("Build daemon answers the CLI" in doc["title"] for doc in index["docs"])


def test_superseded_banner_links_its_successor(team_site, open_page):
    page = open_page()
    _goto(page, team_site + TEAM_PAGES["record"])
    banner = page.locator("article .admonition.warning").first
    assert "This decision is superseded" in banner.inner_text()
    banner.get_by_role("link", name=f"0003 {SUCCESSOR}").click()
    page.wait_for_url("**/platform/0003-*/")
    relations = page.locator("article .admonition.info", has_text="Relations")
    assert relations.count() == 1
    assert "Supersedes: 0001 Shell pipeline feeds the indexer" in relations.inner_text()
    assert page.locator("article").inner_text().count("Shell pipeline feeds the indexer") == 1
    assert page.problems == []


@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_radar_has_a_blip_per_mechanism_linking_to_its_page(team_site, open_page, width):
    from adrgen.catalog.loading import load_catalog

    page = open_page(width)
    _goto(page, team_site + "catalog/")
    drawing = page.locator(".adrgen-radar svg:visible")
    assert drawing.count() == 1
    blips = drawing.locator("a.adrgen-radar-blip")
    names = sorted(blip.get_attribute("aria-label").split(":")[0] for blip in blips.all())
    assert names == sorted(m.name for m in load_catalog().mechanisms)
    drawing.locator('a[aria-label^="Unix domain sockets:"]').click()
    page.wait_for_url("**/catalog/mechanisms/unix-sockets/")
    assert page.problems == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(TEAM_PAGES))
def test_no_serious_accessibility_violation(team_site, open_page, name, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(WIDE, scheme)
    _goto(page, team_site + TEAM_PAGES[name])
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_screenshots_of_each_page(team_site, open_page):
    """For a person to look at: each page at 1400 and 390 px, light and dark."""
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in SCHEMES:
        for width in (WIDE, PHONE):
            page = open_page(width, scheme)
            for name, path in TEAM_PAGES.items():
                _goto(page, team_site + path)
                shot = ARTIFACTS / f"team-{name}-{width}-{scheme}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 0
            assert page.problems == []
