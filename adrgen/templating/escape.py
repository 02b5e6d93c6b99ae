"""Escape text so that it reads as the same words in markdown and can never become structure:
the one place adrgen decides how text other people wrote goes into markdown.

Records are read raw on GitHub and rendered on the team site (Python-Markdown with mkdocs'
`tables`, `attr_list`, `admonition` and friends). Text a person typed, and text from the
catalog, must stay text there: no heading, fence, front-matter `---`, table, link, attribute
list or raw HTML may come out of it. Backslash escapes are used where both CommonMark and
Python-Markdown honour them (they read best in the raw file); character references where
one of them does not (`=`, `?`, `~`); and HTML's `<`, `>` always become `&lt;`, `&gt;`.

Two targets, one rule each:

- **A record file** (read raw on GitHub and rendered on the site): `inline(text)` for one line
  (titles, names, list items: newlines collapse to spaces), `block(text)` for several: lines
  and blank lines stay, each line neutralised so it cannot open a block of its own. The
  team's own prose (the context, a justification) goes through `prose_block`, which is
  `block` that keeps inline markdown: code spans, emphasis, and links to http, https or
  relative addresses. Nothing else: no raw HTML, image, heading, fence or attribute list.
- **A generated site page** (Python-Markdown only, rendered under adrgen.site.safe_markdown):
  a value goes in through `inline` too (the `text` filter of the site templates); catalog
  prose meant as markdown through `prose`; the rest below are for the places a page puts
  text that markdown does not read (front matter, HTML attributes, mermaid labels, classes).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from markupsafe import Markup

from adrgen.files.cleaning import clean_text

# characters that change meaning anywhere in a line; both markdown flavours accept `\x` for them
_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
# `&` only matters where it would start a character reference (`&lt;`); "R&D" stays as typed
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# a line made only of `-` or `=` (and spaces) is a setext underline, a rule or front matter
_UNDERLINE = re.compile(r"^[-=][-= \t]*$")
# three or more `*`, `_` or `-` (escaped or not, spaced or not) make a thematic break
_RULE = re.compile(r"^([*_-])([ \t]*\1){2,}[ \t]*$")
# `1. ` or `1) ` opens an ordered list, which would renumber the user's number; `1.0` does not
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")


def _escape_characters(text: str) -> str:
    # `&` first: a `#` escaped inside `&#60;` would still make the character reference
    text = _ENTITY_START.sub("&amp;", text)
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


_BULLET = re.compile(r"^([-+*]|\\\*)([ \t]+|$)")


def _neutralise_line_start(line: str, *, keep_lists: bool = False) -> str:
    """Keep a line from opening a block: heading, fence, rule, admonition, quote, list.

    With `keep_lists`, a line that starts a bulleted list item stays one (lists cannot
    leave the section they are in), and the item's own text is neutralised in turn. An
    ordered list's number is always kept as written: a list would renumber it.
    """
    stripped = line.lstrip(" ")
    indent = line[: len(line) - len(stripped)]
    if not stripped:
        return line
    if _UNDERLINE.match(stripped):
        first = "&#61;" if stripped[0] == "=" else "\\-"
        return indent + first + stripped[1:]
    if _RULE.match(stripped.replace("\\", "")):
        if stripped.startswith("\\"):
            return line  # its `*` or `_` are escaped already; a `-` rule was handled above
        return indent + "\\" + stripped  # prose keeps emphasis marks: escape the first
    bullet = _BULLET.match(stripped)
    ordered = _ORDERED.match(stripped)
    if bullet or ordered:
        marker = bullet.group(0) if bullet else ordered.group(0)
        rest = stripped[len(marker) :]
        if keep_lists and bullet:
            marker = marker.replace("\\*", "*")
            return indent + marker + _neutralise_line_start(rest, keep_lists=True)
        if bullet:
            escaped = marker if marker.startswith("\\") else "\\" + marker
        else:
            escaped = ordered.group(1) + "\\" + ordered.group(2)
        return indent + escaped + rest
    head = stripped[0]
    if head == "~":
        return indent + "&#126;" + stripped[1:]  # `~~~` fences
    if head == "!":
        return indent + "\\" + stripped  # `!!! note` admonitions
    if head == "?":
        return indent + "&#63;" + stripped[1:]  # `??? note` collapsible blocks
    if head == ":":
        return indent + "&#58;" + stripped[1:]  # definition lists
    return line


# --- the team's prose: inline markdown kept -------------------------------------------

# what changes meaning in prose apart from code spans, links and emphasis, which are kept
_PROSE_SPECIAL = re.compile(r"([\\`*_{}\[\]#|])")
# emphasis as people write it: `*a*`, `**a b**`, `_a_`, `__a__`, on one line, no marks inside
_EMPHASIS = re.compile(
    r"(?<![*_\w])(\*\*|__|\*|_)(?=[^\s*_])([^*_\n]{1,500}?)(?<=[^\s*_])\1(?![*_\w])"
)
_BACKTICKS = re.compile(r"`+")
# `[text](address)` with no brackets in the text and no spaces, brackets or quotes in the address
_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\(([^()\s<>\"']{1,2000})\)")
_SAFE_ADDRESS = re.compile(r"^(?:https?://[^/]|[^:/]*(?:/|$)|#)", re.IGNORECASE)


def code_spans(text: str) -> list[tuple[bool, str]]:
    """`text` cut into (is code span, piece): a run of n backticks, not after a backslash,
    opens a span that the next such run of exactly n closes, as CommonMark reads them.
    Linear: each run's closing run is found in one pass from the end."""
    runs = [m.span() for m in _BACKTICKS.finditer(text) if not _after_backslash(text, m.start())]
    next_same: list[int | None] = [None] * len(runs)
    last_seen: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = last_seen.get(length)
        last_seen[length] = index
    pieces: list[tuple[bool, str]] = []
    position = index = 0
    while index < len(runs):
        closing = next_same[index]
        if closing is None:
            index += 1  # no closing run: these backticks are text
            continue
        start, end = runs[index][0], runs[closing][1]
        pieces.append((False, text[position:start]))
        pieces.append((True, text[start:end]))
        position = end
        index = closing + 1
    pieces.append((False, text[position:]))
    return [(code, piece) for code, piece in pieces if piece]


