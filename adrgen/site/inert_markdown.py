"""Site pages made safe in their markdown, for a generator that has no adrgen extension.

A page built by adrgen's plugin is converted under `adrgen.site.safe_markdown`, which takes
raw HTML and script-capable markup out while Python-Markdown converts it. An exported page
is converted by whatever the site uses (plain mkdocs, another generator reading mkdocs-style
docs), so the markdown itself must hold nothing that can become script:

- outside code, `<` becomes `&lt;`: raw HTML shows as text (an autolink to an http, https or
  mailto address becomes a plain markdown link first);
- outside code, `{` becomes `\\{`, so no attribute list can set an event handler, a style, an
  id the theme's scripts look for (`__config`) or a tooltip title; attribute lists of
  class names and ids that start with a letter alone (adrgen's own badges and anchors) stay;
- a link or image whose address has another scheme than http, https, mailto or tel points
  at `#`, and link titles go (some themes show titles as HTML tooltips).

Code fences, code spans and what they hold are left as written. The scan cannot agree with
every markdown parser about every corner of the syntax, so each page is then converted
exactly as plain mkdocs converts it with `PAGE_EXTENSIONS`, and a page whose HTML still holds an
element, attribute or address that can run script is published as plain text instead.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from adrgen.records.parse import next_fence
from adrgen.site.safe_markdown import DANGEROUS_ELEMENTS, URL_ATTRIBUTES, url_is_safe
from adrgen.templating.escape import code_spans, map_matches
from adrgen.templating.sandbox import LimitExceeded, time_limit

# what the site's pages are written with: mkdocs' own three, and what adrgen's pages add
# (badges and anchors, the summary and warning boxes, mermaid diagrams in a custom fence)
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
PAGE_EXTENSIONS = ("attr_list", "admonition", "pymdownx.superfences")
MERMAID = {"name": "mermaid", "class": "mermaid"}

# ids the theme's own scripts read (`__config`, `__search`, ...) start with two underscores
_THEME_ID = re.compile(r"^__")
_BACKTICKS = re.compile(r"`+")
# `](address "title")` and `]: address "title"`; an address longer than this is not a link
# any record needs, and the bound keeps the scan linear
_INLINE_DESTINATION = re.compile(
    r"\]\(\s{0,3}(?P<dest><[^<>\n]{0,2048}>"
    # an address with up to eight pairs of brackets, `f(x)`, as markdown allows
    r"|[^\s()<>]{0,2048}(?:\([^\s()<>]{0,2048}\)[^\s()<>]{0,2048}){0,8})"
    r"(?P<title>\s{1,3}(?:\"[^\"\n]{0,2048}\"|'[^'\n]{0,2048}'|\([^()\n]{0,2048}\)))?\s{0,3}\)"
)
_REFERENCE_DEFINITION = re.compile(
    r"^(?P<lead> {0,3}\[[^\]\n]{1,999}\]:[ \t]{0,99})(?P<dest><[^<>\n]{0,2048}>|\S{1,2048})"
    r"(?P<title>[ \t]{1,99}(?:\"[^\"\n]{0,2048}\"|'[^'\n]{0,2048}'|\([^()\n]{0,2048}\)))?[ \t]*$"
)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>\"'`]{1,2048})>", re.IGNORECASE)
# class names, ids, and the data-adrgen-* names the stylesheet lays tables out by: nothing
# that a browser or the theme turns into script
_NAMES_ATTRIBUTE_LIST = re.compile(
    r"\{:?[ \t]{0,9}(?:(?:[.#][A-Za-z][A-Za-z0-9_-]{0,99}"
    r"|data-adrgen-[a-z]{1,40}=\"[A-Za-z0-9_-]{0,99}\")[ \t]{0,9}){1,20}\}"
)
_IN_ANGLE_BRACKETS = re.compile(r"[\s()]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]])")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


# a page whose conversion takes longer is shown as plain text: whatever converts it later
# would be as slow (Python-Markdown is quadratic on some inputs, such as `[a](` repeated)
CHECK_SECONDS = 5.0


def inert_page(markdown: str) -> str:
    """The page with nothing that can become script under any markdown converter that
    reads it as Python-Markdown does; a page that cannot be made so shows as plain text."""
    front = _FRONT_MATTER.match(markdown)
    head = front.group(0) if front else ""
    body = _inert_body(markdown[len(head) :])
    try:
        unsafe = script_capable(body)
    except (LimitExceeded, RecursionError):  # nested too deep, or too slow, to be checked
        unsafe = True
    if unsafe:
        body = as_plain_text(markdown[len(head) :])
    return head + body


def _inert_body(text: str) -> str:
    lines = text.split("\n")
    in_code = _code_lines(lines)
    return "\n".join(
        line if code else _inert_line(line) for line, code in zip(lines, in_code, strict=True)
    )


def _code_lines(lines: list[str]) -> list[bool]:
    """Which lines are fences or inside a fence that closes; after a fence that never
    closes, every line is text (markdown converters disagree about those)."""
    flags = []
    fence: str | None = None
    opened_at = 0
    for index, line in enumerate(lines):
        fence, is_marker = next_fence(line, fence)
        if is_marker and fence is not None:
            opened_at = index
        flags.append(is_marker or fence is not None)
    if fence is not None:  # unclosed: from its opening on, none of it is code
        flags[opened_at:] = [False] * (len(lines) - opened_at)
    return flags


def _inert_line(line: str) -> str:
    reference = _REFERENCE_DEFINITION.match(line)
    if reference:
        dest = _safe_destination(reference.group("dest"))
        return _inert_text(reference.group("lead")) + dest
    out = []
    for is_code, text in code_spans(line):
        out.append(text if is_code else _inert_text_with_links(text))
    return "".join(out)


def _inert_text_with_links(text: str) -> str:
    return map_matches(
        _INLINE_DESTINATION,
        text,
        _inert_text,
        lambda match: f"]({_safe_destination(match.group('dest'))})",
    )


def link_destinations(text: str) -> list[str]:
    """Where each inline link `](destination "title")` in the text points, without its
    angle brackets."""
    return [
        match.group("dest").removeprefix("<").removesuffix(">")
        for match in _INLINE_DESTINATION.finditer(text)
        if match.group("dest").strip("<>")
    ]


def _safe_destination(dest: str) -> str:
    """The address, or `#` if it could run script; never in angle brackets, so that no
    `<` is left outside code (what needs them, spaces and brackets, is percent-encoded)."""
    if dest.startswith("<") and dest.endswith(">"):
        dest = _IN_ANGLE_BRACKETS.sub(lambda m: f"%{ord(m.group(0)):02X}", dest[1:-1])
    return dest if url_is_safe(dest) else "#"


def _inert_text(text: str) -> str:
    """Text outside code and link addresses: autolinks made links, the rest escaped."""
    out = []
    position = 0
    for match in _AUTOLINK.finditer(text):
        out.append(_without_markup(text[position : match.start()]))
        address = match.group(1)
        shown = _MARKDOWN_SPECIAL.sub(r"\\\1", address)
        out.append(f"[{shown}]({address})")
        position = match.end()
    out.append(_without_markup(text[position:]))
    return "".join(out)


def _without_markup(text: str) -> str:
    """`<` and `{` escaped, but for attribute lists of class names and ids alone."""
    out = []
    position = 0
    for match in _NAMES_ATTRIBUTE_LIST.finditer(text):
        out.append(text[position : match.start()].replace("<", "&lt;").replace("{", "\\{"))
        out.append(match.group(0))
        position = match.end()
    out.append(text[position:].replace("<", "&lt;").replace("{", "\\{"))
    return "".join(out)


# --- the check ------------------------------------------------------------------------


def converter():
    """Python-Markdown as plain mkdocs sets it up for a site with `PAGE_EXTENSIONS`."""
    from markdown import Markdown
    from pymdownx.superfences import fence_code_format

    fences = [{**MERMAID, "format": fence_code_format}]
    return Markdown(
        extensions=[*MKDOCS_BUILTIN_EXTENSIONS, *PAGE_EXTENSIONS],
        extension_configs={"pymdownx.superfences": {"custom_fences": fences}},
    )


_CONVERTER = None


def script_capable(markdown: str) -> bool:
    """Whether this markdown, converted as plain mkdocs converts it, holds an element,
    attribute or address that can run script (or an id or title the theme would use)."""
    global _CONVERTER
    if _CONVERTER is None:
        _CONVERTER = converter()
    _CONVERTER.reset()
    with time_limit(CHECK_SECONDS, _too_slow):
        converted = _CONVERTER.convert(markdown)
    finder = _ScriptFinder()
    finder.feed(converted)
    finder.close()
    return finder.found


def _too_slow() -> LimitExceeded:
    return LimitExceeded(f"checking a page took longer than {CHECK_SECONDS:g} seconds")


class _ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_ELEMENTS:
            self.found = True
        for name, value in attrs:
            value = value or ""
            self.found |= bool(
                name.startswith("on")
                or name in ("style", "title", "srcdoc", "srcset")
                or (name in URL_ATTRIBUTES and not url_is_safe(value))
                or (name in ("id", "name") and _THEME_ID.match(value))
            )

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        self.found = True

    def unknown_decl(self, data: str) -> None:
        self.found = True


def as_plain_text(markdown: str) -> str:
    """The page's text as a code block, under a note saying why."""
    longest = max((len(run) for run in _BACKTICKS.findall(markdown)), default=0)
    fence = "`" * max(3, longest + 1)
    return (
        '!!! warning "Shown as plain text"\n\n'
        "    This page holds markup that could not be published safely.\n\n"
        f"{fence}text\n{markdown.rstrip()}\n{fence}\n"
    )
