"""Read decision records, whichever tool wrote them.

Understands adrgen's own records (YAML front matter), MADR 2/3/4 (with or without front
matter, `- Status:` bullets), Nygard / adr-tools (`# N. Title`, `Date:`, `## Status`),
log4brains (date-prefixed file names, `## Links`) and the usual hand-written variants
(`**Status:** x`, a status table under the title); what each convention means is read in
adrgen.records.conventions. A record that cannot be fully understood is still returned,
with its problems listed, so listing, linting and publishing never stop at it.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from adrgen.errors import AdrgenError
from adrgen.files.reading import read_text
from adrgen.files.safe_yaml import LineMap, parse_text
from adrgen.records import conventions
from adrgen.records.names import (  # noqa: F401 (also importable from here, as before)
    NOT_RECORDS,
    RECORD_SUFFIXES,
    highest_number,
    is_record_name,
    number_of,
)
from adrgen.vocabulary import Status

MAX_RECORD_BYTES = 1024 * 1024

# a code fence: up to three spaces, then three or more backticks or tildes
_FENCE = re.compile(r" {0,3}+(`{3,}+|~{3,}+)")


@dataclass
class Link:
    """A relation one record states to another."""

    kind: str  # supersedes | superseded-by | amends | amended-by | relates
    target: str  # as written: a number, `ADR-0057`, a file name or a link to one
    line: int | None = None  # where it is written (1-based, in the file)
    resolved: str | None = None  # the file name of the record it names in the same folder


@dataclass
class RecordInfo:
    path: Path
    id: str  # the file name without its suffix: unique within a folder
    number: int | None
    title: str
    status: str | None = None  # as adrgen reads it: "accepted", "on hold", ...
    status_text: str | None = None  # as written: "✅ Accepted", "Superseded by [X](x.md)"
    date: str | None = None
    deciders: list[str] = field(default_factory=list)
    mechanism: str | None = None
    control: str | None = None  # the control channel beside the mechanism, if any
    outcome: str | None = None
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    format: str = "markdown"  # adrgen | madr | madr2 | nygard | markdown
    problems: list[str] = field(default_factory=list)
    heading_number: int | None = None  # the N of `# N. Title` or `# ADR-N: Title`
    body_links: list[Link] = field(default_factory=list)  # other links to local files
    title_line: int | None = None
    status_line: int | None = None
    twin_of: str | None = None  # the file published instead of this one (same name)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def lifecycle(self) -> Status | None:
        """The lifecycle status the record's status behaves as (None when it states none,
        or a word adrgen does not know)."""
        return conventions.status_class(self.status)

    def targets(self, kind: str) -> list[str]:
        return [link.target for link in self.links if link.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.path.name,
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "status_text": self.status_text,
            "date": self.date,
            "deciders": self.deciders,
            "mechanism": self.mechanism,
            "control": self.control,
            "outcome": self.outcome,
            "tags": self.tags,
            "links": [
                {"kind": link.kind, "target": link.target, "record": link.resolved}
                for link in self.links
            ],
            "format": self.format,
            "problems": self.problems,
        }


def record_paths(directory: Path) -> list[Path]:
    """Record files in a folder (not recursive), by name; what is not a regular file is skipped."""
    if not directory.is_dir():
        raise AdrgenError(f"{directory}: record folder not found")
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not is_record_name(entry.name):
                continue
            found.append(Path(entry.path))
    return sorted(found, key=lambda p: (number_of(p.name) is None, number_of(p.name) or 0, p.name))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, number of lines before the body)."""
    if not text.startswith("---"):
        return None, text, 0
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 1
    return None, text, 0


def next_fence(line: str, fence: str | None) -> tuple[str | None, bool]:
    """The code fence open after `line`, and whether `line` opens or closes one.

    A fence opened with backticks closes only with backticks (and tildes with tildes), so
    a record's code examples never end early.
    """
    match = _FENCE.match(line)
    if not match:
        return fence, False
    marker = match.group(1)
    if fence is None:
        return marker[0] * 3, True
    if marker.startswith(fence):
        return None, True
    return fence, False  # a different marker inside a fence is code


def _control_mechanism(value: object) -> str | None:
    """A combined design's control channel: `control: ID` as adrgen writes it, or
    `control: {mechanism: ID, ...}` as a team may write it by hand."""
    if isinstance(value, dict):
        value = value.get("mechanism")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


@dataclass
class _Scan:
    """What a pass over the body finds, outside code fences."""

    title: str | None = None
    title_line: int | None = None
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # above the first section
    status: tuple[str, int] | None = None  # the first line of the status section
    date: tuple[str, int] | None = None  # the first line of a date section
    links: list[Link] = field(default_factory=list)  # relations declared on their own lines
    body_links: list[Link] = field(default_factory=list)
    has_status_section: bool = False
    madr_sections: bool = False


