"""`adrgen site export DIR`: the site's pages as markdown that a plain mkdocs (no adrgen
plugin) publishes, with no script from a hostile record, checked in the built HTML and in
headless Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from adrgen.cli import cli
from adrgen.site import inert_markdown
from adrgen.site.inert_markdown import inert_page
from tests.sitebuild import adrgen_record, generated_records, mkdocs_subprocess, write_config

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE_TITLE = "<script>alert('title')</script> Hostile record"
# every way a record's markdown has to become script on a plain mkdocs site; the unclosed
# fence last, since everything after it is text
HOSTILE_BODY = """
<script>alert('script tag')</script>

Picture: <img src=x onerror="alert('onerror')">

[javascript link](javascript:alert('link')), [tab in the scheme](jav&#x09;ascript:alert('tab')),
![an image](javascript:alert('image')) and <javascript:alert('autolink')>.

A [reference link][bad].

[bad]: javascript:alert('reference') "<img src=x onerror=alert('reference title')>"

A paragraph with handlers.
{: onclick="alert('attr_list')" onmouseover="alert('hover')" }

[titled link](https://example.org "<img src=x onerror=alert('tooltip')>")

A paragraph clobbering the theme's settings.
{: #__config }

<div markdown="1" onmouseover="alert('md_in_html')">**inside a div**</div>

Kept as written: `<b>code</b>` and <https://example.org/a_b>, and a badge.
{ .kept-class #kept-anchor }

```
unclosed fence <script>alert('unclosed')</script>
"""
INJECTED = (
    "article script, article iframe, article img[onerror], article object, article embed,"
    " [onerror], [onload]:not(body), [onclick], [onmouseover], [onfocus],"
    " a[href^='javascript:' i], img[src^='javascript:' i], article [id^='__'], article [title]"
)


def _export(runner, out: Path, config: Path, *extra: str):
    return runner.invoke(cli, ["site", "export", str(out), "--mkdocs-file", str(config), *extra])


def _documented_settings(nav_file: Path) -> str:
    """The mkdocs settings that nav.yml's comments say the pages need, uncommented."""
    comments = [
        line[2:] if line.startswith("# ") else ""
        for line in nav_file.read_text().split("\n")
        if line.startswith("#")
    ]
    blocks, block = [], []
    for line in [*comments, ""]:
        if line.strip():
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    settings = [b for b in blocks if re.match(r"^[a-z_]+:( \|)?$", b[0])]
    keys = {line.split(":")[0] for b in settings for line in b if re.match(r"^[a-z_]+:", line)}
    assert keys >= {"markdown_extensions", "extra_css", "not_in_nav"}
    return "\n".join("\n".join(b) for b in settings) + "\n"


def _nav(nav_file: Path) -> str:
    lines = [line for line in nav_file.read_text().split("\n") if not line.startswith("#")]
    return "nav:\n" + "\n".join(f"  {line}" for line in lines if line) + "\n"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Records (one hostile) exported, then built by plain mkdocs with the documented set-up."""
    from click.testing import CliRunner

    work = tmp_path_factory.mktemp("export")
    records = work / "records"
    generated_records(records, 12)
    hostile = adrgen_record(records, 40, HOSTILE_TITLE, body_extra=HOSTILE_BODY)
    out = work / "exported"
    result = _export(CliRunner(), out, write_config(work, [records]))
    assert result.exit_code == 0, result.output
    plain = work / "plain" / "mkdocs.yml"
    plain.parent.mkdir()
    plain.write_text(
        f"site_name: exported\ndocs_dir: {out}\nsite_dir: {work / 'public'}\n"
        "theme:\n  name: material\n  font: false\n  features:\n    - content.tooltips\n"
        + _documented_settings(out / "nav.yml")
        + _nav(out / "nav.yml")
    )
    assert "plugins" not in plain.read_text()  # mkdocs' default: its search plugin alone
    assert "adrgen" not in re.sub(r"assets/adrgen/[a-z.]+", "", plain.read_text())
    built = mkdocs_subprocess(plain, work / "public", "--strict")
    assert built.returncode == 0, built.stderr
    return out, work / "public", hostile.stem


def test_plain_mkdocs_publishes_every_exported_page(exported) -> None:
    out, site_dir, _ = exported
    pages = sorted(p.relative_to(out) for p in out.rglob("*.md"))
    assert len(pages) > 20
    for page in pages:
        html_page = site_dir / page.with_suffix("") / "index.html"
        if page.name == "index.md":
            html_page = site_dir / page.parent / "index.html"
        assert html_page.is_file(), page
    assert (site_dir / "assets" / "adrgen" / "adrgen.css").is_file()
    log = (site_dir / "decisions" / "index.html").read_text()
    assert "adrgen-status" in log, "the badges' class lists are kept"


def _article(html_text: str) -> str:
    return html_text.split("<article", 1)[1].split("</article>", 1)[0]


def test_a_hostile_record_exported_has_no_live_script_in_the_built_html(exported) -> None:
    _, site_dir, stem = exported
    article = _article((site_dir / "decisions" / "records" / stem / "index.html").read_text())
    assert "<script" not in article
    assert not re.search(r"<[^>]*\s(on\w+|style|title)\s*=", article), article
    assert not re.search(r"(href|src)=\"\s*javascript", article, re.IGNORECASE)
    assert 'id="__' not in article
    assert "<div" not in article.split("inside a div")[0].rsplit("<p>", 1)[-1]
    # what the record shows is its text, as typed
    assert "&lt;script&gt;alert('script tag')&lt;/script&gt;" in article
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in article
    assert 'href="https://example.org/a_b"' in article
    assert 'class="kept-class" id="kept-anchor"' in article


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_a_hostile_record_exported_runs_no_script_in_the_browser(exported) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    _, site_dir, stem = exported

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            )
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for url in (f"{base}decisions/records/{stem}/", f"{base}decisions/", base + "catalog/"):
                page.goto(url)
                page.wait_for_load_state("networkidle")
                assert page.locator(INJECTED).count() == 0, url
                for paragraph in page.locator("article p").all()[:30]:
                    paragraph.hover()  # hover handlers and tooltips would fire now
            page.goto(f"{base}decisions/records/{stem}/")
            page.wait_for_load_state("networkidle")
            assert "<script>alert('script tag')</script>" in page.locator("article").inner_text()
            for name in ("javascript link", "reference link", "titled link"):
                link = page.locator("article").get_by_role("link", name=name)
                link.hover()
                assert link.get_attribute("href") in ("#", "https://example.org"), name
            page.locator("article").get_by_role("link", name="javascript link").click()
            page.wait_for_timeout(200)  # a dialog a click opened would be seen by now
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == []


# --- the command ---------------------------------------------------------------------


def test_export_replaces_an_earlier_export_whole(runner, tmp_path) -> None:
    records = tmp_path / "records"
    generated_records(records, 3)
    config = write_config(tmp_path, [records])
    out = tmp_path / "out"
    assert _export(runner, out, config).exit_code == 0
    (out / ".git").mkdir()
    removed = sorted(records.glob("0003-*.md"))[0]
    page = out / "decisions" / "records" / f"{removed.stem}.md"
    assert page.is_file()
    removed.unlink()
    result = _export(runner, out, config)
    assert result.exit_code == 0, result.output
    assert not page.exists(), "a page whose record is gone goes too"
    assert (out / ".git").is_dir(), "what a generator leaves alone stays"
    assert "nav.yml" in result.output and "pages written" in result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_refuses_a_folder_it_did_not_write(runner, tmp_path) -> None:
    records = tmp_path / "records"
    generated_records(records, 2)
    config = write_config(tmp_path, [records])
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Ours\n")
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    for out, says in ((docs, "holds files an export did not write"), (a_file, "not a folder")):
        result = _export(runner, out, config)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
    assert (docs / "index.md").read_text() == "# Ours\n"
    missing = runner.invoke(
        cli,
        [
            "site",
            "export",
            str(tmp_path / "x"),
            "--mkdocs-file",
            str(config),
            "--records",
            str(tmp_path / "none"),
        ],
    )
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    assert missing.stderr.count("\n") == 1 and "record folder not found" in missing.stderr
    assert not (tmp_path / "x").exists()


def test_export_help_has_an_example(runner) -> None:
    result = runner.invoke(cli, ["site", "export", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "adrgen site export docs/" in result.output


def test_nav_prefix_is_put_before_every_path(runner, tmp_path) -> None:
    records = tmp_path / "records"
    generated_records(records, 2)
    out = tmp_path / "docs" / "adr"
    result = _export(runner, out, write_config(tmp_path, [records]), "--nav-prefix", "adr")
    assert result.exit_code == 0, result.output
    paths = re.findall(r": (\S+\.md)$", (out / "nav.yml").read_text(), re.MULTILINE)
    assert paths and all(p.startswith("adr/") for p in paths)
    assert "#   - adr/assets/adrgen/adrgen.css" in (out / "nav.yml").read_text()


# --- the check behind the scan ------------------------------------------------------


def test_a_page_the_scan_leaves_unsafe_is_shown_as_plain_text(monkeypatch) -> None:
    page = "---\ntitle: x\n---\n\nHello <img src=x onerror=alert(1)>\n"
    assert "&lt;img" in inert_page(page)
    monkeypatch.setattr(inert_markdown, "_inert_body", lambda text: text)  # a scan that misses
    shown = inert_page(page)
    assert shown.startswith("---\ntitle: x\n---\n")
    assert "Shown as plain text" in shown and "```text\n" in shown
    assert not inert_markdown.script_capable(shown[len("---\ntitle: x\n---\n") :])


def test_a_page_too_slow_to_check_is_shown_as_plain_text(monkeypatch) -> None:
    monkeypatch.setattr(inert_markdown, "CHECK_SECONDS", 0.2)
    shown = inert_page("[a](" * 3000)  # Python-Markdown is quadratic on this
    assert "Shown as plain text" in shown
