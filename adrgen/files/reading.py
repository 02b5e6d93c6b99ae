"""Reading files other people wrote: regular files only, never more than a cap, as UTF-8.

A path may name a FIFO (reading it waits forever), a device (`/dev/zero` never ends), or a
symbolic link to either. A file is therefore opened without blocking, checked to be a
regular file on the open handle (so a link swapped in between is caught too), and read up
to its cap plus one byte: a file that grows while it is read is still refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from adrgen.errors import AdrgenError

MAX_BYTES = 1024 * 1024


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or a one-line AdrgenError."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise AdrgenError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AdrgenError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise AdrgenError(f"{path}: permission denied") from None
    except OSError as exc:
        raise AdrgenError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(handle)
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise AdrgenError(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise AdrgenError(f"{path}: not a regular file (a device, FIFO or socket); not read")
        if info.st_size > max_bytes:
            raise AdrgenError(f"{path}: {info.st_size} bytes is over the {max_bytes}-byte limit")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise AdrgenError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise AdrgenError(f"{path}: over the {max_bytes}-byte limit")
    return data


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of a file someone else wrote, or a one-line AdrgenError."""
    data = read_bytes(path, max_bytes=max_bytes)
    if b"\x00" in data:
        raise AdrgenError(f"{path}: binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AdrgenError(f"{path}:{line}: not valid UTF-8 (byte {exc.start})") from None
