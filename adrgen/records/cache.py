"""A cache of parsed records, so listing and linting thousands of them stays fast.

An entry is used only while the file's size, modification and change times and inode are
what they were when it was parsed; anything else re-parses the file. The cache lives in
the user's cache folder (never among the records, see adrgen.files.cache), and any problem
with it is ignored: it can only save work, never change an answer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from adrgen.files.cache import read_entry, write_entry

FORMAT = 2  # bump when RecordInfo changes shape


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
