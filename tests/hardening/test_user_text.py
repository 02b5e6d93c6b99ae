"""User text flowing into records and the site: cases 7-9, and a property-based test.

A person's words must reach the record as written, and never become its structure: no
heading, fence or front-matter line of their own, no HTML on the site, no control
character or bidi override in the front matter, and a file name that is safe whatever the
title is.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from factsets import CLI_TO_DAEMON, MADR_SECTIONS
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from record_words import has_run, prose_words, section, shown_words, words

from adrgen.files.safe_yaml import dump, parse_text
from adrgen.records.parse import parse_record, split_front_matter
from adrgen.records.slugs import MAX_FILE_NAME_BYTES, is_reserved_name, record_file_name
from adrgen.records.write import FRONT_MATTER_KEYS
from adrgen.site.safe_markdown import SafeMarkdown

from .harness import Team, assert_clear_error, assert_unchanged, make_team, snapshot
from .hostile import HOSTILE, WORDS

SAFE_NAME = re.compile(r"^\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.md$")
# what markdown itself makes of a record page; anything else came from someone's text
MARKDOWN_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "code", "pre", "em",
    "strong", "div", "span", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
    "blockquote", "details", "summary", "dl", "dt", "dd", "sup",
}  # fmt: skip


def front_and_body(path: Path) -> tuple[dict, str]:
    front, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert front is not None, path
    meta, _ = parse_text(front)
    return meta, body


def new_records(team: Team, before: set[str]) -> list[Path]:
    return sorted(p for p in team.records.iterdir() if p.name not in before)


def headings(body: str) -> list[str]:
    """The body's ATX headings outside fences: the record's structure."""
    found, fence = [], None
    for line in body.split("\n"):
        marker = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if marker:
            opened = marker.group(1)[:3]
            if fence is None:
                fence = opened
            elif opened == fence:
                fence = None
            continue
        if not fence and re.match(r"^#{1,6}\s", line):
            found.append(line)
    return found


class _Elements(HTMLParser):
    """Every element and attribute of an HTML fragment, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def injected_markup(html: str) -> list[str]:
    """Elements, handlers and addresses in rendered HTML that markdown would not make."""
    parser = _Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag not in MARKDOWN_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"<{tag} {name}>")
            if name in ("href", "src") and re.match(
                r"\s*(javascript|data|vbscript):", value or "", re.I
            ):
                found.append(f"<{tag} {name}={value}>")
    return found


def safe_html(source: str) -> str:
    """A page as the site renders it: mkdocs' extensions and the site's safe markdown."""
    safe = SafeMarkdown()
    safe.active = True
    return markdown.markdown(
        source,
        extensions=["tables", "attr_list", "admonition", "toc", "pymdownx.superfences", safe],
    )


def plain_html(source: str) -> str:
    """A record as a forge shows the raw file: plain markdown, raw HTML allowed."""
    return markdown.markdown(source, extensions=["tables", "attr_list", "fenced_code"])


# --- 7. hostile text keeps the record's structure ---------------------------------------------


@pytest.mark.parametrize("template", ["madr", "nygard", "y-statement"])
def test_07_hostile_text_keeps_record_structure(template: str, team: Team) -> None:
    # the same decision in plain words, to compare the record's structure with
    existing = {p.name for p in team.records.iterdir()}
    plain = team.write_answers("plain.yaml", choice="pipes", justification="Plain words.")
    run = team.new("--template", template, "--date", "2026-02-03", answers=plain)
    assert run.code == 0, run
    [benign] = new_records(team, existing)
    existing = {p.name for p in team.records.iterdir()}
    answers = team.write_answers("hostile.yaml", **HOSTILE)
    run = team.new("--template", template, "--date", "2026-02-03", answers=answers)
    assert run.code == 0, run
    [path] = new_records(team, existing)

    meta, body = front_and_body(path)
    assert list(meta) == [key for key in FRONT_MATTER_KEYS if key in meta]
    assert meta["title"] == HOSTILE["title"]
    assert meta["deciders"] == HOSTILE["deciders"]
    # the team's prose is in the body once, every word of it shown as written
    assert has_run(shown_words(body), words(HOSTILE["context"]))
    assert has_run(shown_words(body), words(HOSTILE["justification"]))
    assert meta["mechanism"] == "pipes" and meta["status"] == "proposed"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n---\n") == 1  # the front matter's closing line, nowhere else

    # the same headings as a record of plain words, apart from the title itself
    benign_meta, benign_body = front_and_body(benign)
    assert headings(body)[1:] == headings(benign_body)[1:]
    assert len([h for h in headings(body) if h.startswith("# ")]) == 1
    if template == "madr":
        positions = [body.split("\n").index(section) for section in MADR_SECTIONS]
        assert positions == sorted(positions)
    for word in WORDS:
        assert word in body.replace("\\", ""), word  # the user's words are all there
    assert not re.search(r"<[A-Za-z!/]", body)  # no raw tag, comment or closing tag
    # read raw (as a forge shows the file) or through the site's renderer: text only
    assert injected_markup(plain_html(body)) == []
    assert injected_markup(safe_html(body)) == []
    record = parse_record(path)
    assert record.problems == [] and record.title == HOSTILE["title"]


