"""A site built over its last build: files are written over, not deleted and made anew.

mkdocs empties the site folder before every build. On ext4, making thousands of files just
after deleting as many is slow: the inode allocator passes over each inode freed in the last
minute, so every new file costs about a millisecond more, and the build that follows a
build spends more time making files than the theme spends rendering them. adrgen's plugin
instead leaves the last build where it is, lets mkdocs write over it, then removes what
this build did not write, so the folder ends with the files a clean build leaves. A file
whose bytes are the ones already there is not written again (writing over a file costs
about as much as making it): it keeps the time of the build that wrote it, as a copy made
with rsync would.

It is used only for `build` (and `gh-deploy`) without `--dirty`, and only where nothing can
tell the difference:
- every plugin is one known to write through mkdocs and never to look at what the site
  folder holds (`KNOWN_PLUGINS`);
- the last build holds only plain files and folders with one link each: a symbolic link
  would be written through, and a file with a second hard link would change elsewhere too.
Elsewhere the folder is emptied first, as mkdocs empties it, but with links removed rather
than followed (`empty_folder`).

Each old file's modification time is set to `UNWRITTEN` first: a file that still has it
after the build was not written by it, and one the build found unchanged gets its own time
back, as do the files a failed build did not reach. Where the new build puts a file at an
old folder's place, or a folder at an old file's, the old one is removed first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from dataclasses import dataclass, field
from typing import Any

# plugins that write only through mkdocs' helpers and never read the site folder
KNOWN_PLUGINS = frozenset(
    {
        "adrgen.site.plugin",
        "material.plugins.search.plugin",
        "material.plugins.tags.plugin",
    }
)

# the time an old file is given before the build (1 January 1980, the oldest time every
# file system can hold): a write sets the time to now
UNWRITTEN = 315532800 * 10**9

# a copied file (a theme's script, a picture) larger than this is copied without comparing
COMPARED_AT_MOST = 16 * 2**20


def plugins_allow_it(config: Any) -> bool:
    """Whether every plugin of this site is one known not to read the site folder."""
    from adrgen.site.speedups.convert_ahead import all_from

    return all_from(KNOWN_PLUGINS, (type(plugin) for plugin in config.plugins.values()))


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
            # which removes the links inside, never what they point to; what cannot be
            # removed stays, as mkdocs leaves it
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)


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
        """The last build, or None when it cannot be written over safely."""
        last = cls(site_dir)
        try:
            entries = os.listdir(site_dir)
        except FileNotFoundError:
            return last
        except OSError:
            return None
        # hidden entries are left alone, as mkdocs' cleaning leaves them
        pending = [os.path.join(site_dir, name) for name in entries if not name.startswith(".")]
        try:
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
        except OSError:  # a folder that cannot be read
            return None
        return last

    def mark(self) -> bool:
        """Give every old file the time of a file this build has not written (yet); False,
        with every time as it was, if one cannot be changed (a file of another user's)."""
        try:
            for path, old in self.files.items():
                os.utime(path, ns=(os.lstat(path).st_atime_ns, UNWRITTEN), follow_symlinks=False)
                old.marked_ns = os.lstat(path).st_mtime_ns
        except OSError:
            self.restore()
            return False
        return True

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

    def clear_the_way(self, path: str) -> None:
        """Remove what of the last build stands where this build puts a file: a folder at
        its place, or a file at the place of a folder above it."""
        if path in self.folders:
            with contextlib.suppress(FileNotFoundError):
                if stat.S_ISDIR(os.lstat(path).st_mode):
                    shutil.rmtree(path)
        folder = os.path.dirname(path)
        while len(folder) > len(self.site_dir):
            if self._unwritten(folder) is not None:
                os.unlink(folder)
            folder = os.path.dirname(folder)

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

    def sweep(self) -> None:
        """Remove what the build did not write, then the folders left empty."""
        for path in self.files:
            if self._unwritten(path) is not None:
                os.unlink(path)
        # the deepest first, so that a folder whose folders were all stale goes too
        for folder in sorted(self.folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # not empty: the build wrote into it
                os.rmdir(folder)


class OverLastBuild:
    """One build written over the last: begun just before mkdocs would empty the site
    folder, ended when the build ends. Meanwhile mkdocs' helpers that empty the folder,
    write a file and copy one are replaced by ones that keep the last build, clear the
    way for each file and leave alone a file that already holds its bytes."""

    def __init__(self, last: LastBuild):
        from mkdocs import utils

        self.last = last
        self._utils = utils
        self._originals = (utils.clean_directory, utils.copy_file, utils.write_file)
        utils.clean_directory = self._keep_last_build
        utils.copy_file = self._copy_unless_same
        utils.write_file = self._write_unless_same

    @classmethod
    def begin(cls, site_dir: str) -> OverLastBuild | None:
        """Over the last build in `site_dir`, or None (the folder emptied) if unsafe."""
        last = LastBuild.read(site_dir)
        if last is None or not last.mark():
            empty_folder(site_dir)
            return None
        return cls(last)

    def clear_the_way(self, paths: Any) -> None:
        for path in paths:
            self.last.clear_the_way(path)

    def end(self, built: bool) -> None:
        """Put mkdocs' helpers back; then remove what a finished build did not write, or give
        a failed one's untouched files their times back."""
        if self._originals is None:
            return
        utils = self._utils
        utils.clean_directory, utils.copy_file, utils.write_file = self._originals
        self._originals = None
        if built:
            self.last.sweep()
        else:
            self.last.restore()

    def _keep_last_build(self, directory: str) -> None:
        if os.path.abspath(directory) != os.path.abspath(self.last.site_dir):
            self._originals[0](directory)

    def _write_unless_same(self, content: bytes, output_path: str) -> None:
        self.last.clear_the_way(output_path)
        if not self.last.keep_if_same(output_path, content):
            self._originals[2](content, output_path)

    def _copy_unless_same(self, source_path: str, output_path: str) -> None:
        self.last.clear_the_way(output_path)
        if output_path in self.last.files and os.path.getsize(source_path) < COMPARED_AT_MOST:
            with open(source_path, "rb") as source:
                if self.last.keep_if_same(output_path, source.read()):
                    return
        self._originals[1](source_path, output_path)
