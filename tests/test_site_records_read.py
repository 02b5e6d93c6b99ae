"""adrgen's own records on the site, as a reviewer reads them there: every catalog citation
is a link to a page and anchor that exist, and the team's prose keeps its inline markdown
while nothing in it becomes script, a link to script or a heading."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from sitebuild import build_in_process, write_config

from adrgen.cli import cli
from adrgen.files.safe_yaml import dump

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "decisions"
CITATION = re.compile(r"\b(mechanism|situation|checklist|failure-mode|guidance|tooling):[a-z0-9-]+")


class _Page(HTMLParser):
    """The links of a page with their text, the ids it defines and the text outside links."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self.loose_text: list[str] = []
        self.code: list[str] = []
        self.scripts = 0
        self._href: str | None = None
        self._text: list[str] = []
        self._in_code = 0
        self._in_article = 0
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "article":
            self._in_article += 1
        if tag == "a" and values.get("href") is not None:
            self._href, self._text = values["href"], []
        if tag == "code":
            self._in_code += 1
        if tag == "script" and self._in_article:
            self.scripts += 1
        if tag in ("h1", "h2", "h3") and self._in_article:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None
        if tag == "code":
            self._in_code -= 1
        if tag == "article":
            self._in_article -= 1
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)
        elif self._in_article:
            self.loose_text.append(data)
        if self._in_code and self._in_article:
            self.code.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(page_path: Path, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    target = (page_path.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples-site")
    records = folder / "decisions"
    shutil.copytree(EXAMPLES, records)
    return build_in_process(write_config(folder, [records]))


def test_every_catalog_citation_on_a_record_page_links_to_its_entry(example_site: Path) -> None:
    pages = sorted((example_site / "decisions").rglob("0*/index.html")) or sorted(
        (example_site / "decisions").rglob("0*.html")
    )
    assert len(pages) == len(list(EXAMPLES.glob("*.md")))
    cited = 0
    for page_path in pages:
        page = _read(page_path)
        loose = " ".join(page.loose_text)
        assert not CITATION.search(loose), f"{page_path}: a citation that is not a link"
        for href, text in page.links:
            if not CITATION.fullmatch(text.strip()):
                continue
            cited += 1
            target, anchor = _target(page_path, href)
            assert target.is_file(), f"{page_path}: {text} -> {href}: no such page"
            if anchor:
                assert anchor in _read(target).ids, f"{page_path}: {text} -> {href}: no such anchor"
    assert cited >= 20


def test_the_teams_prose_keeps_inline_code_and_nothing_that_runs(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        dump(
            {
                "title": "The agent reports to the supervisor",
                "context": "The agent runs `sd_notify` with *READY=1* as [systemd says]"
                "(https://systemd.io/)\n# Not a heading\n<script>alert(1)</script> and "
                "[a trap](javascript:alert(2))",
                "facts": {"same_host": False},
            }
        )
    )
    records = tmp_path / "decisions"
    made = CliRunner().invoke(
        cli, ["new", "--answers", str(answers), "--no-input", "--dir", str(records)]
    )
    assert made.exit_code == 0, made.output
    site = build_in_process(write_config(tmp_path, [records]))
    [page_path] = [p for p in site.rglob("*.html") if "the-agent-reports" in str(p)]
    page = _read(page_path)
    assert "sd_notify" in page.code  # inline code stays code
    assert ("https://systemd.io/", "systemd says") in page.links
    assert not any(href.lower().startswith("javascript") for href, _ in page.links)
    assert page.scripts == 0 and "alert(1)" in " ".join(page.loose_text)  # shown, not run
    assert "Not a heading" not in page.headings


def test_the_log_shows_a_combined_designs_control_channel(example_site: Path) -> None:
    log = (example_site / "decisions" / "index.html").read_text(encoding="utf-8")
    row = log.split("Camera services send frames to the local inference server", 1)[1]
    row = row.split("</tr>", 1)[0]
    assert "Shared memory</a> + <a" in row and "Local gRPC</a>" in row