def _scan_body(body: str, first_line: int) -> _Scan:
    found = _Scan()
    fence: str | None = None
    section: str | None = None
    header = True  # above the first section: where fields and status tables live
    previous = ""
    lines = body.split("\n")
    for index, raw in enumerate(lines):
        number = first_line + index
        line = raw.rstrip()
        fence, is_marker = next_fence(line, fence)
        if is_marker or fence:
            continue
        for _, _, _, destination in conventions.inline_links(line):
            if conventions.is_local(destination):
                found.body_links.append(Link("link", destination, number))
        definition = conventions.reference_definition(line)
        if definition and conventions.is_local(definition):
            found.body_links.append(Link("link", definition, number))
        heading = conventions.heading(line)
        if heading:
            level, text = heading
            text = conventions.clean(text)
            if level == 1:
                if found.title is None and text:
                    found.title, found.title_line = text, number
                section = None
                continue
            header = False
            section = conventions.fold(text)
            if section.startswith("status:") and found.status is None:  # `## Status: Accepted`
                found.status = (text.split(":", 1)[1].strip(), number)
            if section == "status":
                found.has_status_section = True
            if section == "context and problem statement":
                found.madr_sections = True
            continue
        stripped = line.strip()
        if section == "status" and stripped and found.status is None:
            found.status = (stripped, number)
        elif section == "date" and stripped and found.date is None:
            found.date = (stripped, number)
        if header:
            pair = conventions.field(line)
            if pair and pair[1]:
                found.fields.setdefault(pair[0], (pair[1], number))
            elif conventions.is_table_rule(line) and previous.lstrip().startswith("|"):
                row = lines[index + 1] if index + 1 < len(lines) else ""
                for key, value in conventions.table_fields(previous, row).items():
                    found.fields.setdefault(key, (value, number + 1))
        if header or section in conventions.RELATION_SECTIONS:
            for kind, target in conventions.relations_in_line(line):
                found.links.append(Link(kind, target, number))
        previous = line
    return found


def _front_matter_links(meta: dict[str, Any], lines: LineMap) -> list[Link]:
    links = []
    for key, value in meta.items():
        kind = conventions.FRONT_MATTER_RELATIONS.get(str(key).lower())
        if kind is None:
            continue
        line = lines.line_of((key,))
        links += [Link(kind, target, line) for target in _as_list(value)]
    listed = meta.get("links")
    for index, entry in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(entry, dict) and entry.get("target") is not None:
            kind = str(entry.get("kind") or "relates")
            if kind not in conventions.RELATION_KINDS:
                kind = "relates"
            links.append(Link(kind, str(entry["target"]), lines.line_of(("links", index))))
    return links


def parse_record(path: Path, text: str | None = None) -> RecordInfo:
    """Understand one record file; problems are listed on the result, never raised."""
    record = RecordInfo(path=path, id=path.stem, number=number_of(path.name), title=path.stem)
    if text is None:
        try:
            text = read_text(path, max_bytes=MAX_RECORD_BYTES)
        except AdrgenError as exc:
            record.problems.append(exc.message)
            return record
    text = text.replace("\r\n", "\n")
    front_text, body, body_offset = split_front_matter(text)
    meta: dict[str, Any] = {}
    lines = LineMap()
    if front_text is not None:
        try:
            data, lines = parse_text(front_text, path, line_offset=1)
        except AdrgenError as exc:
            record.problems.append(f"front matter: {exc.message}")
            data = None
        if isinstance(data, dict):
            meta = data
        elif data is not None:
            record.problems.append(f"{path}:2: front matter is not a mapping")
    record.front_matter = meta

    scan = _scan_body(body, body_offset + 1)
    fields = scan.fields
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    heading = scan.title
    if heading:
        record.heading_number, heading = conventions.title_parts(heading)
    record.title = conventions.clean(title or heading or "") or path.stem
    record.title_line = lines.line_of(("title",)) if title else scan.title_line
    if not (title or heading):
        record.problems.append(f"{path}: no title (no `# Title` heading or front-matter title)")

    written: tuple[str, int | None] | None = None
    if meta.get("status") is not None:
        written = (str(meta["status"]), lines.line_of(("status",)))
    elif scan.status is not None:
        written = scan.status
    elif "status" in fields:
        written = fields["status"]
    if written and conventions.clean(written[0]):
        record.status_text = conventions.clean(written[0])
        record.status = conventions.status_word(record.status_text)
        record.status_line = written[1]

    for written_date in (meta.get("date"), fields.get("date", ("",))[0], (scan.date or ("",))[0]):
        record.date = conventions.date_in(written_date)
        if record.date:
            break

    deciders = meta.get("deciders") or meta.get("decision-makers")
    if deciders is None:
        for key in ("deciders", "decision-makers", "decision makers", "decision makers(s)"):
            if key in fields:
                deciders = fields[key][0]
                break
    record.deciders = _as_list(deciders)
    record.mechanism = meta.get("mechanism") if isinstance(meta.get("mechanism"), str) else None
    record.control = _control_mechanism(meta.get("control"))
    record.outcome = meta.get("outcome") if isinstance(meta.get("outcome"), str) else None
    record.tags = _as_list(meta.get("tags"))
    number = meta.get("number")
    if isinstance(number, int) and not isinstance(number, bool) and record.number is None:
        record.number = number

    links = _front_matter_links(meta, lines)
    if record.status_text:
        links += [
            Link(kind, target, record.status_line)
            for kind, target in conventions.relations_in_status(record.status_text)
        ]
    links += scan.links
    unique: dict[tuple[str, str], Link] = {}
    for link in links:
        unique.setdefault((link.kind, link.target), link)
    record.links = list(unique.values())
    record.body_links = scan.body_links

    if "mechanism" in meta and ("facts" in meta or "answers" in meta):
        record.format = "adrgen"
    elif scan.has_status_section and record.heading_number is not None:
        record.format = "nygard"
    elif "status" in fields:
        record.format = "madr2"
    elif scan.madr_sections:
        record.format = "madr"
    elif scan.has_status_section:
        record.format = "nygard"
    return record


