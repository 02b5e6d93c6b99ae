"""A folder made beside its place and put there whole: readers and a killed writer alike
find either the last complete folder or the new one, never a mix or nothing.

    staged = StagedFolder.begin(Path("public"))   # makes .public.adrgen-build-XXXX
    ... write into staged.path ...
    staged.finish()                              # the new folder takes the place at once
    # or staged.abandon(): the last folder stays, the staged one is removed

`finish` exchanges the two folders in one step (Linux `renameat2` with
`RENAME_EXCHANGE`), then removes the old one. Where the file system cannot exchange, the
old folder is renamed aside and the new one renamed into place: between the two steps the
place is empty for an instant, and `begin` puts a complete folder back if a writer was
killed there.

Entries whose name starts with a dot (a `.git` kept in a site folder) belong to no build:
they are moved into the new folder before it takes the place, as a tool that empties a
folder before writing it would leave them.

Whatever kills a writer, what it leaves beside the folder is removed by the next `begin`:
a folder being built (`-build-`), one that holds a complete folder about to take the
place or just replaced by it (`-swap-`), and an old one set aside (`-old-`). A folder a
live writer still works in is locked (`flock`) and left alone. Nothing is synced to disk:
a crash of the machine itself is not covered.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import stat
import sys
from pathlib import Path

BUILD, SWAP, OLD = "build", "swap", "old"


class CannotStage(Exception):
    """The folder cannot be made beside its place and swapped in: why, in a few words."""


def _leftover_prefix(target: Path, stage: str) -> str:
    return f".{target.name}.adrgen-{stage}-"


class StagedFolder:
    def __init__(self, target: Path, path: Path, lock: int):
        self.target = target
        self.path = path
        self._lock = lock

    @classmethod
    def begin(cls, target: Path) -> StagedFolder:
        """A new empty folder beside `target` (symbolic links to it followed), after
        clearing what killed writers left there; CannotStage when that cannot work."""
        target = Path(os.path.realpath(target))
        parent = target.parent
        if target == parent:
            raise CannotStage(f"{target} is the root folder")
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise CannotStage(f"{target}: {exc.strerror}") from None
        if info is not None:
            if not stat.S_ISDIR(info.st_mode):
                raise CannotStage(f"{target} is not a folder")
            if os.path.ismount(target):
                raise CannotStage(f"{target} is a mount point")
            if _cannot_rename(info, parent):
                raise CannotStage(f"{target} belongs to another user, in a sticky folder")
        path = parent / (_leftover_prefix(target, BUILD) + secrets.token_hex(6))
        try:
            parent.mkdir(parents=True, exist_ok=True)
            recover(target)
            os.mkdir(path)  # as any new folder is made (the umask decides)
            if info is not None:  # the old folder's permissions
                os.chmod(path, stat.S_IMODE(info.st_mode))
        except OSError as exc:
            raise CannotStage(f"cannot make a folder in {parent}: {exc.strerror}") from None
        return cls(target, path, _locked(path))

    def finish(self) -> None:
        """Put the new folder in the target's place in one step and remove the old one.
        OSError when it cannot be put there: the target is then as it was."""
        swap = self.path.with_name(_leftover_prefix(self.target, SWAP) + self._token())
        os.rename(self.path, swap)
        self.path = swap
        if not os.path.lexists(self.target):
            os.rename(swap, self.target)
        else:
            # the old folder is locked while it is removed: another writer's `begin` skips it
            old_lock = _locked(self.target)
            moved: list[str] = []
            try:
                _move_hidden_entries(self.target, swap, moved)
                old = self._take_the_place(swap)
            except OSError:
                _move_hidden_entries(swap, self.target, [], only=moved)  # given back
                raise
            finally:
                _unlock(old_lock)
            _remove(old)
        self.path = self.target
        self._release()

    def _take_the_place(self, new: Path) -> Path:
        """Put `new` at the target's place; where the old folder is now."""
        try:
            exchange(new, self.target)
            return new
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
                raise
        old = new.with_name(_leftover_prefix(self.target, OLD) + self._token())
        os.rename(self.target, old)
        try:
            os.rename(new, self.target)
        except OSError:
            os.rename(old, self.target)
            raise
        return old

    def abandon(self) -> None:
        """Remove the new folder; the target stays as it was."""
        if self.path != self.target:
            _remove(self.path)
        self._release()

    def _token(self) -> str:
        return self.path.name.rsplit("-", 1)[-1]

    def _release(self) -> None:
        if self._lock is not None:
            _unlock(self._lock)
            self._lock = None


def recover(target: Path) -> None:
    """Remove what killed writers left beside `target`; put a complete folder back first if
    one was killed between setting the old folder aside and renaming the new into place."""
    parent = target.parent
    try:
        names = os.listdir(parent)
    except FileNotFoundError:
        return
    leftovers: dict[str, list[Path]] = {BUILD: [], SWAP: [], OLD: []}
    for name in sorted(names):
        for stage, found in leftovers.items():
            if name.startswith(_leftover_prefix(target, stage)):
                found.append(parent / name)
    leftovers = {
        stage: [path for path in paths if not _in_use(path)] for stage, paths in leftovers.items()
    }
    if not os.path.lexists(target):
        # a complete new folder (with the hidden entries already moved in), else the old
        complete = (leftovers[SWAP] or leftovers[OLD])[:1]
        for chosen in complete:
            os.rename(chosen, target)
            for paths in leftovers.values():
                with contextlib.suppress(ValueError):
                    paths.remove(chosen)
    for swap in leftovers[SWAP]:
        # killed after moving the target's hidden entries in, before the exchange
        _move_hidden_entries(swap, target, [])
    for paths in leftovers.values():
        for path in paths:
            _remove(path)


def exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step (Linux 3.15 and later, on most local file systems);
    OSError with EINVAL, ENOSYS or ENOTSUP where that is not possible."""
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "no renameat2 here")
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        raise OSError(errno.ENOSYS, "no renameat2 in this C library")
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


def _move_hidden_entries(
    source: Path, destination: Path, moved: list[str], only: list[str] | None = None
) -> None:
    """Move the entries whose name starts with a dot that `destination` lacks (of `only`,
    if given), adding each name to `moved` once it is moved."""
    try:
        names = os.listdir(source) if only is None else only
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        if name.startswith(".") and not os.path.lexists(destination / name):
            os.rename(source / name, destination / name)
            moved.append(name)


def _remove(path: Path) -> None:
    """Remove a folder and what it holds; links inside are removed, never followed. What
    cannot be removed stays, for the next `recover` to try again."""
    if os.path.islink(path) or not os.path.isdir(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    shutil.rmtree(path, ignore_errors=True)


def _locked(path: Path) -> int | None:
    """Hold a lock on a folder for as long as this process runs, or until unlocked."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    return handle


def _unlock(handle: int | None) -> None:
    if handle is not None:
        os.close(handle)


def _in_use(path: Path) -> bool:
    """Whether a live writer holds this folder's lock."""
    handle = _locked(path)
    if handle is None:
        return os.path.isdir(path) and not os.path.islink(path)
    _unlock(handle)
    return False


def _cannot_rename(info: os.stat_result, parent: Path) -> bool:
    """In a folder with the sticky bit (like /tmp), only a folder's owner may rename it."""
    try:
        parent_info = os.stat(parent)
    except OSError:
        return False
    sticky = parent_info.st_mode & stat.S_ISVTX
    me = os.geteuid()
    return bool(sticky) and me != 0 and me not in (info.st_uid, parent_info.st_uid)
