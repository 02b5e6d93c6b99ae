"""A cache of parsed records, so listing and linting thousands of them stays fast.

An entry is used only while the file's size, modification and change times and inode are
what they were when it was parsed; anything else re-parses the file. The cache lives in
the user's cache folder (never among the records), is written atomically, and any problem
with it is ignored: it can only save work, never change an answer.
Set ADRGEN_NO_CACHE=1 to turn it off, ADRGEN_CACHE_DIR to move it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from adrgen.resources import user_cache_dir

FORMAT = 2  # bump when RecordInfo changes shape


def _cache_file(directory: Path) -> Path | None:
    base = user_cache_dir()
    if base is None:
        return None
    key = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:24]
    return base / f"records-{key}.json"


def stat_key(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def load(directory: Path) -> dict[str, Any]:
    path = _cache_file(directory)
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def save(directory: Path, entries: dict[str, Any]) -> None:
    path = _cache_file(directory)
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".records-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # dumps, not dump: only the one-shot encoder is the C one (10x faster)
                out.write(json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False))
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
