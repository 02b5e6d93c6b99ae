"""Write a new decision record: the next number, exclusively, atomically, never overwriting.

Under the record folder's lock (the same lock the lifecycle commands hold), the next number
is the highest number among the folder's file names plus one, whichever tool wrote them. The
record is written to a temporary file beside it, synced, then hard-linked to its name: the
link fails if anything (a file, a directory, a dangling symlink) already has the name, so
nothing is ever overwritten or followed, and the record appears complete or not at all.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adrgen.errors import AdrgenError
from adrgen.files.atomic import folder_lock, temp_name, write_temp
from adrgen.files.safe_yaml import dump
from adrgen.records.names import highest_number
from adrgen.records.slugs import record_file_name

# the order of a record's front-matter keys; other tools read these names (MADR conventions)
FRONT_MATTER_KEYS = (
    "number",
    "title",
    "status",
    "date",
    "deciders",
    "mechanism",
    "control",
    "outcome",
    "recommended",
    "template",
    "catalog",
    "tags",
    "supersedes",
    "superseded_by",
    "links",
    "fields",
    "facts",
    "answers",
)
# another writer (or a tool without our lock) may take a number between our look and our link
MAX_ATTEMPTS = 5


def compose_record(front_matter: dict[str, Any], body: str) -> str:
    """The record file: YAML front matter between `---` lines, a blank line, the body."""
    unknown = set(front_matter) - set(FRONT_MATTER_KEYS)
    if unknown:
        raise ValueError(f"unknown front-matter keys: {sorted(unknown)}")
    ordered = {key: front_matter[key] for key in FRONT_MATTER_KEYS if key in front_matter}
    return f"---\n{dump(ordered)}---\n\n{body.strip(chr(10))}\n"


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _link_into_place(temp: Path, target: Path) -> None:
    """Give the complete temporary file the record's name; FileExistsError if it is taken."""
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        # no hard links on this file system (FAT, some network mounts): we hold the folder
        # lock, so a rename after checking the name is as exclusive as other adrgen runs need
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(temp, target)


def create_folder(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AdrgenError(f"{directory}: exists and is not a folder") from None
    except OSError as exc:
        raise AdrgenError(f"{directory}: cannot create the record folder: {exc.strerror}") from None


def write_record(directory: Path, title: str, render: Callable[[int], str]) -> Path:
    """Write the record `render(number)` returns as `NNNN-slug.md`; return its path.

    `render` is called under the folder lock with the number the record gets; whatever it
    raises propagates and nothing is written.
    """
    create_folder(directory)
    with folder_lock(directory):  # which also clears what killed writers left
        number = highest_number(directory) + 1
        for _ in range(MAX_ATTEMPTS):
            name = record_file_name(number, title)
            target = directory / name
            temp = directory / temp_name(name)
            try:
                write_temp(temp, render(number))
                _link_into_place(temp, target)
            except FileExistsError:
                number = max(number, highest_number(directory)) + 1
                continue
            except OSError as exc:
                raise AdrgenError(f"{target}: cannot write: {exc.strerror or exc}") from None
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            _fsync_directory(directory)
            return target
    raise AdrgenError(
        f"{directory}: another program keeps taking the next record number; try again"
    )
