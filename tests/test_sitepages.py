"""The site's pages as a plain function: layout, record bodies, links, escaping, bounds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adrgen.catalog.loading import load_catalog
from adrgen.errors import AdrgenError
from adrgen.site.pages import SiteOptions, build_site, site_pages, write_pages
from adrgen.site.record_pages import load_sources, source_names
from adrgen.site.safe_markdown import SafeMarkdown, url_is_safe
from adrgen.templating.escape import inline as text
from adrgen.templating.escape import mermaid_label
from tests.sitebuild import adrgen_record, generated_records


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _site(catalog, *folders: Path, **options):
    return build_site(catalog, load_sources(list(folders)), SiteOptions(**options))


def _render_safe(source: str) -> str:
    safe = SafeMarkdown()
    safe.active = True
    return markdown.markdown(source, extensions=["attr_list", "fenced_code", "tables", safe])


# --- layout -----------------------------------------------------------------------------


def test_pages_for_catalog_and_records(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Daemon socket", mechanism="unix-sockets")
    pages = site_pages(catalog, load_sources([tmp_path]))
    name = tmp_path.name.lower().replace("_", "-")
    assert set(pages) == {
        "index.md",
        "decisions/attention.md",
        "catalog/index.md",
        "catalog/situations.md",
        "catalog/checklist.md",
        "catalog/failure-modes.md",
        "catalog/wizard.md",
        "decisions/index.md",
        "decisions/graph.md",
        "decisions/tags.md",
        f"decisions/{name}/0001-daemon-socket.md",
        *(f"catalog/mechanisms/{m.id}.md" for m in catalog.mechanisms),
    }
    home = pages["catalog/index.md"]
    stances = [home.index(f"## {s}\n") for s in ("Adopt", "Trial", "Assess", "Hold")]
    assert stances == sorted(stances)
    for m in catalog.mechanisms:
        assert f"[{text(m.name)}](mechanisms/{m.id}.md)" in home
    mechanism = pages["catalog/mechanisms/unix-sockets.md"]
    assert f"[Daemon socket](../../decisions/{name}/0001-daemon-socket.md)" in mechanism
    record = pages[f"decisions/{name}/0001-daemon-socket.md"]
    assert "[Unix domain sockets](../../catalog/mechanisms/unix-sockets.md)" in record


def test_the_plain_function_does_not_import_mkdocs(tmp_path) -> None:
    adrgen_record(tmp_path, 1, "One")
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from adrgen.catalog.loading import load_catalog\n"
        "from adrgen.site.record_pages import load_sources\n"
        "from adrgen.site.pages import site_pages\n"
        f"site_pages(load_catalog(), load_sources([Path({str(tmp_path)!r})]))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_nav_names_sections_not_records(catalog, tmp_path) -> None:
    generated_records(tmp_path, 30)
    site = _site(catalog, tmp_path, catalog_title="Our IPC <catalog>")
    flat = repr(site.nav)
    assert "decisions/index.md" in flat and "catalog/index.md" in flat
    assert "0001-" not in flat
    # the theme prints nav titles unescaped, and its tooltips read them back as HTML
    assert "Our IPC &lt;\\u2060catalog&gt;" in flat
    assert all(not path.startswith("decisions/") or "/" not in path[10:] for path in site.in_nav)


def test_write_pages_for_another_generator(catalog, tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    adrgen_record(records, 1, "One", body_extra="\n![diagram](img/flow.png)\n")
    (records / "img").mkdir()
    (records / "img" / "flow.png").write_bytes(b"\x89PNG fake")
    site = _site(catalog, records)
    write_pages(site, tmp_path / "out")
    assert (tmp_path / "out" / "catalog" / "index.md").is_file()
    assert (
        tmp_path / "out" / "decisions" / "records" / "img" / "flow.png"
    ).read_bytes() == b"\x89PNG fake"
    assert (tmp_path / "out" / "assets" / "adrgen" / "adrgen.css").is_file()


# --- record bodies ----------------------------------------------------------------------


def test_body_loses_its_front_matter_and_h1_keeps_fenced_examples(catalog, tmp_path) -> None:
    (tmp_path / "0001-x.md").write_text(
        "---\ntitle: X\nstatus: accepted\n---\n# X\n\nText <!-- optional --> here.\n\n"
        "```markdown\n---\nstatus: draft\n---\n# Inner <!-- kept -->\n```\n"
    )
    page = _site(catalog, tmp_path).pages[
        f"decisions/{tmp_path.name.lower().replace('_', '-')}/0001-x.md"
    ]
    body = page.split("!!! abstract", 1)[1]
    assert "\n# X\n" not in body and "title: X" not in body
    assert "Text  here." in body  # a template hint is dropped outside code
    assert "---\nstatus: draft\n---\n# Inner <!-- kept -->" in body  # code stays as written


def test_links_between_records_and_files(catalog, tmp_path) -> None:
    team_a = tmp_path / "team-a" / "adr"
    team_b = tmp_path / "team-b" / "adr"
    team_a.mkdir(parents=True)
    team_b.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("not for the site")
    (team_a / "diagram.png").write_bytes(b"\x89PNG\r\n")
    (team_b / "0001-shared-bus.md").write_text("# Shared bus\n\nDate: 2024-01-01\n")
    (team_a / "0001-local-socket.md").write_text(
        "# Local socket\n\n"
        "See [the bus](../../team-b/adr/0001-shared-bus.md#context), "
        "![flow](diagram.png), [missing](gone.png), [secret](../../secret.txt), "
        "[web](https://example.org) and `[code](not-a-link.md)`.\n\n"
        "[ref]: ./diagram.png\n"
    )
    # without the wizard, whose script and stylesheet are files of the site too
    site = _site(catalog, team_a, team_b, wizard=False)
    assert source_names([team_a, team_b]) == ["team-a-adr", "team-b-adr"]
    page = site.pages["decisions/team-a-adr/0001-local-socket.md"]
    assert "[the bus](../team-b-adr/0001-shared-bus.md#context)" in page
    assert "![flow](diagram.png)" in page
    assert "missing (not published: `gone.png`)" in page
    assert "secret (not published: `../../secret.txt`)" in page
    assert "[web](https://example.org)" in page
    assert "`[code](not-a-link.md)`" in page
    assert "[ref]: diagram.png" in page
    assert site.files == {"decisions/team-a-adr/diagram.png": (team_a / "diagram.png").resolve()}
    assert "gone.png: no such file, not published" in page
    assert "secret.txt: outside the record folder, not published" in page


def test_supersede_links_show_both_ways(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Old way", status="superseded")
    adrgen_record(tmp_path, 2, "New way", supersedes="0001")
    (tmp_path / "0003-amends.md").write_text(
        "# Amends\n\n## Status\n\nAccepted\n\nAmends [1. Old way](0001-old-way.md)\n\n"
        "Relates to [nothing](0099-nowhere.md)\n"
    )
    pages = _site(catalog, tmp_path).pages
    folder = tmp_path.name.lower().replace("_", "-")
    old = pages[f"decisions/{folder}/0001-old-way.md"]
    assert "Superseded by: [0002 New way](0002-new-way.md)" in old
    assert "Amended by: [0003 Amends](0003-amends.md)" in old
    new = pages[f"decisions/{folder}/0002-new-way.md"]
    assert "Supersedes: [0001 Old way](0001-old-way.md)" in new
    amends = pages[f"decisions/{folder}/0003-amends.md"]
    assert "Relates to: 0099\\-nowhere.md" in amends or "Relates to: 0099-nowhere.md" in amends
    # the relation is said once, in the Relations block, not again in the record's text
    assert amends.count("0001-old-way.md") == 1
    assert "Amends [1. Old way]" not in amends


def test_a_record_that_cannot_be_read_still_gets_a_page(catalog, tmp_path) -> None:
    (tmp_path / "0001-empty.md").write_text("no heading at all\n")
    (tmp_path / "0002-bad-front-matter.md").write_text("---\n: [\n---\n# Bad\n")
    site = _site(catalog, tmp_path)
    folder = tmp_path.name.lower().replace("_", "-")
    empty = site.pages[f"decisions/{folder}/0001-empty.md"]
    assert '!!! warning "This record could not be fully read"' in empty
    assert "no title" in empty
    assert any("0002-bad-front-matter.md" in n for n in site.notices)
    assert any("0001-empty.md" in n and "no title" in n for n in site.notices)


def test_folder_names_are_unique_and_avoid_generated_pages(tmp_path) -> None:
    folders = [tmp_path / "a" / "decisions", tmp_path / "b" / "decisions", tmp_path / "tags"]
    assert source_names(folders) == ["a-decisions", "b-decisions", "tags-records"]
    assert source_names([tmp_path / "x"], ["Team Payments"]) == ["team-payments"]
    with pytest.raises(AdrgenError, match="used by another folder"):
        source_names([tmp_path / "x", tmp_path / "y"], ["same", "same"])


# --- escaping -----------------------------------------------------------------------------


def test_titles_and_tags_are_inert_text(catalog, tmp_path) -> None:
    adrgen_record(
        tmp_path,
        1,
        "<script>alert(1)</script> | [x](javascript:alert(1))",
        deciders=("<img src=x onerror=alert(1)>",),
        tags=("</title><script>",),
    )
    site = _site(catalog, tmp_path)
    page = next(
        md
        for path, md in site.pages.items()
        if path.endswith("0001-scriptalert1script-x.md") or "0001-" in path
    )
    # a word joiner after each `<` that would open a tag if the theme read it back as HTML
    assert (
        'title: "&lt;\u2060script&gt;alert(1)&lt;\u2060/script&gt; | [x](javascript:alert(1))"'
        in page
    )
    assert 'tags: ["&lt;\u2060/title&gt;&lt;\u2060script&gt;"]' in page
    assert "# &lt;script&gt;alert(1)&lt;/script&gt; \\| \\[x\\](javascript:alert(1))" in page
    html = _render_safe(site.pages["decisions/index.md"].split("---\n", 2)[2])
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html


def test_text_escapes_markdown_and_html() -> None:
    assert _render_safe(text("<b>&")) == "<p>&lt;b&gt;&amp;</p>"
    assert text("a|b *c* _d_ [e](f) {g}") == "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\{g\\}"
    assert text("# heading") == "\\# heading" and text("1. item") == "1\\. item"
    assert text("2024-05-20") == "2024-05-20"
    assert text("two\nlines") == "two lines"
    assert mermaid_label('say "hi" <b>') == "say #quot;hi#quot; #lt;b#gt;"


def test_safe_rendering_shows_raw_html_as_text() -> None:
    html = _render_safe(
        "Hi <img src=x onerror=alert(1)>\n\n<div onclick='x()'>block</div>\n\n"
        "    <script>in code</script>\n\n`<b>span</b>`\n\n&copy; AT&T\n\n"
        '*word*{ onclick="alert(1)" style="position:fixed" .ok }\n'
    )
    assert "<img" not in html and "<div" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<pre><code>&lt;script&gt;in code&lt;/script&gt;" in html
    assert "<code>&lt;b&gt;span&lt;/b&gt;</code>" in html
    assert "&copy; AT&amp;T" in html
    assert '<em class="ok">word</em>' in html  # attr_list keeps classes, loses handlers


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
    ],
)
def test_unsafe_addresses_are_neutralised(url) -> None:
    assert not url_is_safe(url)
    html = _render_safe(f"[x]({url}) ![y]({url})\n\n[r][1]\n\n[1]: {url}\n")
    assert re.findall(r'(?:href|src)="([^"]*)"', html) == ["#", "#", "#"]


@pytest.mark.parametrize(
    "url", ["https://a.b/c", "mailto:x@y.z", "../x.md#y", "#anchor", "img.png"]
)
def test_safe_addresses_stay(url) -> None:
    assert url_is_safe(url)


def test_dangerous_elements_from_extensions_are_dropped() -> None:
    import xml.etree.ElementTree as etree

    from adrgen.site.safe_markdown import sanitize_tree

    root = etree.fromstring(
        '<div><p>a<script>x()</script>b</p><iframe src="https://x"/>c'
        '<a href="javascript:x()" onmouseover="y()">l</a></div>'
    )
    sanitize_tree(root)
    out = etree.tostring(root, encoding="unicode")
    assert out == '<div><p>ab</p>c<a href="#">l</a></div>'


def test_inactive_extension_changes_nothing() -> None:
    html = markdown.markdown("<b>bold</b>", extensions=[SafeMarkdown()])
    assert html == "<p><b>bold</b></p>"


# --- scale ------------------------------------------------------------------------------------


def test_log_is_paginated_and_graph_is_bounded(catalog, tmp_path) -> None:
    generated_records(tmp_path, 250)
    site = _site(catalog, tmp_path, page_size=100, graph_limit=30)
    assert {p for p in site.pages if p.startswith("decisions/log/")} == {
        "decisions/log/2.md",
        "decisions/log/3.md",
    }
    for path in ("decisions/index.md", "decisions/log/2.md", "decisions/log/3.md"):
        rows = [
            line
            for line in site.pages[path].splitlines()
            if line.startswith("| [0-9]") or re.match(r"^\| \d{4} \|", line)
        ]
        assert len(rows) <= 100
    assert (
        "Page 2 of 3: [previous](../index.md) [1](../index.md) **2** [3](3.md) [next](3.md)"
        in site.pages["decisions/log/2.md"]
    )
    graph = site.pages["decisions/graph.md"]
    record_nodes = re.findall(r"^  r\d+\[", graph, re.MULTILINE)
    assert 30 <= len(record_nodes) <= 60
    assert "out of 250" in graph


def test_template_folder_of_a_team_is_tried_first_and_sandboxed(catalog, tmp_path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    adrgen_record(records, 1, "One")
    team = tmp_path / "templates" / "site"
    team.mkdir(parents=True)
    (team / "record.md.j2").write_text("# {{ r.title }}\n\nOur layout. {{ body }}")
    site = _site(catalog, records, templates_dir=tmp_path / "templates")
    assert "Our layout." in site.pages["decisions/records/0001-one.md"]
    (team / "record.md.j2").write_text("{{ r.__class__.__mro__ }}")
    with pytest.raises(AdrgenError, match=r"site/record.md.j2:1: access to attribute .__class__."):
        _site(catalog, records, templates_dir=tmp_path / "templates")


def test_tags_get_pages_of_their_own_even_when_their_slugs_clash(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "First", tags=("build daemon", "ipc"))
    adrgen_record(tmp_path, 2, "Second", tags=("build-daemon",))
    site = _site(catalog, tmp_path)
    index = site.pages["decisions/tags.md"]
    assert "[build daemon](by-tag/build-daemon/index.md) | 1 |" in index
    assert "[build-daemon](by-tag/build-daemon-2/index.md) | 1 |" in index
    assert "[ipc](by-tag/ipc/index.md) | 1 |" in index
    assert "First" in site.pages["decisions/by-tag/build-daemon/index.md"]
    assert "Second" in site.pages["decisions/by-tag/build-daemon-2/index.md"]
    first = next(text for path, text in site.pages.items() if path.endswith("/0001-first.md"))
    assert "- Tags: [build daemon](../by-tag/build-daemon/index.md), [ipc](" in first


def test_listing_pages_are_left_out_of_search_and_records_are_not(catalog, tmp_path) -> None:
    for number in range(1, 4):
        adrgen_record(tmp_path, number, f"Decision {number}", tags=("ipc",))
    site = _site(catalog, tmp_path, page_size=2, mechanism_recent=1)
    listings = [p for p in site.pages if p.startswith(("decisions/by-", "decisions/log/"))]
    listings += ["decisions/index.md", "decisions/tags.md"]
    assert len(listings) >= 6
    for path in listings:
        assert "\nsearch: {exclude: true}\n" in site.pages[path], path
    for path in [*site.record_pages, "catalog/mechanisms/unix-sockets.md"]:
        assert "search:" not in site.pages[path].split("\n---\n")[0], path


@pytest.mark.parametrize(
    "target,here",
    [
        ("decisions/a/0001-x.md", "decisions/a"),
        ("decisions/a/0001-x.md", "decisions/b"),
        ("catalog/mechanisms/pipes.md", "decisions/by-tag/ipc"),
        ("decisions/index.md", ""),
        ("index.md", "decisions/log"),
        ("decisions/log/2.md", "decisions"),
        ("decisions/tags.md", "decisions/tags"),
        ("decisions/a/img/pic one.png", "decisions/a"),
    ],
)
def test_relative_links_are_what_relpath_says(target, here) -> None:
    import posixpath

    from adrgen.site.record_pages import relative_link

    assert relative_link(target, here) == posixpath.relpath(target, here or ".")


_FOLDERS = st.lists(st.sampled_from(["a", "b", "decisions", "x y", "log"]), max_size=4)


@given(folders=_FOLDERS, name=st.sampled_from(["0001-z.md", "a.md", "pic one.png"]), here=_FOLDERS)
def test_relative_links_agree_with_relpath_for_any_site_paths(folders, name, here) -> None:
    """A link from a page's folder to any file of the site."""
    import posixpath

    from adrgen.site.record_pages import relative_link

    target, here_path = "/".join([*folders, name]), "/".join(here)
    assert relative_link(target, here_path) == posixpath.relpath(target, here_path or ".")
