"""Records Python-Markdown would take too long over, or recurse too deep into, shown as text.

Python-Markdown is not linear in its input: 200,000 `[` in one paragraph take it minutes,
and a list nested a few hundred levels deep (or `- ` written a thousand times on one line)
ends in a RecursionError that stops the whole build. Those are Python-Markdown's own to fix;
here they are bounded, so that one record can neither stall nor break the site:

- before a record's page is made, its text is measured in one pass (`over_budget`): how
  deep its lists, quotes and admonitions nest, and how far Python-Markdown would scan for
  the end of each `[` and `(`. A record over either budget is published as plain
  preformatted text under a note that says why (`plain_text`);
- while a record's page is converted, `convert_within_budget` stops a conversion that
  runs longer than RECORD_SECONDS or too deep for Python's stack, and converts the page's
  text as plain text instead. The clock needs the main thread (where `mkdocs build`
  converts); a server converting in another thread relies on the measuring alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from adrgen.records.parse import next_fence
from adrgen.templating.sandbox import time_limit

# deeper than any document a person writes; Python-Markdown fails at a few hundred
MAX_DEPTH = 32
# characters the converter scans looking for the ends of brackets: a few seconds of its time
MAX_SCAN = 20_000_000
# a record page converts in milliseconds: this is far past anything that is not pathological
RECORD_SECONDS = 10.0

_TAB = 4
_ADMONITION_OPENERS = ("!!!", "???", "///")
# every level of nesting takes at least one of these characters at the start of a line:
# a line that does not start with more of them than MAX_DEPTH cannot be too deep
_MAYBE_DEEP = re.compile(f"^[ \t>*+!?/0-9.)-]{{{MAX_DEPTH + 1}}}", re.MULTILINE)
_TILDES = re.compile("~+")


class OverBudget(Exception):
    """A record's conversion ran out of time."""


def over_budget(text: str) -> str | None:
    """Why `text` is too deep or too costly for Python-Markdown, or None when it is not."""
    depth, line_number = _deepest(text) if _MAYBE_DEEP.search(text) else (0, 0)
    if depth > MAX_DEPTH:
        return (
            f"it nests lists, quotes or boxes {depth} levels deep at line {line_number} "
            f"(the site converts at most {MAX_DEPTH})"
        )
    # no bracket scans further than the whole text: most records are cleared by counting
    openers = text.count("[") + text.count("(") + text.count("<")
    scan = _bracket_scan(text) if openers * len(text) > MAX_SCAN else 0
    if scan > MAX_SCAN:
        return (
            f"its brackets would take the markdown converter about {scan:,} steps "
            f"(the site allows {MAX_SCAN:,} a record)"
        )
    return None


def plain_text(text: str, reason: str, lead: str = "") -> str:
    """Markdown that shows `text` exactly as written, in a code block, under a note."""
    longest = max((len(run) for run in _TILDES.findall(text)), default=0)
    fence = "~" * max(3, longest + 1)
    note = f'!!! warning "Shown as plain text"\n\n    This record is shown as written: {reason}.\n'
    return f"{lead}{note}\n{fence} text\n{text.rstrip(chr(10))}\n{fence}\n"


def convert_within_budget(
    convert: Callable[[str], str], reset: Callable[[], Any], text: str
) -> str:
    """`convert(text)`, or, when it runs out of time or stack, the text converted as plain
    text (`reset` clears what the failed conversion left in the converter)."""
    try:
        with time_limit(RECORD_SECONDS, _out_of_time):
            return convert(text)
    except OverBudget:
        reason = f"converting it took longer than {RECORD_SECONDS:g} seconds"
    except RecursionError:
        reason = "it nests deeper than the markdown converter can go"
    reset()
    return convert(plain_text(text, reason))


def _out_of_time() -> OverBudget:
    return OverBudget()


# --- measuring, in one pass ---------------------------------------------------------------


def _lines_outside_code(text: str) -> Iterator[tuple[int, str]]:
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        fence, is_marker = next_fence(line, fence)
        if not (is_marker or fence):
            yield number, line


def _deepest(text: str) -> tuple[int, int]:
    """The deepest nesting of any line, and that line's number."""
    deepest, where = 0, 0
    for number, line in _lines_outside_code(text):
        depth = _line_depth(line)
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def _line_depth(line: str) -> int:
    """Containers a line opens or sits in: its indentation in levels, then each `>`, list
    marker or box opener it starts with (`- - - x` is three lists deep)."""
    position, width, end = 0, 0, len(line)
    while position < end and line[position] in " \t":
        width += _TAB - width % _TAB if line[position] == "\t" else 1
        position += 1
    depth = width // _TAB
    while position < end:
        char = line[position]
        if char == ">":
            marker = 1
        elif char in "-*+" and line[position + 1 : position + 2] in (" ", "\t"):
            marker = 2
        elif char.isdigit():
            digits = position
            while digits < end and digits - position < 9 and line[digits].isdigit():
                digits += 1
            if line[digits : digits + 1] not in (".", ")") or line[digits + 1 : digits + 2] not in (
                " ",
                "\t",
            ):
                break
            marker = digits + 2 - position
        elif line.startswith(_ADMONITION_OPENERS, position):
            marker = 3
        else:
            break
        depth += 1
        position += marker
        while position < end and line[position] in " \t":
            position += 1
    return depth


def _bracket_scan(text: str) -> int:
    """About how many characters Python-Markdown reads looking for the end of each `[` and
    `(` (up to its partner, or to the end of its paragraph when it has none), and mkdocs'
    reading of raw HTML for the end of each `<` (up to the next `>`, or to the end of the
    page: it reads the whole page, code blocks included)."""
    total = 0
    for paragraph in _paragraphs(text):
        for opener, closer in (("[", "]"), ("(", ")")):
            total += _scan_to_partners(paragraph, opener, closer, nested=True)
    return total + _scan_to_partners(text, "<", ">", nested=False)


def _scan_to_partners(text: str, opener: str, closer: str, *, nested: bool) -> int:
    """The characters from each `opener` to the `closer` that ends it, or to the end."""
    total = 0
    open_at: list[int] = []
    for match in re.finditer(f"[{re.escape(opener)}{re.escape(closer)}]", text):
        if match.group() == opener:
            open_at.append(match.start())
        elif open_at and nested:
            total += match.start() - open_at.pop()
        elif open_at:  # a `>` ends every `<` before it
            total += sum(match.start() - start for start in open_at)
            open_at.clear()
    return total + sum(len(text) - start for start in open_at)


def _paragraphs(text: str) -> list[str]:
    """The text outside code, split at blank lines, as the converter reads its blocks."""
    paragraphs: list[str] = []
    current: list[str] = []
    for _, line in _lines_outside_code(text):
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs
