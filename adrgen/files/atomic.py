"""Write a whole file or nothing: readers never see half a file, and no file is clobbered
unless the caller says so. Writers to one folder take turns with `folder_lock`.

A file is written under a hidden temporary name that carries the writer's process id
(`.0012-x.md.tmp-4242`), synced, then given its real name in one step. A writer killed in
between leaves only that hidden file; the next writer to take the folder's lock removes
the ones whose process is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

from adrgen.errors import AdrgenError
from adrgen.files.reading import read_text

# a record's temporary name; only these are ever cleared from a record folder
_TEMP = re.compile(r"^\..+\.(?:md|markdown)\.tmp-(\d+)$")


def temp_name(file_name: str) -> str:
    """The hidden name a file is written under first; record listings skip dot files."""
    return f".{file_name}.tmp-{os.getpid()}"


def write_temp(path: Path, text: str, *, durable: bool = True) -> None:
    """Create `path` afresh (never through a symlink) holding `text`, synced to disk unless
    it need not survive a crash (`durable=False`: a cache)."""
    # the name carries our process id, so a file already there is a leftover of ours
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, 0o666)  # the umask decides, as for any new file
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
        if durable:
            out.flush()
            os.fsync(out.fileno())


def remove_stale_temps(directory: Path) -> None:
    """Temporary files left by writers that were killed; a live writer's are left alone."""
    with os.scandir(directory) as entries:
        for entry in entries:
            match = _TEMP.match(entry.name)
            if not match or not entry.is_file(follow_symlinks=False):
                continue
            pid = int(match.group(1))
            if pid == os.getpid():
                continue
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            except OSError:
                pass  # alive, under another user: not ours to touch


def write_text_atomic(
    path: Path, text: str, *, overwrite: bool = False, durable: bool = True
) -> None:
    """Write `text` to `path` through a temporary file in the same folder.

    Without `overwrite`, an existing file is an AdrgenError; the check and the creation are
    one step (a hard link fails if the name exists), so two runs cannot both win.
    """
    folder = path.parent
    if not overwrite and path.exists():
        raise AdrgenError(f"{path}: already exists (nothing was written)")
    temp = folder / temp_name(path.name)
    try:
        write_temp(temp, text, durable=durable)
        # keep a replaced file's mode, else the usual one
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
        text = read_text(temp, max_bytes=1 << 30)  # the file this process just wrote
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def folder_lock(directory: Path) -> Iterator[None]:
    """Hold a folder's lock: one writer at a time decides record numbers and edits files.

    The folder itself is locked, so no lock file is left among the records. Whoever holds
    the lock clears the temporary files of writers that died (see `remove_stale_temps`).
    """
    try:
        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise AdrgenError(f"{directory}: cannot lock the record folder: {exc.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):  # a folder we cannot clean is still one to read
            remove_stale_temps(directory)
        yield
    finally:
        os.close(handle)