def _after_backslash(text: str, position: int) -> bool:
    """Whether the character at `position` follows an odd number of backslashes."""
    count = 0
    while position - count - 1 >= 0 and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _escape_prose_text(text: str) -> str:
    out = []
    position = 0
    for match in _LINK.finditer(text):
        label, address = match.group(1), match.group(2)
        if not _SAFE_ADDRESS.match(address):
            continue  # its brackets are escaped with the rest: the link shows as text
        before = _escape_prose_characters(text[position : match.start()])
        if before.endswith("!"):
            before = before[:-1] + "\\!"  # a link, never an image
        out.append(before)
        out.append(f"[{_escape_prose_characters(label)}]({address})")
        position = match.end()
    out.append(_escape_prose_characters(text[position:]))
    return "".join(out)


def map_matches(
    pattern: re.Pattern[str],
    text: str,
    between: Callable[[str], str],
    matched: Callable[[re.Match[str]], str],
) -> str:
    """`text` with each match of `pattern` replaced by `matched(match)` and each stretch
    between matches by `between(stretch)`."""
    out = []
    position = 0
    for match in pattern.finditer(text):
        out.append(between(text[position : match.start()]))
        out.append(matched(match))
        position = match.end()
    out.append(between(text[position:]))
    return "".join(out)


def _escape_prose_characters(text: str) -> str:
    """Escaped, but for emphasis that opens and closes where markdown readers agree it does;
    any other `*` or `_` is escaped (Python-Markdown drops text around unbalanced ones)."""

    def emphasis(match: re.Match[str]) -> str:
        mark = match.group(1)
        return f"{mark}{_escape_plain_prose(match.group(2))}{mark}"

    return map_matches(_EMPHASIS, text, _escape_plain_prose, emphasis)


def _escape_plain_prose(text: str) -> str:
    text = _ENTITY_START.sub("&amp;", text)
    text = _PROSE_SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _escape_prose(line: str) -> str:
    return "".join(piece if code else _escape_prose_text(piece) for code, piece in code_spans(line))


def prose_block(text: object) -> str:
    """The team's prose as markdown lines: `block`, but code spans, emphasis and safe links
    are kept as the team wrote them."""
    return _lines(text, _escape_prose)


def inline(text: object) -> str:
    """One line of markdown that shows `text` as written (whitespace collapsed)."""
    if text is None:
        return ""
    value = clean_text(str(text), single_line=True)
    return _neutralise_line_start(_escape_characters(value))


