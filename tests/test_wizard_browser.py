"""The decision wizard in headless Chromium: answered by clicking and by keyboard alone for
real systems, against `adrgen recommend --format json`; its answers file through
`adrgen new`; accessibility, a phone's width, both palettes, and the page opened from disk.

Uses Debian's chromium (the project's test set-up installs it); playwright only drives it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from wizard_data import read_data

from adrgen.authoring.context import OUTCOME_TEXT
from adrgen.catalog.loading import load_catalog
from adrgen.records.parse import split_front_matter
from tests.cli_helpers import adrgen
from tests.sitebrowser import BROWSER_TESTS, page_maker, served
from tests.sitebuild import adrgen_record, build_in_process, write_config

pytestmark = BROWSER_TESTS

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SYSTEMS = yaml.safe_load((Path(__file__).parent / "data" / "real_world_systems.yaml").read_text())
# a spread of the real systems: each mechanism, two combined designs (a control channel
# beside shared memory), a service contract, and one where the catalog differs from the
# builders' choice
WALKED = [0, 2, 8, 9, 12, 15, 17, 19, 28, 38, 45]
WIDE, PHONE = 1400, 390
PAGE = "catalog/wizard/"
# answers the catalog declares in conflict: one runtime, and isolated processes
CONFLICTING = {
    "same_host": True,
    "relationship": "parent-child",
    "cross_team": True,
    "same_runtime": True,
    "process_isolation": True,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wizard-site")
    (tmp / "decisions").mkdir()
    adrgen_record(tmp / "decisions", 1, "Build daemon socket")
    return build_in_process(write_config(tmp, [tmp / "decisions"], site_dir=tmp / "public"))


@pytest.fixture(scope="module")
def base(site):
    with served(site) as address:
        yield address


@pytest.fixture(scope="module")
def data(site) -> dict[str, Any]:
    return read_data(site)


@pytest.fixture(scope="module")
def defaults() -> dict[str, Any]:
    return {q.fact.value: q.default for q in load_catalog().questions}


@pytest.fixture
def open_page(browser):
    """A page at a width and in a palette that also records any request that leaves the
    site (its own server, or the file system, and the page's own download)."""
    with page_maker(browser) as new_page:

        def make(width: int = WIDE, scheme: str = "light", host: str = "http://127.0.0.1:"):
            page = new_page(width, scheme, accept_downloads=True)
            page.on(
                "request",
                lambda r: (
                    r.url.startswith((host, "data:", "blob:"))
                    or page.problems.append(f"request elsewhere: {r.url}")
                ),
            )
            return page

        yield make


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#adrgen-wizard[data-adrgen-loaded]")


def _recommend(tmp_path: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """What `adrgen recommend --answers F --format json` prints (the command, in-process)."""
    path = tmp_path / "system.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    run = adrgen("recommend", "--answers", str(path), "--format", "json")
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def _wanted(question: dict[str, Any], facts: dict[str, Any], defaults: dict[str, Any]) -> int:
    """The index of the answer `facts` give to the page's question."""
    value = facts.get(question["fact"], defaults[question["fact"]])
    return [choice[1] for choice in question["choices"]].index(value)


def _question(page, data: dict[str, Any]) -> dict[str, Any] | None:
    """The question the page asks now, or None when it shows something else."""
    form = page.locator("#adrgen-wizard form.adrgen-wizard-step")
    if form.count() == 0:
        return None
    fact = form.get_attribute("data-fact")
    return next(q for q in data["questions"] if q["fact"] == fact)


def _answer_by_clicking(page, data, facts, defaults) -> list[str]:
    """Click through the questions with `facts`' answers; the facts asked, in order."""
    asked = []
    while (question := _question(page, data)) is not None:
        assert len(asked) < len(data["questions"]), asked
        label = question["choices"][_wanted(question, facts, defaults)][0]
        page.get_by_role("radio", name=label, exact=True).click()
        page.get_by_role("button", name="Next").click()
        asked.append(question["fact"])
    return asked


def _shown(page) -> dict[str, Any]:
    """The recommendation the page shows, in the words of `adrgen recommend`'s fields."""
    result = page.locator(".adrgen-wizard-result")
    assert result.count() == 1, page.locator("#adrgen-wizard").inner_text()
    control = result.locator(".adrgen-wizard-control")
    why = result.locator("h3:text-is('Why') + ul.adrgen-wizard-reasons > li")
    return {
        "mechanism": result.locator(".adrgen-wizard-chosen").get_attribute("data-mechanism"),
        "control": control.get_attribute("data-mechanism") if control.count() else None,
        "outcome": result.locator(".adrgen-wizard-outcome").inner_text(),
        "reasons": why.all_inner_texts(),
        "alternatives": [
            item.get_attribute("data-mechanism")
            for item in result.locator(".adrgen-wizard-alternatives > li").all()
        ],
        "unmet": result.locator(".admonition", has_text="No mechanism meets every need")
        .locator("li")
        .all_inner_texts(),
    }


def _expected(printed: dict[str, Any]) -> dict[str, Any]:
    """What the page must show for `adrgen recommend`'s JSON."""

    def reason(r: dict[str, Any]) -> str:
        return r["text"] + (f" ({', '.join(r['cites'])})" if r["cites"] else "")

    alternatives = printed["alternatives"]
    return {
        "mechanism": printed["mechanism"],
        "control": printed["control"]["mechanism"] if printed["control"] else None,
        "outcome": f"Outcome: {OUTCOME_TEXT[printed['outcome']]}.",
        "reasons": [reason(r) for r in printed["reasons"]],
        # the page lists the alternatives that meet or miss a need, then those ruled out
        "alternatives": [a["mechanism"] for a in alternatives if a["status"] != "excluded"]
        + [a["mechanism"] for a in alternatives if a["status"] == "excluded"],
        "unmet": printed["unmet"],
    }


def _download(page, folder: Path, click) -> Path:
    with page.expect_download() as started:
        click()
    download = started.value
    assert download.suggested_filename == "answers.yaml"
    path = folder / "answers.yaml"
    download.save_as(path)
    return path


def _new_record(tmp_path: Path, answers_file: Path) -> dict[str, Any]:
    """`adrgen new --answers F --no-input` (the command, in-process): the record's front
    matter."""
    folder = tmp_path / "adr"
    run = adrgen("new", "--answers", str(answers_file), "--no-input", "--dir", str(folder))
    assert run.exit_code == 0, run.output
    (record,) = folder.glob("0001-*.md")
    front, _, _ = split_front_matter(record.read_text(encoding="utf-8"))
    return yaml.safe_load(front)


# --- the real systems, by clicking -------------------------------------------------------


@pytest.mark.parametrize("number", WALKED, ids=[SYSTEMS[n]["name"][:30] for n in WALKED])
def test_real_system_answered_by_clicking_gives_what_recommend_gives(
    base, data, defaults, open_page, tmp_path, number
):
    system = SYSTEMS[number]
    answers = system["answers"]
    printed = _recommend(tmp_path, answers)
    page = open_page()
    _open(page, base + PAGE)
    asked = _answer_by_clicking(page, data, answers["facts"], defaults)
    shown = _shown(page)
    assert shown == _expected(printed)
    # the answers file: typed into the page, downloaded, and written into a record
    page.get_by_label("Title", exact=True).fill(answers["title"])
    page.get_by_label("Context", exact=True).fill(answers.get("context", ""))
    page.get_by_label("Deciders", exact=True).fill(", ".join(answers.get("deciders", [])))
    download = page.get_by_role("button", name="Download the answers file")
    answers_file = _download(page, tmp_path, download.click)
    downloaded = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    assert downloaded["title"] == answers["title"]
    assert downloaded["context"] == answers.get("context", "").strip()
    assert downloaded["deciders"] == answers.get("deciders", [])
    assert list(downloaded["facts"]) == asked
    record = _new_record(tmp_path, answers_file)
    assert record["mechanism"] == shown["mechanism"]
    assert record.get("control") == shown["control"]
    assert record["title"] == answers["title"]
    assert page.problems == []


def test_the_address_holds_the_answers(base, data, defaults, open_page):
    """A link to the page with its answers shows the same advice: for a design review's
    notes."""
    page = open_page()
    _open(page, base + PAGE)
    _answer_by_clicking(page, data, SYSTEMS[2]["answers"]["facts"], defaults)
    shown = _shown(page)
    assert "#same_host=true&" in page.url
    again = open_page()
    _open(again, page.url)
    assert _shown(again) == shown
    assert again.locator(".adrgen-wizard-answers li").count() == len(page.url.split("&"))
    assert page.problems == [] and again.problems == []


def test_a_title_with_quotes_colons_and_other_scripts_comes_back_whole(
    base, data, defaults, open_page, tmp_path
):
    page = open_page()
    _open(page, base + PAGE)
    _answer_by_clicking(page, data, SYSTEMS[0]["answers"]["facts"], defaults)
    title = "Zeppelin: \"CLI\" → daemon #1 'quoted' — Ünïcode 日本 🚀 \\ end"
    context = "line one: a\nline two\t- [not a list]\n{not: a map}\u2028after a separator"
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Context", exact=True).fill(context)
    page.get_by_label("Deciders", exact=True).fill("ana, bo: the lead, , 李")
    answers_file = _download(
        page, tmp_path, page.get_by_role("button", name="Download the answers file").click
    )
    downloaded = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    assert downloaded["title"] == title
    assert downloaded["context"] == context
    assert downloaded["deciders"] == ["ana", "bo: the lead", "李"]
    assert _new_record(tmp_path, answers_file)["title"] == title
    assert page.problems == []


def test_no_download_without_a_title(base, data, defaults, open_page):
    page = open_page()
    _open(page, base + PAGE)
    _answer_by_clicking(page, data, SYSTEMS[0]["answers"]["facts"], defaults)
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Download the answers file").click()
    assert page.get_by_role("alert").inner_text() == "Give the decision a title first."
    assert page.evaluate("document.activeElement.id") == "adrgen-wizard-title"
    assert downloads == []


# --- back, forward, conflicts -------------------------------------------------------------


def test_back_keeps_the_answer_and_change_returns_to_a_question(base, data, defaults, open_page):
    page = open_page()
    _open(page, base + PAGE)
    facts = SYSTEMS[0]["answers"]["facts"]
    asked = _answer_by_clicking(page, data, facts, defaults)
    page.get_by_role("button", name="Back").click()
    last = _question(page, data)
    assert last["fact"] == asked[-1]
    checked = page.locator("input[name=answer]:checked")
    assert checked.get_attribute("value") == str(_wanted(last, facts, defaults))
    page.get_by_role("button", name="Next").click()
    assert page.locator(".adrgen-wizard-result").count() == 1
    # "Change" beside the second answer goes back to that question
    page.locator(".adrgen-wizard-answers li").nth(1).get_by_role("button", name="Change").click()
    assert _question(page, data)["fact"] == asked[1]
    assert page.locator(".adrgen-wizard-answers li").count() == 1
    assert page.problems == []


def test_next_without_an_answer_says_what_is_missing(base, open_page):
    page = open_page()
    _open(page, base + PAGE)
    page.get_by_role("button", name="Next").click()
    assert page.get_by_role("alert").inner_text() == "Choose an answer first."
    assert page.locator(".adrgen-wizard-answers").count() == 0


def test_conflicting_answers_show_the_catalogs_sentence_and_ask_one_again(
    base, data, defaults, open_page
):
    page = open_page()
    _open(page, base + PAGE)
    _answer_by_clicking(page, data, CONFLICTING, defaults)
    conflict = page.locator(".adrgen-wizard-conflict")
    assert conflict.count() == 1
    sentence = next(w["text"] for w in data["warnings"] if "process_isolation" in w["facts"])
    assert sentence in conflict.inner_text()
    again = conflict.get_by_role("button")
    assert again.count() == 2
    again.filter(has_text="share one process or runtime").click()
    assert _question(page, data)["fact"] == "same_runtime"
    page.get_by_role("radio", name="No", exact=True).click()
    page.get_by_role("button", name="Next").click()
    # the answers after it stay as they were, offered again
    assert _question(page, data)["fact"] == "process_isolation"
    assert page.locator("input[name=answer]:checked").count() == 1
    assert page.problems == []


# --- keyboard alone ------------------------------------------------------------------------


def _focused(page) -> dict[str, Any]:
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {tag: e.tagName, name: e.name || '', id: e.id || '',
                    text: (e.textContent || '').trim()}; }"""
    )


def _tab_to(page, wanted, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(_focused(page)):
            return
    raise AssertionError(f"Tab never reached it; focus is on {_focused(page)}")


def test_keyboard_alone_answers_downloads_and_goes_back(base, data, defaults, open_page, tmp_path):
    system = SYSTEMS[9]  # a combined design: shared memory with a control channel
    facts = system["answers"]["facts"]
    expected = _expected(_recommend(tmp_path, system["answers"]))
    page = open_page()
    _open(page, base + PAGE)
    while (question := _question(page, data)) is not None:
        _tab_to(page, lambda f: f["name"] == "answer")
        wanted = _wanted(question, facts, defaults)
        # arrow keys move through a radio group and choose; space chooses the first
        if wanted == 0:
            page.keyboard.press("Space")
        for _ in range(wanted):
            page.keyboard.press("ArrowDown")
        assert page.locator("input[name=answer]:checked").get_attribute("value") == str(wanted)
        _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Next")
        page.keyboard.press("Enter")
        # each step moves the focus to its heading, where a screen reader starts reading
        assert _focused(page)["tag"] == "H2"
    assert _shown(page) == expected
    _tab_to(page, lambda f: f["id"] == "adrgen-wizard-title")
    page.keyboard.type(system["answers"]["title"])
    _tab_to(page, lambda f: f["text"] == "Download the answers file")
    answers_file = _download(page, tmp_path, lambda: page.keyboard.press("Enter"))
    assert _new_record(tmp_path, answers_file)["mechanism"] == expected["mechanism"]
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Back")
    page.keyboard.press("Enter")
    assert _question(page, data) is not None and _focused(page)["tag"] == "H2"
    assert page.problems == []


# --- accessibility, phone, palettes, offline -----------------------------------------------


def _views(page, base, data, defaults) -> dict[str, Any]:
    """Open each kind of view the wizard has; name -> a function that shows it."""

    def question():
        _open(page, base + PAGE)

    def conflict():
        _open(page, base + PAGE)
        _answer_by_clicking(page, data, CONFLICTING, defaults)

    def result():
        _open(page, base + PAGE)
        _answer_by_clicking(page, data, SYSTEMS[9]["answers"]["facts"], defaults)
        page.locator("details.adrgen-wizard-ruled-out summary").click()

    return {"question": question, "conflict": conflict, "result": result}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_view_is_accessible_and_fits_a_phone(base, data, defaults, open_page, scheme):
    """axe finds no serious or critical violation in a question, a conflict or the advice;
    nothing is wider than a 390 px screen; screenshots for a person to look at."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(PHONE, scheme)
    for name, show in _views(page, base, data, defaults).items():
        show()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE, (name, width)
        results = Axe().run(page)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], name
        shot = ARTIFACTS / f"wizard-{name}-{PHONE}-{scheme}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
    text = page.evaluate("getComputedStyle(document.querySelector('.adrgen-wizard-step')).color")
    # the palette reaches the wizard: light text on the dark one, dark text on the light one
    brightness = sum(float(x) for x in text[text.index("(") + 1 : -1].split(",")[:3])
    assert (brightness > 382) == (scheme == "dark"), text
    assert page.problems == []


