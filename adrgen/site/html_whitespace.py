"""A page's indentation beside its tags, dropped where a browser ignores it anyway.

mkdocs-material's templates indent every line of the navigation, header and footer, which
is a fifth of a record page's bytes (about 20 MB of a 5,000-record site). Beside a tag, a
run of white space shows as one space wherever CSS collapses white space, so a run that
holds a newline is cut to that newline. Nothing else changes: text, attribute values (the
theme and Python-Markdown write them without a raw `>` or `<`), and every element whose
white space shows or matters (`pre`, `code` and `kbd`, which the theme styles `pre-wrap`;
`textarea`, `script`, `style`) are left as they are.
"""

from __future__ import annotations

import re

# elements whose content is kept byte for byte; the theme nests `code` inside `pre`
_KEPT = ("pre", "code", "kbd")
_RAW_TEXT = ("script", "style", "textarea")  # their content is not markup: skip to the end
_TAG = re.compile(r"<(/?)(" + "|".join(_KEPT + _RAW_TEXT) + r")\b", re.IGNORECASE)
_RAW_TEXT_END = {name: re.compile(f"</{name}\\b", re.IGNORECASE) for name in _RAW_TEXT}
# A run of whitespace that holds a newline, cut to that newline when a tag ends before it
# or starts after it (a run of spaces alone is short and left as it is). Both linear: a run
# is tried from its first character only (after a `>`, or after a character that is not
# white space), so no character is scanned twice
_AFTER_TAG = re.compile(r">[ \t\r]*\n[ \t\r\n]*")
_BEFORE_TAG = re.compile(r"(?<![ \t\r\n])[ \t\r]*\n[ \t\r\n]*<")


def _collapse(html: str) -> str:
    return _BEFORE_TAG.sub("\n<", _AFTER_TAG.sub(">\n", html))


def collapse_indentation(html: str) -> str:
    """`html` with each whitespace run beside a tag that holds a newline cut to that
    newline, outside the elements whose white space shows."""
    pieces: list[str] = []
    # a kept stretch runs from just after the `<` of its first tag to just before the `>`
    # of its last, so the gaps on either side of it are collapsed with the rest
    free_from = 0
    kept_from = 0
    depth = 0
    position = 0
    while (tag := _TAG.search(html, position)) is not None:
        closing, name = tag.group(1), tag.group(2).lower()
        position = tag.end()
        if closing and (depth == 0 or name in _RAW_TEXT):
            continue  # nothing open to close
        if not closing and depth == 0:
            pieces.append(_collapse(html[free_from : tag.start() + 1]))
            kept_from = tag.start() + 1
        if name in _RAW_TEXT:
            end = _RAW_TEXT_END[name].search(html, position)
            position = len(html) if end is None else end.end()
            depth += 1 if end is None else 0  # an unended one keeps the rest
        else:
            depth += -1 if closing else 1
        if depth == 0:
            pieces.append(html[kept_from:position])
            free_from = position
    if depth:  # an element left open keeps everything after it
        pieces.append(html[kept_from:])
    else:
        pieces.append(_collapse(html[free_from:]))
    return "".join(pieces)
