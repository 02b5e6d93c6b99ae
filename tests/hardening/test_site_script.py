"""Record text cannot put script on the site: through the theme's ids, tooltips, markdown
extensions, or files published beside the record.

- DOM clobbering: a paragraph tagged `{: #__config }` holding a copy of the theme's settings
  with `content.tooltips` took the theme's place; titles then ran as HTML in its tooltips.
- Extensions: `pymdownx.snippets` crashed every build, `pymdownx.blocks.html` let raw
  `<script>` through; each common extension is tried with record text that abuses it.
- Attachments: an `.svg`, `.html` or `.xhtml` beside a record was published and ran when
  opened.

The HTML is read with Python's own HTML parser; the browser tests
(test_site_browser_script.py) open the same kinds of page in Chromium.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import markdown
import pytest

from adrgen.errors import AdrgenError
from adrgen.site.safe_markdown import SafeMarkdown, check_extensions
from tests.sitebuild import write_config

SCRIPT = "<img src=x onerror=alert(1)>"


class Elements(html.parser.HTMLParser):
    """Every start tag of a page with its attributes, in order."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.found if "id" in a]


def problems(page: str) -> list[str]:
    """What on a page could run script or speak for the theme."""
    found = []
    for tag, attrs in Elements(page).found:
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "base"):
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name.startswith("data-md"):
                found.append(f"<{tag} {name}>")
            if name == "name" and not (tag == "input" and value.startswith("user-content-")):
                found.append(f"<{tag} name={value}>")
            if tag == "input" and attrs.get("type") not in ("radio", "checkbox"):
                found.append(f"<input type={attrs.get('type')}>")
            if name == "id" and value.startswith("__"):
                found.append(f"<{tag} id={value}>")
            if name == "title" and re.search(r"<[A-Za-z!/?]", value):
                found.append(f"<{tag} title={value!r}>")
            if name in ("href", "src") and re.match(
                r"\s*(javascript|vbscript|data:text)", value, re.I
            ):
                found.append(f"<{tag} {name}={value}>")
            if name == "class" and re.search(r"\bmd-(?!button)", value):
                found.append(f"<{tag} class={value}>")
    return found


def record_page(text: str, *extensions: object, configs: dict | None = None) -> str:
    """A record's text converted as the site converts a record's page."""
    safe = SafeMarkdown()
    safe.active = safe.record_page = True
    return markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "attr_list", "admonition", *extensions, safe],
        extension_configs=configs or {},
    ).convert(text)


# --- 1. the theme's ids, its tooltips, and what its scripts act on ---------------------------

CLOBBER = """
# Clobbering

{"base": "..", "features": ["content.tooltips"], "search": "x", "translations": {}}
{: #__config }

## __config

A [link](https://example.org "TITLE") and *text*{: title="TITLE" } and
[in page](#mine) and a note[^__drawer].

Theme parts.
{: data-md-component="source" name="__palette" .md-ellipsis .md-status .md-button }

## Mine { #mine }

*[HTML]: TITLE

HTML abbreviations.

[^__drawer]: A footnote.
""".replace("TITLE", SCRIPT)


def test_a_record_cannot_take_the_theme_ids_or_put_markup_in_titles() -> None:
    page = record_page(CLOBBER, "footnotes", "abbr")
    assert problems(page) == []
    ids = Elements(page).ids()
    assert "user-content-__config" in ids and "user-content-mine" in ids
    # links within the page follow the ids they point at
    for _, attrs in Elements(page).found:
        href = attrs.get("href", "")
        if href.startswith("#"):
            assert href[1:] in ids, href
    titles = [a["title"] for _, a in Elements(page).found if "title" in a]
    assert "<\u2060img src=x onerror=alert(1)>" in titles  # as written, but opens no tag
    assert 'class="md-button"' in page  # the theme's buttons are a record's to use


def test_the_table_of_contents_follows_the_renamed_ids() -> None:
    safe = SafeMarkdown()
    safe.active = safe.record_page = True
    md = markdown.Markdown(extensions=["toc", "attr_list", safe])
    md.convert("# Top\n\n## __config\n\n## Mine { #mine }\n")
    ids = [child["id"] for child in md.toc_tokens[0]["children"]]
    assert ids == ["user-content-__config", "user-content-mine"]


def test_catalog_pages_keep_their_own_ids() -> None:
    """Only a record's page is treated as the record's: the catalog's anchors stay."""
    safe = SafeMarkdown()
    safe.active = True
    page = markdown.Markdown(extensions=["toc", "attr_list", safe]).convert("## X { #pipes }\n")
    assert 'id="pipes"' in page


# --- 9. markdown extensions --------------------------------------------------------------------

