"""No script from a record runs on the site, in a real browser (Debian's Chromium).

Three kinds of attack, each proven by listening for dialogs and page errors while the page is
used as a reader would use it (hovering what has a tooltip, opening what is linked):

1. DOM clobbering: a record holding `{: #__config }` with the theme's settings and
   `content.tooltips` turned on, and titles made of markup, on a site that turns the
   tooltips on itself and on the project's own site (site/mkdocs.yml); a record title made
   of markup, long enough for the theme to put it in a tooltip from the header;
2. files beside a record: an SVG with a script (shown as an image), HTML and XHTML pages;
9. the common markdown extensions, each given record text that abuses it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adrgen.site.build import build_with_mkdocs
from tests.sitebrowser import BROWSER_TESTS
from tests.sitebrowser import served as served_at
from tests.sitebuild import ROOT, build_in_process, write_config

from .test_site_script import ATTACHMENTS, CLOBBER, EXTENSIONS

LONG_TITLE = "<img src=x onerror=alert('title')> " + "a decision title that goes on and on " * 6

pytestmark = BROWSER_TESTS

# every extension of test_site_script that the site may use (b64 is not on the site's own
# pages either), configured as a site would
SITE_EXTENSIONS = """
  - abbr
  - footnotes
  - def_list
  - md_in_html
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.details
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.tasklist
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.mark
  - pymdownx.caret
  - pymdownx.tilde
  - pymdownx.keys
  - pymdownx.critic
  - pymdownx.magiclink
  - pymdownx.smartsymbols
  - pymdownx.betterem
  - pymdownx.snippets
  - pymdownx.blocks.admonition
  - pymdownx.blocks.details
  - pymdownx.blocks.tab:
      alternate_style: true