def test_works_opened_from_the_file_system(site, data, defaults, open_page, tmp_path):
    """The built page opened by file URL, with no server: the same advice, the download."""
    system = SYSTEMS[28]
    expected = _expected(_recommend(tmp_path, system["answers"]))
    page = open_page(host="file://")
    _open(page, (site / "catalog" / "wizard" / "index.html").as_uri())
    _answer_by_clicking(page, data, system["answers"]["facts"], defaults)
    assert _shown(page) == expected
    page.get_by_label("Title", exact=True).fill(system["answers"]["title"])
    answers_file = _download(
        page, tmp_path, page.get_by_role("button", name="Download the answers file").click
    )
    assert _new_record(tmp_path, answers_file)["mechanism"] == expected["mechanism"]
    assert page.problems == []


def test_the_page_loads_nothing_from_other_hosts(site):
    """Every script and stylesheet the built page names is one of the site's own files."""
    import re

    html = (site / "catalog" / "wizard" / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<script[^>]*\ssrc="([^"]*)"', html)
    sheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]*)"', html)
    assert any(s.endswith("assets/adrgen/wizard.js") for s in sources)
    assert any(s.endswith("assets/adrgen/wizard.css") for s in sheets)
    for address in sources + sheets:
        assert "//" not in address.split("?")[0], address
        page_dir = site / "catalog" / "wizard"
        assert (page_dir / address.split("?")[0]).resolve().is_file(), address
