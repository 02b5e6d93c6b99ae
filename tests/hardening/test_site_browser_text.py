"""Case 7 in the browser: a record `adrgen new` wrote from hostile answers, on the built site.

Headless Chromium (Debian's, driven by playwright) opens the record's page, the decision log
and the chosen mechanism's page: no dialog may open, no element or handler from the answers
may exist, and the user's words must show as the characters they typed.
"""

from __future__ import annotations

import pytest

from tests.sitebrowser import BROWSER_TESTS, chromium
from tests.sitebrowser import served as served_at
from tests.sitebuild import build_in_process, write_config

from .harness import make_team
from .hostile import HOSTILE

# anything on a page that could run script or was made from the answers' markup
INJECTED = (
    "article script, article iframe, article img, article svg[onload], article object,"
    " [onerror], [onload]:not(body), [onclick], [onmouseover], [onfocus],"
    " a[href^='javascript:' i], iframe[src^='javascript:' i]"
)

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("hostile-site")
    team = make_team(tmp / "team")
    answers = team.write_answers("hostile.yaml", **HOSTILE)
    run = team.new("--date", "2026-04-05", answers=answers)
    assert run.code == 0, run
    [record] = [p for p in team.records.iterdir() if p.name.startswith("0002-")]
    site_dir = build_in_process(write_config(tmp, [team.records], site_dir=tmp / "public"))
    with served_at(site_dir) as base:
        yield base, f"{base}decisions/decisions/{record.stem}/"


@pytest.fixture(scope="module")
def page():
    with chromium() as browser:
        page = browser.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: page.dialogs.append(f"page error: {e}"))
        yield page


def _visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.mouse.move(200, 300)  # hover handlers would fire now
    page.wait_for_timeout(200)


def test_07_hostile_record_renders_as_text_in_the_browser(served, page) -> None:
    base, record_url = served
    _visit(page, record_url)
    assert page.locator("h1").first.inner_text().rstrip("¶ ") == HOSTILE["title"]
    assert HOSTILE["title"] in page.title().replace("\u2060", "")  # a `<` opens no tag there
    article = page.locator("article")
    shown = article.inner_text()
    for words in (
        "<img src=x onerror=alert('context')>",
        "<div onclick=alert(2)>a raw HTML block</div>",
        "<b onmouseover=alert(5)>mallory</b>",
        '<a href="javascript:alert(4)">raw link</a>',
        "title: injected into the front matter",
        "[click](javascript:alert(3))",  # shown as typed: not a link at all
    ):
        assert words in shown, words
    assert page.locator(INJECTED).count() == 0

    for other in (base + "decisions/", base + "catalog/mechanisms/pipes/"):
        _visit(page, other)
        assert page.get_by_text(HOSTILE["title"], exact=False).count() >= 1, other
        assert page.locator(INJECTED).count() == 0, other
    assert page.dialogs == []
