"""A site rebuilt over its last build: files are rewritten in place, not deleted and made anew.

mkdocs empties the site folder before every build. On ext4, making thousands of files just
after deleting as many is slow: the inode allocator passes over each inode freed in the last
minute, so every new file costs about a millisecond more, and the build that follows a
build spends more time making files than the theme spends rendering them. `adrgen site
build` instead leaves the last build where it is, lets mkdocs write over it, then removes
what this build did not write, so the folder ends with the files a clean build leaves. A
file whose bytes are the ones already there is not written again (writing over a file
costs about as much as making it): it keeps the time of the build that wrote it, as a
copy made with rsync would.

It is used only where nothing can tell the difference (elsewhere the folder is emptied
first, as mkdocs does, but with links removed rather than followed: `empty_folder`):
- every plugin is one known to write through mkdocs and never to look at what the site
  folder holds (`KNOWN_PLUGINS`); any other plugin or hook gets mkdocs' own cleaning;
- the last build holds only plain files and folders with one link each: a symbolic link
  would be written through, and a file with a second hard link would change elsewhere too.

Each old file's modification time is set to `UNWRITTEN` first: a file that still has it
after the build was not written by it, and one the build found unchanged gets its own time
back. A build that fails gives the files it did not reach their times back too. Where the
new build puts a file at an old folder's place (or the other way round), writing fails,
and the build is made again from an empty folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# plugins that write only through mkdocs' helpers and never read the site folder
KNOWN_PLUGINS = frozenset(
    {
        "adrgen.mkdocs_plugin",
        "material.plugins.search.plugin",
        "material.plugins.tags.plugin",
    }
)

# the time an old file is given before the build (1 January 1980, the oldest time every
# file system can hold): a write sets the time to now
UNWRITTEN = 315532800 * 10**9

# a copied file (a theme's script, a picture) larger than this is copied without comparing
COMPARED_AT_MOST = 16 * 2**20


class ShapeChanged(OSError):
    """The new build puts a file where the last build has a folder."""


def plugins_allow_it(config: Any) -> bool:
    """Whether every plugin of this site is one known not to read the site folder."""
    for plugin in config.plugins.values():
        module = type(plugin).__module__ or ""
        if not any(module == name or module.startswith(name + ".") for name in KNOWN_PLUGINS):
            return False
    return True


@dataclass
class OldFile:
    inode: int
    mtime_ns: int  # as the last build left it
    marked_ns: int = UNWRITTEN  # `UNWRITTEN` as the file system stores it (some round times)


@dataclass
class LastBuild:
    """What the site folder held before the build: its files and its folders."""

    site_dir: str
    files: dict[str, OldFile] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, site_dir: str) -> LastBuild | None:
        """The last build, or None when it cannot be rewritten safely."""
        last = cls(site_dir)
        try:
            entries = os.listdir(site_dir)
        except FileNotFoundError:
            return last
        except OSError:
            return None
        # hidden entries are left alone, as mkdocs' cleaning leaves them
        pending = [os.path.join(site_dir, name) for name in entries if not name.startswith(".")]
        while pending:
            path = pending.pop()
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode):
                last.folders.add(path)
                pending.extend(os.path.join(path, name) for name in os.listdir(path))
            elif stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
                last.files[path] = OldFile(info.st_ino, info.st_mtime_ns)
            else:  # a link, a second hard link, a device, a socket
                return None
        return last

    def mark(self) -> None:
        """Give every old file the time of a file this build has not written (yet)."""
        for path, old in self.files.items():
            os.utime(path, ns=(os.lstat(path).st_atime_ns, UNWRITTEN), follow_symlinks=False)
            old.marked_ns = os.lstat(path).st_mtime_ns

    def _unwritten(self, path: str) -> os.stat_result | None:
        """The old file at `path`, if this build has not written it."""
        old = self.files.get(path)
        if old is None:
            return None
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISREG(info.st_mode) and (info.st_ino, info.st_mtime_ns) == (
            old.inode,
            old.marked_ns,
        ):
            return info
        return None

    def keep_if_same(self, path: str, content: bytes) -> bool:
        """Whether the old file at `path` holds `content`: it is then kept as it was."""
        info = self._unwritten(path)
        if info is None or info.st_size != len(content):
            return False
        with open(path, "rb") as old_file:
            if old_file.read() != content:
                return False
        os.utime(path, ns=(info.st_atime_ns, self.files[path].mtime_ns), follow_symlinks=False)
        return True

    def restore(self) -> None:
        """Give the files the build did not write their own times back (a failed build)."""
        for path, old in self.files.items():
            info = self._unwritten(path)
            if info is not None:
                os.utime(path, ns=(info.st_atime_ns, old.mtime_ns), follow_symlinks=False)

    def sweep(self) -> int:
        """Remove what the build did not write, then the folders left empty; how many files."""
        removed = 0
        for path in self.files:
            if self._unwritten(path) is not None:
                os.unlink(path)
                removed += 1
        # the deepest first, so that a folder whose folders were all stale goes too
        for folder in sorted(self.folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # not empty: the build wrote into it
                os.rmdir(folder)
        return removed


def empty_folder(site_dir: str) -> None:
    """Empty the site folder as mkdocs does, but remove a link rather than follow it.

    mkdocs' own cleaning leaves a link to a folder where it is, and the build then writes
    through it to wherever it points."""
    try:
        entries = os.listdir(site_dir)
    except FileNotFoundError:
        return
    for name in entries:
        if name.startswith("."):  # as mkdocs leaves them
            continue
        path = os.path.join(site_dir, name)
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path)  # which removes the links inside, never what they point to
        else:
            os.unlink(path)


@contextlib.contextmanager
def rewriting(last: LastBuild) -> Iterator[None]:
    """While inside, mkdocs' builds write over `last` instead of emptying its folder first,
    and leave alone the files that already hold what they would write."""
    from mkdocs import utils

    clean_directory, copy_file, write_file = (
        utils.clean_directory,
        utils.copy_file,
        utils.write_file,
    )

    def keep_last_build(directory: str) -> None:
        if os.path.abspath(directory) != os.path.abspath(last.site_dir):
            clean_directory(directory)

    def write_unless_same(content: bytes, output_path: str) -> None:
        if not last.keep_if_same(output_path, content):
            write_file(content, output_path)

    def copy_unless_same(source_path: str, output_path: str) -> None:
        # mkdocs copies *into* a folder that stands where the file goes; a clean build has none
        if output_path in last.folders and os.path.isdir(output_path):
            raise ShapeChanged(f"{output_path}: a folder of the last build stands here")
        if output_path in last.files and os.path.getsize(source_path) < COMPARED_AT_MOST:
            with open(source_path, "rb") as source:
                if last.keep_if_same(output_path, source.read()):
                    return
        copy_file(source_path, output_path)

    utils.clean_directory, utils.copy_file, utils.write_file = (
        keep_last_build,
        copy_unless_same,
        write_unless_same,
    )
    try:
        yield
    finally:
        utils.clean_directory, utils.copy_file, utils.write_file = (
            clean_directory,
            copy_file,
            write_file,
        )
