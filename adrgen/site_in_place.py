"""A site rebuilt over its last build: files are rewritten in place, not deleted and made anew.

mkdocs empties the site folder before every build. On ext4, making thousands of files just
after deleting as many is slow: the inode allocator passes over each inode freed in the last
minute, so every new file costs about a millisecond more, and the build that follows a
build spends more time making files than the theme spends rendering them. `adrgen site
build` instead leaves the last build where it is, lets mkdocs write over it, then removes
what this build did not write, so the folder ends as a clean build leaves it.

It is used only where nothing can tell the difference:
- every plugin is one known to write through mkdocs and never to look at what the site
  folder holds (`KNOWN_PLUGINS`); any other plugin or hook gets mkdocs' own cleaning;
- the last build holds only plain files and folders with one link each: a symbolic link
  would be written through, and a file with a second hard link would change elsewhere too.

Each old file's modification time is set to `UNWRITTEN` first: a file that still has it
after the build was not written by it. Where the new build puts a file at an old folder's
place (or the other way round), writing fails, and the build is made again from an empty
folder.
"""

from __future__ import annotations

import contextlib
import os
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
class LastBuild:
    """What the site folder held before the build: the files as marked, and the folders."""

    site_dir: str
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path: (inode, mtime)
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
                last.files[path] = (info.st_ino, 0)
            else:  # a link, a second hard link, a device, a socket
                return None
        return last

    def mark(self) -> None:
        """Give every old file the time of a file this build has not written (yet)."""
        for path, (inode, _) in self.files.items():
            os.utime(path, ns=(UNWRITTEN, UNWRITTEN), follow_symlinks=False)
            # as the file system stores it (some round times)
            self.files[path] = (inode, os.lstat(path).st_mtime_ns)

    def sweep(self) -> int:
        """Remove what the build did not write, then the folders left empty; how many files."""
        removed = 0
        for path, mark in self.files.items():
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISREG(info.st_mode) and (info.st_ino, info.st_mtime_ns) == mark:
                os.unlink(path)
                removed += 1
        # the deepest first, so that a folder whose folders were all stale goes too
        for folder in sorted(self.folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # not empty: the build wrote into it
                os.rmdir(folder)
        return removed


@contextlib.contextmanager
def rewriting(last: LastBuild) -> Iterator[None]:
    """While inside, mkdocs' builds write over `last` instead of emptying its folder first."""
    from mkdocs import utils

    clean_directory, copy_file = utils.clean_directory, utils.copy_file

    def keep_last_build(directory: str) -> None:
        if os.path.abspath(directory) != os.path.abspath(last.site_dir):
            clean_directory(directory)

    def copy_over(source_path: str, output_path: str) -> None:
        # mkdocs copies *into* a folder that stands where the file goes; a clean build has none
        if output_path in last.folders and os.path.isdir(output_path):
            raise ShapeChanged(f"{output_path}: a folder of the last build stands here")
        copy_file(source_path, output_path)

    utils.clean_directory, utils.copy_file = keep_last_build, copy_over
    try:
        yield
    finally:
        utils.clean_directory, utils.copy_file = clean_directory, copy_file
