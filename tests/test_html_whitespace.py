"""The theme's indentation is dropped from each page; what a reader sees is not changed."""

from __future__ import annotations

import re
import signal
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adrgen.site import html_whitespace
from adrgen.site.html_whitespace import collapse_indentation
from adrgen.site.plugin import with_mermaid_if_drawn
from tests.sitebuild import adrgen_record, build_in_process, write_config

KEPT = ("pre", "code", "kbd", "textarea", "script", "style")


class _Contents(HTMLParser):
    """The text inside each element whose white space shows, and every tag with its
    attributes, in order."""

    # a browser reads a textarea's content as text, as it reads a script's or a style's
    CDATA_CONTENT_ELEMENTS = ("script", "style", "textarea")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.kept: list[str] = []
        self.tags: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(attrs)))
        if tag in KEPT:
            self.depth += 1
            self.kept.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag,))
        if tag in KEPT and self.depth:
            self.depth -= 1
            self.kept.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.kept.append(data)


def contents(html: str) -> tuple[list[str], list[tuple]]:
    parser = _Contents()
    parser.feed(html)
    parser.close()
    return parser.kept, parser.tags


def visible_words(html: str) -> list[str]:
    return re.sub(r"<[^>]*>", " ", html).split()


THEME_LIKE = """<!doctype html>
<html lang="en">
  <body>
    <nav class="md-nav">
      <ul class="md-nav__list">
        <li class="md-nav__item">
          <a href="../" class="md-nav__link">
            <span class="md-ellipsis">
              Decision log
            </span>
          </a>
        </li>
      </ul>
    </nav>
    <article class="md-content__inner md-typeset">
<p>Keep <code>a  b
    c</code> and <kbd>Ctrl</kbd> <em>as</em>  <strong>they are</strong>.</p>
<div class="highlight"><pre><span></span><code><span class="k">def</span> <span class="nf">f</span>():
    <span class="k">return</span>
        <span class="mi">1</span>
</code></pre></div>
<PRE>
   <b>shouting</b>
</PRE>
<textarea>
   <i>left</i>
</textarea>
    </article>
    <script id="__config" type="application/json">{"a": ">\\n   <"}</script>
    <script>var s = "</pre>\\n    <b>";</script>
    <style>
      p > a { color: red }
    </style>
    <a title="two
       lines" href="x">link</a>
  </body>
</html>
"""


def test_indentation_beside_a_tag_becomes_one_newline() -> None:
    collapsed = collapse_indentation(THEME_LIKE)
    assert '<li class="md-nav__item">\n<a href="../" class="md-nav__link">\n<span' in collapsed
    nav = collapsed[collapsed.index("<nav") : collapsed.index("</nav>")]
    assert [line for line in nav.splitlines() if line != line.lstrip()] == []
    assert '<span class="md-ellipsis">\nDecision log\n</span>' in collapsed
    # a gap of spaces alone is left as it is: it shows as the space between two words
    assert "<em>as</em>  <strong>" in collapsed


def test_what_shows_is_unchanged() -> None:
    collapsed = collapse_indentation(THEME_LIKE)
    assert contents(collapsed) == contents(THEME_LIKE)  # kept elements byte for byte, all tags
    assert visible_words(collapsed) == visible_words(THEME_LIKE)
    for kept in (
        "<code>a  b\n    c</code>",
        ':\n    <span class="k">return</span>\n        <span class="mi">1</span>\n</code></pre>',
        "<PRE>\n   <b>shouting</b>\n</PRE>",
        "<textarea>\n   <i>left</i>\n</textarea>",
        '{"a": ">\\n   <"}</script>',
        'var s = "</pre>\\n    <b>";</script>',
        'title="two\n       lines"',
    ):
        assert kept in collapsed, kept


def test_an_element_left_open_keeps_everything_after_it() -> None:
    page = "<div>\n  <pre>\n    <b>x</b>\n  <p>\n    <i>y</i>"
    assert collapse_indentation(page) == "<div>\n<pre>\n    <b>x</b>\n  <p>\n    <i>y</i>"