# the extension, its settings, and record text that abuses it
EXTENSIONS = {
    "attr_list": ({}, 'para\n{: #__config onclick="alert(1)" data-md-component="source" }'),
    "md_in_html": (
        {},
        f'<div markdown="1" id="__config">\n<script>alert(1)</script> {SCRIPT}\n</div>',
    ),
    "abbr": ({}, f"*[X]: {SCRIPT}\n\nX"),
    "footnotes": ({}, f"a[^__config]\n\n[^__config]: {SCRIPT}"),
    "def_list": ({}, f"{SCRIPT}\n:   <script>alert(1)</script>"),
    "pymdownx.superfences": ({}, "```html\n<script>alert(1)</script>\n```"),
    "pymdownx.highlight": ({}, f"```\n{SCRIPT}\n```"),
    "pymdownx.inlinehilite": ({}, "`#!html <script>alert(1)</script>`"),
    "pymdownx.tabbed": ({"alternate_style": True}, f'=== "{SCRIPT}"\n\n    <script>x</script>'),
    "pymdownx.details": ({}, f'??? note "{SCRIPT}"\n    <script>alert(1)</script>'),
    "pymdownx.emoji": ({}, f":material-check: :smile: {SCRIPT}"),
    "pymdownx.tasklist": ({}, f"- [x] {SCRIPT}\n- [ ] <script>alert(1)</script>"),
    "pymdownx.arithmatex": ({"generic": True}, f"${SCRIPT}$\n\n$$\n<script>alert(1)</script>\n$$"),
    "pymdownx.mark": ({}, f"=={SCRIPT}=="),
    "pymdownx.caret": ({}, f"^^{SCRIPT}^^"),
    "pymdownx.tilde": ({}, f"~~{SCRIPT}~~"),
    "pymdownx.keys": ({}, f"++ctrl+alt+{SCRIPT}++"),
    "pymdownx.critic": ({}, f"{{++{SCRIPT}++}} {{--x--}}"),
    "pymdownx.magiclink": ({}, "javascript:alert(1) <javascript:alert(1)> https://example.org"),
    "pymdownx.smartsymbols": ({}, f"(c) {SCRIPT} -->"),
    "pymdownx.betterem": ({}, f"**{SCRIPT}**"),
    "pymdownx.snippets": ({"base_path": ["/"]}, '--8<-- "etc/hostname"\n\n;--8<-- "etc/passwd"'),
    "pymdownx.b64": ({"base_path": "/"}, "![x](/usr/share/pixmaps/debian-logo.png)"),
    "pymdownx.blocks.admonition": (
        {},
        "/// admonition | TITLE\n    attrs: {id: __config, onclick: alert(1), data-md-component: source}\n\n"
        "<script>alert(1)</script>\n///".replace("TITLE", SCRIPT),
    ),
    "pymdownx.blocks.details": (
        {},
        f"/// details | {SCRIPT}\n    attrs: {{id: __search}}\n\nx\n///",
    ),
    "pymdownx.blocks.tab": (
        {"alternate_style": True},
        f"/// tab | {SCRIPT}\n    attrs: {{name: __palette}}\n\nx\n///",
    ),
}


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_record_text_cannot_use_an_extension_to_run_script(extension: str) -> None:
    check_extensions([extension])  # each of these is allowed on record pages
    settings, text = EXTENSIONS[extension]
    page = record_page(text, extension, configs={extension: settings})
    assert problems(page) == [], page
    assert "root:" not in page and "data:image" not in page  # no file of the machine


def test_extensions_that_write_raw_html_or_are_unknown_are_refused() -> None:
    with pytest.raises(AdrgenError, match="pymdownx.blocks.html writes raw HTML"):
        check_extensions(["toc", "pymdownx.blocks.html"])
    with pytest.raises(AdrgenError, match="someones_extension is not known"):
        check_extensions(["someones_extension:Ext"])
    check_extensions(["pymdownx.blocks.html"], trusted=["pymdownx.blocks.html"])


def _build(tmp_path: Path, records: Path, extra: str = "", plugin: str = "", features: str = ""):
    config = write_config(tmp_path, [records], site_dir=tmp_path / "public", plugin_extra=plugin)
    text = config.read_text()
    text = text.replace("markdown_extensions:\n", f"markdown_extensions:\n{extra}")
    text = text.replace("  font: false\n", f"  font: false\n{features}")
    config.write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "adrgen", "site", "build", "--mkdocs-file", config],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "decisions"
    folder.mkdir()
    (folder / "0001-hostile.md").write_text(
        "---\ntitle: Hostile\n---\n\n" + CLOBBER + '\n--8<-- "secret.txt"\n', encoding="utf-8"
    )
    (tmp_path / "secret.txt").write_text("SECRET-OF-THE-BUILD-MACHINE")
    return folder


def test_snippets_no_longer_crash_the_build_nor_read_files_for_records(
    tmp_path: Path, records: Path
) -> None:
    done = _build(
        tmp_path, records, extra=f"  - pymdownx.snippets:\n      base_path: [{tmp_path}]\n"
    )
    assert done.returncode == 0, done.stderr
    page = tmp_path / "public" / "decisions" / "decisions" / "0001-hostile" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "SECRET-OF-THE-BUILD-MACHINE" not in text
    assert "--8&lt;-- &quot;secret.txt&quot;" in text or '--8&lt;-- "secret.txt"' in text


