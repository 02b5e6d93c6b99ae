"""Render markdown that other people wrote without letting it run script in the site.

Decision records and catalog text come from many authors and tools; a record titled
`<script>alert(1)</script>` or a body holding `<img src=x onerror=alert(1)>` must show as
text. Escaping `<` in the markdown source before rendering looks simpler, but it has to agree
with the markdown parser about every code span, indented block and backslash escape: where
they disagree, either code shows `&lt;` or raw HTML slips through. So the policy is applied
inside Python-Markdown instead, where the parser itself decides what is code:

- raw HTML is not recognised at all (the block and inline HTML handlers are removed), so
  the serializer escapes it like any other text; entities (`&nbsp;`) still work;
- extensions that read files or write raw HTML are decided on by name
  (`check_extensions`): a file-inclusion or file-embedding extension (pymdownx.snippets,
  pymdownx.b64) does nothing on these pages, one that writes raw HTML from the page's text
  (pymdownx.blocks.html) or one not known at all stops the build with one line naming it,
  unless the site lists it under the plugin's `trusted_extensions`;
- after every other tree step, elements that can run or load script are dropped, event
  handler and style attributes are removed, and links or images whose address is not http,
  https, mailto, tel or relative are pointed at `#` (an image may also be a `data:image/`);
- `title` attributes cannot open a tag: mkdocs-material's `content.tooltips` puts a title
  into the page as HTML, so a `<` that would start one is followed by a word joiner
  (U+2060), which the reader does not see (`escape.inert_markup`; the pages' own titles,
  which the theme shows in its header the same way, get it through `escape.entities`);
- on a record's own page (`record_page`), the record's text may not speak for the theme:
  the ids it sets (attribute lists, blocks' `attrs`, footnote labels) are prefixed with
  `user-content-` and links within the page follow them, so no record can take the id of
  an element the theme's scripts read (`#__config`, its JSON settings); a heading id that
  falls in the theme's `__` namespace is prefixed too, and so is the name of a group of
  radio buttons (tabs). Only attributes known to be inert are kept (no
  `data-md-component`, `name` elsewhere, or `md-` classes the theme's scripts act on);
- the conversion of a record's page is bounded (adrgen.site.record_budget): one that runs
  too long or too deep shows the page's text as plain text instead.

Code blocks, mermaid fences and highlighted code are produced by trusted extensions from
escaped text and are left alone.

`SafeMarkdown` is a Python-Markdown extension; `active` decides, page by page, whether a
page is rendered under this policy (the site's hand-written pages keep their raw HTML).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

from adrgen.errors import AdrgenError
from adrgen.templating.escape import inert_markup

# handlers that turn source text into raw HTML; absent from a safe page
UNSAFE_PREPROCESSORS = ("html_block",)
UNSAFE_INLINE_PATTERNS = ("html",)

DANGEROUS_ELEMENTS = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
     "link", "meta", "form", "input", "button", "textarea", "select", "svg", "math",
     "template", "noscript"}
)  # fmt: skip
INERT_INPUTS = frozenset({"radio", "checkbox"})  # outside a form they send nothing anywhere
URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction", "poster", "cite", "data")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DROPPED_ATTRIBUTES = frozenset(
    {"style", "srcdoc", "srcset", "ping", "form", "formaction", "formmethod", "formtarget"}
)

# what a record's page may carry beside ids, from its text or the extensions converting it
RECORD_ATTRIBUTES = frozenset(
    {"id", "class", "title", "href", "src", "alt", "width", "height", "align", "loading",
     "colspan", "rowspan", "scope", "headers", "start", "reversed", "type", "value", "open",
     "lang", "for", "checked", "disabled", "data-tabs", "rel", "xml:lang"}
)  # fmt: skip
# the theme's scripts find their parts by these classes (`.md-ellipsis`, `.md-status` get
# HTML tooltips); a record may use the theme's buttons and nothing else of it
THEME_CLASS = re.compile(r"md-[\w-]*")
RECORD_THEME_CLASSES = frozenset({"md-button", "md-button--primary"})
USER_CONTENT = "user-content-"
THEME_IDS = "__"  # mkdocs-material's ids: __config, __drawer, __search, __palette_0, ...
ID_REFERENCES = ("for", "headers", "aria-labelledby", "aria-describedby", "aria-controls")

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|avif|bmp|svg\+xml)[;,]", re.IGNORECASE)
_STASHED_CHAR = re.compile(f"{STX}(\\d+){ETX}")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


# --- which extensions may convert what other people wrote ---------------------------------

# output made from escaped text or checked by the tree step above: safe as the site sets
# them up (the site's own configuration, say custom fences, is the site's to trust)
KNOWN_SAFE = frozenset(
    {f"markdown.extensions.{name}" for name in (
        "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
        "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
        "smarty", "tables", "toc", "wikilinks")}
    | {f"pymdownx.{name}" for name in (
        "arithmatex", "betterem", "bracketspan", "caret", "critic", "details", "emoji",
        "escapeall", "extra", "fancylists", "highlight", "inlinehilite", "keys", "magiclink",
        "mark", "pathconverter", "progressbar", "quotes", "saneheaders", "smartsymbols",
        "striphtml", "superfences", "tabbed", "tasklist", "tilde", "blocks.admonition",
        "blocks.caption", "blocks.definition", "blocks.details", "blocks.tab")}
    | {"material.extensions.emoji", "material.extensions.preview", __name__}
)  # fmt: skip
# read files of the build machine (or fetch addresses): on these pages they do nothing
SWITCHED_OFF = {
    "pymdownx.snippets": ("preprocessors", "snippet"),  # `--8<-- "/etc/passwd"`
    "pymdownx.b64": ("postprocessors", "b64"),  # embeds images from any local path
}
# write raw HTML, any element and attribute, from the page's text
REFUSED = {"pymdownx.blocks.html": "writes raw HTML (a <script> too) from a page's text"}


def extension_module(extension: Any) -> str:
    """The module an entry of `markdown_extensions` names: `toc` is markdown.extensions.toc."""
    if not isinstance(extension, str):
        return type(extension).__module__
    module = extension.split(":", 1)[0]
    return module if "." in module else f"markdown.extensions.{module}"


def check_extensions(extensions: Iterable[Any], trusted: Iterable[str] = ()) -> None:
    """AdrgenError naming the first extension that may not convert decision records."""
    trusted_modules = {extension_module(name) for name in trusted}
    for extension in extensions:
        module = extension_module(extension)
        if module in trusted_modules or module in KNOWN_SAFE or module in SWITCHED_OFF:
            continue
        why = REFUSED.get(module, "is not known to keep a record's text from running script")
        raise AdrgenError(
            f"markdown_extensions: {module} {why}; decision records are converted with the "
            "site's extensions, so remove it, or list it under the adrgen plugin's "
            "trusted_extensions to accept that"
        )


def _unchanged(value: Any) -> Any:
    return value


# --- addresses and titles -----------------------------------------------------------------


def url_is_safe(value: str, *, image: bool = False) -> bool:
    """True for relative addresses and the schemes a page may link to; with `image`, an
    image's own `data:image/...` too (an image cannot run script).

    Browsers decode entities and ignore control characters and whitespace inside a scheme
    (`jav&#x09;ascript:`), so the value is normalised the same way before it is judged.
    """
    plain = _STASHED_CHAR.sub(lambda m: chr(int(m.group(1))), value)
    plain = _INVISIBLE.sub("", html.unescape(plain))
    match = _SCHEME.match(plain)
    if match is None or match.group(1).lower() in SAFE_SCHEMES:
        return True
    return image and _IMAGE_DATA.match(plain) is not None


def _dangerous(element: etree.Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    tag = element.tag.lower()
    if tag == "input":  # the radio buttons of tabs and the boxes of task lists stay
        return (element.get("type") or "").lower() not in INERT_INPUTS
    return tag in DANGEROUS_ELEMENTS


def sanitize_tree(root: etree.Element) -> None:
    """Drop script-capable elements and attributes from a rendered element tree, in place."""
    for parent in list(root.iter()):
        kept_before: etree.Element | None = None
        for child in list(parent):
            if not _dangerous(child):
                kept_before = child
                continue
            if child.tail:  # the text after a dropped element stays on the page
                if kept_before is None:
                    parent.text = (parent.text or "") + child.tail
                else:
                    kept_before.tail = (kept_before.tail or "") + child.tail
            parent.remove(child)
        image = parent.tag == "img"
        for name in list(parent.attrib):
            lowered = name.lower()
            if lowered.startswith("on") or lowered in DROPPED_ATTRIBUTES:
                del parent.attrib[name]
            elif lowered in URL_ATTRIBUTES:
                if not url_is_safe(parent.attrib[name], image=image and lowered == "src"):
                    parent.set(name, "#")
            elif lowered == "title":
                parent.set(name, inert_markup(parent.attrib[name]))


# --- a record's own page ------------------------------------------------------------------


def keep_record_attributes(element: etree.Element) -> None:
    """Only attributes known to be inert stay on an element of a record's page."""
    grouped = element.tag == "input"  # a group of radio buttons shares a name
    for name in list(element.attrib):
        if name.lower() not in RECORD_ATTRIBUTES and not (grouped and name == "name"):
            del element.attrib[name]
    if grouped and element.get("name"):
        element.set("name", USER_CONTENT + element.get("name"))
    classes = element.get("class")
    if classes and "md-" in classes:
        kept = [
            c for c in classes.split() if not THEME_CLASS.fullmatch(c) or c in RECORD_THEME_CLASSES
        ]
        element.set("class", " ".join(kept))


