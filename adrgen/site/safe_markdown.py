"""Render markdown that other people wrote without letting it run script in the site.

Decision records and catalog text come from many authors and tools; a record titled
`<script>alert(1)</script>` or a body holding `<img src=x onerror=alert(1)>` must show as
text. Escaping `<` in the markdown source before rendering looks simpler, but it has to agree
with the markdown parser about every code span, indented block and backslash escape: where
they disagree, either code shows `&lt;` or raw HTML slips through. So the policy is applied
inside Python-Markdown instead, where the parser itself decides what is code:

- raw HTML is not recognised at all (the block and inline HTML handlers are removed), so
  the serializer escapes it like any other text; entities (`&nbsp;`) still work;
- file-inclusion preprocessors (pymdownx.snippets) are removed, so a record cannot pull a
  file from the build machine into the page;
- after every other tree step, elements that can run or load script are dropped, event
  handler and style attributes are removed, and links or images whose address is not http,
  https, mailto, tel or relative are pointed at `#`.

Code blocks, mermaid fences and highlighted code are produced by trusted extensions from
escaped text and are left alone.

`SafeMarkdown` is a Python-Markdown extension; `active` decides, page by page, whether a
page is rendered under this policy (the site's hand-written pages keep their raw HTML).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

# handlers that turn source text into raw HTML or read files; absent from a safe page
UNSAFE_PREPROCESSORS = ("html_block", "snippet")
UNSAFE_INLINE_PATTERNS = ("html",)

DANGEROUS_ELEMENTS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
     "link", "meta", "form", "input", "button", "textarea", "select", "svg", "math",
     "template", "noscript"}
)  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction", "poster", "cite", "data")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DROPPED_ATTRIBUTES = frozenset({"style", "srcdoc", "srcset"})

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_STASHED_CHAR = re.compile(f"{STX}(\\d+){ETX}")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def url_is_safe(value: str) -> bool:
    """True for relative addresses and the schemes a page may link to.

    Browsers decode entities and ignore control characters and whitespace inside a scheme
    (`jav&#x09;ascript:`), so the value is normalised the same way before it is judged.
    """
    plain = _STASHED_CHAR.sub(lambda m: chr(int(m.group(1))), value)
    plain = _INVISIBLE.sub("", html.unescape(plain))
    match = _SCHEME.match(plain)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def sanitize_tree(root: etree.Element) -> None:
    """Drop script-capable elements and attributes from a rendered element tree, in place."""
    for parent in list(root.iter()):
        kept_before: etree.Element | None = None
        for child in list(parent):
            if not (isinstance(child.tag, str) and child.tag.lower() in DANGEROUS_ELEMENTS):
                kept_before = child
                continue
            if child.tail:  # the text after a dropped element stays on the page
                if kept_before is None:
                    parent.text = (parent.text or "") + child.tail
                else:
                    kept_before.tail = (kept_before.tail or "") + child.tail
            parent.remove(child)
        for name in list(parent.attrib):
            lowered = name.lower()
            if lowered.startswith("on") or lowered in DROPPED_ATTRIBUTES:
                del parent.attrib[name]
            elif lowered in URL_ATTRIBUTES and not url_is_safe(parent.attrib[name]):
                parent.set(name, "#")


class _SanitizeTree(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        sanitize_tree(root)


class SafeMarkdown(Extension):
    """Renders a page without raw HTML and without script-capable markup while `active`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.active = False

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        if not self.active:
            return
        for name in UNSAFE_PREPROCESSORS:
            if name in md.preprocessors:
                md.preprocessors.deregister(name)
        for name in UNSAFE_INLINE_PATTERNS:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        # below every built-in step (unescape is 0), so the addresses judged are the final ones
        md.treeprocessors.register(_SanitizeTree(md), "adrgen_sanitize", -100)