# --- 8. control characters, bidi overrides, odd line breaks ------------------------------------

# YAML escapes put each character into the answers file without making the file binary
ESCAPED = {
    "title": "a\u202eb\x00c\u2028d\r\ne\x1b[31mf\x85g\u200bh\u2066i\u2069",
    "context": "one\r\ntwo\rthree\u2028four\u2029five\x00\x07six\u202egnp.exe",
    "deciders": ["\u202eeve", "bo\x00b", "line\nbreak"],
    "justification": None,
}
CLEANED = {
    "title": "abc d e[31mf ghi",
    "context": "one\ntwo\nthree\nfour\nfivesixgnp.exe",
    "deciders": ["eve", "bob", "line break"],
}
NEVER_RAW = ["\x00", "\x07", "\x1b", "\x85", "\r", "\u2028", "\u2029", "\u200b", "\u202e", "\u2066"]


def test_08_control_characters_are_normalised_never_raw(team: Team) -> None:
    existing = {p.name for p in team.records.iterdir()}
    answers = team.write_answers("escaped.yaml", **ESCAPED)
    assert b"\x00" not in answers.read_bytes()  # escaped in YAML, so not a binary file
    run = team.new(answers=answers)
    assert run.code == 0, run
    [path] = new_records(team, existing)
    raw = path.read_text(encoding="utf-8")
    for character in NEVER_RAW:
        assert character not in raw, repr(character)
    assert "\\x" not in raw and "\\u" not in raw and "\\0" not in raw  # not escaped either
    meta, body = front_and_body(path)
    assert meta["title"] == CLEANED["title"]
    assert has_run(shown_words(body), words(CLEANED["context"]))
    assert "\none\ntwo\nthree\nfour\nfivesixgnp.exe\n" in body
    assert meta["deciders"] == CLEANED["deciders"]
    assert SAFE_NAME.match(path.name)


def test_08_windows_line_endings_in_the_answers_file_are_read(team: Team) -> None:
    existing = {p.name for p in team.records.iterdir()}
    answers = team.root / "crlf.yaml"
    text = dump({"title": "Windows", "context": "a\nb", "facts": CLI_TO_DAEMON})
    answers.write_bytes(text.encode("utf-8").replace(b"\n", b"\r\n"))
    run = team.new(answers=answers)
    assert run.code == 0, run
    [path] = new_records(team, existing)
    assert b"\r" not in path.read_bytes()
    meta, body = front_and_body(path)
    assert meta["title"] == "Windows" and "\n\na\nb\n\n" in body


def test_08_a_raw_nul_byte_in_the_answers_file_is_a_clear_error(team: Team) -> None:
    answers = team.root / "nul.yaml"
    answers.write_bytes(b"title: before\x00after\nfacts: {same_host: true}\n")
    before = snapshot(team.root)
    run = team.new(answers=answers)
    assert_clear_error(run, answers, says="binary file", line=None)
    assert_unchanged(before, team.root)


# --- 9. file names from any title ----------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "..",
        "---",
        "🎉🚀✨",
        "a/b",
        "../../etc/passwd",
        "..\\..\\windows\\system32",
        "C:\\temp\\x",
        "CON",
        "aux.md",
        "nul",
        "LPT1.txt",
        ".hidden",
        "-rf",
        "日本語の決定" * 50,  # 300 multibyte characters, the longest title allowed
        "Ünïcödé ñame with spaces   and\ttabs",
    ],
)
def test_09_file_names_are_safe_for_any_title(title: str, team: Team) -> None:
    existing = {p.name for p in team.records.iterdir()}
    answers = team.write_answers("title.yaml", title=title)
    run = team.new(answers=answers)
    assert run.code == 0, run
    [path] = new_records(team, existing)
    assert path.parent == team.records and path.resolve().parent == team.records.resolve()
    assert SAFE_NAME.match(path.name), path.name
    assert len(path.name.encode("utf-8")) <= MAX_FILE_NAME_BYTES
    assert not is_reserved_name(path.name.split("-", 1)[1])
    assert front_and_body(path)[0]["title"] == " ".join(title.split())


