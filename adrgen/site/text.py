"""Text that goes into generated markdown pages: escaped so it shows as written.

Values from the catalog and from records (titles, deciders, statuses, tags) are put into
markdown by templates. `text` makes a value inert: HTML special characters become entities
and markdown punctuation is backslash-escaped, so a title like `<script>…` or `[x](javascript:…)`
renders as those characters. Catalog prose that is meant to be markdown goes through `prose`
instead, and the page is rendered under `adrgen.site.safe_markdown`'s policy.
"""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

# characters Python-Markdown gives a meaning anywhere in a line and lets be backslash-escaped
# (`|` by the tables extension, which mkdocs always loads); others would keep a backslash
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}|!])")
# at the start of a value a list or heading marker, at the end a heading's closing hashes
_LEADING_MARKER = re.compile(r"^([#+-]|\d+(?=[.)]))")
_TRAILING_HASHES = re.compile(r"(#+)$")
_MERMAID_UNSAFE = re.compile(r'["<>&#;`\\\[\]{}()|]')
_CLASS_UNSAFE = re.compile(r"[^a-z0-9]+")


def text(value: object) -> str:
    """A value as inline markdown that renders exactly as the characters it holds."""
    if value is None:
        return ""
    plain = " ".join(str(value).split())  # one line: a line break would end a table row
    plain = _MARKDOWN_PUNCTUATION.sub(r"\\\1", plain)
    plain = _LEADING_MARKER.sub(_escape_marker, plain)
    plain = _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), plain)
    return html.escape(plain, quote=False)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(1)
    # `1.` stays a number when its dot is escaped; `#`, `+`, `-` are escaped themselves
    return f"{marker}\\" if marker[0].isdigit() else f"\\{marker}"


def prose(value: object) -> Markup:
    """Catalog prose that may use markdown (code spans, emphasis), kept on one line."""
    if value is None:
        return Markup("")
    return Markup(" ".join(str(value).split()).replace("|", "\\|"))


def entities(value: object) -> str:
    """HTML-escaped text for places that templates of the theme print without escaping."""
    return html.escape(" ".join(str(value).split()), quote=True)


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
