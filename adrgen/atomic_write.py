"""Write a whole file or nothing: readers never see half a file, and no file is clobbered
unless the caller says so."""

from __future__ import annotations

import contextlib
import os
import tempfile
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
        # mkstemp makes the file private; give it the mode any new file would have
        os.chmod(temp, 0o666 & ~_umask())
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
