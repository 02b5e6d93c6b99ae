"""Record lifecycle: status changes, supersede, links and renumbering.

Each command edits only the lines it means to (see record_edit), under the record folder's
lock, and replaces each file atomically: a reader sees the old file or the new one, never
half of either.
"""

from __future__ import annotations

import os
from pathlib import Path

from adrgen.errors import AdrgenError
from adrgen.files.atomic import folder_lock, write_text_atomic
from adrgen.files.reading import read_text
from adrgen.records import edit as record_edit
from adrgen.records.names import with_number
from adrgen.records.parse import (
    MAX_RECORD_BYTES,
    RecordInfo,
    highest_number,
    number_of,
    scan_records,
)
from adrgen.vocabulary import STATUSES, TRANSITIONS

LINK_KINDS = {"amends": "amended-by", "relates": "relates"}
_VISIBLE = {
    "supersedes": "Supersedes",
    "superseded-by": "Superseded by",
    "amends": "Amends",
    "amended-by": "Amended by",
    "relates": "Relates to",
}


def lifecycle_status(record: RecordInfo) -> str:
    """The lifecycle status a record is in: what its status word behaves as (adrgen's own
    word for a synonym or a classed word), `proposed` when it states none."""
    if record.status is None:
        return "proposed"
    return record.lifecycle or record.status


def find_record(records: list[RecordInfo], ref: str, directory: Path) -> RecordInfo:
    """A record by number (`12`, `0012`), file name or id (`0012-use-pipes`)."""
    ref = ref.strip()
    if ref.isdigit():
        matches = [r for r in records if r.number == int(ref)]
    else:
        matches = [r for r in records if ref in (r.id, r.path.name)]
    if not matches:
        raise AdrgenError(f"{directory}: no record {ref!r}")
    if len(matches) > 1:
        names = ", ".join(r.path.name for r in matches)
        raise AdrgenError(
            f"{directory}: {len(matches)} records have number {ref} ({names}); "
            "name one by its file name, or run `adrgen renumber FILE`"
        )
    return matches[0]


def _in_folder(record: RecordInfo, directory: Path) -> None:
    """A record is edited only where the folder scan found it: a file directly in the
    folder, whatever any cache or record says about it."""
    path = record.path
    if path.parent != directory or os.path.basename(path.name) != path.name:
        raise AdrgenError(f"{path}: is not a record file in {directory}; not edited")


def _read(record: RecordInfo) -> str:
    if record.path.is_symlink():
        raise AdrgenError(f"{record.path}: is a symbolic link; not edited")
    return read_text(record.path, max_bytes=MAX_RECORD_BYTES)


def _check_transition(record: RecordInfo, new: str) -> None:
    current = lifecycle_status(record)
    allowed = TRANSITIONS.get(current)
    if allowed is None:
        return  # a status adrgen does not know: let the team move it into the lifecycle
    if new not in allowed:
        options = ", ".join(allowed) or "none (it is final)"
        raise AdrgenError(
            f"{record.path.name}: cannot go from {current} to {new}; allowed from {current}: {options}"
        )


def _label(record: RecordInfo) -> str:
    prefix = f"{record.number}. " if record.number is not None else ""
    return f"{prefix}{record.title}".replace("[", "\\[").replace("]", "\\]")


def _with_relation(text: str, kind: str, other: RecordInfo) -> str:
    """The relation in the front matter (when the record has one) and as a visible line."""
    target = other.path.name
    if record_edit.has_front_matter(text):
        meta = record_edit.front_matter(text)
        if kind == "supersedes":
            current = [str(t) for t in (meta.get("supersedes") or [])]
            text = record_edit.set_front_matter_key(text, "supersedes", [*current, target])
        elif kind == "superseded-by":
            text = record_edit.set_front_matter_key(text, "superseded_by", target)
        else:
            current = [link for link in (meta.get("links") or []) if isinstance(link, dict)]
            text = record_edit.set_front_matter_key(
                text, "links", [*current, {"kind": kind, "target": target}]
            )
    return record_edit.add_visible_line(text, f"{_VISIBLE[kind]} [{_label(other)}]({target})")


def _already(record: RecordInfo, kind: str, other: RecordInfo) -> bool:
    return any(
        link.kind == kind and link.target in (other.path.name, other.id, str(other.number))
        for link in record.links
    )


def set_status(directory: Path, ref: str, status: str) -> RecordInfo:
    if status not in STATUSES:
        raise AdrgenError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    with folder_lock(directory):
        record = find_record(scan_records(directory), ref, directory)
        _in_folder(record, directory)
        _check_transition(record, status)
        write_text_atomic(
            record.path, record_edit.set_status(_read(record), status), overwrite=True
        )
    return record