_TAGS = st.sampled_from(
    ["<pre>", "</pre>", "<code>", "</code>", "<p>", "</p>", "<script>", "</script>", "<b>"]
    + ["<textarea>", "</textarea>", "<PRE>", "<kbd>", "</kbd>", "<i>", "</i>", "<!-- c -->"]
)
# text as the theme and Python-Markdown write it: a `<` in text is always `&lt;`
_TEXT = st.text(alphabet=" \t\n\rab>&;", max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TAGS, _TEXT), max_size=30))
@example(["<textarea>", "<pre>", "</textarea>", " \n"])  # a pre in a textarea is text
def test_only_white_space_outside_the_kept_elements_changes(pieces: list[str]) -> None:
    page = "".join(pieces)
    collapsed = collapse_indentation(page)
    assert re.sub(r"\s", "", collapsed) == re.sub(r"\s", "", page)
    assert contents(collapsed)[0] == contents(page)[0]
    assert collapse_indentation(collapsed) == collapsed  # once is enough


# shapes that would make a backtracking scan quadratic, each about 100 KB (for the
# collapsing and for the plugin's look for a diagram)
HOSTILE = {
    "gaps without an end": ">" + " \n" * 50_000,
    "open pre": "<pre" * 25_000,
    "open script": "<script>" * 12_500,
    "closings": "</pre>" * 16_000,
    "gaps": ">\n \n<" * 20_000,
    "tags and gaps": "<code>\n  >\n" * 10_000,
    "newlines then text": "a" + "\n" * 100_000 + "x",
    "spaces then a newline": "a" + " " * 100_000 + "\nx",
    "newlines and spaces": "a" + " \n" * 50_000 + "x",
    "after a tag, no newline": "><" + "> " * 50_000,
    "an unended class": 'class="' + "mermai " * 14_000,
    "classes": 'class="' * 14_000,
}


class _TooSlow(Exception):
    pass


def _stop(signum, frame):
    raise _TooSlow


@pytest.mark.parametrize("shape", HOSTILE)
def test_hostile_pages_are_collapsed_in_linear_time(shape: str) -> None:
    # the regex engine checks for signals as it runs: a scan that backtracks is stopped
    # at a budget far past what a linear scan of 100 KB takes (milliseconds)
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        started = time.perf_counter()
        collapse_indentation(HOSTILE[shape])
        with_mermaid_if_drawn(HOSTILE[shape] + "</body>", "decisions/graph/")
        took = time.perf_counter() - started
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert took < 2.0, took


def test_every_pattern_in_the_module_is_checked() -> None:
    patterns = {
        name for name, value in vars(html_whitespace).items() if isinstance(value, re.Pattern)
    }
    # and _RAW_TEXT_END's, which only look for an end tag
    assert patterns == {"_TAG", "_AFTER_TAG", "_BEFORE_TAG"}


def test_a_built_record_page_keeps_its_code_and_loses_the_indentation(tmp_path: Path) -> None:
    records = tmp_path / "decisions"
    records.mkdir()
    adrgen_record(
        records,
        1,
        "Frames through shared memory",
        body_extra="\n```python\ndef publish(frame):\n    ring.put(frame)\n        # deeper\n```\n",
    )
    adrgen_record(
        records,
        2,
        "Control messages beside the frames",
        body_extra="\n```mermaid\nflowchart LR\n    a --> b\n```\n",
    )
    site = build_in_process(write_config(tmp_path, [records], site_dir=tmp_path / "public"))
    page = next((site / "decisions").rglob("0001-*/index.html")).read_text()
    assert "publish" in page
    # the shipped mermaid is loaded by the pages that draw a diagram, and only by them
    assert "mermaid.tiny.js" not in page
    drawn = next((site / "decisions").rglob("0002-*/index.html")).read_text()
    source = re.search(r'<script src="([^"]*mermaid\.tiny\.js)"></script>\n</body>', drawn)
    assert source is not None
    assert (site / "decisions" / "x" / "y").joinpath(source.group(1)).resolve().is_file()
    assert "<code>flowchart LR\n    a --&gt; b" in drawn
    code = re.search(r"<pre.*?</pre>", page, re.S).group()
    assert "\n    " in code and "\n        " in code  # the code's own indentation
    outside = re.sub(r"<(pre|script|style|textarea)\b.*?</\1>", "", page, flags=re.S)
    assert re.search(r">\s*\n[ \t]+<", outside) is None
