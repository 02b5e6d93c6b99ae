"""A cache of parsed records, so listing and linting thousands of them stays fast.

An entry is used only while the file's size, modification and change times and inode are
what they were when it was parsed; anything else re-parses the file. The cache lives in
the user's cache folder (never among the records, see adrgen.files.cache), and any problem
with it is ignored: it can only save work, never change an answer.

The cache is a file anyone with the user's rights can edit, so an entry is read like any
other input: every field must have the type parsing gives it, or the file is parsed again.
Where a record lives is never taken from an entry: it is the file the folder scan found, so
a command that writes a record can only write that file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adrgen.files.cache import read_entry, write_entry

if TYPE_CHECKING:
    from adrgen.records.parse import RecordInfo

FORMAT = 5  # bump when RecordInfo changes shape, or what the parser reads into it

# derived from where the file is, or from the whole folder: never kept in an entry
_NOT_KEPT = ("path", "id", "twin_of")
_OPTIONAL_TEXT = ("status", "status_text", "date", "mechanism", "control", "outcome")
_TEXT_LISTS = ("deciders", "tags", "problems")
_OPTIONAL_LINES = ("heading_number", "title_line", "status_line")
_LINK_LISTS = ("links", "body_links")
MAX_NUMBER = 10**9


def _entry_name(directory: Path) -> str:
    key = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:24]
    return f"records-{key}.json"


def stat_key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def load(directory: Path) -> dict[str, Any]:
    data = read_entry(_entry_name(directory))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def save(directory: Path, entries: dict[str, Any]) -> None:
    write_entry(_entry_name(directory), {"format": FORMAT, "entries": entries})


def entry_of(record: RecordInfo) -> dict[str, Any]:
    """What the cache keeps of a freshly parsed record."""
    from adrgen.records.parse import record_to_dict

    data = record_to_dict(record)
    for name in _NOT_KEPT:
        data.pop(name, None)
    for link in (*data["links"], *data["body_links"]):
        link.pop("resolved", None)
    return data


def _number(value: Any) -> bool:
    return value is None or (
        type(value) is int and -MAX_NUMBER < value < MAX_NUMBER  # not a bool, not huge
    )


def _text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _link_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(link, dict)
        and set(link) == {"kind", "target", "line"}
        and isinstance(link["kind"], str)
        and isinstance(link["target"], str)
        and _number(link["line"])
        for link in value
    )


def _well_formed(data: Any) -> bool:
    """Whether an entry holds exactly what parsing a record gives, each of its type."""
    if not isinstance(data, dict):
        return False
    expected = {
        "number",
        "title",
        "front_matter",
        "format",
        *_OPTIONAL_TEXT,
        *_TEXT_LISTS,
        *_OPTIONAL_LINES,
        *_LINK_LISTS,
    }
    if set(data) != expected:
        return False
    return (
        _number(data["number"])
        and isinstance(data["title"], str)
        and bool(data["title"])
        and isinstance(data["format"], str)
        and isinstance(data["front_matter"], dict)
        and all(data[name] is None or isinstance(data[name], str) for name in _OPTIONAL_TEXT)
        and all(_text_list(data[name]) for name in _TEXT_LISTS)
        and all(_number(data[name]) for name in _OPTIONAL_LINES)
        and all(_link_list(data[name]) for name in _LINK_LISTS)
    )


def record_from_entry(path: Path, data: Any) -> RecordInfo | None:
    """The record a cache entry describes, at the path the folder scan found; None for an
    entry that is not exactly what parsing gives (the file is then parsed again)."""
    from adrgen.records.parse import Link, RecordInfo

    if not _well_formed(data):
        return None
    fields = {name: value for name, value in data.items() if name not in _LINK_LISTS}
    return RecordInfo(
        path=path,
        id=path.stem,
        links=[Link(**link) for link in data["links"]],
        body_links=[Link(**link) for link in data["body_links"]],
        **fields,
    )
