"""Which files in a record folder are records, and their numbers: from file names alone.

Numbering a new record reads only these names, never the files, so `adrgen new` takes as
long with thousands of records as with a few. Names other tools write are read too:
`0012-x.md` (adr-tools, MADR), `adr-012-x.md`, `ADR-0012-x.md`, `adr012-x.md`; a name that
starts with a date (`20200924-x.md` as log4brains writes, or `2020-09-24-x.md`) has no
sequence number.
"""

from __future__ import annotations

import os
from pathlib import Path

RECORD_SUFFIXES = (".md", ".markdown")
# folder files that are not records, as MADR and log4brains keep them beside the records
NOT_RECORDS = {"readme", "index", "template", "adr-template", "_index", "toc"}
MAX_NUMBER_DIGITS = 6  # more digits than this (20200924) is a date, not a sequence number
_SEPARATORS = ("-", "_", " ", ".")


def _number_span(name: str) -> tuple[int, int] | None:
    """Where the sequence number sits in a file name, or None when it has none."""
    start = 0
    if name[:3].lower() == "adr":
        start = 3 + (name[3:4] in ("-", "_", " "))
    end = start
    while end < len(name) and name[end].isdigit():
        end += 1
    digits = name[start:end]
    if not digits or len(digits) > MAX_NUMBER_DIGITS or name[end : end + 1] not in _SEPARATORS:
        return None
    rest = name[end:]
    if len(digits) == 4 and rest[:1] == "-" and rest[1:3].isdigit() and rest[3:4] == "-":
        return None  # 2020-09-24-slug.md: a date
    return start, end


def number_of(name: str) -> int | None:
    """The sequence number in a record's file name (`0012-foo.md`, `adr-012-foo.md` -> 12);
    dates are not numbers."""
    span = _number_span(name)
    return int(name[span[0] : span[1]]) if span else None


def with_number(name: str, number: int) -> str:
    """The file name with another number, written as wide as before (at least four digits
    for adrgen's own `NNNN-` names): `adr-012-x.md` -> `adr-013-x.md`."""
    span = _number_span(name)
    if span is None:
        raise ValueError(f"{name} has no number")
    start, end = span
    width = end - start if start else max(4, end - start)
    return f"{name[:start]}{number:0{width}d}{name[end:]}"


def is_record_name(name: str) -> bool:
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in RECORD_SUFFIXES:
        return False
    lower = stem.lower()
    span = _number_span(name)
    bare = lower[span[1] :].lstrip("-_ .") if span else lower
    return not (lower in NOT_RECORDS or bare in NOT_RECORDS or lower.startswith("adr-template"))


def highest_number(directory: Path) -> int:
    """The highest record number in a folder, from file names only (no file is opened)."""
    if not directory.is_dir():
        return 0
    highest = 0
    for name in os.listdir(directory):
        number = number_of(name)
        if number is not None and number > highest and is_record_name(name):
            highest = number
    return highest
