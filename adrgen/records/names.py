"""Which files in a record folder are records, and their numbers: from file names alone.

Numbering a new record reads only these names, never the files, so `adrgen new` takes as
long with thousands of records as with a few.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

RECORD_SUFFIXES = (".md", ".markdown")
# folder files that are not records, as MADR and log4brains keep them beside the records
NOT_RECORDS = {"readme", "index", "template", "adr-template", "_index"}

# up to six digits and a separator; eight digits and a dash or underscore are a date
_NUMBER = re.compile(r"(?!\d{8}[-_])(\d{1,6})[-_ ]")


def number_of(name: str) -> int | None:
    """The sequence number in a record's file name (`0012-foo.md` -> 12); dates are not numbers."""
    match = _NUMBER.match(name)
    return int(match.group(1)) if match else None


def is_record_name(name: str) -> bool:
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix.lower()}" in RECORD_SUFFIXES and stem.lower() not in NOT_RECORDS


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