def _unreadable(path: Path, problem: str) -> RecordInfo:
    record = RecordInfo(path=path, id=path.stem, number=number_of(path.name), title=path.stem)
    record.problems.append(problem)
    return record


def resolve_links(records: list[RecordInfo]) -> None:
    """Point each relation at the record it names in the folder, and mark twins: records
    whose names differ only in suffix or case (`0016-x.md`, `0016-x.markdown`), of which
    the site can publish one. The `.md` one, then the first by name, is published."""
    by_stem: dict[str, list[RecordInfo]] = {}
    for record in records:
        record.twin_of = None
        by_stem.setdefault(record.id.casefold(), []).append(record)
    for same in by_stem.values():
        if len(same) > 1:
            same.sort(key=lambda r: (r.path.suffix.lower() != ".md", r.path.name))
            for twin in same[1:]:
                twin.twin_of = same[0].path.name
    # the published one of twins answers to their shared name
    index = conventions.RecordIndex(sorted(records, key=lambda r: r.twin_of is not None))
    for record in records:
        for link in record.links:
            found = index.find(link.target)
            link.resolved = None if found is None else found.file_name


def scan_records(directory: Path) -> list[RecordInfo]:
    """Every record in a folder, each parsed on its own: a broken file becomes a problem.

    Files unchanged since the last scan come from the record cache instead of being parsed;
    what the cache holds is checked like any other input (see adrgen.records.cache).
    """
    from adrgen.records import cache as record_cache

    cached = record_cache.load(directory)
    fresh: dict[str, Any] = {}
    records = []
    for path in record_paths(directory):
        try:
            mode = path.lstat()
        except OSError as exc:
            records.append(_unreadable(path, f"{path}: cannot read: {exc.strerror}"))
            continue
        if stat.S_ISLNK(mode.st_mode):
            records.append(_unreadable(path, f"{path}: is a symbolic link; not followed"))
            continue
        if not stat.S_ISREG(mode.st_mode):
            records.append(_unreadable(path, f"{path}: not a regular file"))
            continue
        key = record_cache.stat_key(mode)
        entry = cached.get(path.name)
        if isinstance(entry, dict) and entry.get("stat") == key:
            record = record_cache.record_from_entry(path, entry.get("record"))
            if record is not None:
                records.append(record)
                fresh[path.name] = entry
                continue
        record = parse_record(path)
        records.append(record)
        fresh[path.name] = {"stat": key, "record": record_cache.entry_of(record)}
    if fresh != cached:
        record_cache.save(directory, fresh)
    resolve_links(records)
    return records


def records_if_any(directory: Path) -> list[RecordInfo]:
    """The folder's records; none when the folder is not there yet (a team that has just
    run `adrgen init` has no records, which is no mistake)."""
    if directory.exists() and not directory.is_dir():
        raise AdrgenError(f"{directory}: is not a folder")
    return scan_records(directory) if directory.is_dir() else []


def record_to_dict(record: RecordInfo) -> dict[str, Any]:
    """The record's fields as plain data (what the record cache keeps of it)."""
    return asdict(record)