def claim_record_ids(root: etree.Element, written: set[int], md: Markdown | None = None) -> None:
    """Prefix the ids a record's text set (`written`: the elements that had one before the
    table of contents added its own) and those in the theme's namespace; links within the
    page, and its table of contents, follow."""
    renamed: dict[str, str] = {}
    for element in root.iter():
        old = element.get("id")
        if not old or not (id(element) in written or old.startswith(THEME_IDS)):
            continue
        # the same prefix for the same id: a page whose text repeats an id keeps doing so
        renamed[old] = USER_CONTENT + old
        element.set("id", renamed[old])
    for element in root.iter():
        keep_record_attributes(element)
        if not renamed:
            continue
        href = element.get("href")
        if href and href.startswith("#") and href[1:] in renamed:
            element.set("href", "#" + renamed[href[1:]])
        for name in ID_REFERENCES:
            if element.get(name):
                element.set(name, " ".join(renamed.get(i, i) for i in element.get(name).split()))
    if renamed and md is not None:
        _rename_toc_tokens(getattr(md, "toc_tokens", []), renamed)


def _rename_toc_tokens(tokens: list[dict[str, Any]], renamed: dict[str, str]) -> None:
    for token in tokens:
        token["id"] = renamed.get(token.get("id"), token.get("id"))
        _rename_toc_tokens(token.get("children", []), renamed)


