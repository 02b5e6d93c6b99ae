"""Record file names that are safe on every file system, whatever the title.

A title is the user's words; a file name has to survive Windows, macOS, case-insensitive
folders, URLs on the published site and `git` on every platform. So the slug is
transliterated ASCII (python-slugify), never empty, never a Windows device name, and the
whole file name is bounded in bytes rather than characters.
"""

from __future__ import annotations

import re

from slugify import slugify

FALLBACK_SLUG = "decision"
MAX_FILE_NAME_BYTES = 120
RECORD_SUFFIX = ".md"

# Windows refuses these as file names, with or without an extension, in any case
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
_SAFE = re.compile(r"[a-z0-9]++(?:-[a-z0-9]++)*+")
_UNSAFE = re.compile(r"[^a-z0-9-]++")
_DASHES = re.compile(r"-{2,}+")


def is_reserved_name(name: str) -> bool:
    """True for `CON`, `aux.md`, `Lpt1.txt`...: names Windows keeps for devices."""
    stem = name.split(".", 1)[0].strip().lower()
    return stem in _RESERVED


def record_slug(title: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug for a title: words joined by dashes, cut at a word boundary."""
    slug = slugify(title or "", max_length=max_length, word_boundary=True, separator="-")
    # slugify already keeps [a-z0-9-]; filtering again makes the guarantee local to this file
    slug = _UNSAFE.sub("-", slug.lower()).strip("-")
    slug = _DASHES.sub("-", slug)
    if not slug:
        return FALLBACK_SLUG
    if is_reserved_name(slug):
        return f"{slug}-{FALLBACK_SLUG}"
    return slug


def record_file_name(number: int, title: str) -> str:
    """`0012-some-title.md`: four digits (more past 9999), at most MAX_FILE_NAME_BYTES bytes."""
    if number < 0:
        raise ValueError("record numbers are not negative")
    prefix = f"{number:04d}-"
    room = MAX_FILE_NAME_BYTES - len(prefix) - len(RECORD_SUFFIX)
    slug = record_slug(title, max_length=max(1, min(80, room)))
    assert _SAFE.fullmatch(slug), slug
    name = f"{prefix}{slug}{RECORD_SUFFIX}"
    assert len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES, name
    return name
