"""A page's indentation between tags, dropped where a browser would ignore it anyway.

mkdocs-material's templates indent every line of the navigation, header and footer, which
is a fifth of a record page's bytes (about 20 MB of a 5,000-record site). Between two tags,
a run of whitespace shows as one space wherever CSS collapses white space, so a run that
holds a newline is cut to that newline. Nothing else
changes: text, attribute values and every element whose white space shows or matters
(`pre`, `code` and `kbd`, which the theme styles `pre-wrap`, `textarea`, `script`, `style`)
are left as they are.
"""

from __future__ import annotations

import re

# elements whose content is kept byte for byte; the theme nests `code` inside `pre`
_KEPT = ("pre", "code", "kbd")
_RAW_TEXT = ("script", "style", "textarea")  # their content is not markup: skip to the end
_TAG = re.compile(r"<(/?)(" + "|".join(_KEPT + _RAW_TEXT) + r")\b", re.IGNORECASE)
_RAW_TEXT_END = {name: re.compile(f"</{name}\\b", re.IGNORECASE) for name in _RAW_TEXT}
# a run with a newline in it (indentation; a run of spaces alone is short and left as it is).
# Linear: a run starts only after a `>`, and the runs after two `>` never overlap
_GAP = re.compile(r">[ \t\r]*\n[ \t\r\n]*<")


def _collapse(html: str) -> str:
    return _GAP.sub(">\n<", html)


def collapse_indentation(html: str) -> str:
    """`html` with each whitespace run between two tags that holds a newline cut to that
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
