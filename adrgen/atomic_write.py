"""Write a whole file or nothing: readers never see half a file, and no file is clobbered
unless the caller says so. Writers to one folder take turns with `folder_lock`."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from adrgen.errors import AdrgenError


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write `text` to `path` through a temporary file in the same folder.

    Without `overwrite`, an existing file is an AdrgenError; the check and the creation are
    one step (a hard link fails if the name exists), so two runs cannot both win.
    """
    folder = path.parent
    if not overwrite and path.exists():
        raise AdrgenError(f"{path}: already exists (nothing was written)")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AdrgenError(f"{path}: cannot write: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private: keep a replaced file's mode, else the usual one
        try:
            mode = path.stat().st_mode & 0o7777 if overwrite else 0o666 & ~_umask()
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temp, mode)
        if overwrite:
            os.replace(temp, path)
        else:
            _link_exclusive(temp, path)
    except FileExistsError:
        raise AdrgenError(f"{path}: already exists (nothing was written)") from None
    except OSError as exc:
        raise AdrgenError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _link_exclusive(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # some file systems (FAT, some network mounts) have no hard links: exclusive create
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(temp.read_text(encoding="utf-8"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def folder_lock(directory: Path) -> Iterator[None]:
    """Hold a folder's lock: one writer at a time decides record numbers and edits files.

    The folder itself is locked, so no lock file is left among the records.
    """
    try:
        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise AdrgenError(f"{directory}: cannot lock the record folder: {exc.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