def supersede(directory: Path, old_ref: str, new_ref: str) -> tuple[RecordInfo, RecordInfo]:
    with folder_lock(directory):
        records = scan_records(directory)
        old = find_record(records, old_ref, directory)
        new = find_record(records, new_ref, directory)
        if old.path == new.path:
            raise AdrgenError(f"{old.path.name}: a record cannot supersede itself")
        _in_folder(old, directory)
        _in_folder(new, directory)
        if _already(old, "superseded-by", new):
            raise AdrgenError(f"{old.path.name}: already superseded by {new.path.name}")
        _check_transition(old, "superseded")
        old_text, new_text = _read(old), _read(new)
        old_text = record_edit.set_status(old_text, "superseded")
        old_text = _with_relation(old_text, "superseded-by", new)
        new_text = _with_relation(new_text, "supersedes", old)
        write_text_atomic(old.path, old_text, overwrite=True)
        write_text_atomic(new.path, new_text, overwrite=True)
    return old, new


def link(directory: Path, a_ref: str, b_ref: str, kind: str) -> tuple[RecordInfo, RecordInfo]:
    if kind not in LINK_KINDS:
        raise AdrgenError(f"--kind: {kind!r} is not one of {', '.join(LINK_KINDS)}")
    with folder_lock(directory):
        records = scan_records(directory)
        a = find_record(records, a_ref, directory)
        b = find_record(records, b_ref, directory)
        if a.path == b.path:
            raise AdrgenError(f"{a.path.name}: a record cannot link to itself")
        _in_folder(a, directory)
        _in_folder(b, directory)
        if _already(a, kind, b):
            raise AdrgenError(f"{a.path.name}: already {kind} {b.path.name}")
        a_text, b_text = _read(a), _read(b)
        a_text = _with_relation(a_text, kind, b)
        b_text = _with_relation(b_text, LINK_KINDS[kind], a)
        write_text_atomic(a.path, a_text, overwrite=True)
        write_text_atomic(b.path, b_text, overwrite=True)
    return a, b


# front-matter lines that hold nothing but a record's file name, before the name
_REFERENCE_LEADS = {"-", "target:", "- target:", "superseded_by:", "- superseded_by:"}


def _rename_front_matter_references(text: str, old: str, new: str) -> str:
    """`- 0012-x.md`, `target: 0012-x.md`, `superseded_by: 0012-x.md` now name `new`."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        value = line.rstrip(" \t\r")
        if not value.endswith(old):
            continue
        lead = value[: len(value) - len(old)]
        if " ".join(lead.split()) in _REFERENCE_LEADS:
            lines[index] = f"{lead}{new}{line[len(value) :]}"
    return "\n".join(lines)


def _renumber_heading(text: str, record: RecordInfo, number: int) -> str:
    """`# 12. Title` (or `# 0012. Title`) on the record's title line states the new number."""
    lines = text.split("\n")
    index = (record.title_line or 0) - 1
    if not 0 <= index < len(lines):
        return text
    line = lines[index]
    start = len(line) - len(line.lstrip("# "))
    end = start
    while end < len(line) and line[end].isdigit():
        end += 1
    if end == start or int(line[start:end]) != record.heading_number:
        return text
    width = end - start if line[start] == "0" else 1
    lines[index] = f"{line[:start]}{number:0{width}d}{line[end:]}"
    return "\n".join(lines)


def renumber(directory: Path, ref: str) -> tuple[Path, Path]:
    """Give a record the next free number and point every reference to it at its new name."""
    with folder_lock(directory):
        records = scan_records(directory)
        if ref.isdigit():
            raise AdrgenError(f"{ref}: name the record to renumber by its file name")
        record = find_record(records, ref, directory)
        _in_folder(record, directory)
        old_name = record.path.name
        if number_of(old_name) is None:
            raise AdrgenError(f"{old_name}: has no number to change")
        number = highest_number(directory) + 1
        new_path = directory / with_number(old_name, number)
        text = _read(record)
        if "number" in record_edit.front_matter(text):
            text = record_edit.set_front_matter_key(text, "number", number)
        if record.heading_number is not None and record.heading_number == record.number:
            text = _renumber_heading(text, record, number)
        mode = record.path.stat().st_mode & 0o7777
        write_text_atomic(new_path, text)  # never overwrites: the new name must be free
        os.chmod(new_path, mode)
        os.unlink(record.path)
        for other in records:
            if other.path == record.path or other.path.is_symlink() or not other.path.is_file():
                continue
            other_text = read_text(other.path, max_bytes=MAX_RECORD_BYTES)
            updated = other_text.replace(f"]({old_name})", f"]({new_path.name})")
            updated = updated.replace(f"](./{old_name})", f"](./{new_path.name})")
            updated = _rename_front_matter_references(updated, old_name, new_path.name)
            if updated != other_text:
                write_text_atomic(other.path, updated, overwrite=True)
    return record.path, new_path