"""


def _hostile_records(folder: Path) -> None:
    folder.mkdir()
    (folder / "0001-clobbering.md").write_text(
        f"---\ntitle: Clobbering\n---\n\n{CLOBBER}\n", encoding="utf-8"
    )
    (folder / "0002-long-title.md").write_text(
        f"---\ntitle: {json.dumps(LONG_TITLE)}\n---\n\n" + "A paragraph.\n\n" * 150,
        encoding="utf-8",
    )
    body = "\n\n".join(text for name, (_, text) in sorted(EXTENSIONS.items()) if "b64" not in name)
    (folder / "0003-extensions.md").write_text(
        f"---\ntitle: Extensions\n---\n\n{body}\n", encoding="utf-8"
    )
    for name, content in ATTACHMENTS.items():
        (folder / name).write_text(content, encoding="utf-8")
    links = " ".join(f"[{name}]({name})" for name in ATTACHMENTS)
    (folder / "0004-files.md").write_text(
        f"---\ntitle: Files\n---\n\n![the diagram](diagram.svg)\n\n{links}\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    """A site that turns on the theme's tooltips and the common extensions, and the
    project's own site, both publishing the hostile records."""
    tmp = tmp_path_factory.mktemp("script-sites")
    records = tmp / "decisions"
    _hostile_records(records)
    config = write_config(tmp, [records], site_dir=tmp / "tooltips")
    text = config.read_text()
    text = text.replace("  font: false\n", "  font: false\n  features: [content.tooltips]\n")
    text = text.replace("markdown_extensions:\n", "markdown_extensions:" + SITE_EXTENSIONS)
    config.write_text(text)
    with_tooltips = build_in_process(config)
    own = build_with_mkdocs(ROOT / "site" / "mkdocs.yml", out=tmp / "own", records=(records,))
    with served_at(with_tooltips) as tooltips, served_at(own) as own_base:
        yield {"tooltips": tooltips, "own": own_base}


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.ran = []  # dialogs opened and errors thrown: what a script from a record would cause
    page.on("dialog", lambda d: (page.ran.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: page.ran.append(f"page error: {e}"))
    yield page
    page.close()


def _settle(page) -> None:
    """Every request the page made (an injected image's, too) has ended, and with it the
    events its end fires."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(() => resolve()))")


def _theme_settings(page) -> dict:
    return page.evaluate("() => JSON.parse(document.querySelector('#__config').textContent)")


def _hover_every_title(page) -> int:
    """Hover each element that has a title in the article and is shown, as a reader would;
    with the theme's tooltips on, wait for each tooltip to be shown."""
    tooltips = "content.tooltips" in _theme_settings(page)["features"]
    # the theme takes a title off its element while it shows the tooltip: hold each element
    hosts = [h for h in page.locator("article [title]").element_handles() if h.is_visible()]
    for host in hosts:
        host.scroll_into_view_if_needed()
        host.hover(force=True)
        if tooltips:
            page.locator(".md-tooltip2--active").first.wait_for(state="visible")
        _settle(page)
        page.mouse.move(0, 0)
    return len(hosts)


@pytest.mark.parametrize("site", ["tooltips", "own"])
def test_01_a_record_cannot_take_the_theme_settings_nor_run_its_titles(sites, site, page) -> None:
    base = sites[site]
    page.goto(base + "decisions/decisions/0001-clobbering/")
    _settle(page)
    settings = _theme_settings(page)
    assert settings["base"] == "../../.." and settings["search"].endswith(".js"), settings
    assert ("content.tooltips" in settings["features"]) == (site == "tooltips")
    assert page.locator("#__config").evaluate("e => e.tagName") == "SCRIPT"
    titles = page.locator("article [title]").evaluate_all("hosts => hosts.map(h => h.title)")
    # the link's, the emphasis's and (where abbreviations are on) the abbreviation's titles
    # read as written
    written = sum(t.replace("\u2060", "") == "<img src=x onerror=alert(1)>" for t in titles)
    assert written == (3 if site == "tooltips" else 2), titles
    assert _hover_every_title(page) == len(titles)  # every one of them is shown
    assert page.locator("article img, .md-tooltip2 img").count() == 0
    assert page.ran == []


@pytest.mark.parametrize("site", ["tooltips", "own"])
def test_01_a_long_title_in_the_header_shows_as_text(sites, site, page) -> None:
    base = sites[site]
    page.goto(base + "decisions/decisions/0002-long-title/")
    _settle(page)
    page.mouse.wheel(0, 3000)  # the header shows the page's title once the heading is gone
    page.locator(".md-header__title--active").wait_for()
    topic = page.locator(".md-header__topic").nth(1)
    topic.hover(force=True)
    if site == "tooltips":
        page.locator(".md-tooltip2--active").first.wait_for(state="visible")
        shown = page.locator(".md-tooltip2--active").first.inner_text()
        assert shown.replace("\u2060", "").startswith("<img src=x onerror=alert('title')>")
    _settle(page)
    assert page.locator("header img, .md-tooltip2 img").count() == 0
    assert page.ran == []


def test_02_files_beside_a_record_run_no_script(sites, page) -> None:
    base = sites["tooltips"]
    record = base + "decisions/decisions/0004-files/"
    page.goto(record)
    _settle(page)
    image = page.locator("article img").first
    assert image.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")  # shown, as an image
    shown = page.locator("article").inner_text()
    for name in ("diagram.svg", "page.html", "page.xhtml", "page.htm", "feed.xml", "tool.js"):
        assert f"{name} (not published" in shown, name
    # what is published opens; what could run script is not there to open
    for name, status in (
        ("notes.txt", 200),
        ("paper.pdf", 200),
        ("photo.png", 200),
        ("page.html", 404),
        ("page.xhtml", 404),
        ("diagram.svg", 404),
    ):
        response = page.goto(base + f"decisions/decisions/{name}")
        assert response.status == status, name
        _settle(page)
    assert page.ran == []


def test_09_record_text_uses_no_extension_to_run_script(sites, page) -> None:
    base = sites["tooltips"]
    page.goto(base + "decisions/decisions/0003-extensions/")
    _settle(page)
    _hover_every_title(page)
    for label in page.locator("article .tabbed-labels label").all():
        label.click()
        _settle(page)
    for summary in page.locator("article details summary").all():
        summary.click()
        _settle(page)
    assert _theme_settings(page)["base"] == "../../.."
    injected = "article script, article iframe, article img[onerror], [onclick], [data-md-component='source']"
    assert page.locator(injected).count() == 0
    assert page.ran == []