def test_09_a_thousand_multibyte_characters_make_a_bounded_name() -> None:
    for title in ("é" * 1000, "日本" * 500, "🎉" * 1000, "a" * 1000, "ab " * 333):
        name = record_file_name(12, title)
        assert SAFE_NAME.match(name) and len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES
    assert record_file_name(123456, "x" * 1000).startswith("123456-")


def test_09_a_title_over_the_length_limit_is_a_clear_error(team: Team) -> None:
    answers = team.write_answers("long.yaml", title="日本" * 500)
    before = snapshot(team.root)
    run = team.new(answers=answers)
    assert_clear_error(run, answers, says="title: 1000 characters, over the limit of 300", line=1)
    assert_unchanged(before, team.root)


# --- the property: any text round-trips and stays text -----------------------------------------

HOSTILE_PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p>", "<!--", "-->",
    "javascript:alert(1)", "[x](javascript:alert(1))", "![i](javascript:x)", "\n# ", "\n---\n",
    "```", "~~~", "\n    ", "&lt;", "&#60;script", "\\", "{: onclick=x }", "\n!!! note\n",
    "| a | b |", "*", "_", "<", ">", "&", "\u202e", "\x00", "\r\n", "\u2028", "\t", "1. ",
    "- ", "> ", "[^1]", "<b>", "</div>", "<svg onload=alert(1)>", "::", "??? x", "===",
]  # fmt: skip
text = st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=20), max_size=12).map("".join)


@pytest.fixture(scope="module")
def property_team(tmp_path_factory: pytest.TempPathFactory) -> Team:
    return make_team(tmp_path_factory.mktemp("property") / "team")


@functools.cache
def shipped_catalog():
    """Loaded once, and not a test argument: a failing example's report stays readable."""
    from adrgen.catalog.loading import load_catalog

    return load_catalog()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=text, context=text, deciders=st.lists(text, max_size=3))
@example(title="<script>alert(1)</script>", context="\x85", deciders=[])  # NEL: a YAML break
def test_property_any_text_round_trips_and_reaches_the_site_as_text(
    title: str, context: str, deciders: list[str], property_team: Team
) -> None:
    from pydantic import ValidationError

    from adrgen.answers.model import Answers
    from adrgen.site.pages import build_site
    from adrgen.site.record_pages import load_sources

    team = property_team
    for old in team.records.iterdir():
        old.unlink()
    answers = team.write_answers("property.yaml", title=title, context=context, deciders=deciders)
    # what the file says: YAML reads some characters (NEL, say) as line breaks
    try:
        cleaned = Answers.model_validate(parse_text(answers.read_text(encoding="utf-8"))[0])
    except ValidationError:
        assume(False)  # a title that cleans to nothing, or is too long, is refused
    run = team.new("--date", "2026-03-04", answers=answers)
    assert run.code == 0, run
    [path] = list(team.records.iterdir())

    # the file name is safe and the front matter reads back as the cleaned answers
    assert SAFE_NAME.match(path.name) and len(path.name.encode()) <= MAX_FILE_NAME_BYTES
    meta, body = front_and_body(path)
    assert list(meta) == [key for key in FRONT_MATTER_KEYS if key in meta]
    assert meta["title"] == cleaned.title and meta["deciders"] == cleaned.deciders
    shown = section(body, "## Context and Problem Statement")
    assert shown_words(shown) == prose_words(cleaned.context.strip() or cleaned.title)
    raw = path.read_text(encoding="utf-8")
    assert not any(c in raw for c in NEVER_RAW)
    assert len([h for h in headings(body) if h.startswith("# ")]) == 1
    assert injected_markup(plain_html(body)) == []  # the raw file, as a forge shows it

    # the site's record page: the words are there, no markup from them is
    site = build_site(shipped_catalog(), load_sources([team.records]))
    [page] = [md for p, md in site.pages.items() if p.endswith(path.name)]
    page_front, page_body, _ = split_front_matter(page)
    assert page_front is not None
    page_meta, _ = parse_text(page_front)
    assert not re.search(r"<[A-Za-z!/]", page_meta["title"])
    html = safe_html(page_body)
    assert injected_markup(html) == []