class _IdsBeforeToc(Treeprocessor):
    """Notes the elements that carry an id before the table of contents adds its own."""

    def __init__(self, md: Markdown, extension: SafeMarkdown):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        self.extension.written_ids = {id(e) for e in root.iter() if e.get("id") is not None}


class _ClaimRecordIds(Treeprocessor):
    def __init__(self, md: Markdown, extension: SafeMarkdown):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        claim_record_ids(root, self.extension.written_ids, self.md)


class _SanitizeTree(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        sanitize_tree(root)


class SafeMarkdown(Extension):
    """Renders a page without raw HTML and without script-capable markup while `active`;
    with `record_page` too, as the page of one record (see the module's notes)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.active = False
        self.record_page = False
        self.written_ids: set[int] = set()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        if not self.active:
            return
        for name in UNSAFE_PREPROCESSORS:
            if name in md.preprocessors:
                md.preprocessors.deregister(name)
        for name in UNSAFE_INLINE_PATTERNS:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        for registry_name, name in SWITCHED_OFF.values():
            registry = getattr(md, registry_name)
            if name in registry:
                # kept in place, doing nothing: the extension looks its step up again later
                registry[name].run = _unchanged
        # below every built-in step (unescape is 0), so the addresses judged are the final ones
        md.treeprocessors.register(_SanitizeTree(md), "adrgen_sanitize", -100)
        if self.record_page:
            # after attribute lists (8) and abbreviations (7), before the table of contents
            # (5); then right after it, before mkdocs notes the page's anchors (also 5)
            md.treeprocessors.register(_IdsBeforeToc(md, self), "adrgen_ids_before_toc", 6)
            md.treeprocessors.register(_ClaimRecordIds(md, self), "adrgen_record_ids", 5)
            from adrgen.site.record_budget import convert_within_budget

            convert = md.convert
            md.convert = lambda text: convert_within_budget(convert, md.reset, text)  # type: ignore[method-assign]
