"""Text for a terminal: the one place where what adrgen prints is neutralised.

File names, titles, statuses and error messages come from files other people wrote. A
terminal obeys the control sequences in what it is given: `ESC]0;...BEL` retitles the
window, `ESC]52;c;...` writes the clipboard, `ESC]8;;URL` hides a link behind text,
`ESC[2J` clears the screen, and U+202E turns the rest of a line around. So every printer
goes through `echo` (or `print_json`), which shows such characters as escapes (`\\x1b`,
`\\u202e`) whether the output is a terminal or a pipe: a file written by
`adrgen list > out` is later shown on a terminal too.

Text keeps its line breaks (and tabs) unless it is one line by promise, such as an error
or a table cell, where they are shown escaped too. JSON keeps its meaning: what is shown
escaped there is a JSON `\\uXXXX` escape of the same character.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

import click

# C0 and C1 controls and DEL, the bidirectional controls, the line and paragraph
# separators, and lone surrogates (undecodable bytes of a file name)
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_IN_TEXT = re.compile(f"[{_UNSAFE}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_UNSAFE}]")
# what json.dumps leaves as it is: it escapes the C0 controls itself
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code in _NAMED:
        return _NAMED[code]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(text: object, *, one_line: bool = False) -> str:
    """`text` as it may reach a terminal: controls and bidi characters shown as escapes.

    With `one_line`, line breaks and tabs are shown as `\\n` and `\\t` too.
    """
    pattern = _UNSAFE_IN_LINE if one_line else _UNSAFE_IN_TEXT
    return pattern.sub(_escape, str(text))


def echo(text: object = "", *, err: bool = False, one_line: bool = False, nl: bool = True) -> None:
    """Print `text` (to stderr with `err`), neutralised by `shown`."""
    click.echo(shown(text, one_line=one_line), err=err, nl=nl)


def echo_lines(lines: Iterable[object], *, err: bool = False) -> None:
    """Print each item as one line of its own, whatever characters it holds."""
    for line in lines:
        echo(line, err=err, one_line=True)


def json_text(data: Any) -> str:
    """`data` as indented JSON, with every character a terminal would act on escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def print_json(data: Any) -> None:
    click.echo(json_text(data))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table; the last column is never padded so long text does not wrap oddly."""
    cells = [[shown(c, one_line=True) for c in headers]] + [
        ["" if c is None else shown(c, one_line=True) for c in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        line = "  ".join(c.ljust(widths[i]) if i < len(row) - 1 else c for i, c in enumerate(row))
        click.echo(line.rstrip())
        if index == 0:
            click.echo("  ".join("-" * w for w in widths))
