"""Small edits to a record's text that leave every other byte as it was.

A record may be adrgen's (front matter), MADR (front matter or `- Status:` bullets) or
adr-tools' (`## Status` section); each edit is made where that format keeps the value.
"""

from __future__ import annotations

import re
from typing import Any

from adrgen.files.safe_yaml import dump, parse_text
from adrgen.records.parse import next_fence, split_front_matter

# anchored: a pattern tried at every position of a long line would take quadratic time
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*+)[ \t]*+:")
_STATUS_BULLET = re.compile(r"^([ \t]*+[-*][ \t]++Status[ \t]*+:[ \t]*+)(.*+)", re.IGNORECASE)
_STATUS_HEADING = re.compile(r"^##[ \t]++Status[ \t]*+", re.IGNORECASE)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def has_front_matter(text: str) -> bool:
    return split_front_matter(text)[0] is not None


def front_matter(text: str) -> dict[str, Any]:
    front, _, _ = split_front_matter(text)
    if front is None:
        return {}
    data, _ = parse_text(front)
    return data if isinstance(data, dict) else {}


def set_front_matter_key(text: str, key: str, value: Any) -> str:
    """Replace one top-level key's lines (or add the key); other lines stay byte for byte."""
    nl = _newline(text)
    rendered = dump({key: value}).rstrip("\n").replace("\n", nl)
    front, _, body_offset = split_front_matter(text)
    if front is None:
        return f"---{nl}{rendered}{nl}---{nl}{text}"
    lines = text.split("\n")
    closing = body_offset - 1  # index of the closing `---`
    start = end = None
    for index in range(1, closing):
        match = _TOP_LEVEL_KEY.match(lines[index])
        if start is None:
            if match and match.group(1) == key:
                start = index
        elif match:
            end = index
            break
    cr = "\r" if nl == "\r\n" else ""
    new_lines = [line + cr for line in rendered.split(nl)]
    if start is None:
        lines[closing:closing] = new_lines
    else:
        end = end if end is not None else closing
        # keep blank lines and comments that sat between this key and the next one
        while end - 1 > start and (
            not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
        ):
            end -= 1
        lines[start:end] = new_lines
    return "\n".join(lines)


def _body_lines(text: str) -> tuple[list[str], int]:
    """All lines, and the index of the first body line (after any front matter)."""
    _, _, offset = split_front_matter(text)
    return text.split("\n"), offset


def _status_section(lines: list[str], start: int) -> tuple[int, int] | None:
    """(first, end) line indexes of the `## Status` section's content, outside code fences."""
    fence = None
    first = None
    for index in range(start, len(lines)):
        line = lines[index]
        fence, is_marker = next_fence(line, fence)
        if is_marker or fence:
            continue
        if line.startswith("#"):
            if first is not None:
                return first, index
            if _STATUS_HEADING.fullmatch(line.rstrip()):
                first = index + 1
    return (first, len(lines)) if first is not None else None


def set_status(text: str, status: str) -> str:
    """Write a new status where the record keeps it; front matter when it keeps none yet."""
    if "status" in front_matter(text):
        return set_front_matter_key(text, "status", status)
    lines, start = _body_lines(text)
    section = _status_section(lines, start)
    if section:
        first, end = section
        for index in range(first, end):
            if lines[index].strip():
                cr = "\r" if lines[index].endswith("\r") else ""
                lines[index] = status.capitalize() + cr
                return "\n".join(lines)
        lines[first:first] = ["", status.capitalize()]
        return "\n".join(lines)
    for index in range(start, len(lines)):
        match = _STATUS_BULLET.match(lines[index].rstrip("\r"))
        if match:
            cr = "\r" if lines[index].endswith("\r") else ""
            lines[index] = match.group(1) + status + cr
            return "\n".join(lines)
        if lines[index].startswith("## "):
            break
    return set_front_matter_key(text, "status", status)


def add_visible_line(text: str, line: str) -> str:
    """Show a relation in the body: in the `## Status` section if there is one, else under the title."""
    lines, start = _body_lines(text)
    cr = "\r" if "\r\n" in text else ""
    section = _status_section(lines, start)
    if section:
        first, end = section
        last = end
        while last > first and not lines[last - 1].strip():
            last -= 1
        lines[last:last] = ["" + cr, line + cr]
        return "\n".join(lines)
    for index in range(start, len(lines)):
        if lines[index].startswith("# "):
            lines[index + 1 : index + 1] = ["" + cr, line + cr]
            return "\n".join(lines)
    lines[start:start] = [line + cr, "" + cr]
    return "\n".join(lines)
