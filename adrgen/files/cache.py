"""adrgen's cache entries in the user's cache folder: JSON, checksummed, written atomically.

A cache only ever saves work. An entry that is missing, damaged, edited by hand or of
another layout reads as None, and its owner does the work again; one that cannot be
written is simply not written. JSON, never pickle: nothing in an entry can run, and each
owner still checks what it reads back like any other input.

ADRGEN_NO_CACHE=1 turns every cache off; ADRGEN_CACHE_DIR moves the folder (see
`adrgen.resources.user_cache_dir`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from adrgen.errors import AdrgenError
from adrgen.files.atomic import write_text_atomic
from adrgen.files.reading import read_text
from adrgen.resources import user_cache_dir

# an entry holds what its owner saved; more than this is not something adrgen wrote
MAX_ENTRY_BYTES = 256 * 1024 * 1024


def entry_path(name: str) -> Path | None:
    """Where the entry called `name` lives, or None when caches are off."""
    folder = user_cache_dir()
    return None if folder is None else folder / name


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_entry(name: str) -> Any:
    """The data saved under `name`, or None if there is none or it is not intact."""
    path = entry_path(name)
    if path is None:
        return None
    try:
        digest, _, text = read_text(path, max_bytes=MAX_ENTRY_BYTES).partition("\n")
        if _checksum(text) != digest:
            return None
        return json.loads(text)
    except (AdrgenError, OSError, ValueError, RecursionError):
        return None


def write_entry(name: str, data: Any) -> None:
    """Save `data` under `name`; a cache that cannot be written is left as it is."""
    path = entry_path(name)
    if path is None:
        return
    # dumps, not dump: only the one-shot encoder is the C one (10x faster)
    text = json.dumps(data, ensure_ascii=False)
    with contextlib.suppress(OSError, AdrgenError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_text_atomic(path, f"{_checksum(text)}\n{text}", overwrite=True, durable=False)