def block(text: object) -> str:
    """Markdown lines that show `text` as written, line by line; never a block of their own."""
    return _lines(text, _escape_characters)


def _lines(text: object, escape: Callable[[str], str]) -> str:
    if text is None:
        return ""
    value = clean_text(str(text)).replace("\t", "    ")
    out: list[str] = []
    for raw in value.split("\n"):
        line = _neutralise_line_start(escape(raw.rstrip()), keep_lists=True)
        after_a_break = not out or not out[-1].strip()
        if not line.strip() and out and after_a_break:
            continue  # more than one blank line in a row means nothing in markdown
        if after_a_break and line.startswith("    "):
            # four spaces after a blank line open a code block, which would show the
            # escapes themselves: the line becomes a paragraph of its own instead
            line = line.lstrip(" ")
        out.append(line)
    return "\n".join(out).strip("\n")


_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_:.-]*$")


def escape_all(
    value: object, raw_keys: frozenset[str] = frozenset(), *, raw: bool = False
) -> object:
    """Every string inside plain data escaped with `inline`, except identifiers under `raw_keys`.

    Identifiers (`same_host`, `unix-sockets`, `failure-mode:x`) stay as they are so templates
    can compare them; they hold nothing markdown would read as structure. Text under those
    keys (a situation's stance column, say) is still escaped.
    """
    if isinstance(value, str):
        return value if raw and _IDENTIFIER.match(value) else inline(value)
    if isinstance(value, dict):
        return {key: escape_all(item, raw_keys, raw=key in raw_keys) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape_all(item, raw_keys, raw=raw) for item in value]
    return value


# --- the site's generated pages -------------------------------------------------------

_MERMAID_UNSAFE = re.compile(r'["<>&#;`\\\[\]{}()|]')
_CLASS_UNSAFE = re.compile(r"[^a-z0-9]+")


def prose(value: object) -> Markup:
    """Catalog prose that may use markdown (code spans, emphasis), kept on one line."""
    if value is None:
        return Markup("")
    return Markup(" ".join(str(value).split()).replace("|", "\\|"))


# a `<` that would open a tag, a comment or a declaration if the text were read as HTML
_TAG_OPENING = re.compile(r"<(?=[A-Za-z!/?])")
WORD_JOINER = "\u2060"


def inert_markup(value: object) -> str:
    """Text that reads the same but opens no tag when a script puts it into a page as HTML:
    a word joiner (U+2060, invisible) follows each `<` that would. mkdocs-material's
    `content.tooltips` does that with every title it shows, and with the text of a heading
    too long for its line (a page's title in the header)."""
    return _TAG_OPENING.sub("<" + WORD_JOINER, str(value))


def entities(value: object) -> str:
    """HTML-escaped text for places that templates of the theme print without escaping;
    the theme may read it back and show it as HTML (see `inert_markup`)."""
    return html.escape(inert_markup(" ".join(str(value).split())), quote=True)


def yaml_scalar(value: object) -> str:
    """A YAML (JSON) string scalar for a page's front matter."""
    return json.dumps(str(value), ensure_ascii=False)


def css_class(value: object) -> str:
    """A class-name fragment from a status or stance: `Partly superseded` -> `partly-superseded`."""
    return _CLASS_UNSAFE.sub("-", str(value).lower()).strip("-")[:40] or "unknown"


def mermaid_label(value: object) -> str:
    """Text for a quoted mermaid node label; mermaid's own `#name;` entities stand in."""
    names = {
        '"': "#quot;",
        "<": "#lt;",
        ">": "#gt;",
        "&": "#amp;",
        "#": "#35;",
        ";": "#59;",
        "`": "#96;",
        "\\": "#92;",
        "[": "#91;",
        "]": "#93;",
        "{": "#123;",
        "}": "#125;",
        "(": "#40;",
        ")": "#41;",
        "|": "#124;",
    }
    plain = " ".join(str(value).split())
    return _MERMAID_UNSAFE.sub(lambda m: names[m.group(0)], plain)


def code(value: object) -> Markup:
    """A value as a code span; markdown shows a code span's text as it is."""
    plain = " ".join(str(value).split()).replace("`", "'")
    return Markup(f"`{plain}`")