@pytest.mark.parametrize(
    ("extension", "names"),
    [("pymdownx.blocks.html", "pymdownx.blocks.html"), ("raw_html_ext", "raw_html_ext")],
    ids=["blocks-html", "unknown"],
)
def test_the_build_refuses_an_unsafe_extension_in_one_line(
    extension: str, names: str, tmp_path: Path, records: Path
) -> None:
    (tmp_path / "raw_html_ext.py").write_text(
        textwrap.dedent(
            """
            from markdown.extensions import Extension
            class RawHtml(Extension):
                def extendMarkdown(self, md):
                    pass
            def makeExtension(**kwargs):
                return RawHtml(**kwargs)
            """
        )
    )
    done = _build(tmp_path, records, extra=f"  - {extension}\n")
    assert done.returncode == 2, done
    errors = [line for line in done.stderr.splitlines() if not line.startswith("INFO")]
    assert len(errors) == 1 and names in errors[0] and "Traceback" not in done.stderr, errors
    assert "trusted_extensions" in errors[0]
    # the team's own choice, named in the plugin's options
    trusted = _build(
        tmp_path,
        records,
        extra=f"  - {extension}\n",
        plugin=f"      trusted_extensions: [{extension}]\n",
    )
    assert trusted.returncode == 0, trusted.stderr


# --- 1 on a site that turns on the theme's tooltips itself ----------------------------------


def test_a_site_with_tooltips_gets_no_markup_in_titles(tmp_path: Path, records: Path) -> None:
    done = _build(tmp_path, records, features="  features: [content.tooltips]\n")
    assert done.returncode == 0, done.stderr
    page = tmp_path / "public" / "decisions" / "decisions" / "0001-hostile" / "index.html"
    text = page.read_text(encoding="utf-8")
    inside_article = text[text.index(">", text.index("<article")) + 1 : text.index("</article>")]
    assert problems(inside_article) == []
    configs = [a for t, a in Elements(text).found if a.get("id") == "__config"]
    assert len(configs) == 1  # the theme's own, and only it
    opening = '<script id="__config" type="application/json">'
    start = text.index(opening) + len(opening)
    settings = json.loads(text[start : text.index("</script>", start)])
    assert settings["features"] == ["content.tooltips"] and settings["base"] == "../../.."


# --- 2. files published beside records ------------------------------------------------------

ATTACHMENTS = {
    "diagram.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "page.html": "<script>alert(1)</script>",
    "page.htm": "<script>alert(1)</script>",
    "page.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "feed.xml": '<?xml-stylesheet href="x.xsl" type="text/xsl"?><x/>',
    "tool.js": "alert(1)",
    "LICENSE": "no type at all",
    "photo.png": "\x89PNG\r\n",
    "notes.txt": "plain notes",
    "paper.pdf": "%PDF-1.4",
}


@pytest.fixture
def with_attachments(tmp_path: Path) -> Path:
    folder = tmp_path / "decisions"
    folder.mkdir()
    for name, content in ATTACHMENTS.items():
        (folder / name).write_text(content, encoding="utf-8")
    links = " ".join(f"[{name}]({name})" for name in ATTACHMENTS)
    (folder / "0001-files.md").write_text(
        f"---\ntitle: Files\n---\n\n![the diagram](diagram.svg)\n\n{links}\n", encoding="utf-8"
    )
    return folder


def test_only_attachments_that_cannot_run_script_are_published(
    tmp_path: Path, with_attachments: Path
) -> None:
    done = _build(tmp_path, with_attachments)
    assert done.returncode == 0, done.stderr
    published = tmp_path / "public" / "decisions" / "decisions"
    assert sorted(p.name for p in published.iterdir() if p.is_file()) == [
        "notes.txt",
        "paper.pdf",
        "photo.png",
    ]
    page = (published / "0001-files" / "index.html").read_text(encoding="utf-8")
    # the SVG is shown as the image it is, from inside the page, and never as a page
    images = [a["src"] for t, a in Elements(page).found if t == "img"]
    assert [src[:26] for src in images] == ["data:image/svg+xml;base64,"]
    assert "diagram.svg (not published" in page
    for name in ("page.html", "page.htm", "page.xhtml", "feed.xml", "tool.js", "LICENSE"):
        assert f"{name} (not published" in page, name


def test_a_team_can_publish_more_types_by_name(tmp_path: Path, with_attachments: Path) -> None:
    done = _build(tmp_path, with_attachments, plugin="      attachment_types: [.svg, html]\n")
    assert done.returncode == 0, done.stderr
    published = tmp_path / "public" / "decisions" / "decisions"
    names = {p.name for p in published.iterdir() if p.is_file()}
    assert {"diagram.svg", "page.html"} <= names and "page.xhtml" not in names
